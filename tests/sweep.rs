//! `[sweep]`: the grid a table describes, every point validated like a plain
//! scenario, and a sweep run whose points are byte for byte the plain runs
//! of their settings.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use toml::Value;
use womsim::models::ModelSpec;
use womsim::scenario::{parse_str, parse_with_sweep, Sweep, MAX_POINTS};
use womsim::seeding::Budget;

/// A small chain-model scenario (a follower network of 400 nodes).
const BASE: &str = r#"
name = "tiny"
seed = 11
replicates = 20
steps = 15

[network]
kind = "follower"
nodes = 400
follows = 6
reciprocity = 0.2

[model]
kind = "relationship_chain"
quality = 0.4
share.bad = 0.02

[[strategy]]
name = "top"
kind = "top_degree"
budget = 5

[[strategy]]
name = "random friends"
kind = "random"
pool = "friends"
budget = 5
"#;

fn sweep_of(table: &str) -> Sweep {
    let text = format!("{BASE}\n[sweep]\n{table}");
    match parse_with_sweep(&text, None) {
        Ok((_, Some(sw))) => sw,
        Ok((_, None)) => panic!("no sweep"),
        Err(e) => panic!("{e}"),
    }
}

fn sweep_errors(table: &str) -> String {
    let text = format!("{BASE}\n[sweep]\n{table}");
    let e = parse_str(&text, None).expect_err("the sweep is invalid").to_string();
    // parse_with_sweep reports the same.
    assert_eq!(parse_with_sweep(&text, None).unwrap_err().to_string(), e);
    e
}

fn floats(vs: &[Value]) -> Vec<f64> {
    vs.iter().map(|v| v.as_float().or(v.as_integer().map(|i| i as f64)).unwrap()).collect()
}

fn share_bad(m: &ModelSpec) -> f64 {
    match m {
        ModelSpec::RelationshipChain(p) => p.share.bad,
        _ => panic!("chain model"),
    }
}

fn defense(m: &ModelSpec) -> f64 {
    match m {
        ModelSpec::RelationshipChain(p) => p.defense,
        _ => panic!("chain model"),
    }
}

// ------------------------------------------------------------ the grid

#[test]
fn a_grid_is_every_combination_first_key_slowest() {
    let sw =
        sweep_of("\"model.share.bad\" = [0.01, 0.03]\n\"model.defense\" = { from = 0.0, to = 0.9, step = 0.45 }\n");
    assert_eq!(sw.keys, ["model.share.bad", "model.defense"]);
    assert_eq!(sw.points.len(), 6);
    let got: Vec<(f64, f64)> =
        sw.points.iter().map(|p| (share_bad(&p.scenario.model), defense(&p.scenario.model))).collect();
    assert_eq!(got, [(0.01, 0.0), (0.01, 0.45), (0.01, 0.9), (0.03, 0.0), (0.03, 0.45), (0.03, 0.9)]);
    // Each point's values are those its scenario holds.
    assert_eq!(floats(&sw.points[4].values), [0.03, 0.45]);
    assert_eq!(sw.label(4), "model.share.bad = 0.03, model.defense = 0.45");
    // Everything else is the plain scenario's.
    let base = parse_str(BASE, None).unwrap();
    for p in &sw.points {
        assert_eq!(p.scenario.strategies, base.strategies);
        assert_eq!(p.scenario.network, base.network);
        assert_eq!((p.scenario.seed, p.scenario.replicates), (base.seed, base.replicates));
    }
}

#[test]
fn the_key_order_is_the_files_not_the_alphabets() {
    let sw = sweep_of("\"network.reciprocity\" = [0.0, 0.2]\n\"model.defense\" = [0.0, 0.5]\n");
    assert_eq!(sw.keys, ["network.reciprocity", "model.defense"]);
}

