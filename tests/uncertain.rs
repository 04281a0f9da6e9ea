//! `[uncertain]` (issue 22 §1): parameter draws from priors, run as D × R
//! paired replicates; `p_best`, the draws' spread and the parameters' share
//! of variance; validation; sharding.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use womsim::pipeline::{self, Execution, Quiet, World};
use womsim::runner::RunConfig;
use womsim::scenario::{parse_str, Scenario};

fn womsim(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_womsim")).args(args).current_dir(dir).output().expect("womsim starts")
}

fn ok(o: &Output) {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// Run a parsed scenario through the library on `threads` threads.
fn run(s: &Scenario, threads: usize) -> Execution {
    let (g, _) = womsim::world::build_with_stats(s).unwrap();
    let pop = womsim::world::population(s, &g).unwrap();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
    let world = World {
        graph: &g,
        population: &pop,
        model: &s.model,
        cfg: RunConfig { steps: s.steps, replicates: s.total_replicates(), seed: s.seed },
        seeding_progress: None,
        draws: s.draw_models(),
    };
    pool.install(|| {
        let cells = pipeline::plan(&world, &s.strategies, &[]).unwrap();
        pipeline::execute(&world, &cells, &Quiet, &mut |_, _| Ok::<(), ()>(())).unwrap()
    })
}

/// A directed star: node 0 → nodes 1..=1000 (a leaf hears the centre and
/// tells nobody), as an edge list in `dir`.
fn star(dir: &Path) -> String {
    let mut text = String::new();
    for v in 1..=1000 {
        text.push_str(&format!("0 {v}\n"));
    }
    fs::write(dir.join("star.edges"), text).unwrap();
    dir.join("star.edges").to_string_lossy().into_owned()
}

/// Independent cascade on the star: "centre" seeds node 0 and reaches
/// 1 + Binomial(1000, p); "leaves" seeds 101 leaves and reaches exactly 101.
/// The centre is better exactly when p > 0.1.
fn star_scenario(path: &str, prior: &str, draws: u32, replicates: u32) -> String {
    let leaves: Vec<String> = (1..=101).map(|v| format!("\"{v}\"")).collect();
    format!(
        r#"
name = "star"
seed = 11
replicates = {replicates}
steps = 3

[network]
kind = "edge_list"
path = "{path}"
directed = true

[model]
kind = "independent_cascade"
p = 0.1

[[strategy]]
name = "centre"
kind = "explicit"
nodes = ["0"]

[[strategy]]
name = "leaves"
kind = "explicit"
nodes = [{}]

[uncertain]
draws = {draws}
"model.p" = {prior}
"#,
        leaves.join(", ")
    )
}

#[test]
fn p_best_is_the_prior_mass_on_each_side_of_a_known_flip() {
    let t = tempfile::tempdir().unwrap();
    let path = star(t.path());
    // p ~ U(0, 0.4): the centre wins when p > 0.1, prior mass 0.75.
    let d = 400;
    let s = parse_str(&star_scenario(&path, r#"{ dist = "uniform", low = 0.0, high = 0.4 }"#, d, 8), None).unwrap();
    let ex = run(&s, 2);
    let u = s.uncertain.as_ref().unwrap();
    // The exact share of this seed's draws above the flip (the binomial's
    // noise over 8 replicates moves the flip by well under 0.01 in p).
    let above = u.values.iter().filter(|v| v[0] > 0.1).count() as f64 / f64::from(d);
    let centre = ex.strategies[0].uncertain.as_ref().unwrap();
    let leaves = ex.strategies[1].uncertain.as_ref().unwrap();
    let se = (0.75 * 0.25 / f64::from(d)).sqrt();
    assert!((centre.p_best.reached - 0.75).abs() < 4.0 * se, "p_best {} vs prior mass 0.75", centre.p_best.reached);
    assert!(
        (centre.p_best.reached - above).abs() <= 0.02,
        "p_best {} vs draws above the flip {above}",
        centre.p_best.reached
    );
    // Every metric's p_best sums to 1 over strategies, and its error is √(p(1−p)/D).
    for m in 0..6 {
        let sum = centre.p_best.get(m) + leaves.p_best.get(m);
        assert!((sum - 1.0).abs() < 1e-12, "metric {m}: p_best sums to {sum}");
        let p = *centre.p_best.get(m);
        assert!((centre.p_best_se.get(m) - (p * (1.0 - p) / f64::from(d)).sqrt()).abs() < 1e-12);
    }
    // Reach varies with p almost entirely through the parameter: the centre's
    // lift is 1 + 1000 p on average, a sd of 115 over draws against ~9 of
    // chance within a draw, so the parameters' share is near 1; the
    // leaves' reach does not vary at all.
    let share = centre.parameter_share.reached.unwrap();
    assert!(share > 0.95, "parameter share {share}");
    assert_eq!(leaves.parameter_share.reached, None);
    // The spread over draws: the centre's draw-mean lift is 1 + 1000 p
    // (within chance), so its quantiles follow the prior's.
    let od = centre.lift_over_draws.reached;
    assert!((od.q50 - 201.0).abs() < 30.0 && (od.q05 - 21.0).abs() < 15.0 && (od.q95 - 381.0).abs() < 15.0, "{od:?}");
    assert_eq!(leaves.lift_over_draws.reached.q05, 101.0);
}

#[test]
fn draws_do_not_depend_on_key_order_or_threads() {
    let base = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/magic_middle.toml"))
        .unwrap()
        .replace("replicates = 300", "replicates = 3")
        .replace("nodes = 10000", "nodes = 3000");
    let a = format!(
        "{base}\n[uncertain]\ndraws = 6\n\"model.share.bad\" = {{ dist = \"uniform\", low = 0.01, high = 0.03 }}\n\"model.act\" = {{ dist = \"beta\", a = 2, b = 18 }}\n"
    );
    let b = format!(
        "{base}\n[uncertain]\n\"model.act\" = {{ dist = \"beta\", a = 2, b = 18 }}\n\"model.share.bad\" = {{ dist = \"uniform\", low = 0.01, high = 0.03 }}\ndraws = 6\n"
    );
    let (sa, sb) = (parse_str(&a, None).unwrap(), parse_str(&b, None).unwrap());
    assert_eq!(sa.uncertain, sb.uncertain);
    let u = sa.uncertain.as_ref().unwrap();
    assert_eq!(u.keys, ["model.act", "model.share.bad"]);
    // Draws differ from each other, and each key's stream is its own: a
    // scenario with only share.bad draws the same share.bad values.
    assert!(u.values.windows(2).all(|w| w[0] != w[1]));
    let only = format!(
        "{base}\n[uncertain]\ndraws = 6\n\"model.share.bad\" = {{ dist = \"uniform\", low = 0.01, high = 0.03 }}\n"
    );
    let so = parse_str(&only, None).unwrap();
    let vo = &so.uncertain.as_ref().unwrap().values;
    assert!(vo.iter().zip(&u.values).all(|(x, y)| x[0] == y[1]));
    // The resolved text reads back to the same draws.
    assert_eq!(parse_str(&sa.to_resolved_toml(), None).unwrap(), sa);
    // Same results on 1 and 2 threads (summary, draws).
    let (x, y) = (run(&sa, 1), run(&sa, 2));
    assert_eq!(serde_json::to_string(&x.strategies).unwrap(), serde_json::to_string(&y.strategies).unwrap());
    assert_eq!(x.draw_means, y.draw_means);
    assert_eq!(x.finals, y.finals);
    // Another seed draws other values.
    let other = parse_str(&a.replace("seed = 1\n", "seed = 2\n"), None).unwrap();
    assert_ne!(other.uncertain.unwrap().values, u.values);
}

#[test]
fn a_point_mass_is_a_plain_run_with_draws_times_replicates() {
    // One sample row at the scenario's own value: every draw's model is the
    // scenario's, so replicate i is the plain run's replicate i.
    let t = tempfile::tempdir().unwrap();
    fs::write(t.path().join("post.csv"), "model.p,weight\n0.1,1\n").unwrap();
    let path = star(t.path());
    let text = star_scenario(&path, "0", 1, 1);
    let text = text.replace("\"model.p\" = 0\n", "").replace("draws = 1\n", "draws = 12\nsamples = \"post.csv\"\n");
    let u = parse_str(&text, Some(&t.path().join("u.toml"))).unwrap();
    assert_eq!(u.total_replicates(), 12);
    let plain = parse_str(text.split("[uncertain]").next().unwrap(), None).unwrap();
    let u = Scenario { replicates: 10, ..u };
    let plain = Scenario { replicates: 120, ..plain };
    let (eu, ep) = (run(&u, 2), run(&plain, 2));
    assert_eq!(eu.finals, ep.finals, "same replicates");
    for (a, b) in eu.strategies.iter().zip(&ep.strategies) {
        // The same mean (a mean of draw means, up to rounding).
        assert!((a.lift.reached.mean - b.lift.reached.mean).abs() < 1e-9);
    }
    // No parameter variance: the between-draw variance is chance only.
    let share = eu.strategies[0].uncertain.as_ref().unwrap().parameter_share.reached.unwrap();
    assert!(share < 0.15, "parameter share {share} of a point mass");
}

#[test]
fn every_problem_is_reported_at_once() {
    let base = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/magic_middle.toml")).unwrap();
    let text = format!(
        "{base}\n[uncertain]\n\"network.reciprocity\" = {{ dist = \"uniform\", low = 0, high = 0.1 }}\n\
         \"model.share.bad\" = {{ dist = \"normal\", mean = 0.02, sd = 0.01 }}\n\
         \"model.act\" = {{ dist = \"gamma\", k = 2 }}\n\
         \"model.shar.good\" = {{ dist = \"uniform\", low = 0, high = 0.1 }}\n"
    );
    let e = parse_str(&text, None).unwrap_err().to_string();
    for needle in [
        "uncertain.draws",
        "network.reciprocity",
        "put it in a [sweep]",
        "model.share.bad",
        "−∞",
        "truncate",
        "dist must be one of",
        "model.shar.good",
    ] {
        assert!(e.contains(needle), "missing {needle:?} in:\n{e}");
    }
    // With [sweep]: refused, saying what to do.
    let both = format!("{base}\n[sweep]\n\"model.act\" = [0.1, 0.2]\n[uncertain]\ndraws = 2\n\"model.act\" = {{ dist = \"uniform\", low = 0, high = 0.1 }}\n");
    assert!(parse_str(&both, None).unwrap_err().to_string().contains("cannot be combined with [sweep]"));
    // A samples file's errors name the file and line.
    let t = tempfile::tempdir().unwrap();
    fs::write(t.path().join("p.csv"), "model.act,weight\n0.1,1\nx,1\n0.2,-1\n").unwrap();
    let s = format!("{base}\n[uncertain]\ndraws = 2\nsamples = \"p.csv\"\n");
    let e = parse_str(&s, Some(&t.path().join("s.toml"))).unwrap_err().to_string();
    assert!(e.contains("p.csv, line 3") && e.contains("p.csv, line 4") && e.contains("must be ≥ 0"), "{e}");
}

#[test]
fn uncertain_run_writes_draws_and_merges_byte_for_byte() {
    let t = tempfile::tempdir().unwrap();
    let base = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/magic_middle.toml"))
        .unwrap()
        .replace("replicates = 300", "replicates = 4")
        .replace("nodes = 10000", "nodes = 3000");
    let text = format!(
        "{base}\n[uncertain]\ndraws = 5\n\"model.share.bad\" = {{ dist = \"uniform\", low = 0.01, high = 0.03 }}\n"
    );
    fs::write(t.path().join("u.toml"), text).unwrap();
    ok(&womsim(&["run", "u.toml", "--quiet", "--out", "whole"], t.path()));
    for k in 1..=3 {
        let shard = format!("{k}/3");
        ok(&womsim(&["run", "u.toml", "--quiet", "--shard", &shard, "--out", &format!("part{k}")], t.path()));
    }
    let o = womsim(&["merge", "part2", "part1", "part3", "--out", "merged", "--quiet"], t.path());
    ok(&o);
    for f in ["summary.json", "replicates.csv", "draws.csv", "timeseries.csv", "scenario.resolved.toml"] {
        let a = fs::read(t.path().join("whole").join(f)).unwrap();
        let b = fs::read(t.path().join("merged").join(f)).unwrap();
        assert!(a == b, "{f} differs after merging");
    }
    let draws = fs::read_to_string(t.path().join("whole/draws.csv")).unwrap();
    let lines: Vec<&str> = draws.lines().collect();
    assert_eq!(lines[0], "draw,model.share.bad,strategy,lift_reached,lift_reached_good,lift_reached_bad,lift_acted,lift_acted_beyond_seeds,action_per_cost");
    assert_eq!(lines.len(), 1 + 5 * 4);
    let summary: serde_json::Value =
        serde_json::from_slice(&fs::read(t.path().join("whole/summary.json")).unwrap()).unwrap();
    assert_eq!(summary["replicates"], 20);
    assert_eq!(summary["uncertain"]["draws"], 5);
    assert_eq!(summary["uncertain"]["replicates_per_draw"], 4);
    // Clustered intervals: the lift's CI is Student's t over the 5 draw
    // means of draws.csv (4 degrees of freedom), not over the 20 replicates.
    for (i, st) in summary["strategies"].as_array().unwrap().iter().enumerate() {
        let means: Vec<f64> = lines[1..]
            .iter()
            .filter(|l| l.split(',').nth(2) == st["name"].as_str())
            .map(|l| l.split(',').nth(3).unwrap().parse().unwrap())
            .collect();
        assert_eq!(means.len(), 5, "strategy {i}");
        let m = means.iter().sum::<f64>() / 5.0;
        let sd = (means.iter().map(|x| (x - m).powi(2)).sum::<f64>() / 4.0).sqrt();
        let half = 2.776_445_105_197_799 * sd / 5f64.sqrt(); // t(0.975; 4)
        let lift = &st["lift"]["reached"];
        assert!((lift["mean"].as_f64().unwrap() - m).abs() < 1e-9 * m.abs().max(1.0));
        let got = lift["ci95_high"].as_f64().unwrap() - lift["mean"].as_f64().unwrap();
        // stats::t975 tabulates t to 3 decimals (2.776 at 4 df): 1.6e-4 relative.
        assert!((got - half).abs() < 2.5e-4 * half.max(1.0), "strategy {i}: half-width {got} vs {half}");
    }
    let total: f64 =
        summary["strategies"].as_array().unwrap().iter().map(|s| s["p_best"]["acted"].as_f64().unwrap()).sum();
    assert!((total - 1.0).abs() < 1e-12);
    // The stdout table carries P(best).
    let o = womsim(&["run", "u.toml", "--quiet", "--out", "again"], t.path());
    ok(&o);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("P(best)") && out.contains("plausible worlds"), "{out}");
    // --seed draws again, and the resolved file repeats that run exactly.
    ok(&womsim(&["run", "u.toml", "--quiet", "--seed", "7", "--out", "seed7"], t.path()));
    ok(&womsim(&["run", "seed7/scenario.resolved.toml", "--quiet", "--out", "again7"], t.path()));
    let d7 = fs::read(t.path().join("seed7/draws.csv")).unwrap();
    assert_eq!(d7, fs::read(t.path().join("again7/draws.csv")).unwrap());
    assert_ne!(d7, draws.as_bytes());
    // --format json carries p_best too.
    let o = womsim(&["run", "u.toml", "--quiet", "--out", "json", "--format", "json"], t.path());
    ok(&o);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let rows = doc["runs"][0]["p_best"].as_array().unwrap();
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0]["p_best"], summary["strategies"][0]["p_best"]);
    // Without [uncertain] neither the JSON nor the summary has the fields.
    fs::write(t.path().join("plain.toml"), &base).unwrap();
    let o = womsim(&["run", "plain.toml", "--quiet", "--out", "plain", "--format", "json"], t.path());
    ok(&o);
    assert!(!String::from_utf8_lossy(&o.stdout).contains("p_best"));
    let s = fs::read_to_string(t.path().join("plain/summary.json")).unwrap();
    assert!(!s.contains("p_best") && !s.contains("uncertain"));
    assert!(!t.path().join("plain/draws.csv").exists());
}
