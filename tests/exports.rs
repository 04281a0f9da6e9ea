//! Scriptable results (issue 17 item 3) and untrusted results folders
//! (issue 14 item 5): the exports read back with the csv/serde crates agree
//! with summary.json; `plot` range-checks what it reads, never inlines a file
//! it finds in charts/, bounds names and escapes control characters.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use womsim::export::formats::{TableJson, TableRow, TidyRow};
use womsim::results::SummaryFile;

fn womsim() -> Command {
    Command::new(env!("CARGO_BIN_EXE_womsim"))
}

fn scenario() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/karate_ic.toml")
}

/// A small run of the karate scenario into `dir/out`, with every export.
fn run_with_exports(dir: &Path) -> PathBuf {
    let out = dir.join("out");
    let o = womsim()
        .args(["run", scenario().to_str().unwrap(), "--replicates", "40", "--quiet", "--out"])
        .arg(&out)
        .arg("--export-json")
        .arg(dir.join("t.json"))
        .arg("--export-csv")
        .arg(dir.join("t.csv"))
        .arg("--export-markdown")
        .arg(dir.join("t.md"))
        .output()
        .unwrap();
    assert!(o.status.success(), "run failed: {}", String::from_utf8_lossy(&o.stderr));
    out
}

fn summary(out: &Path) -> SummaryFile {
    serde_json::from_str(&fs::read_to_string(out.join("summary.json")).unwrap()).unwrap()
}

#[test]
fn exports_round_trip_against_summary_json() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run_with_exports(tmp.path());
    let s = summary(&out);

    let json: TableJson = serde_json::from_str(&fs::read_to_string(tmp.path().join("t.json")).unwrap()).unwrap();
    assert_eq!(json.runs.len(), 1);
    assert_eq!(json.runs[0].scenario, s.scenario);
    let rows: Vec<TableRow> =
        csv::Reader::from_path(tmp.path().join("t.csv")).unwrap().deserialize().map(Result::unwrap).collect();
    for table in [&json.runs[0].strategies, &rows] {
        assert_eq!(table.len(), s.strategies.len());
        for (row, st) in table.iter().zip(&s.strategies) {
            assert_eq!(row.strategy, st.name);
            assert_eq!(row.seeds, st.seeds.len());
            assert_eq!(row.extra_reach_mean, st.lift.reached.mean);
            assert_eq!(row.extra_reach_ci95_low, st.lift.reached.ci95_low);
            assert_eq!(row.action_caused_mean, st.lift.acted_beyond_seeds.mean);
            assert_eq!(row.reach_ci95_high, st.final_.reached.ci95_high);
            assert_eq!(row.action_per_cost_mean, st.action_per_cost.mean);
            assert_eq!(row.diff_reach_mean, st.paired.as_ref().map(|p| p.reached.mean));
            assert_eq!(row.diff_action_significant, st.paired.as_ref().map(|p| p.acted.significant));
        }
    }
    let md = fs::read_to_string(tmp.path().join("t.md")).unwrap();
    assert!(md.contains("| strategy |") && md.contains("|:--|"));
    for st in &s.strategies {
        assert!(md.contains(&format!("| {} |", st.name)), "markdown lacks {}", st.name);
    }

    // The tidy table: one row per strategy × metric, values as in summary.json.
    let tidy: Vec<TidyRow> =
        csv::Reader::from_path(out.join("results.csv")).unwrap().deserialize().map(Result::unwrap).collect();
    assert!(tidy.iter().all(|r| r.scenario == s.scenario && r.replicates == s.replicates && r.nodes == 34));
    for st in &s.strategies {
        let get = |m: &str| tidy.iter().find(|r| r.strategy == st.name && r.metric == m).unwrap();
        let r = get("final.reached");
        assert_eq!(
            (r.mean, r.q05, r.q95),
            (st.final_.reached.mean, Some(st.final_.reached.q05), Some(st.final_.reached.q95))
        );
        let l = get("lift.acted_beyond_seeds");
        assert_eq!(
            (l.mean, l.sd, l.ci95_low),
            (st.lift.acted_beyond_seeds.mean, Some(st.lift.acted_beyond_seeds.sd), st.lift.acted_beyond_seeds.ci95_low)
        );
        assert_eq!(get("action_per_cost").mean, st.action_per_cost.mean);
    }
    assert!(tidy.iter().any(|r| r.strategy == "(no campaign)" && r.metric == "final.reached"));

    // `plot` writes the same results.csv again from the folder.
    let before = fs::read(out.join("results.csv")).unwrap();
    fs::remove_file(out.join("results.csv")).unwrap();
    womsim().arg("plot").arg(&out).assert().success();
    assert_eq!(fs::read(out.join("results.csv")).unwrap(), before);
}

