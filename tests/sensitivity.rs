//! `[uncertain] sensitivity` (issue 23 §1): Sobol and Morris designs run as
//! draws; indices of every strategy's outputs and of the margin between the
//! two leading strategies; `sensitivity.csv` and summary.json's block.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use womsim::pipeline::{self, Quiet, World};
use womsim::results::{SensitivityInfo, SummaryFile};
use womsim::runner::RunConfig;
use womsim::scenario::{parse_str, Scenario};

fn womsim(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_womsim")).args(args).current_dir(dir).output().expect("womsim starts")
}

/// magic_middle.toml, smaller, with `uncertain` appended.
fn scenario(uncertain: &str) -> String {
    let base = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/magic_middle.toml"))
        .unwrap()
        .replace("replicates = 300", "replicates = 3")
        .replace("nodes = 10000", "nodes = 3000");
    format!("{base}\n[uncertain]\n{uncertain}")
}

const KEYS: &str = r#""model.share.good" = { dist = "uniform", low = 0.005, high = 0.03 }
"model.dilution.reference" = { dist = "uniform", low = 10.0, high = 1000.0 }
"#;

/// The study of a run of `s` through the library.
fn study(s: &Scenario) -> SensitivityInfo {
    let (g, _) = womsim::world::build_with_stats(s).unwrap();
    let pop = womsim::world::population(s, &g).unwrap();
    let world = World {
        graph: &g,
        population: &pop,
        model: &s.model,
        cfg: RunConfig { steps: s.steps, replicates: s.total_replicates(), seed: s.seed },
        seeding_progress: None,
        draws: s.draw_models(),
    };
    let cells = pipeline::plan(&world, &s.strategies, &[]).unwrap();
    let ex = pipeline::execute(&world, &cells, &Quiet, &mut |_, _| Ok::<(), ()>(())).unwrap();
    let summary = SummaryFile {
        womsim_version: String::new(),
        scenario: s.name.clone(),
        description: String::new(),
        seed: s.seed,
        replicates: s.total_replicates(),
        steps: s.steps,
        model: String::new(),
        network: womsim::results::NetworkInfo { kind: String::new(), nodes: 0, edges: 0, directed: true },
        baseline: ex.baseline.clone(),
        strategies: ex.strategies.clone(),
        uncertain: None,
        sensitivity: None,
    };
    let u = s.uncertain.as_ref().unwrap();
    womsim::sensitivity::study::study(u, s.seed, s.replicates, &ex, &summary).unwrap()
}

#[test]
fn sobol_design_is_n_times_k_plus_2_draws_of_prior_quantiles() {
    let s = parse_str(&scenario(&format!("sensitivity = \"sobol\"\ndraws = 5\n{KEYS}")), None).unwrap();
    let u = s.uncertain.as_ref().unwrap();
    assert_eq!(u.draws, 5 * 4);
    assert_eq!(s.total_replicates(), 5 * 4 * 3);
    let d = u.sensitivity.as_ref().unwrap();
    assert_eq!((d.base, d.rows.len()), (5, 20));
    // Keys in name order: dilution.reference, share.good; values are the
    // uniform priors' quantiles at the design's coordinates.
    for (v, row) in u.values.iter().zip(&d.rows) {
        assert!((v[0] - (10.0 + 990.0 * row[0])).abs() < 1e-12);
        assert!((v[1] - (0.005 + 0.025 * row[1])).abs() < 1e-15);
    }
    // Rows A_B^(i) take key i from B and the rest from A.
    assert_eq!(d.rows[2], vec![d.rows[1][0], d.rows[0][1]]);
    // The resolved file reads back to the same design.
    let again = parse_str(&s.to_resolved_toml(), None).unwrap();
    assert_eq!(again.uncertain, s.uncertain);
}

#[test]
fn morris_design_moves_one_key_per_step() {
    let s =
        parse_str(&scenario(&format!("sensitivity = \"morris\"\ntrajectories = 4\nlevels = 6\n{KEYS}")), None).unwrap();
    let u = s.uncertain.as_ref().unwrap();
    assert_eq!(u.draws, 4 * 3);
    let d = u.sensitivity.as_ref().unwrap();
    for t in 0..4 {
        for step in 0..2 {
            let (a, b) = (&d.rows[t * 3 + step], &d.rows[t * 3 + step + 1]);
            let moved: Vec<usize> = (0..2).filter(|&i| a[i] != b[i]).collect();
            assert_eq!(moved.len(), 1);
            assert!((b[moved[0]] - a[moved[0]] - 0.5).abs() < 1e-12, "a step is half the quantile range");
        }
    }
    let again = parse_str(&s.to_resolved_toml(), None).unwrap();
    assert_eq!(again.uncertain, s.uncertain);
}

