//! The results contract: the data written to (and read back from) a results
//! folder. `womsim run` fills these; `womsim plot` and the report read them
//! back, so charts never need the simulation. Field names are a public
//! contract (README.md, "Results").
//!
//! Files: `summary.json` ([`SummaryFile`]), `timeseries.csv` ([`StrategySeries`]
//! flattened: `strategy,step,<metric>_mean,<metric>_q05,<metric>_q95,…`),
//! `replicates.csv`, `degrees.csv` ([`DegreeRow`]), `budgets.csv`
//! ([`BudgetPoint`], only with a budget sweep), `scenario.resolved.toml`,
//! `manifest.json`.

use serde::{Deserialize, Serialize};

/// Mean, sd and 95% CI of a mean.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Stat {
    pub mean: f64,
    pub sd: f64,
    pub ci95_low: f64,
    pub ci95_high: f64,
}

impl From<crate::stats::Summary> for Stat {
    fn from(s: crate::stats::Summary) -> Self {
        Stat { mean: s.mean, sd: s.sd, ci95_low: s.ci95_low, ci95_high: s.ci95_high }
    }
}

/// Final values (at the last step) of the headline metrics, over replicates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FinalMetrics {
    pub reached: Stat,
    pub reached_good: Stat,
    pub reached_bad: Stat,
    pub acted: Stat,
}

/// A paired difference (this strategy − the first), over replicates.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Diff {
    pub mean: f64,
    pub ci95_low: f64,
    pub ci95_high: f64,
    /// True when the 95% CI excludes zero.
    pub significant: bool,
}

/// Paired differences of every final metric against the first strategy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairedDiffs {
    /// Name of the strategy compared against (the first one).
    pub against: String,
    pub reached: Diff,
    pub reached_good: Diff,
    pub reached_bad: Diff,
    pub acted: Diff,
}

/// One strategy's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StrategySummary {
    pub name: String,
    pub kind: String,
    /// Budget as given: a number of people, or cost units (see `budget_unit`).
    pub budget: f64,
    /// `"people"` or `"cost"`.
    pub budget_unit: String,
    /// Total cost of the seeds under the strategy's cost model.
    pub cost: f64,
    /// Seeds, as original node ids, in pick order.
    pub seeds: Vec<String>,
    /// Follower count (out-degree) of each seed, aligned with `seeds`.
    pub seed_followers: Vec<u32>,
    #[serde(rename = "final")]
    pub final_: FinalMetrics,
    /// acted / reached per replicate, summarised.
    pub action_per_reach: Stat,
    /// acted / cost per replicate, summarised.
    pub action_per_cost: Stat,
    /// First step at which reach reaches half its final value, per replicate.
    pub steps_to_half_reach: Stat,
    /// `None` for the first strategy.
    pub paired: Option<PairedDiffs>,
}

/// Network facts recorded with the results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkInfo {
    pub kind: String,
    pub nodes: u64,
    pub edges: u64,
    pub directed: bool,
}

/// `summary.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SummaryFile {
    pub womsim_version: String,
    pub scenario: String,
    pub description: String,
    pub seed: u64,
    pub replicates: u32,
    pub steps: u32,
    /// Model kind (`relationship_chain`, `independent_cascade`, …).
    pub model: String,
    pub network: NetworkInfo,
    /// Strategies in scenario order; the first is the reference of paired
    /// differences.
    pub strategies: Vec<StrategySummary>,
}

/// One row of `degrees.csv`: how many nodes have this follower count.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DegreeRow {
    pub degree: u32,
    pub count: u64,
}

/// One row of `budgets.csv` (budget sweep).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BudgetPoint {
    pub strategy: String,
    pub budget: f64,
    pub cost: f64,
    pub reached_mean: f64,
    pub reached_ci95_low: f64,
    pub reached_ci95_high: f64,
    pub acted_mean: f64,
    pub acted_ci95_low: f64,
    pub acted_ci95_high: f64,
}

/// Per-step aggregates of one strategy, as in `timeseries.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct StrategySeries {
    pub strategy: String,
    /// One row per step 0..=steps, columns in [`crate::metrics::Metric::ALL`] order.
    pub mean: Vec<crate::metrics::Row>,
    pub q05: Vec<crate::metrics::Row>,
    pub q95: Vec<crate::metrics::Row>,
}

/// Everything in a results folder that charts and the report need.
#[derive(Debug, Clone, PartialEq)]
pub struct RunResults {
    pub summary: SummaryFile,
    /// In the order of `summary.strategies`.
    pub series: Vec<StrategySeries>,
    pub degrees: Vec<DegreeRow>,
    /// Empty without a budget sweep.
    pub budgets: Vec<BudgetPoint>,
    /// Text of `scenario.resolved.toml`.
    pub resolved_toml: String,
}
