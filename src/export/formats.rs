//! Machine-readable views of a run: the summary table as JSON, CSV or
//! Markdown (`womsim run --export-json/--export-csv/--export-markdown`,
//! `--format json`), and the tidy `results.csv` (one row per strategy ×
//! budget × metric, with the scenario's key parameters as columns) that
//! pandas, R and Excel read without reshaping. Everything here is derived
//! from `summary.json` (and `budgets.csv`), so `womsim plot` can write it
//! again from a results folder.

use std::fmt::Write as _;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::results::{BudgetPoint, Diff, FinalStat, RunResults, Stat, SummaryFile};

/// File name of the tidy table in a results folder.
pub const RESULTS_CSV: &str = "results.csv";

/// One row of the summary table (one strategy), as exported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableRow {
    pub scenario: String,
    pub strategy: String,
    pub kind: String,
    pub budget: f64,
    pub budget_unit: String,
    pub cost: f64,
    pub seeds: usize,
    pub seeds_vary: bool,
    pub extra_reach_mean: f64,
    pub extra_reach_ci95_low: f64,
    pub extra_reach_ci95_high: f64,
    pub action_caused_mean: f64,
    pub action_caused_ci95_low: f64,
    pub action_caused_ci95_high: f64,
    pub action_per_cost_mean: f64,
    pub action_per_cost_ci95_low: f64,
    pub action_per_cost_ci95_high: f64,
    pub reach_mean: f64,
    pub reach_ci95_low: f64,
    pub reach_ci95_high: f64,
    pub action_mean: f64,
    pub action_ci95_low: f64,
    pub action_ci95_high: f64,
    /// The strategy the differences are against (empty for the first).
    pub against: String,
    pub diff_reach_mean: Option<f64>,
    pub diff_reach_ci95_low: Option<f64>,
    pub diff_reach_ci95_high: Option<f64>,
    pub diff_reach_p_adjusted: Option<f64>,
    pub diff_reach_significant: Option<bool>,
    pub diff_action_mean: Option<f64>,
    pub diff_action_ci95_low: Option<f64>,
    pub diff_action_ci95_high: Option<f64>,
    pub diff_action_p_adjusted: Option<f64>,
    pub diff_action_significant: Option<bool>,
}

/// The summary table of one run, one row per strategy in scenario order.
pub fn table_rows(s: &SummaryFile) -> Vec<TableRow> {
    s.strategies
        .iter()
        .map(|st| {
            let d = |f: fn(&Diff) -> f64, pick: fn(&crate::results::PairedDiffs) -> Diff| {
                st.paired.as_ref().map(|p| f(&pick(p)))
            };
            TableRow {
                scenario: s.scenario.clone(),
                strategy: st.name.clone(),
                kind: st.kind.clone(),
                budget: st.budget,
                budget_unit: st.budget_unit.clone(),
                cost: st.cost,
                seeds: st.seeds.len(),
                seeds_vary: st.seeds_vary,
                extra_reach_mean: st.lift.reached.mean,
                extra_reach_ci95_low: st.lift.reached.ci95_low,
                extra_reach_ci95_high: st.lift.reached.ci95_high,
                action_caused_mean: st.lift.acted_beyond_seeds.mean,
                action_caused_ci95_low: st.lift.acted_beyond_seeds.ci95_low,
                action_caused_ci95_high: st.lift.acted_beyond_seeds.ci95_high,
                action_per_cost_mean: st.action_per_cost.mean,
                action_per_cost_ci95_low: st.action_per_cost.ci95_low,
                action_per_cost_ci95_high: st.action_per_cost.ci95_high,
                reach_mean: st.final_.reached.mean,
                reach_ci95_low: st.final_.reached.ci95_low,
                reach_ci95_high: st.final_.reached.ci95_high,
                action_mean: st.final_.acted.mean,
                action_ci95_low: st.final_.acted.ci95_low,
                action_ci95_high: st.final_.acted.ci95_high,
                against: st.paired.as_ref().map(|p| p.against.clone()).unwrap_or_default(),
                diff_reach_mean: d(|x| x.mean, |p| p.reached),
                diff_reach_ci95_low: d(|x| x.ci95_low, |p| p.reached),
                diff_reach_ci95_high: d(|x| x.ci95_high, |p| p.reached),
                diff_reach_p_adjusted: d(|x| x.p_adjusted, |p| p.reached),
                diff_reach_significant: st.paired.as_ref().map(|p| p.reached.significant),
                diff_action_mean: d(|x| x.mean, |p| p.acted),
                diff_action_ci95_low: d(|x| x.ci95_low, |p| p.acted),
                diff_action_ci95_high: d(|x| x.ci95_high, |p| p.acted),
                diff_action_p_adjusted: d(|x| x.p_adjusted, |p| p.acted),
                diff_action_significant: st.paired.as_ref().map(|p| p.acted.significant),
            }
        })
        .collect()
}

