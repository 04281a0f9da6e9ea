//! `womsim compare DIR... --out DIR`: several results folders side by side in
//! one report (`compare.html`) and one CSV (`compare.csv`). Each strategy
//! (by name) and the no-campaign world get a row; every folder after the
//! first gets the difference from the first in final reach and action:
//! *paired*, replicate by replicate from `replicates.csv`, when the two runs
//! share seed, network and replicate count (their replicate r faced the same
//! random numbers); otherwise the plain (Welch) 95% CI of the difference of
//! two independent means.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context;
use womsim::charts::style::fmt_num;
use womsim::export;
use womsim::report::escape;
use womsim::results::{FinalStat, RunResults};
use womsim::stats;

use super::{invalid, CliError};

/// Output files of `compare`.
pub const COMPARE_HTML: &str = "compare.html";
pub const COMPARE_CSV: &str = "compare.csv";

/// One results folder, read and range-checked, with its per-replicate final
/// reach and action by strategy (from `replicates.csv`).
struct Folder {
    dir: PathBuf,
    results: RunResults,
    finals: BTreeMap<String, (Vec<f64>, Vec<f64>)>,
}

fn read_folder(dir: &Path) -> anyhow::Result<Folder> {
    let results = export::read_results(dir)?;
    let p = dir.join(export::REPLICATES);
    let mut finals: BTreeMap<String, (Vec<f64>, Vec<f64>)> = BTreeMap::new();
    let mut rdr = export::open_csv(&p)?;
    let head = rdr.headers().with_context(|| format!("{}: line 1", p.display()))?.clone();
    let col =
        |name: &str| head.iter().position(|h| h == name).with_context(|| format!("{}: no column {name}", p.display()));
    let (cs, cr, ca) = (col("strategy")?, col("reached")?, col("acted")?);
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.with_context(|| format!("{}: line {}", p.display(), i + 2))?;
        let num = |c: usize| -> anyhow::Result<f64> {
            let v: f64 = rec[c].parse().with_context(|| format!("{}: line {}: not a number", p.display(), i + 2))?;
            anyhow::ensure!(v.is_finite() && v >= 0.0, "{}: line {}: {v} is not a count", p.display(), i + 2);
            Ok(v)
        };
        let e = finals.entry(rec[cs].to_string()).or_default();
        e.0.push(num(cr)?);
        e.1.push(num(ca)?);
    }
    Ok(Folder { dir: dir.to_path_buf(), results, finals })
}

/// Whether replicate r of `a` and of `b` faced the same random numbers.
fn paired(a: &Folder, b: &Folder) -> bool {
    let (x, y) = (&a.results.summary, &b.results.summary);
    x.seed == y.seed && x.network == y.network && x.replicates == y.replicates
}

/// Difference `b − a` of one metric: `(mean, low, high, "paired"|"unpaired")`.
fn difference(
    a: &Folder,
    b: &Folder,
    name: &str,
    fa: &FinalStat,
    fb: &FinalStat,
    metric: usize,
) -> (f64, f64, f64, &'static str) {
    let pick = |f: &Folder| f.finals.get(name).map(|v| if metric == 0 { v.0.clone() } else { v.1.clone() });
    if paired(a, b) {
        if let (Some(xa), Some(xb)) = (pick(a), pick(b)) {
            if xa.len() == xb.len() && !xa.is_empty() {
                let d = stats::paired_diff(&xb, &xa);
                return (d.mean, d.ci95_low, d.ci95_high, "paired");
            }
        }
    }
    // Welch: independent means.
    let (na, nb) = (f64::from(a.results.summary.replicates), f64::from(b.results.summary.replicates));
    let (va, vb) = (fa.sd * fa.sd / na, fb.sd * fb.sd / nb);
    let se = (va + vb).sqrt();
    let df = if se > 0.0 {
        ((va + vb).powi(2) / (va * va / (na - 1.0).max(1.0) + vb * vb / (nb - 1.0).max(1.0))).floor().max(1.0)
    } else {
        1.0
    };
    let half = stats::t975(df as usize) * se;
    let m = fb.mean - fa.mean;
    (m, m - half, m + half, "unpaired")
}

