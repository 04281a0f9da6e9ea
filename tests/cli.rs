//! End-to-end tests of the `womsim` binary: commands, exit codes, the
//! results contract (README.md, "Results"), overwrite safety and
//! reproducibility. Runs use few replicates so the whole file stays fast.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use sha2::{Digest, Sha256};

fn womsim() -> Command {
    Command::new(env!("CARGO_BIN_EXE_womsim"))
}

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Run and return the output, asserting the exit code.
fn run_expect(args: &[&str], cwd: &Path, code: i32) -> std::process::Output {
    let out = womsim().args(args).current_dir(cwd).output().expect("womsim starts");
    assert_eq!(
        out.status.code(),
        Some(code),
        "womsim {args:?}\n--- stdout\n{}\n--- stderr\n{}",
        stdout_of(&out),
        stderr_of(&out)
    );
    out
}

/// The starter scenario written by `womsim new` (it must validate and run).
fn starter(dir: &Path) -> PathBuf {
    let p = dir.join("starter.toml");
    run_expect(&["new", p.to_str().unwrap()], dir, 0);
    p
}

/// A small classic-model scenario with two strategies, fast to run.
fn small_ic(dir: &Path, name: &str) -> PathBuf {
    let p = dir.join(format!("{name}.toml"));
    fs::write(
        &p,
        format!(
            r#"name = "{name}"
description = "small IC test"
seed = 11
replicates = 10
steps = 15

[network]
kind = "barabasi_albert"
nodes = 300
m = 3

[model]
kind = "independent_cascade"
p = 0.08

[[strategy]]
name = "influencers"
kind = "top_degree"
budget = 5

[[strategy]]
name = "random"
kind = "random"
budget = 5
"#
        ),
    )
    .unwrap();
    p
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r.records().map(|x| x.unwrap().iter().map(str::to_string).collect()).collect();
    (header, rows)
}

fn keys(v: &Value) -> Vec<String> {
    v.as_object().unwrap_or_else(|| panic!("not an object: {v}")).keys().cloned().collect()
}

fn assert_has(v: &Value, wanted: &[&str], what: &str) {
    let k = keys(v);
    for w in wanted {
        assert!(k.iter().any(|x| x == w), "{what} lacks {w:?}; has {k:?}");
    }
}

fn assert_stat(v: &Value, what: &str) {
    assert_has(v, &["mean", "sd", "ci95_low", "ci95_high"], what);
    let (lo, m, hi) = (v["ci95_low"].as_f64().unwrap(), v["mean"].as_f64().unwrap(), v["ci95_high"].as_f64().unwrap());
    assert!(lo <= m && m <= hi, "{what}: CI [{lo}, {hi}] does not hold the mean {m}");
}

fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return out;
    }
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(snapshot(&p));
        } else {
            out.insert(p.clone(), fs::read(&p).unwrap());
        }
    }
    out
}

