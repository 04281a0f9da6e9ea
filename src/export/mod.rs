//! The results folder: writers and readers of every file of the results
//! contract (README.md, "Results").
//!
//! Every file is written to a temporary name in the destination folder,
//! flushed to disk, then renamed over the final name, so a crash or Ctrl-C
//! leaves either the previous complete file or the new complete file, never a
//! half-written one (rename is atomic within one file system).
//!
//! Floats are written with Rust's shortest round-trip formatting, so reading a
//! file back gives bit-identical values and re-rendering charts from a folder
//! gives the same pictures as the run that wrote it.

pub mod check;
pub mod formats;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::metrics::{Metric, Row, NUM_METRICS};
pub mod shard;

use crate::pipeline::BASELINE;
use crate::results::{BudgetPoint, DegreeRow, RunResults, SeedRow, StrategySeries, SummaryFile, SweepRow};

/// `summary.json`
pub const SUMMARY: &str = "summary.json";
/// `timeseries.csv`
pub const TIMESERIES: &str = "timeseries.csv";
/// `replicates.csv`
pub const REPLICATES: &str = "replicates.csv";
/// `seeds.csv`
pub const SEEDS: &str = "seeds.csv";
/// `degrees.csv`
pub const DEGREES: &str = "degrees.csv";
/// `budgets.csv` (only with a budget sweep)
pub const BUDGETS: &str = "budgets.csv";
/// `scenario.resolved.toml`
pub const RESOLVED: &str = "scenario.resolved.toml";
/// `manifest.json`
pub const MANIFEST: &str = "manifest.json";
/// `charts/`
pub const CHARTS_DIR: &str = "charts";
/// `report.html`
pub const REPORT: &str = "report.html";

/// `sweep.csv` (a `[sweep]` run only)
pub const SWEEP: &str = "sweep.csv";
/// `sweep.resolved.toml` (a `[sweep]` run only)
pub const SWEEP_RESOLVED: &str = "sweep.resolved.toml";
/// `points/` (a `[sweep]` run only): `points/<k>/` holds point k's results folder.
pub const POINTS_DIR: &str = "points";

/// Every file name `womsim run` may create in a results folder (besides
/// `points/` of a sweep).
pub const ALL_OUTPUTS: [&str; 13] = [
    SUMMARY,
    TIMESERIES,
    REPLICATES,
    SEEDS,
    DEGREES,
    BUDGETS,
    RESOLVED,
    MANIFEST,
    CHARTS_DIR,
    REPORT,
    SWEEP,
    SWEEP_RESOLVED,
    formats::RESULTS_CSV,
];

/// Final values recorded per replicate in `replicates.csv`, in column order.
pub const REPLICATE_METRICS: [Metric; 9] = [
    Metric::Reached,
    Metric::ReachedGood,
    Metric::ReachedBad,
    Metric::Acted,
    Metric::Talkers,
    Metric::Friends,
    Metric::Ambassadors,
    Metric::MessagesGood,
    Metric::MessagesBad,
];

/// Final rows of every replicate of one strategy (`replicates.csv`).
#[derive(Debug, Clone, PartialEq)]
pub struct ReplicateFinals {
    pub strategy: String,
    /// Last trajectory row of each replicate, in replicate order.
    pub finals: Vec<Row>,
}

/// One input file and its digest (`manifest.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputFile {
    /// `scenario`, `edge_list` or `strategy_nodes`.
    pub role: String,
    pub path: String,
    /// Lower-case hex SHA-256 of the file's bytes.
    pub sha256: String,
}

/// `manifest.json`: how the results were made. Unlike `summary.json` it
/// varies between identical runs (wall time, threads).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub womsim_version: String,
    pub scenario: String,
    pub seed: u64,
    pub replicates: u32,
    /// Worker threads of the run's pool.
    pub threads: usize,
    /// Wall time of the whole run (network, seeding, simulation, writing).
    pub wall_time_seconds: f64,
    /// False while the run is in progress or if it was interrupted; true once
    /// every strategy (and budget point) has been written.
    pub complete: bool,
    pub inputs: Vec<InputFile>,
}