#[test]
fn ranges_expand_to_tidy_values() {
    let sw = sweep_of("\"network.reciprocity\" = { from = 0.0, to = 0.3, step = 0.05 }\n");
    assert_eq!(floats(&sw.values[0]), [0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3]);
    let sw = sweep_of("\"network.reciprocity\" = { from = 0.1, to = 0.3, points = 5 }\n");
    assert_eq!(floats(&sw.values[0]), [0.1, 0.15, 0.2, 0.25, 0.3]);
    let sw = sweep_of("\"model.share.bad\" = { from = 0.001, to = 0.1, points = 3, scale = \"log\" }\n");
    assert_eq!(floats(&sw.values[0]), [0.001, 0.01, 0.1]);
    // Whole-number ranges stay integers (for integer keys).
    let sw = sweep_of("\"network.follows\" = { from = 2, to = 8, step = 3 }\n");
    assert_eq!(sw.values[0], [Value::Integer(2), Value::Integer(5), Value::Integer(8)]);
}

#[test]
fn strategy_keys_and_steps_are_sweepable() {
    let sw = sweep_of("\"strategy.random friends.budget\" = [2, 8]\nsteps = [5, 10]\n");
    assert_eq!(sw.points.len(), 4);
    let p = &sw.points[3].scenario;
    assert_eq!(p.strategies[1].budget, Budget::People(8));
    assert_eq!(p.strategies[0].budget, Budget::People(5), "the other strategy keeps its budget");
    assert_eq!(p.steps, 10);
}

#[test]
fn the_resolved_sweep_reads_back_to_the_same_points() {
    let text = format!(
        "{BASE}\n[sweep]\n\"model.defense\" = {{ from = 0.0, to = 0.9, step = 0.3 }}\n\"strategy.top.budget\" = [1, 3]\n"
    );
    let (base, sw) = parse_with_sweep(&text, None).unwrap();
    let sw = sw.unwrap();
    let resolved = format!("{}{}", base.to_resolved_toml(), sw.to_toml());
    let (base2, sw2) = parse_with_sweep(&resolved, None).unwrap();
    assert_eq!(base2, base);
    assert_eq!(sw2.unwrap(), sw);
    assert!(resolved.contains("# point 8: model.defense = 0.9, strategy.top.budget = 3"), "{resolved}");
}

#[test]
fn a_latin_hypercube_uses_every_stratum_of_every_key_once() {
    let n = 20;
    let sw = sweep_of(&format!(
        "design = \"lhs\"\npoints = {n}\n\"model.defense\" = {{ from = 0.0, to = 1.0 }}\n\"model.share.bad\" = {{ from = 0.001, to = 0.1, scale = \"log\" }}\n\"strategy.top.budget\" = {{ from = 1, to = 20 }}\n\"model.quality\" = [0.3, 0.5]\n"
    ));
    assert_eq!(sw.design, womsim::scenario::Design::Lhs { points: n });
    assert_eq!(sw.points.len(), n);
    let column = |j: usize| -> Vec<f64> { floats(&sw.points.iter().map(|p| p.values[j].clone()).collect::<Vec<_>>()) };
    let strata = |xs: &[f64]| -> Vec<usize> {
        let mut s: Vec<usize> = xs.iter().map(|x| (x * n as f64) as usize).collect();
        s.sort();
        s
    };
    let all: Vec<usize> = (0..n).collect();
    // Linear: one value in each twentieth of [0, 1].
    assert_eq!(strata(&column(0)), all);
    // Log: one in each twentieth of log10 from -3 to -1.
    let logs: Vec<f64> = column(1).iter().map(|x| (x.log10() + 3.0) / 2.0).collect();
    assert_eq!(strata(&logs), all);
    // Integers 1..=20: each exactly once.
    let mut budgets: Vec<i64> = sw.points.iter().map(|p| p.values[2].as_integer().unwrap()).collect();
    budgets.sort();
    assert_eq!(budgets, (1..=20).collect::<Vec<i64>>());
    // A list of two values: each used by half the points.
    assert_eq!(column(3).iter().filter(|&&q| q == 0.3).count(), n / 2);
    // The scenarios hold the values; the design comes from the seed and reads back.
    match &sw.points[7].scenario.model {
        ModelSpec::RelationshipChain(p) => assert_eq!(p.defense, column(0)[7]),
        _ => unreachable!(),
    }
    assert_eq!(sw.points[7].scenario.strategies[0].budget, Budget::People(budgets_at(&sw, 7)));
    let text = format!("{BASE}\n[sweep]\n");
    let base = parse_str(&text.replace("[sweep]", ""), None).unwrap();
    let again = parse_with_sweep(&format!("{}{}", base.to_resolved_toml(), sw.to_toml()), None).unwrap();
    assert_eq!(again.1.unwrap(), sw);
    let other_seed = parse_with_sweep(
        &format!("{}{}", base.to_resolved_toml().replace("seed = 11", "seed = 12"), sw.to_toml()),
        None,
    )
    .unwrap();
    assert_ne!(other_seed.1.unwrap().values, sw.values, "drawn from the seed");
}

