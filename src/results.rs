//! The results contract: the data written to (and read back from) a results
//! folder. `womsim run` fills these; `womsim plot` and the report read them
//! back, so charts never need the simulation. Field names are a public
//! contract (README.md, "Results").
//!
//! Files: `summary.json` ([`SummaryFile`]), `timeseries.csv` ([`StrategySeries`]
//! flattened: `strategy,step,<metric>_mean,<metric>_q05,<metric>_q95,…`),
//! `replicates.csv`, `seeds.csv` ([`SeedRow`]), `degrees.csv` ([`DegreeRow`]), `budgets.csv`
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

/// A final value over replicates: mean, sd and 95% CI of the mean (as
/// [`Stat`]), plus the 5%, 50% and 95% quantiles of the replicates' values
/// (type 7), which show the risk a mean hides.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FinalStat {
    pub mean: f64,
    pub sd: f64,
    pub ci95_low: f64,
    pub ci95_high: f64,
    pub q05: f64,
    pub q50: f64,
    pub q95: f64,
}

impl FinalStat {
    /// The mean and its CI only.
    pub fn stat(&self) -> Stat {
        Stat { mean: self.mean, sd: self.sd, ci95_low: self.ci95_low, ci95_high: self.ci95_high }
    }
}

/// Final values (at the last step) of the headline metrics, over replicates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FinalMetrics {
    pub reached: FinalStat,
    pub reached_good: FinalStat,
    pub reached_bad: FinalStat,
    pub acted: FinalStat,
    /// Share of replicates in which bad news reached more people than good
    /// news (`reached_bad > reached_good`).
    pub p_bad_exceeds_good: f64,
}

/// The no-campaign world: the same network, population and dynamics
/// streams, replicate by replicate, with no seeds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Baseline {
    #[serde(rename = "final")]
    pub final_: FinalMetrics,
}

/// A strategy's effect: per replicate, its final value minus the
/// no-campaign world's, summarised over replicates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lift {
    pub reached: Stat,
    pub reached_good: Stat,
    pub reached_bad: Stat,
    pub acted: Stat,
    /// Action caused among people who are not this strategy's seeds:
    /// (acted − seeds) − (no-campaign acted − seeds who act without the
    /// campaign), per replicate.
    pub acted_beyond_seeds: Stat,
}

/// A paired difference (this strategy − the first), over replicates.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Diff {
    pub mean: f64,
    /// Unadjusted 95% CI of the mean difference.
    pub ci95_low: f64,
    pub ci95_high: f64,
    /// Two-sided p-value of the paired t-test (mean difference zero).
    pub p_value: f64,
    /// Holm–Bonferroni adjusted p-value over every paired difference the
    /// run reports (strategies × metrics).
    pub p_adjusted: f64,
    /// `p_adjusted < 0.05`: the family-wise error rate over all the
    /// run's comparisons is at most 5%.
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

impl PairedDiffs {
    /// The four differences, in field order.
    pub fn all_mut(&mut self) -> [&mut Diff; 4] {
        [&mut self.reached, &mut self.reached_good, &mut self.reached_bad, &mut self.acted]
    }
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
    /// Total cost of the seeds under the strategy's cost model (the mean
    /// over replicates when `seeds_vary`).
    pub cost: f64,
    /// Whether every replicate drew its own seed set (`reseed =
    /// "per_replicate"`); then `seeds` and `seed_followers` are replicate
    /// 0's and `seeds.csv` lists every replicate's.
    pub seeds_vary: bool,
    /// Seeds, as original node ids, in pick order.
    pub seeds: Vec<String>,
    /// Follower count (out-degree) of each seed, aligned with `seeds`.
    pub seed_followers: Vec<u32>,
    /// `magic_middle` only: the follower-count band `[lo, hi]` it picks
    /// from (percentile bands resolved to follower counts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub band: Option<[u32; 2]>,
    #[serde(rename = "final")]
    pub final_: FinalMetrics,
    /// The strategy's effect over the no-campaign world.
    pub lift: Lift,
    /// acted / reached per replicate, summarised.
    pub action_per_reach: Stat,
    /// lift.acted_beyond_seeds / cost per replicate, summarised: the
    /// action the campaign caused per unit spent.
    pub action_per_cost: Stat,
    /// First step at which the lift in reach reaches half its final value,
    /// per replicate.
    pub steps_to_half_reach: Stat,
    /// `None` for the first strategy.
    pub paired: Option<PairedDiffs>,
    /// With `[uncertain]` only: `p_best`, `p_best_se`, `lift_over_draws`
    /// and `parameter_share`, each keyed by metric.
    #[serde(default, skip_serializing_if = "Option::is_none", flatten)]
    pub uncertain: Option<StrategyUncertain>,
}