/// Crash testing: with `WOMSIM_ABORT_AFTER_RENAMES=N` in the environment
/// the process aborts (as if killed) right after its N-th completed rename
/// of a results file, so a test can stop a run between any two renames and
/// check that what is left is a consistent folder. Read once; unset in
/// normal use, where it costs one relaxed atomic increment per file.
fn crash_point() {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::OnceLock;
    static LIMIT: OnceLock<Option<u64>> = OnceLock::new();
    static DONE: AtomicU64 = AtomicU64::new(0);
    let limit = *LIMIT.get_or_init(|| std::env::var("WOMSIM_ABORT_AFTER_RENAMES").ok().and_then(|v| v.parse().ok()));
    if let Some(limit) = limit {
        if DONE.fetch_add(1, Ordering::Relaxed) + 1 >= limit {
            std::process::abort();
        }
    }
}

/// Write `bytes` to `path` atomically: temporary file in the same folder,
/// fsync, rename.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().with_context(|| format!("{} has no file name", path.display()))?;
    let tmp = dir.join(format!(".{}.tmp-{}", name.to_string_lossy(), std::process::id()));
    let write = || -> std::io::Result<()> {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    };
    write().map_err(|e| {
        let _ = fs::remove_file(&tmp);
        anyhow::Error::new(e).context(format!("cannot write {}", path.display()))
    })?;
    crash_point();
    Ok(())
}

/// Lower-case hex SHA-256 of a file.
/// Streamed (an edge list may be gigabytes) from a regular file only.
pub fn sha256_file(path: &Path) -> anyhow::Result<String> {
    let mut f = crate::inputs::open_regular(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut h = Sha256::new();
    std::io::copy(&mut f, &mut h).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(hex(&h.finalize()))
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn json_bytes<T: Serialize>(value: &T) -> anyhow::Result<Vec<u8>> {
    let mut v = serde_json::to_vec_pretty(value)?;
    v.push(b'\n');
    Ok(v)
}

/// Write `summary.json`.
pub fn write_summary(dir: &Path, summary: &SummaryFile) -> anyhow::Result<()> {
    atomic_write(&dir.join(SUMMARY), &json_bytes(summary)?)
}

/// Write `manifest.json`.
pub fn write_manifest(dir: &Path, manifest: &Manifest) -> anyhow::Result<()> {
    atomic_write(&dir.join(MANIFEST), &json_bytes(manifest)?)
}

/// Write `scenario.resolved.toml`.
pub fn write_resolved(dir: &Path, toml: &str) -> anyhow::Result<()> {
    atomic_write(&dir.join(RESOLVED), toml.as_bytes())
}

fn csv_bytes(header: &[String], rows: impl Iterator<Item = Vec<String>>) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header)?;
    for r in rows {
        w.write_record(&r)?;
    }
    w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))
}

/// Shortest round-trip text of a float.
fn num(x: f64) -> String {
    format!("{x}")
}

/// Header of `timeseries.csv`: `strategy,step,` then
/// `<metric>_mean,<metric>_q05,<metric>_q95` for each metric in
/// [`Metric::ALL`] order.
pub fn timeseries_header() -> Vec<String> {
    let mut h = vec!["strategy".to_string(), "step".to_string()];
    for m in Metric::ALL {
        for s in ["mean", "q05", "q95"] {
            h.push(format!("{}_{s}", m.name()));
        }
    }
    h
}

/// Write `timeseries.csv`: the no-campaign baseline (`strategy = "(no
/// campaign)"`) first, then the strategies finished so far. Every group has
/// `steps + 1` rows; a series stored up to quiescence has its last row
/// repeated to the horizon.
pub fn write_timeseries(
    dir: &Path,
    steps: u32,
    baseline: &StrategySeries,
    series: &[StrategySeries],
) -> anyhow::Result<()> {
    let rows = std::iter::once(baseline).chain(series).flat_map(|s| {
        (0..=steps as usize).map(move |t| {
            let i = t.min(s.mean.len().saturating_sub(1));
            let mut r = Vec::with_capacity(2 + 3 * NUM_METRICS);
            r.push(s.strategy.clone());
            r.push(t.to_string());
            for m in 0..NUM_METRICS {
                r.push(num(s.mean[i][m]));
                r.push(num(s.q05[i][m]));
                r.push(num(s.q95[i][m]));
            }
            r
        })
    });
    atomic_write(&dir.join(TIMESERIES), &csv_bytes(&timeseries_header(), rows)?)
}