#[test]
fn sensitivity_problems_are_reported_at_once() {
    let text = scenario(
        "sensitivity = \"fast\"\ndraws = 0\nlevels = 3\n\"model.share.good\" = { dist = \"uniform\", low = 0.005, high = 0.03 }\n",
    );
    let e = parse_str(&text, None).unwrap_err().to_string();
    for want in ["uncertain.sensitivity", "\"sobol\"", "uncertain.draws", "uncertain.levels"] {
        assert!(e.contains(want), "missing {want}: {e}");
    }
    let e =
        parse_str(&scenario(&format!("sensitivity = \"morris\"\ndraws = 4\n{KEYS}")), None).unwrap_err().to_string();
    assert!(e.contains("trajectories"), "{e}");
    let e = parse_str(&scenario(&format!("trajectories = 4\ndraws = 4\n{KEYS}")), None).unwrap_err().to_string();
    assert!(e.contains("uncertain.trajectories") && e.contains("only for sensitivity"), "{e}");
    // 2500 × (2 + 2) = 10,000 is the cap; one more base row is refused.
    let e =
        parse_str(&scenario(&format!("sensitivity = \"sobol\"\ndraws = 2501\n{KEYS}")), None).unwrap_err().to_string();
    assert!(e.contains("10004") && e.contains("10000"), "{e}");
}

#[test]
fn sobol_finds_the_active_key_and_the_inert_key_covers_zero() {
    // dilution.reference does nothing while both dilution elasticities are
    // 0 (magic_middle.toml's defaults): its total index must cover 0;
    // share.good drives reach.
    let s = parse_str(
        &scenario(&format!("sensitivity = \"sobol\"\ndraws = 128\n{KEYS}").replace("replicates = 3", "replicates = 6")),
        None,
    )
    .unwrap();
    let info = study(&s);
    assert!(info.noise_corrected);
    let margin = info.margin.as_ref().unwrap();
    assert_ne!(margin.best, margin.second);
    let get = |strategy: &str, metric: &str, key: &str, index: &str| {
        info.indices
            .iter()
            .find(|r| r.strategy == strategy && r.metric == metric && r.key == key && r.index == index)
            .unwrap_or_else(|| panic!("no row {strategy} {metric} {key} {index}"))
            .clone()
    };
    let inert = get("margin", &margin.metric, "model.dilution.reference", "total");
    assert!(inert.ci95_low.unwrap() <= 0.0 && 0.0 <= inert.ci95_high.unwrap(), "{inert:?}");
    let first = &s.strategies[0].name;
    // share.good is the only key with an effect: its total index is
    // exactly 1; the CI must cover it and exclude values far from it.
    for index in ["first", "total"] {
        let active = get(first, "reached", "model.share.good", index);
        assert!(active.ci95_low.unwrap() > 0.5 && active.ci95_high.unwrap() >= 1.0, "{active:?}");
    }
    // Over every output, the inert key's total CI covers 0 about 95% of the time.
    let inert_rows: Vec<_> =
        info.indices.iter().filter(|r| r.key == "model.dilution.reference" && r.index == "total").collect();
    let covered = inert_rows
        .iter()
        .filter(|r| r.value.is_none() || (r.ci95_low.unwrap() <= 0.0 && 0.0 <= r.ci95_high.unwrap()))
        .count();
    assert!(covered as f64 >= 0.8 * inert_rows.len() as f64, "{covered} of {}", inert_rows.len());
    // 4 strategies × 7 metrics + the margin, × 2 keys × 2 indices.
    assert_eq!(info.indices.len(), (4 * 7 + 1) * 2 * 2);
}

#[test]
fn run_writes_sensitivity_csv_and_merges_byte_for_byte() {
    let t = tempfile::tempdir().unwrap();
    let text = scenario(&format!("sensitivity = \"morris\"\ntrajectories = 3\n{KEYS}"));
    fs::write(t.path().join("s.toml"), &text).unwrap();
    let o = womsim(&["run", "--quiet", "--out", "whole", "s.toml"], t.path());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let csv = fs::read_to_string(t.path().join("whole/sensitivity.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("strategy,metric,key,index,value,ci95_low,ci95_high"));
    assert_eq!(lines.count(), (4 * 7 + 1) * 2 * 2);
    let summary: serde_json::Value =
        serde_json::from_slice(&fs::read(t.path().join("whole/summary.json")).unwrap()).unwrap();
    assert_eq!(summary["sensitivity"]["method"], "morris");
    assert_eq!(summary["sensitivity"]["base"], 3);
    // Sharded and merged: the same bytes.
    for k in 1..=2 {
        let shard = format!("{k}/2");
        let o = womsim(&["run", "--quiet", "--shard", &shard, "--out", &format!("s{k}"), "s.toml"], t.path());
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let o = womsim(&["merge", "--out", "merged", "s1", "s2"], t.path());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for f in ["sensitivity.csv", "summary.json"] {
        assert_eq!(
            fs::read(t.path().join("whole").join(f)).unwrap(),
            fs::read(t.path().join("merged").join(f)).unwrap(),
            "{f}"
        );
    }
}