fn budgets_at(sw: &Sweep, i: usize) -> u32 {
    sw.points[i].values[2].as_integer().unwrap() as u32
}

/// Each `(sweep table, what its errors must say)`.
fn assert_errors(cases: &[(&str, &str)]) {
    for (table, want) in cases {
        let e = sweep_errors(table);
        assert!(e.contains(want), "{table}: want {want:?} in\n{e}");
    }
}

#[test]
fn a_latin_hypercube_needs_its_points_and_a_grid_its_steps() {
    assert_errors(&[
        ("design = \"lhs\"\n\"model.defense\" = { from = 0.0, to = 1.0 }\n", "needs `points`"),
        ("points = 5\n\"model.defense\" = [0.1]\n", "only with design = \"lhs\""),
        ("\"model.defense\" = { from = 0.0, to = 1.0 }\n", "a range in a grid needs `step` or `points`"),
    ]);
}

// ------------------------------------------------------------ validation

#[test]
fn a_bad_value_names_its_point_and_every_bad_point_is_listed() {
    let e = sweep_errors("\"model.share.bad\" = [0.02, 1.5, 2.5]\n");
    assert!(
        e.contains("sweep point 2 (model.share.bad = 1.5): model.share.bad = 1.5: must be a probability in [0, 1]"),
        "{e}"
    );
    assert!(e.contains("sweep point 3 (model.share.bad = 2.5)"), "{e}");
    assert!(e.contains("2 of the sweep's 3 points are invalid"), "{e}");
    assert!(!e.contains("sweep point 1 "), "{e}");
}

#[test]
fn cross_checks_apply_to_every_point() {
    // A budget above the network's nodes is caught like in a plain scenario.
    let e = sweep_errors("\"strategy.top.budget\" = [5, 500]\n");
    assert!(e.contains("sweep point 2 (strategy.top.budget = 500): strategy[1].budget"), "{e}");
    // So is a key that is not in the chosen model.
    let e = sweep_errors("\"model.sharee.bad\" = [0.1]\n");
    assert!(e.contains("sweep point 1") && e.contains("sharee"), "{e}");
}

#[test]
fn keys_that_cannot_be_swept_say_why() {
    let e = sweep_errors("seed = [1, 2]\n");
    assert!(e.contains("not sweepable") && e.contains("paired"), "{e}");
    assert_errors(&[
        ("replicates = [10, 20]\n", "not sweepable"),
        ("\"output.report\" = [true, false]\n", "[output] keys are not sweepable"),
        ("\"strategy.nobody.budget\" = [1]\n", "\"top\", \"random friends\""),
        ("design = \"box\"\n\"model.defense\" = [0.1]\n", "must be \"grid\" or \"lhs\""),
    ]);
}

#[test]
fn malformed_sweeps_are_reported_all_at_once() {
    let e = sweep_errors(
        "\"model.defense\" = []\n\"model.quality\" = { from = 0.5, to = 0.1, step = 0.1 }\n\"model.share.good\" = { from = 0.1, to = 0.2 }\n\"network.reciprocity\" = { from = 0, to = 1, step = 0 }\n",
    );
    for want in ["at least one value", "must not be below", "needs `step` or `points`", "must be > 0"] {
        assert!(e.contains(want), "{want}: {e}");
    }
    let e = sweep_errors("");
    assert!(e.contains("sweeps nothing"), "{e}");
}