/// Write `seeds.csv`: `strategy,budget,replicate,seeds`, one row per
/// strategy (and budget point) and replicate, the seeds as original ids
/// separated by spaces, in pick order.
pub fn write_seeds(dir: &Path, rows: &[SeedRow]) -> anyhow::Result<()> {
    let header = ["strategy", "budget", "replicate", "seeds"].map(String::from);
    let rows = rows.iter().map(|r| vec![r.strategy.clone(), num(r.budget), r.replicate.to_string(), r.seeds.join(" ")]);
    atomic_write(&dir.join(SEEDS), &csv_bytes(&header, rows)?)
}

/// Write `replicates.csv`: `strategy,replicate,` then the final value of each
/// of [`REPLICATE_METRICS`].
pub fn write_replicates(dir: &Path, strategies: &[ReplicateFinals]) -> anyhow::Result<()> {
    let mut header = vec!["strategy".to_string(), "replicate".to_string()];
    header.extend(REPLICATE_METRICS.iter().map(|m| m.name().to_string()));
    let rows = strategies.iter().flat_map(|s| {
        s.finals.iter().enumerate().map(move |(r, row)| {
            let mut v = vec![s.strategy.clone(), r.to_string()];
            v.extend(REPLICATE_METRICS.iter().map(|m| num(row[m.idx()])));
            v
        })
    });
    atomic_write(&dir.join(REPLICATES), &csv_bytes(&header, rows)?)
}

/// Write `degrees.csv` (`degree,count`).
pub fn write_degrees(dir: &Path, rows: &[DegreeRow]) -> anyhow::Result<()> {
    let header = ["degree".to_string(), "count".to_string()];
    let rows = rows.iter().map(|r| vec![r.degree.to_string(), r.count.to_string()]);
    atomic_write(&dir.join(DEGREES), &csv_bytes(&header, rows)?)
}

/// Header of `budgets.csv` (the fields of [`BudgetPoint`]).
pub const BUDGETS_HEADER: [&str; 15] = [
    "strategy",
    "budget",
    "cost",
    "reached_mean",
    "reached_ci95_low",
    "reached_ci95_high",
    "acted_mean",
    "acted_ci95_low",
    "acted_ci95_high",
    "lift_reached_mean",
    "lift_reached_ci95_low",
    "lift_reached_ci95_high",
    "lift_acted_beyond_seeds_mean",
    "lift_acted_beyond_seeds_ci95_low",
    "lift_acted_beyond_seeds_ci95_high",
];

/// Write `budgets.csv`.
pub fn write_budgets(dir: &Path, points: &[BudgetPoint]) -> anyhow::Result<()> {
    let header: Vec<String> = BUDGETS_HEADER.iter().map(|s| s.to_string()).collect();
    let rows = points.iter().map(|p| {
        let mut v = vec![p.strategy.clone()];
        v.extend(
            [
                p.budget,
                p.cost,
                p.reached_mean,
                p.reached_ci95_low,
                p.reached_ci95_high,
                p.acted_mean,
                p.acted_ci95_low,
                p.acted_ci95_high,
                p.lift_reached_mean,
                p.lift_reached_ci95_low,
                p.lift_reached_ci95_high,
                p.lift_acted_beyond_seeds_mean,
                p.lift_acted_beyond_seeds_ci95_low,
                p.lift_acted_beyond_seeds_ci95_high,
            ]
            .map(num),
        );
        v
    });
    atomic_write(&dir.join(BUDGETS), &csv_bytes(&header, rows)?)
}

/// Metrics of `sweep.csv`, each as `<metric>_mean,<metric>_ci95_low,<metric>_ci95_high`.
pub const SWEEP_METRICS: [&str; 5] = ["reached", "reached_bad", "acted", "lift_reached", "lift_acted_beyond_seeds"];

/// Header of `sweep.csv`: `point`, the swept keys, `strategy`, then
/// [`SWEEP_METRICS`].
pub fn sweep_header(keys: &[String]) -> Vec<String> {
    let mut h = vec!["point".to_string()];
    h.extend(keys.iter().cloned());
    h.push("strategy".into());
    for m in SWEEP_METRICS {
        h.extend(["mean", "ci95_low", "ci95_high"].map(|x| format!("{m}_{x}")));
    }
    h
}