/// A fresh small results folder to tamper with.
fn folder() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = womsim()
        .args(["run", scenario().to_str().unwrap(), "--replicates", "20", "--quiet", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    (tmp, out)
}

fn plot(out: &Path) -> std::process::Output {
    womsim().arg("plot").arg(out).output().unwrap()
}

fn edit_summary(out: &Path, f: impl FnOnce(&mut Value)) {
    let p = out.join("summary.json");
    let mut v: Value = serde_json::from_str(&fs::read_to_string(&p).unwrap()).unwrap();
    f(&mut v);
    fs::write(&p, serde_json::to_string_pretty(&v).unwrap()).unwrap();
}

#[test]
fn plot_never_inlines_a_planted_chart() {
    let (_tmp, out) = folder();
    fs::write(out.join("charts/reach.svg"), r#"<svg viewBox="0 0 10 10"><script>alert(1)</script></svg>"#).unwrap();
    fs::write(out.join("charts/budget.svg"), r#"<svg viewBox="0 0 10 10"><script>alert(2)</script></svg>"#).unwrap();
    assert!(plot(&out).status.success());
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(!html.contains("<script"), "a planted script reached the report");
    // The stale chart that no longer applies (no budget sweep) is removed.
    assert!(!out.join("charts/budget.svg").exists());
}

/// An edit of a results folder.
type Tamper = Box<dyn Fn(&Path)>;

/// Set cell `col` of line index `line` (0 = header) of timeseries.csv.
fn tamper_timeseries(out: &Path, line: usize, col: usize, value: &str) {
    let p = out.join("timeseries.csv");
    let text = fs::read_to_string(&p).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut cells: Vec<&str> = lines[line].split(',').collect();
    cells[col] = value;
    lines[line] = cells.join(",");
    fs::write(&p, lines.join("\n") + "\n").unwrap();
}

#[test]
fn plot_range_checks_what_it_reads() {
    let cases: Vec<(&str, Tamper)> = vec![
        (
            "ci95_low",
            Box::new(|out| edit_summary(out, |v| v["strategies"][1]["lift"]["reached"]["ci95_low"] = 1e9.into())),
        ),
        (
            "negative",
            Box::new(|out| edit_summary(out, |v| v["strategies"][0]["final"]["acted"]["q05"] = (-3.0).into())),
        ),
        ("q50", Box::new(|out| edit_summary(out, |v| v["baseline"]["final"]["reached"]["q50"] = 1e6.into()))),
        ("timeseries.csv: line 2", Box::new(|out| tamper_timeseries(out, 1, 2, "NaN"))),
        ("timeseries.csv: line 3", Box::new(|out| tamper_timeseries(out, 2, 3, "-inf"))),
    ];
    for (needle, tamper) in cases {
        let (_tmp, out) = folder();
        tamper(&out);
        let o = plot(&out);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{needle}: {err}");
        assert!(err.contains(needle), "{needle} not named in: {err}");
    }
}

#[test]
fn plot_bounds_sizes_and_names_and_escapes_controls() {
    let (_tmp, out) = folder();
    // A huge chart size is refused with exit 2, not allocated.
    let p = out.join("scenario.resolved.toml");
    let toml = fs::read_to_string(&p).unwrap();
    fs::write(&p, format!("{toml}\n[output]\nsize = [100000, 100000]\n")).unwrap();
    let o = plot(&out);
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    fs::write(&p, &toml).unwrap();

    // A 3,000-character name with ESC and BEL: plotted quickly, cut in the
    // charts, escaped everywhere.
    let long = format!("evil\u{1b}[31m\u{7}{}", "x".repeat(3000));
    edit_summary(&out, |v| v["strategies"][0]["name"] = long.clone().into());
    let ts = out.join("timeseries.csv");
    let text = fs::read_to_string(&ts).unwrap().replace("top degree,", &format!("\"{long}\","));
    fs::write(&ts, text).unwrap();
    let t0 = std::time::Instant::now();
    let o = plot(&out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(t0.elapsed().as_secs() < 60, "a long name took {:?}", t0.elapsed());
    for f in ["report.html", "charts/comparison.svg", "charts/reach.svg"] {
        let s = fs::read_to_string(out.join(f)).unwrap();
        assert!(!s.contains('\u{1b}') && !s.contains('\u{7}'), "raw control character in {f}");
    }
    let svg = fs::read_to_string(out.join("charts/comparison.svg")).unwrap();
    assert!(!svg.contains(&"x".repeat(200)), "the name was not cut in the chart");
    assert!(!o.stdout.contains(&0x1b) && !o.stderr.contains(&0x1b));
}

#[test]
fn empty_and_interrupted_folders_say_so() {
    let (_tmp, out) = folder();
    edit_summary(&out, |v| v["strategies"] = Value::Array(vec![]));
    let m = out.join("manifest.json");
    let text = fs::read_to_string(&m).unwrap().replace("\"complete\": true", "\"complete\": false");
    fs::write(&m, text).unwrap();
    let o = plot(&out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("INTERRUPTED") && err.contains("0 of 7 strategies"), "{err}");
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("This run was interrupted: 0 of 7 strategies"));
    assert!(html.contains("nothing to compare"));
    // No stale charts of the strategies that are gone.
    for stem in ["reach", "comparison", "distribution"] {
        assert!(!out.join(format!("charts/{stem}.png")).exists(), "stale {stem}.png");
    }
}

#[test]
fn compare_puts_folders_side_by_side() {
    let tmp = tempfile::tempdir().unwrap();
    let run = |name: &str, seed: &str| {
        let out = tmp.path().join(name);
        let o = womsim()
            .args(["run", scenario().to_str().unwrap(), "--replicates", "30", "--quiet", "--seed", seed, "--out"])
            .arg(&out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        out
    };
    let (a, b, c) = (run("a", "1"), run("b", "1"), run("c", "2"));
    let out = tmp.path().join("cmp");
    womsim().arg("compare").args([&a, &b, &c]).arg("--out").arg(&out).assert().success();
    let mut rdr = csv::Reader::from_path(out.join("compare.csv")).unwrap();
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    let b_s = b.display().to_string();
    let c_s = c.display().to_string();
    // Same seed and network: paired, and identical runs differ by exactly 0.
    let same: Vec<_> = rows.iter().filter(|r| r[1] == *b_s).collect();
    assert!(!same.is_empty());
    for r in same {
        assert_eq!((&r[7], &r[8], &r[9], &r[10]), ("0", "0", "0", "paired"), "{r:?}");
    }
    // Another seed: a plain CI of independent means.
    assert!(rows.iter().filter(|r| r[1] == *c_s).all(|r| &r[10] == "unpaired"));
    let html = fs::read_to_string(out.join("compare.html")).unwrap();
    assert!(html.contains("table-wrap") && !html.contains("<script"));
    // One folder is not a comparison.
    let one = womsim().arg("compare").arg(&a).arg("--out").arg(&out).output().unwrap();
    assert_eq!(one.status.code(), Some(2));
}