#[test]
fn the_number_of_points_is_capped() {
    let e = sweep_errors("\"model.defense\" = { from = 0.0, to = 1.0, points = 200 }\n\"model.quality\" = { from = 0.0, to = 1.0, points = 100 }\n");
    assert!(e.contains(&format!("200 × 100 points, over the limit of {MAX_POINTS}")), "{e}");
    let e = sweep_errors("\"model.defense\" = { from = 0.0, to = 1.0, step = 0.00001 }\n");
    assert!(e.contains("over the limit"), "{e}");
}

#[test]
fn a_budget_sweep_cannot_be_combined_with_a_sweep_yet() {
    let text = format!("budgets = [1, 2]\n{BASE}\n[sweep]\n\"model.defense\" = [0.1]\n");
    let e = parse_str(&text, None).unwrap_err().to_string();
    assert!(e.contains("cannot be combined with [sweep]"), "{e}");
}

// ------------------------------------------------------------ running

fn womsim(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_womsim")).args(args).current_dir(cwd).output().expect("womsim starts")
}

fn ok(o: Output) -> Output {
    assert!(
        o.status.success(),
        "stdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// Run `text` as `dir/name.toml` into `dir/name/`.
fn run(dir: &Path, name: &str, text: &str, extra: &[&str]) -> (PathBuf, Output) {
    let sc = dir.join(format!("{name}.toml"));
    fs::write(&sc, text).unwrap();
    let out = dir.join(name);
    let mut args = vec!["run", "--out", out.to_str().unwrap(), sc.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = ok(womsim(&args, dir));
    (out, o)
}

const SAME_BYTES: [&str; 6] =
    ["summary.json", "timeseries.csv", "replicates.csv", "seeds.csv", "degrees.csv", "scenario.resolved.toml"];

fn assert_same_results(a: &Path, b: &Path) {
    for f in SAME_BYTES {
        let (x, y) = (fs::read(a.join(f)).unwrap(), fs::read(b.join(f)).unwrap());
        assert!(x == y, "{f} differs between {} and {}", a.display(), b.display());
    }
}

#[test]
fn a_point_is_byte_for_byte_its_plain_scenario() {
    let t = tempfile::tempdir().unwrap();
    // Two network settings × two model settings: two networks are built.
    let swept = format!("{BASE}\n[sweep]\n\"network.reciprocity\" = [0.0, 0.2]\n\"model.defense\" = [0.0, 0.9]\n");
    let (out, o) = run(t.path(), "tiny", &swept, &[]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("tiny point 4/4: strategy 2/2"), "{stderr}");
    assert_eq!(stderr.matches("building the network").count(), 2, "one network per reciprocity: {stderr}");
    // Point 4: reciprocity 0.2 (as in BASE), defense 0.9.
    let plain_dir = tempfile::tempdir().unwrap();
    let plain = BASE.replace("share.bad = 0.02", "share.bad = 0.02\ndefense = 0.9");
    let (p4, _) = run(plain_dir.path(), "tiny", &plain, &["--quiet"]);
    assert_same_results(&out.join("points/4"), &p4);
    // Point 1: reciprocity 0, defense 0 (the other network).
    let plain_dir = tempfile::tempdir().unwrap();
    let plain = BASE
        .replace("reciprocity = 0.2", "reciprocity = 0.0")
        .replace("share.bad = 0.02", "share.bad = 0.02\ndefense = 0.0");
    let (p1, _) = run(plain_dir.path(), "tiny", &plain, &["--quiet"]);
    assert_same_results(&out.join("points/1"), &p1);
    // The sweep's own folder holds point 1's results.
    assert_same_results(&out, &p1);
    let manifest = fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(manifest.contains("\"complete\": true"), "{manifest}");
    assert!(fs::read_to_string(out.join("points/3/manifest.json")).unwrap().contains("\"complete\": true"));

    // sweep.csv: one row per point × (no campaign, strategies), its numbers
    // those of the points' summaries.
    let mut r = csv::Reader::from_path(out.join("sweep.csv")).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header[..4], ["point", "network.reciprocity", "model.defense", "strategy"]);
    assert_eq!(header.len(), 4 + 15);
    let rows: Vec<Vec<String>> = r.records().map(|x| x.unwrap().iter().map(String::from).collect()).collect();
    assert_eq!(rows.len(), 12);
    let keys: Vec<(&str, &str, &str, &str)> =
        rows.iter().map(|r| (r[0].as_str(), r[1].as_str(), r[2].as_str(), r[3].as_str())).collect();
    assert_eq!(keys[9], ("4", "0.2", "0.9", "(no campaign)"));
    assert_eq!(keys[10], ("4", "0.2", "0.9", "top"));
    assert_eq!(keys[2], ("1", "0.0", "0.0", "random friends"));
    let summary: serde_json::Value = serde_json::from_slice(&fs::read(p4.join("summary.json")).unwrap()).unwrap();
    let st = &summary["strategies"][0];
    let col = |name: &str| rows[10][header.iter().position(|h| h == name).unwrap()].parse::<f64>().unwrap();
    assert_eq!(col("reached_mean"), st["final"]["reached"]["mean"].as_f64().unwrap());
    assert_eq!(col("reached_bad_ci95_high"), st["final"]["reached_bad"]["ci95_high"].as_f64().unwrap());
    assert_eq!(col("lift_reached_ci95_low"), st["lift"]["reached"]["ci95_low"].as_f64().unwrap());
    assert_eq!(col("lift_acted_beyond_seeds_mean"), st["lift"]["acted_beyond_seeds"]["mean"].as_f64().unwrap());
    let base_row = |name: &str| rows[9][header.iter().position(|h| h == name).unwrap()].parse::<f64>().unwrap();
    assert_eq!(base_row("reached_mean"), summary["baseline"]["final"]["reached"]["mean"].as_f64().unwrap());
    assert_eq!(base_row("lift_reached_mean"), 0.0);
    let resolved = fs::read_to_string(out.join("sweep.resolved.toml")).unwrap();
    assert!(resolved.contains("# point 3: network.reciprocity = 0.2, model.defense = 0.0"), "{resolved}");

    // --force replaces the sweep; a plain run into it removes the points.
    let sc = t.path().join("tiny.toml");
    let again =
        ok(womsim(&["run", "--quiet", "--force", "--out", out.to_str().unwrap(), sc.to_str().unwrap()], t.path()));
    assert!(String::from_utf8_lossy(&again.stdout).contains("point 4/4"));
    fs::write(&sc, BASE).unwrap();
    ok(womsim(&["run", "--quiet", "--force", "--out", out.to_str().unwrap(), sc.to_str().unwrap()], t.path()));
    assert!(!out.join("points").exists() && !out.join("sweep.csv").exists());
}

#[test]
fn an_invalid_sweep_stops_before_anything_is_written() {
    let t = tempfile::tempdir().unwrap();
    let sc = t.path().join("bad.toml");
    fs::write(&sc, format!("{BASE}\n[sweep]\n\"model.share.bad\" = [0.1, 7]\n")).unwrap();
    let out = t.path().join("out");
    let o = womsim(&["run", "--out", out.to_str().unwrap(), sc.to_str().unwrap()], t.path());
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("sweep point 2 (model.share.bad = 7)"), "{e}");
    assert!(!out.exists());
    let o = womsim(&["validate", sc.to_str().unwrap()], t.path());
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_sweep_does_not_depend_on_the_thread_count() {
    let t = tempfile::tempdir().unwrap();
    let swept = format!("{BASE}\n[sweep]\n\"model.share.bad\" = [0.01, 0.05]\n\"strategy.top.budget\" = [2, 4]\n");
    let (a, _) = run(t.path(), "tiny", &swept, &["--quiet", "--threads", "1"]);
    let b = t.path().join("again");
    let sc = t.path().join("tiny.toml");
    ok(womsim(&["run", "--quiet", "--threads", "2", "--out", b.to_str().unwrap(), sc.to_str().unwrap()], t.path()));
    for f in ["sweep.csv", "sweep.resolved.toml", "summary.json", "points/4/summary.json", "points/3/seeds.csv"] {
        assert_eq!(fs::read(a.join(f)).unwrap(), fs::read(b.join(f)).unwrap(), "{f}");
    }
}

/// A sweep stopped after any number of completed renames (as if killed)
/// keeps every finished point: each point `sweep.csv` lists has a complete
/// folder, and the sweep's manifest says incomplete until the end.
#[test]
fn a_sweep_stopped_anywhere_keeps_its_finished_points() {
    let t = tempfile::tempdir().unwrap();
    let text = format!(
        "{}\n[output]\ncharts = []\nreport = false\n[sweep]\n\"model.share.bad\" = [0.01, 0.05]\nsteps = [5, 8]\n",
        BASE.replace("replicates = 20", "replicates = 4")
    );
    fs::write(t.path().join("s.toml"), text).unwrap();
    let mut completed = false;
    let mut seen_partial = false;
    for n in 1..200u32 {
        let dir = t.path().join(format!("out{n}"));
        let o = Command::new(env!("CARGO_BIN_EXE_womsim"))
            .args(["run", "s.toml", "--quiet", "--out", dir.to_str().unwrap()])
            .env("WOMSIM_ABORT_AFTER_RENAMES", n.to_string())
            .current_dir(t.path())
            .output()
            .unwrap();
        let manifest = fs::read_to_string(dir.join("manifest.json")).unwrap_or_default();
        if o.status.success() || manifest.contains("\"complete\": true") {
            // Done (the manifest's last rewrite is the run's last rename).
            assert!(manifest.contains("\"complete\": true"), "{manifest}");
            let rows = fs::read_to_string(dir.join("sweep.csv")).unwrap().lines().count();
            assert_eq!(rows, 1 + 4 * 3, "every point's rows");
            completed = true;
            break;
        }
        let Ok(csv) = fs::read_to_string(dir.join("sweep.csv")) else { continue };
        let points: std::collections::BTreeSet<&str> =
            csv.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
        seen_partial |= points.len() < 4;
        for p in points {
            let m = fs::read_to_string(dir.join(format!("points/{p}/manifest.json"))).unwrap();
            assert!(m.contains("\"complete\": true"), "point {p} listed but incomplete after {n} renames");
        }
    }
    assert!(completed && seen_partial);
}

/// Points on another network are prepared when the sweep reaches them: a
/// point whose network cannot be built stops the run as invalid input,
/// naming the point, and the points before it are kept.
#[test]
fn a_point_whose_network_fails_is_named() {
    let t = tempfile::tempdir().unwrap();
    let karate = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/data/karate.edges");
    let text = format!(
        "name = \"k\"\nreplicates = 3\nsteps = 5\n[network]\nkind = \"edge_list\"\npath = {:?}\n\
         [model]\nkind = \"independent_cascade\"\n[[strategy]]\nkind = \"top_degree\"\nbudget = 2\n\
         [output]\ncharts = []\nreport = false\n[sweep]\n\"model.weights\" = [\"uniform\", \"edge\"]\n",
        karate.to_str().unwrap()
    );
    fs::write(t.path().join("k.toml"), text).unwrap();
    let out = t.path().join("out");
    let o = womsim(&["run", "--quiet", "--out", out.to_str().unwrap(), "k.toml"], t.path());
    let e = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{e}");
    assert!(e.contains("sweep point 2 (model.weights = \"edge\")") && e.contains("weight"), "{e}");
    assert!(out.join("points/1/manifest.json").is_file() && out.join("sweep.csv").is_file());
    assert!(!out.join("points/2/summary.json").exists());
}