/// One value per lift metric of `[uncertain]`'s results: the four lifts,
/// action beyond the seeds, and action per unit of cost.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PerMetric<T> {
    pub reached: T,
    pub reached_good: T,
    pub reached_bad: T,
    pub acted: T,
    pub acted_beyond_seeds: T,
    pub action_per_cost: T,
}

impl<T> PerMetric<T> {
    /// The metrics' names, in field order.
    pub const NAMES: [&'static str; 6] =
        ["reached", "reached_good", "reached_bad", "acted", "acted_beyond_seeds", "action_per_cost"];

    /// From a function of the metric's index (field order).
    pub fn from_fn(mut f: impl FnMut(usize) -> T) -> Self {
        PerMetric {
            reached: f(0),
            reached_good: f(1),
            reached_bad: f(2),
            acted: f(3),
            acted_beyond_seeds: f(4),
            action_per_cost: f(5),
        }
    }

    /// The value of metric `i` (field order).
    pub fn get(&self, i: usize) -> &T {
        [
            &self.reached,
            &self.reached_good,
            &self.reached_bad,
            &self.acted,
            &self.acted_beyond_seeds,
            &self.action_per_cost,
        ][i]
    }
}

/// The distribution over draws of a strategy's mean lift in a draw.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct OverDraws {
    pub mean: f64,
    pub q05: f64,
    pub q50: f64,
    pub q95: f64,
}

/// A strategy's results over the draws of `[uncertain]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StrategyUncertain {
    /// Share of draws in which this strategy has the highest mean lift
    /// (for `reached_bad` the lowest: less bad news is better); ties split
    /// equally.
    pub p_best: PerMetric<f64>,
    /// Its Monte Carlo standard error over draws, √(p(1 − p)/D).
    pub p_best_se: PerMetric<f64>,
    /// The draw-mean lift over draws: mean, 5%, 50%, 95%.
    pub lift_over_draws: PerMetric<OverDraws>,
    /// Share of the lift's variance due to the parameters (one-way
    /// random-effects ANOVA over draws); `null` with one draw or one
    /// replicate per draw, or no variance at all.
    pub parameter_share: PerMetric<Option<f64>>,
}

/// An uncertain key in `summary.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UncertainKey {
    pub key: String,
    /// Its prior as written in TOML; `null` for a column of the samples file.
    pub prior: Option<String>,
}

/// The `uncertain` block of `summary.json` (only with `[uncertain]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UncertainInfo {
    pub draws: u32,
    pub replicates_per_draw: u32,
    /// The draws' stream: `(seed, "uncertain", [FNV-1a(key), draw])`.
    pub stream: String,
    pub keys: Vec<UncertainKey>,
    /// The samples file's name (as found in the scenario's folder) and its
    /// SHA-256, if any.
    pub samples: Option<String>,
    pub samples_sha256: Option<String>,
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
    /// The no-campaign world every strategy's lift is measured against.
    pub baseline: Baseline,
    /// Strategies in scenario order; the first is the reference of paired
    /// differences.
    pub strategies: Vec<StrategySummary>,
    /// With `[uncertain]` only: the draws and their priors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uncertain: Option<UncertainInfo>,
    /// With `[uncertain] sensitivity` only: the indices (as `sensitivity.csv`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitivity: Option<SensitivityInfo>,
}

/// The `sensitivity` block of `summary.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SensitivityInfo {
    /// `sobol` or `morris`.
    pub method: String,
    /// Sobol: base rows N (N × (keys + 2) draws); Morris: trajectories r
    /// (r × (keys + 1) draws).
    pub base: u32,
    /// Morris grid levels; absent for Sobol.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub levels: Option<u32>,
    /// Bootstrap resamples behind each CI.
    pub bootstrap: u32,
    /// The design's and the bootstrap's stream.
    pub stream: String,
    /// Whether Sobol's V and total-index numerators had the chance
    /// variance of a draw mean (from the replicates' spread) subtracted
    /// (needs ≥ 2 replicates per draw; Morris: never).
    pub noise_corrected: bool,
    /// The margin between the two leading strategies; absent with fewer
    /// than two strategies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub margin: Option<SensitivityMargin>,
    /// One row per (strategy or "margin", metric, key, index).
    pub indices: Vec<SensitivityRow>,
}

