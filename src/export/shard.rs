//! A shard's partial results folder (`womsim run --shard K/N`): what a merge
//! needs to rebuild exactly the results of the unsharded run.
//!
//! Files: `shard.json` ([`ShardManifest`]: which run, which shard, complete
//! or not), `scenario.resolved.toml` (the run's scenario, which the merge
//! re-plans), `trajectories.csv` (`part,replicate,step,<metric>…`: every
//! stored row of every replicate of the shard, `part` = `baseline` or the
//! cell's index; floats in shortest round-trip form, so they read back
//! bit for bit) and `seeds_acted.csv` (`cell,replicate,count`: how many of
//! a cell's seeds acted in the baseline). The folder is written like a
//! results folder: each file atomically, the manifest last says complete.
//!
//! **Read-back checks** (`womsim merge`; a shard may have been edited or
//! damaged in transit): the manifest's `scenario_sha256` must be the digest
//! of `scenario.resolved.toml` and its `data_sha256` the digests of the two
//! data files, so any edit is refused naming the file; and before that,
//! every value is range-checked as it is read, naming file and line:
//! people counts are whole numbers in [0, `nodes`], message counts whole
//! numbers in [0, 2^53], net sentiment in [-1, 1], rows in the order the
//! writer wrote them (so memory grows only with the file, never with a
//! count claimed by the manifest).

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use anyhow::{bail, Context};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{atomic_write, csv_bytes, hex, num, parse_f64, read_text, RESOLVED};
use crate::metrics::{Metric, Row, Trajectory, NUM_METRICS};
use crate::pipeline::ShardData;

/// `shard.json`
pub const SHARD_MANIFEST: &str = "shard.json";
/// `trajectories.csv`
pub const TRAJECTORIES: &str = "trajectories.csv";
/// `seeds_acted.csv`
pub const SEEDS_ACTED: &str = "seeds_acted.csv";

/// `shard.json`: which run a partial folder belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShardManifest {
    pub womsim_version: String,
    /// SHA-256 of `scenario.resolved.toml` (what ran, overrides included).
    pub scenario_sha256: String,
    pub scenario: String,
    pub seed: u64,
    pub replicates: u32,
    pub steps: u32,
    /// `[k, n]`: shard k (1-based) of n.
    pub shard: [u32; 2],
    /// Cells of the run (strategies and budget points).
    pub cells: usize,
    /// Nodes of the network (0 in a sweep's top-level manifest: each point's
    /// folder has its own).
    pub nodes: u64,
    /// Lower-case hex SHA-256 of each data file (`trajectories.csv`,
    /// `seeds_acted.csv`) as written; empty in a sweep's top-level manifest.
    pub data_sha256: BTreeMap<String, String>,
    /// False until every file is written.
    pub complete: bool,
}

/// Most replicates a shard manifest may claim (the scenario schema's maximum).
const MAX_REPLICATES: u32 = 1_000_000;

/// Largest exactly representable whole number of an `f64`: the bound on a
/// message count read back.
const MAX_EXACT: f64 = 9_007_199_254_740_992.0;

/// Check one trajectory row read back from `file` (line `line`).
fn check_row(file: &str, line: u64, row: &Row, nodes: u64) -> anyhow::Result<()> {
    for (m, &x) in Metric::ALL.iter().zip(row) {
        let (lo, hi, what) = match m {
            Metric::NetSentiment => (-1.0, 1.0, "a share in [-1, 1]"),
            Metric::MessagesGood | Metric::MessagesBad | Metric::NewMessagesGood | Metric::NewMessagesBad => {
                (0.0, MAX_EXACT, "a whole number of messages")
            }
            _ => (0.0, nodes as f64, "a whole number of people within the network's nodes"),
        };
        let whole = *m == Metric::NetSentiment || x.fract() == 0.0;
        if !(x.is_finite() && whole && lo <= x && x <= hi) {
            bail!("{file}: line {line}: column {}: {x} is not {what} [{lo}, {hi}]", m.name());
        }
    }
    Ok(())
}

/// A reader that hashes what passes through it.
struct Hashing<R> {
    inner: R,
    hash: Sha256,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let k = self.inner.read(buf)?;
        self.hash.update(&buf[..k]);
        Ok(k)
    }
}