/// `womsim compare`: read every folder (range-checked), write `compare.html`
/// and `compare.csv` into `out`.
pub fn compare(dirs: &[PathBuf], out: &Path) -> Result<(), CliError> {
    if dirs.len() < 2 {
        return Err(invalid(anyhow::anyhow!("compare needs at least two results folders")));
    }
    let mut folders = Vec::new();
    for d in dirs {
        folders.push(
            read_folder(d)
                .with_context(|| format!("cannot read the results folder {}", d.display()))
                .map_err(invalid)?,
        );
    }
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    // Rows: the no-campaign world, then every strategy name in first-seen order.
    let mut names: Vec<String> = vec![womsim::pipeline::BASELINE.to_string()];
    for f in &folders {
        for st in &f.results.summary.strategies {
            if !names.contains(&st.name) {
                names.push(st.name.clone());
            }
        }
    }
    let finals = |f: &Folder, name: &str| -> Option<(FinalStat, FinalStat)> {
        let s = &f.results.summary;
        if name == womsim::pipeline::BASELINE {
            return Some((s.baseline.final_.reached, s.baseline.final_.acted));
        }
        s.strategies.iter().find(|st| st.name == name).map(|st| (st.final_.reached, st.final_.acted))
    };
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.write_record([
        "strategy",
        "folder",
        "scenario",
        "metric",
        "mean",
        "ci95_low",
        "ci95_high",
        "diff_vs_first",
        "diff_ci95_low",
        "diff_ci95_high",
        "diff_kind",
    ])
    .context("writing compare.csv")?;
    let mut h = String::new();
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>womsim comparison</title>\n<style>\nbody { font: 16px/1.5 \"DejaVu Sans\", Helvetica, Arial, sans-serif; color: #222; margin: 0; }\nmain { max-width: 1180px; margin: 0 auto; padding: 32px 28px; }\n.table-wrap { max-width: 100%; overflow-x: auto; }\ntable { border-collapse: collapse; min-width: 100%; font-size: .92em; }\nth, td { padding: 6px 8px; border-bottom: 1px solid #e3e3e3; text-align: right; }\nth:first-child, td:first-child { text-align: left; }\nth { background: #f4f4f4; white-space: nowrap; }\n.ci { color: #666; font-size: .88em; }\nh1, td, li { overflow-wrap: anywhere; }\n</style>\n</head>\n<body>\n<main>\n<h1>Results side by side</h1>\n<ol>\n");
    for f in &folders {
        let s = &f.results.summary;
        let _ = writeln!(
            h,
            "<li><strong>{}</strong> — {} · {} · {} replicates · seed {} <span class=\"ci\">({})</span></li>",
            escape(&s.scenario),
            escape(&womsim::charts::model_words(&s.model)),
            escape(&womsim::charts::network_words(&s.network)),
            s.replicates,
            s.seed,
            escape(&f.dir.display().to_string())
        );
    }
    h.push_str(
        "</ol>\n<p>Final reach and action (mean ± 95% CI half-width) in each folder; Δ is the difference from the \
                first folder with its 95% CI — <em>paired</em> (replicate by replicate) where the runs share seed, \
                network and replicates, otherwise the plain CI of two independent means.</p>\n",
    );
    for (metric, label) in [(0usize, "Final reach"), (1, "Final action")] {
        let _ = write!(h, "<h2>{label}</h2>\n<div class=\"table-wrap\"><table>\n<thead><tr><th>Strategy</th>");
        for (k, f) in folders.iter().enumerate() {
            let _ = write!(h, "<th>{}. {}</th>", k + 1, escape(&f.results.summary.scenario));
            if k > 0 {
                let _ = write!(h, "<th>Δ {} − 1</th>", k + 1);
            }
        }
        h.push_str("</tr></thead>\n<tbody>\n");
        for name in &names {
            let _ = write!(h, "<tr><td>{}</td>", escape(name));
            let first = finals(&folders[0], name);
            for (k, f) in folders.iter().enumerate() {
                let Some(fs) = finals(f, name) else {
                    h.push_str(if k > 0 { "<td>—</td><td>—</td>" } else { "<td>—</td>" });
                    continue;
                };
                let v = if metric == 0 { fs.0 } else { fs.1 };
                let _ = write!(h, "<td>{} ± {}</td>", fmt_num(v.mean, 1), fmt_num((v.ci95_high - v.ci95_low) / 2.0, 1));
                let mut row = vec![
                    name.clone(),
                    f.dir.display().to_string(),
                    f.results.summary.scenario.clone(),
                    if metric == 0 { "final.reached" } else { "final.acted" }.to_string(),
                    v.mean.to_string(),
                    v.ci95_low.to_string(),
                    v.ci95_high.to_string(),
                ];
                if k > 0 {
                    match first {
                        Some(f0) => {
                            let v0 = if metric == 0 { f0.0 } else { f0.1 };
                            let (m, lo, hi, kind) = difference(&folders[0], f, name, &v0, &v, metric);
                            let _ = write!(
                                h,
                                "<td>{}{} <span class=\"ci\">[{}, {}] {kind}</span></td>",
                                if m > 0.0 { "+" } else { "" },
                                fmt_num(m, 1),
                                fmt_num(lo, 1),
                                fmt_num(hi, 1)
                            );
                            row.extend([m.to_string(), lo.to_string(), hi.to_string(), kind.to_string()]);
                        }
                        None => {
                            h.push_str("<td>—</td>");
                            row.extend([String::new(), String::new(), String::new(), String::new()]);
                        }
                    }
                } else {
                    row.extend([String::new(), String::new(), String::new(), String::new()]);
                }
                csv.write_record(&row).context("writing compare.csv")?;
            }
            h.push_str("</tr>\n");
        }
        h.push_str("</tbody>\n</table></div>\n");
    }
    h.push_str("</main>\n</body>\n</html>\n");
    export::atomic_write(&out.join(COMPARE_HTML), h.as_bytes())?;
    let bytes = csv.into_inner().map_err(|e| anyhow::anyhow!("writing compare.csv: {e}"))?;
    export::atomic_write(&out.join(COMPARE_CSV), &bytes)?;
    println!("{}", out.join(COMPARE_HTML).display());
    println!("{}", out.join(COMPARE_CSV).display());
    Ok(())
}