#[test]
fn run_writes_every_contract_file() {
    let t = tempfile::tempdir().unwrap();
    let sc = small_ic(t.path(), "contract");
    let out_dir = t.path().join("res");
    let out = run_expect(&["run", s(&sc), "--replicates", "8", "--out", s(&out_dir), "--quiet"], t.path(), 0);
    // The summary table names every strategy.
    let table = stdout_of(&out);
    assert!(table.contains("influencers") && table.contains("random"), "{table}");
    // ... with the world without a campaign and each strategy's lift.
    assert!(
        table.contains("(no campaign)") && table.contains("extra reach") && table.contains("action caused"),
        "{table}"
    );
    assert!(table.contains("Holm–Bonferroni"), "{table}");

    // summary.json
    let summary: Value = serde_json::from_str(&fs::read_to_string(out_dir.join("summary.json")).unwrap()).unwrap();
    assert_has(
        &summary,
        &[
            "womsim_version",
            "scenario",
            "description",
            "seed",
            "replicates",
            "steps",
            "model",
            "network",
            "baseline",
            "strategies",
        ],
        "summary.json",
    );
    // In the classic models nothing happens without seeds.
    for m in ["reached", "reached_good", "reached_bad", "acted"] {
        assert_stat(&summary["baseline"]["final"][m], m);
        assert_eq!(summary["baseline"]["final"][m]["mean"], 0.0, "baseline {m}");
    }
    assert_eq!(summary["scenario"], "contract");
    assert_eq!(summary["seed"], 11);
    assert_eq!(summary["replicates"], 8, "--replicates overrides the file");
    assert_eq!(summary["steps"], 15);
    assert_eq!(summary["model"], "independent_cascade");
    assert_has(&summary["network"], &["kind", "nodes", "edges", "directed"], "network");
    assert_eq!(summary["network"]["nodes"], 300);
    assert_eq!(summary["network"]["kind"], "barabasi_albert");
    let strategies = summary["strategies"].as_array().unwrap();
    assert_eq!(strategies.len(), 2);
    for (i, st) in strategies.iter().enumerate() {
        assert_has(
            st,
            &[
                "name",
                "kind",
                "budget",
                "budget_unit",
                "cost",
                "seeds_vary",
                "seeds",
                "seed_followers",
                "final",
                "lift",
                "action_per_reach",
                "action_per_cost",
                "steps_to_half_reach",
                "paired",
            ],
            "strategy",
        );
        assert_eq!(st["budget"], 5.0);
        assert_eq!(st["budget_unit"], "people");
        assert_eq!(st["seeds"].as_array().unwrap().len(), 5);
        assert_eq!(st["seed_followers"].as_array().unwrap().len(), 5);
        for m in ["reached", "reached_good", "reached_bad", "acted"] {
            assert_stat(&st["final"][m], m);
            assert_has(&st["final"][m], &["q05", "q50", "q95"], m);
            let q = |k: &str| st["final"][m][k].as_f64().unwrap();
            assert!(q("q05") <= q("q50") && q("q50") <= q("q95"), "{m} quantiles out of order");
        }
        assert!(st["final"]["p_bad_exceeds_good"].is_number());
        for m in ["reached", "reached_good", "reached_bad", "acted", "acted_beyond_seeds"] {
            assert_stat(&st["lift"][m], m);
        }
        // No baseline in IC: the lift in reach is the reach itself, and the
        // action beyond the seeds is the action minus the seeds.
        assert_eq!(st["lift"]["reached"]["mean"], st["final"]["reached"]["mean"]);
        let beyond = st["lift"]["acted_beyond_seeds"]["mean"].as_f64().unwrap();
        assert!((beyond - (st["final"]["acted"]["mean"].as_f64().unwrap() - 5.0)).abs() < 1e-9);
        assert_eq!(st["seeds_vary"], i == 1, "random draws per replicate, top degree once");
        for m in ["action_per_reach", "action_per_cost", "steps_to_half_reach"] {
            assert_stat(&st[m], m);
        }
        // Seeds are included in reach; in classic models activation is both
        // reach and action.
        let reached = st["final"]["reached"]["mean"].as_f64().unwrap();
        assert!(reached >= 5.0, "reach {reached} below the 5 seeds");
        assert_eq!(reached, st["final"]["acted"]["mean"].as_f64().unwrap());
        if i == 0 {
            assert!(st["paired"].is_null());
        } else {
            assert_eq!(st["paired"]["against"], "influencers");
            for m in ["reached", "reached_good", "reached_bad", "acted"] {
                assert_has(
                    &st["paired"][m],
                    &["mean", "ci95_low", "ci95_high", "p_value", "p_adjusted", "significant"],
                    m,
                );
            }
        }
    }
    // Top-degree seeds come highest follower count first.
    let top: Vec<u64> =
        strategies[0]["seed_followers"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
    assert!(top.windows(2).all(|w| w[0] >= w[1]), "top_degree seeds not in decreasing follower order: {top:?}");

    // timeseries.csv: one row per (strategy, step), mean/q05/q95 per metric.
    let (h, rows) = read_csv(&out_dir.join("timeseries.csv"));
    assert_eq!(&h[..2], &["strategy", "step"]);
    for m in ["reached", "reached_good", "reached_bad", "acted", "talkers", "net_sentiment", "new_reached"] {
        for q in ["mean", "q05", "q95"] {
            assert!(h.contains(&format!("{m}_{q}")), "timeseries.csv lacks {m}_{q}");
        }
    }
    // The no-campaign baseline first, then the strategies.
    assert_eq!(rows.len(), 3 * 16);
    assert_eq!(rows[0][0], "(no campaign)");
    assert_eq!(rows[16][0], "influencers");
    let col = |name: &str| h.iter().position(|x| x == name).unwrap();
    let (rm, rlo, rhi) = (col("reached_mean"), col("reached_q05"), col("reached_q95"));
    for r in &rows {
        let (m, lo, hi): (f64, f64, f64) = (r[rm].parse().unwrap(), r[rlo].parse().unwrap(), r[rhi].parse().unwrap());
        assert!(lo <= m + 1e-9 && m <= hi + 1e-9, "reach band {lo}..{hi} vs mean {m}");
    }

    // replicates.csv: one row per (strategy, replicate); its mean is the summary's.
    let (h, rows) = read_csv(&out_dir.join("replicates.csv"));
    assert_eq!(
        h,
        [
            "strategy",
            "replicate",
            "reached",
            "reached_good",
            "reached_bad",
            "acted",
            "talkers",
            "friends",
            "ambassadors",
            "messages_good",
            "messages_bad"
        ]
    );
    assert_eq!(rows.len(), 3 * 8);
    assert_eq!(rows[0][0], "(no campaign)");
    let first: Vec<f64> = rows.iter().filter(|r| r[0] == "influencers").map(|r| r[2].parse().unwrap()).collect();
    let mean = first.iter().sum::<f64>() / first.len() as f64;
    let want = strategies[0]["final"]["reached"]["mean"].as_f64().unwrap();
    assert!((mean - want).abs() < 1e-9, "replicates.csv mean {mean} vs summary {want}");

    // seeds.csv: every replicate's seeds; random redraws, top degree does not.
    let (h, rows) = read_csv(&out_dir.join("seeds.csv"));
    assert_eq!(h, ["strategy", "budget", "replicate", "seeds"]);
    assert_eq!(rows.len(), 8, "only the strategy that redraws is listed");
    let sets = |name: &str| -> Vec<String> { rows.iter().filter(|r| r[0] == name).map(|r| r[3].clone()).collect() };
    let random = sets("random");
    assert!(random.iter().all(|x| x.split(' ').count() == 5), "{random:?}");
    assert!(random.iter().any(|x| x != &random[0]), "random seeds were not redrawn: {random:?}");
    let seeds0: Vec<String> =
        strategies[1]["seeds"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect();
    assert_eq!(random[0], seeds0.join(" "), "summary.json's seeds are replicate 0's");

    // degrees.csv: follower-count histogram over every node.
    let (h, rows) = read_csv(&out_dir.join("degrees.csv"));
    assert_eq!(h, ["degree", "count"]);
    let total: u64 = rows.iter().map(|r| r[1].parse::<u64>().unwrap()).sum();
    assert_eq!(total, 300);

    // No budget sweep, no budgets.csv.
    assert!(!out_dir.join("budgets.csv").exists());

    // scenario.resolved.toml reproduces the run on its own.
    let resolved = out_dir.join("scenario.resolved.toml");
    assert!(fs::read_to_string(&resolved).unwrap().contains("contract"));
    let again = t.path().join("again");
    run_expect(&["run", s(&resolved), "--out", s(&again), "--quiet"], t.path(), 0);
    assert_eq!(fs::read(again.join("summary.json")).unwrap(), fs::read(out_dir.join("summary.json")).unwrap());

    // manifest.json
    let manifest: Value = serde_json::from_str(&fs::read_to_string(out_dir.join("manifest.json")).unwrap()).unwrap();
    assert_has(
        &manifest,
        &["womsim_version", "seed", "threads", "wall_time_seconds", "complete", "inputs"],
        "manifest.json",
    );
    assert_eq!(manifest["complete"], true);
    let digest: String = Sha256::digest(fs::read(&sc).unwrap()).iter().map(|b| format!("{b:02x}")).collect();
    let inputs = manifest["inputs"].as_array().unwrap();
    assert!(inputs.iter().any(|i| i["sha256"] == digest.as_str()), "scenario digest missing: {inputs:?}");

    // No temporary file left behind.
    for p in snapshot(&out_dir).keys() {
        let name = p.file_name().unwrap().to_string_lossy();
        assert!(!name.contains(".tmp-"), "left {}", p.display());
    }
}

#[test]
fn same_seed_gives_identical_results_at_any_thread_count() {
    let t = tempfile::tempdir().unwrap();
    let sc = starter(t.path());
    let mut first: Option<Vec<(&str, Vec<u8>)>> = None;
    for threads in ["1", "2", "7"] {
        let d = t.path().join(format!("t{threads}"));
        run_expect(
            &["run", s(&sc), "--replicates", "12", "--threads", threads, "--out", s(&d), "--quiet"],
            t.path(),
            0,
        );
        let files: Vec<(&str, Vec<u8>)> = ["summary.json", "timeseries.csv", "replicates.csv", "seeds.csv"]
            .into_iter()
            .map(|f| (f, fs::read(d.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"))))
            .collect();
        match &first {
            None => first = Some(files),
            Some(f) => {
                for ((name, want), (_, got)) in f.iter().zip(&files) {
                    assert!(want == got, "{name} differs between 1 and {threads} threads");
                }
            }
        }
    }
    // A different seed gives different results (the seed is actually used).
    let d = t.path().join("other");
    run_expect(&["run", s(&sc), "--replicates", "12", "--seed", "987654", "--out", s(&d), "--quiet"], t.path(), 0);
    let other: Value = serde_json::from_slice(&fs::read(d.join("summary.json")).unwrap()).unwrap();
    assert_eq!(other["seed"], 987654);
    let first = first.unwrap();
    assert!(fs::read(d.join("replicates.csv")).unwrap() != first[2].1, "another seed, the same replicates");
}

#[test]
fn existing_output_needs_force() {
    let t = tempfile::tempdir().unwrap();
    let sc = small_ic(t.path(), "force");
    let d = t.path().join("res");
    run_expect(&["run", s(&sc), "--replicates", "5", "--out", s(&d), "--quiet"], t.path(), 0);
    let before = snapshot(&d);
    let out = run_expect(&["run", s(&sc), "--replicates", "6", "--out", s(&d), "--quiet"], t.path(), 2);
    let err = stderr_of(&out);
    assert!(err.starts_with("error: ") && err.contains("--force"), "{err}");
    assert_eq!(snapshot(&d), before, "files changed without --force");

    run_expect(&["run", s(&sc), "--replicates", "6", "--out", s(&d), "--quiet", "--force"], t.path(), 0);
    let summary: Value = serde_json::from_slice(&fs::read(d.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["replicates"], 6, "--force did not overwrite");
}

#[test]
fn budget_sweep_writes_budgets_csv() {
    let t = tempfile::tempdir().unwrap();
    let sc = small_ic(t.path(), "sweep");
    let text = fs::read_to_string(&sc).unwrap().replace("steps = 15", "steps = 15\nbudgets = [2, 6]");
    fs::write(&sc, text).unwrap();
    let d = t.path().join("res");
    run_expect(&["run", s(&sc), "--replicates", "4", "--out", s(&d), "--quiet"], t.path(), 0);
    let (h, rows) = read_csv(&d.join("budgets.csv"));
    assert_eq!(
        h,
        [
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
            "lift_acted_beyond_seeds_ci95_high"
        ]
    );
    let points: Vec<(String, f64, f64)> =
        rows.iter().map(|r| (r[0].clone(), r[1].parse().unwrap(), r[3].parse().unwrap())).collect();
    assert_eq!(points.len(), 4, "{points:?}");
    for (name, budget, reached) in &points {
        assert!(name == "influencers" || name == "random");
        assert!(*budget == 2.0 || *budget == 6.0);
        assert!(*reached >= *budget, "{name} at {budget}: reach {reached} below its seeds");
    }
    // More top-degree seeds reach at least as many people on average here.
    assert!(points[1].2 >= points[0].2, "{points:?}");
}

#[test]
fn default_folder_is_output_slash_name_and_several_scenarios_get_their_own() {
    let t = tempfile::tempdir().unwrap();
    let a = small_ic(t.path(), "alpha");
    let b = small_ic(t.path(), "beta");
    run_expect(&["run", s(&a), "--replicates", "3", "--quiet"], t.path(), 0);
    assert!(t.path().join("output/alpha/summary.json").is_file());
    let d = t.path().join("many");
    run_expect(&["run", s(&a), s(&b), "--replicates", "3", "--out", s(&d), "--quiet"], t.path(), 0);
    assert!(d.join("alpha/summary.json").is_file());
    assert!(d.join("beta/summary.json").is_file());
}

#[test]
fn validate_list_and_new() {
    let t = tempfile::tempdir().unwrap();
    let sc = starter(t.path());
    let out = stdout_of(&run_expect(&["validate", s(&sc)], t.path(), 0));
    // The resolved scenario, the network statistics (graph::stats) and each
    // strategy's seeds.
    for want in [
        "[network]",
        "share.good = ",
        " nodes, ",
        "directed arcs",
        "connected component",
        "magic middle (20–100 followers): ",
        "friends of the organization",
        "strategies:",
        "\"influencers\" (top_degree): 10 seeds",
    ] {
        assert!(out.contains(want), "validate output lacks {want:?}:\n{out}");
    }
    // new never overwrites without --force.
    let before = fs::read(&sc).unwrap();
    fs::write(&sc, b"# mine\n").unwrap();
    let out = run_expect(&["new", s(&sc)], t.path(), 2);
    assert!(stderr_of(&out).contains("--force"));
    assert_eq!(fs::read(&sc).unwrap(), b"# mine\n");
    run_expect(&["new", s(&sc), "--force"], t.path(), 0);
    assert_eq!(fs::read(&sc).unwrap(), before);

    for (cat, words) in [
        ("models", &["relationship_chain", "independent_cascade", "linear_threshold", "bass", "sir"][..]),
        ("strategies", &["top_degree", "magic_middle", "random", "greedy", "explicit"][..]),
        ("networks", &["barabasi_albert", "erdos_renyi", "edge_list"][..]),
    ] {
        let text = stdout_of(&run_expect(&["list", cat], t.path(), 0));
        for w in words {
            assert!(text.contains(w), "list {cat} lacks {w}:\n{text}");
        }
    }
    // An unknown topic is a usage error that names the topics there are.
    let err = stderr_of(&run_expect(&["list", "colours"], t.path(), 2));
    assert!(
        err.contains("colours") && err.contains("scenario, networks, population, models, strategies, output"),
        "{err}"
    );
    let all = stdout_of(&run_expect(&["list"], t.path(), 0));
    assert!(all.contains("relationship_chain") && all.contains("magic_middle") && all.contains("edge_list"));
}

#[test]
fn bad_input_exits_2_naming_the_problem() {
    let t = tempfile::tempdir().unwrap();
    // A probability out of range names the key.
    let sc = small_ic(t.path(), "bad");
    let text = fs::read_to_string(&sc).unwrap().replace("p = 0.08", "p = 1.4");
    fs::write(&sc, text).unwrap();
    let x = t.path().join("x");
    let run_err = stderr_of(&run_expect(&["run", s(&sc), "--out", s(&x)], t.path(), 2));
    let validate_err = stderr_of(&run_expect(&["validate", s(&sc)], t.path(), 2));
    for err in [run_err, validate_err] {
        assert!(err.starts_with("error: ") && err.contains("model.p") && err.contains("1.4"), "{err}");
    }
    assert!(!x.exists(), "an invalid scenario must not create results");

    // An unknown key is named.
    let sc2 = small_ic(t.path(), "unknown");
    let text = fs::read_to_string(&sc2).unwrap().replace("steps = 15", "steps = 15\nreplicatez = 3");
    fs::write(&sc2, text).unwrap();
    let err = stderr_of(&run_expect(&["validate", s(&sc2)], t.path(), 2));
    assert!(err.contains("replicatez"), "{err}");

    // A missing scenario file is named.
    let err = stderr_of(&run_expect(&["run", "no/such/file.toml"], t.path(), 2));
    assert!(err.contains("no/such/file.toml"), "{err}");

    // Two scenarios: problems of both are reported at once.
    let err = stderr_of(&run_expect(&["validate", s(&sc), s(&sc2)], t.path(), 2));
    assert!(err.contains("model.p") && err.contains("replicatez"), "{err}");
}

/// Substitutions (from, to) applied to the catalogue's base scenario.
type Edits = Vec<(&'static str, String)>;

/// A valid scenario with `edits` (exact substitutions) applied.
fn catalogue_case(dir: &Path, name: &str, edits: &[(&str, &str)]) -> PathBuf {
    let mut text = r#"name = "NAME"
replicates = 3
steps = 5

[network]
kind = "barabasi_albert"
nodes = 50
m = 2

[model]
kind = "independent_cascade"
p = 0.1

[[strategy]]
name = "one"
kind = "top_degree"
budget = 3
"#
    .replace("NAME", name);
    for (from, to) in edits {
        assert!(text.contains(from), "case {name}: {from:?} not in the base scenario");
        text = text.replacen(from, to, 1);
    }
    let p = dir.join(format!("{name}.toml"));
    fs::write(&p, text).unwrap();
    p
}

#[test]
fn error_catalogue_exits_2_naming_the_key_or_the_line() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path();
    fs::write(dir.join("garbage.edges"), "1 2\n2 3\nhello\n3 1\n").unwrap();
    fs::write(dir.join("comments.edges"), "# only comments\n% and more\n\n").unwrap();
    fs::write(dir.join("typo.edges"), "# c\n1 2\n2 3\n3 x4\n4 1\n").unwrap();
    fs::write(dir.join("named.edges"), "ann bob\nbob cy\ncy ann\n").unwrap();
    fs::write(dir.join("control.edges"), "1 2\n2 3\x1b[2J\n").unwrap();
    fs::write(dir.join("one_line.edges"), "7".repeat(3 << 20)).unwrap();
    let edge_list_with = |file: &'static str, extra: &'static str| -> Edits {
        vec![
            (
                "kind = \"barabasi_albert\"\nnodes = 50\nm = 2",
                format!("kind = \"edge_list\"\npath = \"{file}\"\n{extra}"),
            ),
            ("budget = 3", "budget = 1".into()),
        ]
    };
    let edge_list = |file: &'static str| edge_list_with(file, "");
    let one = |a: &'static str, b: &'static str| vec![(a, b.to_string())];
    // (case, edits, every text the error must contain)
    let cases: Vec<(&str, Edits, Vec<&str>)> = vec![
        ("malformed", one("steps = 5", "steps = = 5"), vec!["malformed.toml:3:9", "TOML syntax error"]),
        (
            "unknown_key",
            one("steps = 5", "steps = 5\nreplicatess = 4"),
            vec!["unknown_key.toml:4", "replicatess: unknown key", "did you mean `replicates`?"],
        ),
        ("probability", one("p = 0.1", "p = 1.4"), vec!["model.p = 1.4: must be a probability in [0, 1]"]),
        ("negative_count", one("replicates = 3", "replicates = -3"), vec!["replicates = -3: must be an integer"]),
        (
            "budget_over_nodes",
            one("budget = 3", "budget = 51"),
            vec!["strategy[1].budget = 51: exceeds the network's 50 nodes"],
        ),
        (
            "missing_edge_list",
            one("kind = \"barabasi_albert\"\nnodes = 50\nm = 2", "kind = \"edge_list\"\npath = \"nope.edges\""),
            vec!["network.path = \"nope.edges\": file not found"],
        ),
        ("garbage_line", edge_list("garbage.edges"), vec!["garbage.edges:3:", "\"hello\""]),
        ("empty_network", edge_list("comments.edges"), vec!["comments.edges", "no edges"]),
        (
            "mixed_ids",
            edge_list("typo.edges"),
            vec!["typo.edges:4: node id \"x4\" is not a number", "from line 2 on", "network.ids = \"names\""],
        ),
        (
            "numeric_ids",
            edge_list_with("named.edges", "ids = \"numeric\""),
            vec!["named.edges:1: node id \"ann\" is not a non-negative integer"],
        ),
        (
            "bad_id_mode",
            edge_list_with("named.edges", "ids = \"text\""),
            vec!["network.ids = \"text\"", "\"auto\", \"numeric\", \"names\""],
        ),
        (
            "edge_weights_missing",
            [edge_list("named.edges"), one("p = 0.1", "weights = \"edge\"")].concat(),
            vec!["model.weights = \"edge\"", "named.edges has none", "weights = \"uniform\""],
        ),
        ("control_character", edge_list("control.edges"), vec!["control.edges:2:", "control character U+001B"]),
        ("endless_line", edge_list("one_line.edges"), vec!["one_line.edges:1: the line is longer than 1 MiB"]),
        (
            "duplicate_names",
            one("budget = 3", "budget = 3\n\n[[strategy]]\nname = \"one\"\nkind = \"random\"\nbudget = 2"),
            vec!["strategy[2].name = \"one\": duplicate strategy name"],
        ),
        (
            "band_too_small",
            one("kind = \"top_degree\"", "kind = \"magic_middle\"\ndegree = [20, 21]"),
            vec![
                "strategy \"one\" (magic_middle) cannot pick its seeds",
                "strategy[1].degree",
                "fewer than the budget 3",
            ],
        ),
        (
            "unknown_explicit_node",
            vec![
                ("kind = \"top_degree\"", "kind = \"explicit\"\nnodes = [1, 9999]".into()),
                ("budget = 3", "budget = 2".into()),
            ],
            vec!["strategy \"one\" (explicit)", "strategy[1].nodes", "node id \"9999\" is not in the network"],
        ),
    ];
    for (name, edits, needles) in &cases {
        let edits: Vec<(&str, &str)> = edits.iter().map(|(a, b)| (*a, b.as_str())).collect();
        let sc = catalogue_case(dir, name, &edits);
        let out_dir = dir.join(format!("out_{name}"));
        let validate = stderr_of(&run_expect(&["validate", s(&sc)], dir, 2));
        let run = stderr_of(&run_expect(&["run", s(&sc), "--out", s(&out_dir), "--quiet"], dir, 2));
        for err in [validate, run] {
            assert!(err.starts_with("error: "), "{name}: {err}");
            assert!(!err.contains('\x1b'), "{name}: a raw escape reaches the terminal: {err:?}");
            for n in needles {
                assert!(err.contains(n), "{name}: error lacks {n:?}:\n{err}");
            }
        }
        assert!(!out_dir.exists(), "{name}: invalid input must not create a results folder");
    }
}

#[test]
fn edge_list_variants_validate() {
    // Names asked for, gzip by content (any file name), weights present.
    let t = tempfile::tempdir().unwrap();
    let dir = t.path();
    fs::write(dir.join("typo.edges"), "1 2\n2 3\n3 x4\n4 1\n").unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, b"# c\n1 2 0.5\n2 3 0.25\n3 1 1\n").unwrap();
    fs::write(dir.join("weighted.dat"), gz.finish().unwrap()).unwrap();
    fs::write(dir.join("header.edges"), "sourse,target\n1,2\n2,3\n").unwrap();
    let cases: [(&str, &str, &str, &str); 3] = [
        ("typo.edges", "ids = \"names\"", "p = 0.1", "5 nodes, 4 undirected edges"),
        ("weighted.dat", "", "weights = \"edge\"", "3 nodes, 3 undirected edges"),
        ("header.edges", "", "p = 0.1", "the first line is not numeric and was taken as a column header, skipped"),
    ];
    for (i, (file, extra, model, stats)) in cases.into_iter().enumerate() {
        let net = format!("kind = \"edge_list\"\npath = \"{file}\"\n{extra}");
        let name = format!("variant{i}");
        let sc = catalogue_case(
            dir,
            &name,
            &[
                ("kind = \"barabasi_albert\"\nnodes = 50\nm = 2", &net),
                ("p = 0.1", model),
                ("budget = 3", "budget = 1"),
            ],
        );
        let out = stdout_of(&run_expect(&["validate", s(&sc)], dir, 0));
        assert!(out.contains(stats), "{file}: {out}");
        if !extra.is_empty() {
            assert!(out.contains(extra), "the resolved scenario keeps {extra}: {out}");
        }
    }
}

#[cfg(target_os = "linux")]
#[test]
fn special_files_are_refused_at_once() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path();
    let fifo = dir.join("fifo.toml");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let cases = [
        (fifo.to_str().unwrap(), "a FIFO (named pipe) is not a regular file"),
        ("/dev/zero", "a character device is not a regular file"),
        (dir.to_str().unwrap(), "a directory is not a regular file"),
    ];
    for (path, needle) in cases {
        for cmd in ["validate", "run"] {
            let out = womsim()
                .args([cmd, path])
                .current_dir(dir)
                .timeout(std::time::Duration::from_secs(20))
                .output()
                .expect("womsim starts");
            let err = stderr_of(&out);
            assert_eq!(out.status.code(), Some(2), "{cmd} {path}: {err}");
            assert!(err.contains(needle), "{cmd} {path}: {err}");
        }
    }
    // A FIFO as the edge list or a seed file: refused, no blocking.
    let sc = catalogue_case(
        dir,
        "fifo_net",
        &[("kind = \"barabasi_albert\"\nnodes = 50\nm = 2", "kind = \"edge_list\"\npath = \"fifo.toml\"")],
    );
    let out = womsim().args(["validate", s(&sc)]).timeout(std::time::Duration::from_secs(20)).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(err.contains("network.path") && err.contains("a FIFO (named pipe) is not a regular file"), "{err}");
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    let t = tempfile::tempdir().unwrap();
    for args in [
        &["run"][..],
        &["frobnicate"][..],
        &["run", "a.toml", "--replicates", "0"][..],
        &["run", "a.toml", "--threads", "zero"][..],
        &["list", "people"][..],
        &[][..],
    ] {
        let out = run_expect(args, t.path(), 2);
        assert!(!stderr_of(&out).is_empty());
    }
    let help = stdout_of(&run_expect(&["--help"], t.path(), 0));
    for cmd in ["run", "validate", "list", "new", "plot"] {
        assert!(help.contains(cmd), "{help}");
    }
    run_expect(&["--version"], t.path(), 0);
}

#[test]
fn plot_re_renders_the_same_charts_from_the_folder() {
    let t = tempfile::tempdir().unwrap();
    let sc = starter(t.path());
    let d = t.path().join("res");
    run_expect(&["run", s(&sc), "--replicates", "5", "--out", s(&d), "--quiet"], t.path(), 0);
    let charts = d.join("charts");
    assert!(charts.is_dir());
    let before = snapshot(&charts);
    let report_before = fs::read(d.join("report.html")).ok();
    fs::remove_dir_all(&charts).unwrap();
    let _ = fs::remove_file(d.join("report.html"));
    run_expect(&["plot", s(&d)], t.path(), 0);
    assert_eq!(snapshot(&charts).keys().collect::<Vec<_>>(), before.keys().collect::<Vec<_>>());
    assert!(snapshot(&charts) == before, "charts differ after re-rendering");
    assert_eq!(fs::read(d.join("report.html")).ok(), report_before);

    // Not a results folder: invalid input.
    let err = stderr_of(&run_expect(&["plot", s(t.path())], t.path(), 2));
    assert!(err.contains("summary.json"), "{err}");
}

#[test]
fn bundled_scenarios_validate_and_run() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = fs::read_dir(root.join("scenarios"))
        .expect("scenarios/ exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        // Fit files (`womsim fit`) live beside the scenarios but are not scenarios.
        .filter(|p| !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("fit_")))
        .collect();
    files.sort();
    assert!(files.iter().any(|p| p.ends_with("magic_middle.toml")), "the default scenario is bundled: {files:?}");
    let t = tempfile::tempdir().unwrap();
    for f in &files {
        run_expect(&["validate", s(f)], t.path(), 0);
        let d = t.path().join(f.file_stem().unwrap());
        run_expect(&["run", s(f), "--replicates", "3", "--out", s(&d), "--quiet"], t.path(), 0);
        assert!(d.join("summary.json").is_file());
    }
}