/// The exported JSON document: `{ "runs": [ { "scenario", "model", …,
/// "strategies": [TableRow…] } ] }`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableJson {
    pub runs: Vec<RunTable>,
}

/// One run in [`TableJson`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunTable {
    pub scenario: String,
    pub model: String,
    pub network: String,
    pub nodes: u64,
    pub seed: u64,
    pub replicates: u32,
    pub steps: u32,
    pub baseline_reach_mean: f64,
    pub baseline_action_mean: f64,
    pub strategies: Vec<TableRow>,
    /// With `[uncertain]` only: per strategy (scenario order), its `p_best`
    /// and `p_best_se` keyed by metric, as in `summary.json`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub p_best: Vec<PBestRow>,
}

/// One strategy's `p_best` in [`RunTable`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PBestRow {
    pub strategy: String,
    pub p_best: crate::results::PerMetric<f64>,
    pub p_best_se: crate::results::PerMetric<f64>,
}

/// One run's table as a [`RunTable`].
pub fn run_table(s: &SummaryFile) -> RunTable {
    RunTable {
        scenario: s.scenario.clone(),
        model: s.model.clone(),
        network: s.network.kind.clone(),
        nodes: s.network.nodes,
        seed: s.seed,
        replicates: s.replicates,
        steps: s.steps,
        baseline_reach_mean: s.baseline.final_.reached.mean,
        baseline_action_mean: s.baseline.final_.acted.mean,
        strategies: table_rows(s),
        p_best: s
            .strategies
            .iter()
            .filter_map(|st| {
                let u = st.uncertain.as_ref()?;
                Some(PBestRow { strategy: st.name.clone(), p_best: u.p_best, p_best_se: u.p_best_se })
            })
            .collect(),
    }
}

/// The summary tables of `runs` as pretty JSON (with a final newline).
pub fn table_json(runs: &[&SummaryFile]) -> anyhow::Result<String> {
    let doc = TableJson { runs: runs.iter().map(|s| run_table(s)).collect() };
    Ok(serde_json::to_string_pretty(&doc)? + "\n")
}