/// Write `sweep.csv`, rows in the given order.
pub fn write_sweep(dir: &Path, keys: &[String], rows: &[SweepRow]) -> anyhow::Result<()> {
    let rows = rows.iter().map(|r| {
        let mut v = vec![r.point.to_string()];
        v.extend(r.values.iter().cloned());
        v.push(r.strategy.clone());
        for st in [&r.reached, &r.reached_bad, &r.acted, &r.lift_reached, &r.lift_acted_beyond_seeds] {
            v.extend([st.mean, st.ci95_low, st.ci95_high].map(num));
        }
        v
    });
    atomic_write(&dir.join(SWEEP), &csv_bytes(&sweep_header(keys), rows)?)
}

/// Read a text file of a results or shard folder: a regular file only (a
/// FIFO or device is refused without blocking), at most
/// [`crate::inputs::MAX_TEXT_BYTES`].
pub fn read_text(path: &Path) -> anyhow::Result<String> {
    crate::inputs::read_text_bounded(path, crate::inputs::MAX_TEXT_BYTES)
        .with_context(|| format!("cannot read {}", path.display()))
}

/// A CSV data file of a results or shard folder, streamed: a regular file
/// only, bounded in total size and line length ([`crate::inputs::open_bounded`]).
pub type CsvReader = csv::Reader<crate::inputs::Bounded<fs::File>>;