/// What `strategy = "margin"` rows measure: per draw, `best`'s draw mean of
/// `metric` minus `second`'s (ranked by their means over all draws).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SensitivityMargin {
    pub metric: String,
    pub best: String,
    pub second: String,
}

/// One row of `sensitivity.csv`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SensitivityRow {
    pub strategy: String,
    pub metric: String,
    pub key: String,
    /// `first`, `total`, `mu_star` or `sigma`.
    pub index: String,
    /// `null` where undefined (the output does not vary).
    pub value: Option<f64>,
    pub ci95_low: Option<f64>,
    pub ci95_high: Option<f64>,
}

/// One row of `degrees.csv`: how many nodes have this follower count.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DegreeRow {
    pub degree: u32,
    pub count: u64,
}

/// One row of `seeds.csv`: the seeds one strategy used in one replicate.
#[derive(Debug, Clone, PartialEq)]
pub struct SeedRow {
    pub strategy: String,
    /// The budget amount (as `budget` in summary.json, or the sweep point).
    pub budget: f64,
    pub replicate: u32,
    /// Original node ids, in pick order.
    pub seeds: Vec<String>,
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
    pub lift_reached_mean: f64,
    pub lift_reached_ci95_low: f64,
    pub lift_reached_ci95_high: f64,
    pub lift_acted_beyond_seeds_mean: f64,
    pub lift_acted_beyond_seeds_ci95_low: f64,
    pub lift_acted_beyond_seeds_ci95_high: f64,
}

/// Per-step aggregates of one strategy, as in `timeseries.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct StrategySeries {
    pub strategy: String,
    /// One row per step 0..=steps (or fewer: later steps repeat the last row), columns in [`crate::metrics::Metric::ALL`] order.
    pub mean: Vec<crate::metrics::Row>,
    pub q05: Vec<crate::metrics::Row>,
    pub q95: Vec<crate::metrics::Row>,
}

/// Everything in a results folder that charts and the report need.
#[derive(Debug, Clone, PartialEq)]
pub struct RunResults {
    pub summary: SummaryFile,
    /// The no-campaign world's series (`strategy = "(no campaign)"` in
    /// `timeseries.csv`).
    pub baseline: StrategySeries,
    /// In the order of `summary.strategies`.
    pub series: Vec<StrategySeries>,
    pub degrees: Vec<DegreeRow>,
    /// Empty without a budget sweep.
    pub budgets: Vec<BudgetPoint>,
    /// Text of `scenario.resolved.toml`.
    pub resolved_toml: String,
}

/// One row of `sweep.csv`: one strategy at one point of a `[sweep]`.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepRow {
    /// The point's number (from 1, grid order).
    pub point: usize,
    /// The point's value of each swept key, as text, in the sweep's key order.
    pub values: Vec<String>,
    pub strategy: String,
    /// Final reach, bad reach and action.
    pub reached: Stat,
    pub reached_bad: Stat,
    pub acted: Stat,
    /// Lift over the no-campaign world: reach, and action beyond the seeds.
    pub lift_reached: Stat,
    pub lift_acted_beyond_seeds: Stat,
}

impl SweepRow {
    /// The row of `strategy` (from a point's `summary.json`) at `point`.
    pub fn of(point: usize, values: &[String], strategy: &StrategySummary) -> Self {
        SweepRow {
            point,
            values: values.to_vec(),
            strategy: strategy.name.clone(),
            reached: strategy.final_.reached.stat(),
            reached_bad: strategy.final_.reached_bad.stat(),
            acted: strategy.final_.acted.stat(),
            lift_reached: strategy.lift.reached,
            lift_acted_beyond_seeds: strategy.lift.acted_beyond_seeds,
        }
    }

    /// The no-campaign world's row at `point`, named `name`: its final
    /// values, and lifts of 0 (it is the reference of every lift).
    pub fn baseline(point: usize, values: &[String], name: &str, baseline: &Baseline) -> Self {
        let zero = Stat { mean: 0.0, sd: 0.0, ci95_low: 0.0, ci95_high: 0.0 };
        SweepRow {
            point,
            values: values.to_vec(),
            strategy: name.to_string(),
            reached: baseline.final_.reached.stat(),
            reached_bad: baseline.final_.reached_bad.stat(),
            acted: baseline.final_.acted.stat(),
            lift_reached: zero,
            lift_acted_beyond_seeds: zero,
        }
    }
}