/// A CSV reader of `path` (bounded, regular files only) that hashes the bytes.
fn open_hashed(path: &Path) -> anyhow::Result<csv::Reader<Hashing<crate::inputs::Bounded<std::fs::File>>>> {
    let f = crate::inputs::open_bounded(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(csv::Reader::from_reader(Hashing { inner: f, hash: Sha256::new() }))
}

/// Compare the digest of what `rdr` read (to its end) with the manifest's.
fn verify_digest<R: Read>(
    rdr: csv::Reader<Hashing<R>>,
    path: &Path,
    name: &str,
    m: &ShardManifest,
) -> anyhow::Result<()> {
    let got = hex(&rdr.into_inner().hash.finalize());
    match m.data_sha256.get(name) {
        Some(want) if *want == got => Ok(()),
        Some(_) => bail!(
            "{}: its SHA-256 differs from the one in {SHARD_MANIFEST}: the file was changed after the shard wrote \
             it; run the shard again",
            path.display()
        ),
        None => bail!("{SHARD_MANIFEST} has no digest of {name}"),
    }
}

/// Write the manifest (atomically).
pub fn write_manifest(dir: &Path, m: &ShardManifest) -> anyhow::Result<()> {
    atomic_write(&dir.join(SHARD_MANIFEST), &serde_json::to_vec_pretty(m)?)
}

/// Write a shard's data files (the manifest is written by the caller, last);
/// returns their digests for the manifest's `data_sha256`.
pub fn write_data(dir: &Path, data: &ShardData) -> anyhow::Result<BTreeMap<String, String>> {
    let mut digests = BTreeMap::new();
    let mut write = |name: &str, bytes: Vec<u8>| -> anyhow::Result<()> {
        digests.insert(name.to_string(), hex(&Sha256::digest(&bytes)));
        atomic_write(&dir.join(name), &bytes)
    };
    let mut header = vec!["part".to_string(), "replicate".to_string(), "step".to_string()];
    header.extend(Metric::ALL.iter().map(|m| m.name().to_string()));
    let parts = std::iter::once(("baseline".to_string(), &data.baseline))
        .chain(data.cells.iter().enumerate().map(|(c, t)| (c.to_string(), t)));
    let rows = parts.flat_map(|(part, trajs)| {
        trajs.iter().zip(&data.replicates).flat_map(move |(t, r)| {
            let part = part.clone();
            t.stored().iter().enumerate().map(move |(step, row)| {
                let mut v = vec![part.clone(), r.to_string(), step.to_string()];
                v.extend(row.iter().map(|&x| num(x)));
                v
            })
        })
    });
    write(TRAJECTORIES, csv_bytes(&header, rows)?)?;
    let header = ["cell", "replicate", "count"].map(String::from);
    let rows = data.seeds_acted.iter().enumerate().flat_map(|(c, counts)| {
        counts.iter().zip(&data.replicates).map(move |(k, r)| vec![c.to_string(), r.to_string(), k.to_string()])
    });
    write(SEEDS_ACTED, csv_bytes(&header, rows)?)?;
    Ok(digests)
}

/// A partial folder read back: its manifest, the run's scenario text and
/// its data.
pub struct Partial {
    pub manifest: ShardManifest,
    pub resolved_toml: String,
    pub data: ShardData,
}

/// Read a partial folder, checking it is one and is complete.
pub fn read(dir: &Path) -> anyhow::Result<Partial> {
    let mp = dir.join(SHARD_MANIFEST);
    if !mp.is_file() {
        bail!("{} is not a shard's folder (no {SHARD_MANIFEST})", dir.display());
    }
    let manifest: ShardManifest = serde_json::from_str(&read_text(&mp)?)
        .with_context(|| format!("{} is not a valid shard manifest", mp.display()))?;
    if !manifest.complete {
        bail!(
            "{}: shard {}/{} was interrupted (its manifest says incomplete); run it again",
            dir.display(),
            manifest.shard[0],
            manifest.shard[1]
        );
    }
    let resolved_toml = read_text(&dir.join(RESOLVED))?;
    if hex(&Sha256::digest(resolved_toml.as_bytes())) != manifest.scenario_sha256 {
        bail!(
            "{}: its SHA-256 differs from the scenario_sha256 in {}: the file was changed after the shard wrote it",
            dir.join(RESOLVED).display(),
            mp.display()
        );
    }
    let [k, n] = manifest.shard;
    if manifest.replicates == 0 || manifest.replicates > MAX_REPLICATES || k == 0 || k > n || n > manifest.replicates {
        bail!(
            "{}: shard {k}/{n} of {} replicates is impossible (1 <= k <= n <= replicates <= {MAX_REPLICATES})",
            mp.display(),
            manifest.replicates
        );
    }
    let reps = crate::pipeline::shard_replicates(manifest.replicates, k, n);
    let cells = manifest.cells;
    let tp = dir.join(TRAJECTORIES);
    let tname = format!("{}", tp.display());
    // Parts in order (baseline, then cells 0, 1, …), each with the shard's
    // replicates in order, each with its steps from 0: the writer's order.
    let mut rows: Vec<Vec<Vec<Row>>> = Vec::new();
    let mut rdr = open_hashed(&tp)?;
    let mut header = vec!["part".to_string(), "replicate".to_string(), "step".to_string()];
    header.extend(Metric::ALL.iter().map(|m| m.name().to_string()));
    if rdr.headers().with_context(|| format!("{tname}: line 1"))? != header.as_slice() {
        bail!("{tname}: line 1: expected the header {}", header.join(","));
    }
    for (i, rec) in rdr.records().enumerate() {
        let line = i as u64 + 2;
        let rec = rec.with_context(|| format!("{tname}: line {line}"))?;
        if rec.len() != 3 + NUM_METRICS {
            bail!("{tname}: line {line}: expected {} columns", 3 + NUM_METRICS);
        }
        let part = match &rec[0] {
            "baseline" => 0,
            c => match c.parse::<usize>() {
                Ok(c) if c < cells => c + 1,
                _ => bail!("{tname}: line {line}: unknown part {c:?}"),
            },
        };
        let r: u32 = rec[1].parse().with_context(|| format!("{tname}: line {line}: bad replicate"))?;
        let Some(slot) = reps.binary_search(&r).ok() else {
            bail!("{tname}: line {line}: replicate {r} is not in this shard")
        };
        let step: usize = rec[2].parse().with_context(|| format!("{tname}: line {line}: bad step"))?;
        // Where the writer would be: the current part and replicate, or the
        // next replicate (step 0), or the next part (its first replicate).
        let filled = rows.last().map_or(0, Vec::len);
        let here = rows.len().checked_sub(1);
        let next_part = rows.len();
        let order_ok = if Some(part) == here && slot + 1 == filled {
            step == rows[part][slot].len() && step <= manifest.steps as usize
        } else if Some(part) == here && slot == filled {
            step == 0
        } else {
            part == next_part && (next_part == 0 || filled == reps.len()) && slot == 0 && step == 0
        };
        if !order_ok {
            bail!("{tname}: line {line}: part {part}, replicate {r}, step {step} is out of order or beyond the run's steps");
        }
        let mut row = [0.0; NUM_METRICS];
        for (m, x) in row.iter_mut().enumerate() {
            *x = parse_f64(&tp, line, Metric::ALL[m].name(), &rec[3 + m])?;
        }
        check_row(&tname, line, &row, manifest.nodes)?;
        if part == next_part {
            rows.push(Vec::new());
        }
        let per_rep = &mut rows[part];
        if slot == per_rep.len() {
            per_rep.push(Vec::new());
        }
        per_rep[slot].push(row);
    }
    if rows.len() != cells + 1 || rows.last().map_or(0, Vec::len) != reps.len() {
        bail!(
            "{tname}: {} of {} parts, the last with {} of {} replicates: the file is incomplete",
            rows.len(),
            cells + 1,
            rows.last().map_or(0, Vec::len),
            reps.len()
        );
    }
    verify_digest(rdr, &tp, TRAJECTORIES, &manifest)?;
    let trajs: Vec<Vec<Trajectory>> = rows
        .into_iter()
        .map(|per_rep| per_rep.into_iter().map(|stored| Trajectory::from_rows(manifest.steps, stored)).collect())
        .collect();
    let sp = dir.join(SEEDS_ACTED);
    // (Allocated only now: `cells` parts were in the file.)
    let mut seeds_acted = vec![vec![None::<u32>; reps.len()]; cells];
    let mut rdr = open_hashed(&sp)?;
    for (i, rec) in rdr.records().enumerate() {
        let line = i as u64 + 2;
        let rec = rec.with_context(|| format!("{}: line {line}", sp.display()))?;
        let parsed = (rec.get(0).and_then(|c| c.parse::<usize>().ok()), rec.get(1).and_then(|r| r.parse::<u32>().ok()));
        let (Some(c), Some(r)) = parsed else { bail!("{}: line {line}: expected cell,replicate,count", sp.display()) };
        let (Some(slot), true) = (reps.binary_search(&r).ok(), c < cells) else {
            bail!("{}: line {line}: cell {c} / replicate {r} is not in this shard", sp.display())
        };
        let count: u32 = rec
            .get(2)
            .and_then(|k| k.parse().ok())
            .filter(|&k| u64::from(k) <= manifest.nodes)
            .with_context(|| format!("{}: line {line}: the count is not a whole number in [0, nodes]", sp.display()))?;
        if seeds_acted[c][slot].replace(count).is_some() {
            bail!("{}: line {line}: cell {c} / replicate {r} is given twice", sp.display());
        }
    }
    verify_digest(rdr, &sp, SEEDS_ACTED, &manifest)?;
    let seeds_acted = seeds_acted
        .into_iter()
        .map(|v| v.into_iter().collect::<Option<Vec<u32>>>())
        .collect::<Option<Vec<_>>>()
        .with_context(|| format!("{}: a cell / replicate has no count", sp.display()))?;
    let mut trajs = trajs.into_iter();
    let baseline = trajs.next().expect("the baseline part");
    let data = ShardData { k, n, replicates: reps, baseline, seeds_acted, cells: trajs.collect() };
    Ok(Partial { manifest, resolved_toml, data })
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    #[test]
    fn a_shard_round_trips_bit_for_bit() {
        let traj = |k: f64, len: usize| {
            // Whole counts, and a sentiment that needs every bit to round-trip.
            let sentiment = Metric::NetSentiment.idx();
            let rows: Vec<Row> = (0..len)
                .map(|t| std::array::from_fn(|m| if m == sentiment { k / 30.0 } else { k + (t * m) as f64 }))
                .collect();
            Trajectory::from_rows(5, rows)
        };
        let data = ShardData {
            k: 2,
            n: 3,
            replicates: vec![1, 4],
            baseline: vec![traj(1.0, 2), traj(2.0, 6)],
            seeds_acted: vec![vec![0, 3]],
            cells: vec![vec![traj(7.0, 3), traj(8.0, 1)]],
        };
        let d = tempfile::tempdir().unwrap();
        let digests = write_data(d.path(), &data).unwrap();
        fs::write(d.path().join(RESOLVED), "name = \"x\"\n").unwrap();
        let mut m = ShardManifest {
            womsim_version: "0".into(),
            scenario_sha256: hex(&Sha256::digest(b"name = \"x\"\n")),
            scenario: "x".into(),
            seed: 1,
            replicates: 6,
            steps: 5,
            shard: [2, 3],
            cells: 1,
            nodes: 100,
            data_sha256: Default::default(),
            complete: false,
        };
        write_manifest(d.path(), &m).unwrap();
        assert!(read(d.path()).err().unwrap().to_string().contains("interrupted"));
        m.complete = true;
        write_manifest(d.path(), &m).unwrap();
        assert!(read(d.path()).err().unwrap().to_string().contains("no digest of trajectories.csv"));
        m.data_sha256 = digests;
        write_manifest(d.path(), &m).unwrap();
        let back = read(d.path()).unwrap();
        assert_eq!(back.data, data);
        assert_eq!(back.manifest, m);
        // Edits of a value: out of range, named by line; in range, refused
        // by the digest; rows out of the writer's order, named by line.
        let tp = d.path().join(TRAJECTORIES);
        let good = fs::read_to_string(&tp).unwrap();
        let edit = |line: usize, col: usize, v: &str| {
            let mut lines: Vec<String> = good.lines().map(String::from).collect();
            let mut f: Vec<&str> = lines[line - 1].split(',').collect();
            f[col] = v;
            lines[line - 1] = f.join(",");
            fs::write(&tp, lines.join("\n") + "\n").unwrap();
            format!("{:#}", read(d.path()).err().expect("refused"))
        };
        let reached = 3 + Metric::Reached.idx();
        for bad in ["1e308", "18446744073709551616", "NaN", "-1", "2.5", "101"] {
            let e = edit(3, reached, bad);
            assert!(e.contains("trajectories.csv: line 3: column reached:"), "{bad}: {e}");
        }
        let e = edit(3, 3 + Metric::NetSentiment.idx(), "1.5");
        assert!(e.contains("line 3: column net_sentiment"), "{e}");
        let e = edit(3, 3 + Metric::MessagesGood.idx(), "1e300");
        assert!(e.contains("line 3: column messages_good"), "{e}");
        let e = edit(3, reached, "2");
        assert!(e.contains("SHA-256 differs") && e.contains("trajectories.csv"), "{e}");
        let e = edit(3, 2, "0");
        assert!(e.contains("line 3: part 0, replicate 1, step 0 is out of order"), "{e}");
        fs::write(&tp, &good).unwrap();
        let sp = d.path().join(SEEDS_ACTED);
        let seeds = fs::read_to_string(&sp).unwrap();
        fs::write(&sp, seeds.replace("0,4,3", "0,4,4")).unwrap();
        assert!(format!("{:#}", read(d.path()).err().unwrap()).contains("seeds_acted.csv: its SHA-256 differs"));
        fs::write(&sp, seeds.replace("0,4,3", "0,4,101")).unwrap();
        assert!(format!("{:#}", read(d.path()).err().unwrap()).contains("seeds_acted.csv: line 3: the count"));
        fs::write(&sp, &seeds).unwrap();
        fs::write(d.path().join(RESOLVED), "name = \"y\"\n").unwrap();
        assert!(format!("{:#}", read(d.path()).err().unwrap()).contains("scenario.resolved.toml: its SHA-256 differs"));
    }
}