/// Open the CSV file at `path` as a [`CsvReader`].
pub fn open_csv(path: &Path) -> anyhow::Result<CsvReader> {
    let f = crate::inputs::open_bounded(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(csv::Reader::from_reader(f))
}

fn parse_f64(path: &Path, line: u64, col: &str, s: &str) -> anyhow::Result<f64> {
    s.parse().with_context(|| format!("{}: line {line}: column {col}: {s:?} is not a number", path.display()))
}

/// Read `timeseries.csv`: the baseline and the series of every strategy in
/// `summary.json`, in its order. Rows of a strategy that `summary.json`
/// does not list are refused, except in the folder of an interrupted run
/// (`interrupted`): `summary.json` is the index of the folder and is
/// written last, so a run stopped between the two renames leaves the rows
/// of the strategy it was writing, which are skipped.
fn read_timeseries(
    path: &Path,
    summary: &SummaryFile,
    interrupted: bool,
) -> anyhow::Result<(StrategySeries, Vec<StrategySeries>)> {
    let mut rdr = open_csv(path)?;
    let header: Vec<String> =
        rdr.headers().with_context(|| format!("{}: line 1", path.display()))?.iter().map(str::to_string).collect();
    let expected = timeseries_header();
    if header != expected {
        bail!("{}: unexpected header (expected {})", path.display(), expected.join(","));
    }
    let mut series: Vec<StrategySeries> = std::iter::once(BASELINE)
        .chain(summary.strategies.iter().map(|s| s.name.as_str()))
        .map(|name| StrategySeries { strategy: name.to_string(), mean: vec![], q05: vec![], q95: vec![] })
        .collect();
    for (i, rec) in rdr.records().enumerate() {
        let line = i as u64 + 2;
        let rec = rec.with_context(|| format!("{}: line {line}", path.display()))?;
        let name = &rec[0];
        let Some(s) = series.iter_mut().find(|s| s.strategy == name) else {
            if interrupted {
                continue;
            }
            bail!(
                "{}: line {line}: strategy {:?} is not listed in {SUMMARY} (and {MANIFEST} does not say the run \
                 was interrupted)",
                path.display(),
                crate::scenario::printable(name)
            );
        };
        let step: usize =
            rec[1].parse().with_context(|| format!("{}: line {line}: bad step {:?}", path.display(), &rec[1]))?;
        // (Checked as rows arrive, so an edited file cannot grow a series
        // past the horizon.)
        if step > summary.steps as usize {
            bail!("{}: line {line}: step {step} is beyond the run's {} steps", path.display(), summary.steps);
        }
        if step != s.mean.len() {
            bail!("{}: line {line}: expected step {} of {name:?}, found {step}", path.display(), s.mean.len());
        }
        let mut mean = [0.0; NUM_METRICS];
        let mut q05 = [0.0; NUM_METRICS];
        let mut q95 = [0.0; NUM_METRICS];
        for m in 0..NUM_METRICS {
            let c = 2 + 3 * m;
            mean[m] = parse_f64(path, line, &expected[c], &rec[c])?;
            q05[m] = parse_f64(path, line, &expected[c + 1], &rec[c + 1])?;
            q95[m] = parse_f64(path, line, &expected[c + 2], &rec[c + 2])?;
        }
        check::timeseries_row(line, &expected, &mean, &q05, &q95)
            .with_context(|| format!("{} is out of range", path.display()))?;
        s.mean.push(mean);
        s.q05.push(q05);
        s.q95.push(q95);
    }
    let rows = summary.steps as usize + 1;
    for s in &series {
        if s.mean.len() != rows {
            bail!("{}: strategy {:?} has {} rows, expected {rows}", path.display(), s.strategy, s.mean.len());
        }
    }
    let baseline = series.remove(0);
    Ok((baseline, series))
}

fn read_degrees(path: &Path) -> anyhow::Result<Vec<DegreeRow>> {
    let mut rdr = open_csv(path)?;
    let mut out = Vec::new();
    for (i, rec) in rdr.deserialize().enumerate() {
        out.push(rec.with_context(|| format!("{}: line {}", path.display(), i + 2))?);
    }
    Ok(out)
}

fn read_budgets(path: &Path) -> anyhow::Result<Vec<BudgetPoint>> {
    let mut rdr = open_csv(path)?;
    let mut out = Vec::new();
    for (i, rec) in rdr.deserialize().enumerate() {
        let b: BudgetPoint = rec.with_context(|| format!("{}: line {}", path.display(), i + 2))?;
        check::budget_row(i as u64 + 2, &b).with_context(|| format!("{} is out of range", path.display()))?;
        out.push(b);
    }
    Ok(out)
}

/// Whether a results folder's `manifest.json` says the run was interrupted
/// (`"complete": false`). A missing or unreadable manifest says nothing.
pub fn manifest_incomplete(dir: &Path) -> bool {
    let Ok(text) = read_text(&dir.join(MANIFEST)) else { return false };
    let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else { return false };
    v.get("complete").and_then(serde_json::Value::as_bool) == Some(false)
}

/// Read a results folder back (everything charts and the report need).
/// `budgets.csv` is optional; every other file of [`RunResults`] must exist.
pub fn read_results(dir: &Path) -> anyhow::Result<RunResults> {
    if !dir.is_dir() {
        bail!("{} is not a results folder", dir.display());
    }
    let sp = dir.join(SUMMARY);
    let summary: SummaryFile =
        serde_json::from_str(&read_text(&sp)?).with_context(|| format!("{} is not a valid summary", sp.display()))?;
    check::summary(&summary).with_context(|| format!("{} is out of range", sp.display()))?;
    let (baseline, series) = read_timeseries(&dir.join(TIMESERIES), &summary, manifest_incomplete(dir))?;
    let degrees = read_degrees(&dir.join(DEGREES))?;
    let bp = dir.join(BUDGETS);
    let budgets = if bp.exists() { read_budgets(&bp)? } else { vec![] };
    let resolved_toml = read_text(&dir.join(RESOLVED))?;
    Ok(RunResults { summary, baseline, series, degrees, budgets, resolved_toml })
}

/// Paths of the contract files in `dir` (for messages and tests).
pub fn contract_paths(dir: &Path) -> Vec<PathBuf> {
    [SUMMARY, TIMESERIES, REPLICATES, SEEDS, DEGREES, RESOLVED, MANIFEST].iter().map(|f| dir.join(f)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::{
        Baseline, Diff, FinalMetrics, FinalStat, Lift, NetworkInfo, PairedDiffs, Stat, StrategySummary,
    };

    fn stat(m: f64) -> Stat {
        Stat { mean: m, sd: 0.1, ci95_low: m - 0.3, ci95_high: m + 1.0 / 3.0 }
    }

    fn fstat(m: f64) -> FinalStat {
        FinalStat { mean: m, sd: 0.1, ci95_low: m - 0.3, ci95_high: m + 1.0 / 3.0, q05: m * 0.5, q50: m, q95: m + 0.7 }
    }

    fn finals(k: f64) -> FinalMetrics {
        FinalMetrics {
            reached: fstat(10.0 * k),
            reached_good: fstat(7.0 * k),
            reached_bad: fstat(3.0 * k),
            acted: fstat(2.5 * k),
            p_bad_exceeds_good: 0.1 * k,
        }
    }

    fn strategy(name: &str, paired: bool) -> StrategySummary {
        let d = Diff { mean: 0.1, ci95_low: -0.2, ci95_high: 0.4, p_value: 0.3, p_adjusted: 0.9, significant: false };
        StrategySummary {
            name: name.into(),
            kind: "random".into(),
            budget: 3.0,
            budget_unit: "people".into(),
            cost: 3.0,
            seeds_vary: paired,
            band: paired.then_some([20, 100]),
            seeds: vec!["a".into(), "7".into()],
            seed_followers: vec![1, 2],
            final_: finals(1.0),
            lift: Lift {
                reached: stat(4.0),
                reached_good: stat(3.0),
                reached_bad: stat(1.0),
                acted: stat(2.5),
                acted_beyond_seeds: stat(0.5),
            },
            action_per_reach: stat(0.25),
            action_per_cost: stat(0.8),
            steps_to_half_reach: stat(2.0),
            paired: paired.then(|| PairedDiffs {
                against: "first".into(),
                reached: d,
                reached_good: d,
                reached_bad: d,
                acted: d,
            }),
        }
    }

    fn sample() -> RunResults {
        let summary = SummaryFile {
            womsim_version: "0.1.0".into(),
            scenario: "t".into(),
            description: "d".into(),
            seed: 7,
            replicates: 3,
            steps: 2,
            model: "relationship_chain".into(),
            network: NetworkInfo { kind: "complete".into(), nodes: 5, edges: 10, directed: false },
            baseline: Baseline { final_: finals(0.5) },
            strategies: vec![strategy("first", false), strategy("second, quoted \"x\"", true)],
        };
        let row = |k: f64| {
            let mut r = [0.0; NUM_METRICS];
            for (m, v) in r.iter_mut().enumerate() {
                *v = k + m as f64 / 3.0;
            }
            r
        };
        let series = summary
            .strategies
            .iter()
            .map(|s| StrategySeries {
                strategy: s.name.clone(),
                mean: (0..3).map(|t| row(t as f64)).collect(),
                q05: (0..3).map(|t| row(t as f64 * 0.9)).collect(),
                q95: (0..3).map(|t| row(t as f64 + 0.1)).collect(),
            })
            .collect();
        RunResults {
            summary,
            baseline: StrategySeries {
                strategy: BASELINE.into(),
                mean: (0..3).map(|t| row(t as f64 / 2.0)).collect(),
                q05: (0..3).map(|t| row(t as f64 / 2.0 * 0.9)).collect(),
                q95: (0..3).map(|t| row(t as f64 / 2.0 + 0.1)).collect(),
            },
            series,
            degrees: vec![DegreeRow { degree: 0, count: 1 }, DegreeRow { degree: 4, count: 4 }],
            budgets: vec![BudgetPoint {
                strategy: "first".into(),
                budget: 5.0,
                cost: 5.5,
                reached_mean: 1.0 / 7.0,
                reached_ci95_low: 0.1,
                reached_ci95_high: 0.2,
                acted_mean: 0.3,
                acted_ci95_low: 0.2,
                acted_ci95_high: 0.4,
                lift_reached_mean: 0.05,
                lift_reached_ci95_low: -0.01,
                lift_reached_ci95_high: 0.11,
                lift_acted_beyond_seeds_mean: 1.0 / 3.0,
                lift_acted_beyond_seeds_ci95_low: 0.25,
                lift_acted_beyond_seeds_ci95_high: 0.5,
            }],
            resolved_toml: "name = \"t\"\n".into(),
        }
    }

    fn write_all(dir: &Path, r: &RunResults) {
        write_summary(dir, &r.summary).unwrap();
        write_timeseries(dir, r.summary.steps, &r.baseline, &r.series).unwrap();
        write_degrees(dir, &r.degrees).unwrap();
        write_budgets(dir, &r.budgets).unwrap();
        write_resolved(dir, &r.resolved_toml).unwrap();
    }

    #[test]
    fn results_round_trip_bit_for_bit() {
        let dir = tempfile::tempdir().unwrap();
        let r = sample();
        write_all(dir.path(), &r);
        let back = read_results(dir.path()).unwrap();
        assert_eq!(back, r);
        // No temporary file is left behind.
        for e in fs::read_dir(dir.path()).unwrap() {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            assert!(!name.starts_with('.'), "left {name}");
        }
    }

    #[test]
    fn budgets_file_is_optional() {
        let dir = tempfile::tempdir().unwrap();
        let mut r = sample();
        r.budgets.clear();
        write_all(dir.path(), &r);
        fs::remove_file(dir.path().join(BUDGETS)).unwrap();
        assert_eq!(read_results(dir.path()).unwrap(), r);
    }

    #[test]
    fn truncated_timeseries_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let r = sample();
        write_all(dir.path(), &r);
        let p = dir.path().join(TIMESERIES);
        let text = fs::read_to_string(&p).unwrap();
        let kept: Vec<&str> = text.lines().collect();
        fs::write(&p, kept[..kept.len() - 1].join("\n") + "\n").unwrap();
        let e = format!("{:#}", read_results(dir.path()).unwrap_err());
        assert!(e.contains("timeseries.csv") && e.contains("rows"), "{e}");
    }

    #[test]
    fn timeseries_starts_with_the_baseline_and_pads_to_the_horizon() {
        let dir = tempfile::tempdir().unwrap();
        let mut r = sample();
        // A series stored up to quiescence (step 1) is written for every step.
        for s in &mut r.series {
            s.mean.truncate(2);
            s.q05.truncate(2);
            s.q95.truncate(2);
        }
        write_timeseries(dir.path(), 2, &r.baseline, &r.series).unwrap();
        let text = fs::read_to_string(dir.path().join(TIMESERIES)).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[1].starts_with("(no campaign),0,"), "{text}");
        assert_eq!(lines.len(), 1 + 3 * 3);
        let tail = |l: &str| l.split_once(',').unwrap().1.split_once(',').unwrap().1.to_string();
        assert_eq!(tail(lines[6]), tail(lines[5]), "step 2 repeats step 1");
    }

    #[test]
    fn a_strategy_not_yet_in_the_summary_is_skipped() {
        // summary.json is written last: a run stopped between the renames
        // leaves a series that the index does not list yet.
        let dir = tempfile::tempdir().unwrap();
        let mut r = sample();
        write_all(dir.path(), &r);
        r.summary.strategies.pop();
        r.series.pop();
        write_summary(dir.path(), &r.summary).unwrap();
        // Refused in a folder that does not say it was interrupted ...
        let e = format!("{:#}", read_results(dir.path()).unwrap_err());
        assert!(e.contains("line 8: strategy \"second, quoted \\\"x\\\"\" is not listed in summary.json"), "{e}");
        fs::write(dir.path().join(MANIFEST), "{\"complete\": true}").unwrap();
        assert!(read_results(dir.path()).is_err());
        // ... skipped in one that does.
        fs::write(dir.path().join(MANIFEST), "{\"complete\": false}").unwrap();
        assert_eq!(read_results(dir.path()).unwrap(), r);
    }

    #[test]
    fn timeseries_header_follows_metric_order() {
        let h = timeseries_header();
        assert_eq!(h.len(), 2 + 3 * NUM_METRICS);
        assert_eq!(&h[..5], &["strategy", "step", "reached_mean", "reached_q05", "reached_q95"]);
        assert_eq!(h.last().unwrap(), "new_messages_bad_q95");
    }

    #[test]
    fn replicates_csv_has_one_row_per_replicate() {
        let dir = tempfile::tempdir().unwrap();
        let mut row = [0.0; NUM_METRICS];
        row[Metric::Acted.idx()] = 4.0;
        row[Metric::NetSentiment.idx()] = 0.5;
        write_replicates(dir.path(), &[ReplicateFinals { strategy: "s".into(), finals: vec![row, row] }]).unwrap();
        let text = fs::read_to_string(dir.path().join(REPLICATES)).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "strategy,replicate,reached,reached_good,reached_bad,acted,talkers,friends,ambassadors,messages_good,messages_bad"
        );
        assert_eq!(lines[2], "s,1,0,0,0,4,0,0,0,0,0");
        assert_eq!(lines.len(), 3);
    }

    #[test]
    fn atomic_write_replaces_existing_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.txt");
        atomic_write(&p, b"old").unwrap();
        atomic_write(&p, b"new").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"new");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn sha256_of_known_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("abc");
        fs::write(&p, b"abc").unwrap();
        assert_eq!(sha256_file(&p).unwrap(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