/// The summary tables of `runs` as one CSV (header + one row per strategy
/// of every run; empty cells where a strategy has no paired difference).
pub fn table_csv(runs: &[&SummaryFile]) -> anyhow::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut any = false;
    for s in runs {
        for row in table_rows(s) {
            w.serialize(row)?;
            any = true;
        }
    }
    if !any {
        // Header only, so a reader still sees the columns.
        w.write_record(CSV_COLUMNS)?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

/// The columns of [`table_csv`], in order.
pub const CSV_COLUMNS: [&str; 34] = [
    "scenario",
    "strategy",
    "kind",
    "budget",
    "budget_unit",
    "cost",
    "seeds",
    "seeds_vary",
    "extra_reach_mean",
    "extra_reach_ci95_low",
    "extra_reach_ci95_high",
    "action_caused_mean",
    "action_caused_ci95_low",
    "action_caused_ci95_high",
    "action_per_cost_mean",
    "action_per_cost_ci95_low",
    "action_per_cost_ci95_high",
    "reach_mean",
    "reach_ci95_low",
    "reach_ci95_high",
    "action_mean",
    "action_ci95_low",
    "action_ci95_high",
    "against",
    "diff_reach_mean",
    "diff_reach_ci95_low",
    "diff_reach_ci95_high",
    "diff_reach_p_adjusted",
    "diff_reach_significant",
    "diff_action_mean",
    "diff_action_ci95_low",
    "diff_action_ci95_high",
    "diff_action_p_adjusted",
    "diff_action_significant",
];

/// A Markdown table cell: pipes and newlines escaped, control characters
/// made visible.
fn md(s: &str) -> String {
    crate::charts::style::escape_controls(s).replace('|', "\\|")
}

/// `mean ± half` to `d` decimals.
fn pm(s: &Stat, d: usize) -> String {
    format!("{:.d$} ± {:.d$}", s.mean, (s.ci95_high - s.ci95_low) / 2.0)
}

fn pm_diff(d: &Diff) -> String {
    format!("{:+.1} ± {:.1}{}", d.mean, (d.ci95_high - d.ci95_low) / 2.0, if d.significant { " *" } else { "" })
}

/// The summary tables of `runs` as Markdown (GitHub tables), one section
/// per run.
pub fn table_markdown(runs: &[&SummaryFile]) -> String {
    let mut out = String::new();
    for (k, s) in runs.iter().enumerate() {
        if k > 0 {
            out.push('\n');
        }
        let first = s.strategies.first().map(|f| md(&f.name)).unwrap_or_default();
        let _ = writeln!(
            out,
            "### {}\n\n{} model, {} network of {} nodes, {} replicates × {} steps, seed {}.\n",
            md(&s.scenario),
            md(&s.model),
            md(&s.network.kind),
            s.network.nodes,
            s.replicates,
            s.steps,
            s.seed
        );
        let _ = writeln!(
            out,
            "| strategy | seeds | cost | extra reach | action caused | reach | action | Δ reach vs {first} | Δ action vs {first} |"
        );
        out.push_str("|:--|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        let b = &s.baseline.final_;
        let _ = writeln!(
            out,
            "| (no campaign) | 0 | 0 | — | — | {} | {} | — | — |",
            pm(&b.reached.stat(), 1),
            pm(&b.acted.stat(), 1)
        );
        for st in &s.strategies {
            let (dr, da) = match &st.paired {
                Some(p) => (pm_diff(&p.reached), pm_diff(&p.acted)),
                None => ("reference".to_string(), "reference".to_string()),
            };
            let _ = writeln!(
                out,
                "| {} | {} | {:.2} | {} | {} | {} | {} | {} | {} |",
                md(&st.name),
                st.seeds.len(),
                st.cost,
                pm(&st.lift.reached, 1),
                pm(&st.lift.acted_beyond_seeds, 1),
                pm(&st.final_.reached.stat(), 1),
                pm(&st.final_.acted.stat(), 1),
                dr,
                da
            );
        }
        out.push_str(
            "\nMeans ± 95% CI half-width over replicates; extra reach and action caused are lift over no campaign \
             (action caused excludes the seeds); `*`: significant at 5% family-wise (Holm–Bonferroni).\n",
        );
    }
    out
}

/// One row of the tidy `results.csv`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TidyRow {
    pub scenario: String,
    pub model: String,
    pub network: String,
    pub nodes: u64,
    pub edges: u64,
    pub seed: u64,
    pub replicates: u32,
    pub steps: u32,
    pub strategy: String,
    pub kind: String,
    pub budget: Option<f64>,
    pub budget_unit: String,
    pub cost: Option<f64>,
    /// `final.reached`, `lift.acted_beyond_seeds`, `action_per_cost`, … —
    /// the field's path in `summary.json`; budget-sweep rows (from
    /// `budgets.csv`) are `sweep.final.reached`, `sweep.final.acted`,
    /// `sweep.lift.reached`, `sweep.lift.acted_beyond_seeds`.
    pub metric: String,
    pub mean: f64,
    pub sd: Option<f64>,
    pub ci95_low: f64,
    pub ci95_high: f64,
    pub q05: Option<f64>,
    pub q50: Option<f64>,
    pub q95: Option<f64>,
}

/// The tidy table: for the no-campaign world and every strategy, every
/// final value, lift and ratio of `summary.json`, then every budget-sweep
/// point of `budgets.csv`. O(strategies × metrics + budget points).
pub fn tidy_rows(r: &RunResults) -> Vec<TidyRow> {
    let s = &r.summary;
    let base = |strategy: &str, kind: &str, budget: Option<f64>, unit: &str, cost: Option<f64>| TidyRow {
        scenario: s.scenario.clone(),
        model: s.model.clone(),
        network: s.network.kind.clone(),
        nodes: s.network.nodes,
        edges: s.network.edges,
        seed: s.seed,
        replicates: s.replicates,
        steps: s.steps,
        strategy: strategy.to_string(),
        kind: kind.to_string(),
        budget,
        budget_unit: unit.to_string(),
        cost,
        metric: String::new(),
        mean: 0.0,
        sd: None,
        ci95_low: 0.0,
        ci95_high: 0.0,
        q05: None,
        q50: None,
        q95: None,
    };
    let with_stat = |row: &TidyRow, metric: &str, st: &Stat| TidyRow {
        metric: metric.to_string(),
        mean: st.mean,
        sd: Some(st.sd),
        ci95_low: st.ci95_low,
        ci95_high: st.ci95_high,
        ..row.clone()
    };
    let with_final = |row: &TidyRow, metric: &str, f: &FinalStat| TidyRow {
        q05: Some(f.q05),
        q50: Some(f.q50),
        q95: Some(f.q95),
        ..with_stat(row, metric, &f.stat())
    };
    let finals = |row: &TidyRow, f: &crate::results::FinalMetrics, out: &mut Vec<TidyRow>| {
        for (k, v) in [
            ("reached", &f.reached),
            ("reached_good", &f.reached_good),
            ("reached_bad", &f.reached_bad),
            ("acted", &f.acted),
        ] {
            out.push(with_final(row, &format!("final.{k}"), v));
        }
    };
    let mut out = Vec::new();
    let b = base(crate::pipeline::BASELINE, "none", Some(0.0), "people", Some(0.0));
    finals(&b, &s.baseline.final_, &mut out);
    for st in &s.strategies {
        let row = base(&st.name, &st.kind, Some(st.budget), &st.budget_unit, Some(st.cost));
        finals(&row, &st.final_, &mut out);
        let l = &st.lift;
        for (k, v) in [
            ("lift.reached", &l.reached),
            ("lift.reached_good", &l.reached_good),
            ("lift.reached_bad", &l.reached_bad),
            ("lift.acted", &l.acted),
            ("lift.acted_beyond_seeds", &l.acted_beyond_seeds),
            ("action_per_reach", &st.action_per_reach),
            ("action_per_cost", &st.action_per_cost),
            ("steps_to_half_reach", &st.steps_to_half_reach),
        ] {
            out.push(with_stat(&row, k, v));
        }
    }
    for p in &r.budgets {
        let (kind, unit) = s
            .strategies
            .iter()
            .find(|st| st.name == p.strategy)
            .map_or(("", ""), |st| (st.kind.as_str(), st.budget_unit.as_str()));
        let row = base(&p.strategy, kind, Some(p.budget), unit, Some(p.cost));
        for (k, mean, lo, hi) in budget_metrics(p) {
            out.push(TidyRow { metric: format!("sweep.{k}"), mean, ci95_low: lo, ci95_high: hi, ..row.clone() });
        }
    }
    out
}

/// The four metrics of a budget point as `(name, mean, ci95_low,
/// ci95_high)`, names as in `summary.json` (`final.reached`, …).
pub fn budget_metrics(p: &BudgetPoint) -> [(&'static str, f64, f64, f64); 4] {
    [
        ("final.reached", p.reached_mean, p.reached_ci95_low, p.reached_ci95_high),
        ("final.acted", p.acted_mean, p.acted_ci95_low, p.acted_ci95_high),
        ("lift.reached", p.lift_reached_mean, p.lift_reached_ci95_low, p.lift_reached_ci95_high),
        (
            "lift.acted_beyond_seeds",
            p.lift_acted_beyond_seeds_mean,
            p.lift_acted_beyond_seeds_ci95_low,
            p.lift_acted_beyond_seeds_ci95_high,
        ),
    ]
}

/// The tidy table as CSV text.
pub fn tidy_csv(r: &RunResults) -> anyhow::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for row in tidy_rows(r) {
        w.serialize(row)?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

/// Write `results.csv` into the results folder `dir` (atomically).
pub fn write_results_csv(dir: &Path, r: &RunResults) -> anyhow::Result<()> {
    super::atomic_write(&dir.join(RESULTS_CSV), tidy_csv(r)?.as_bytes())
}
