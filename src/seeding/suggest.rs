//! Who to recruit next (`womsim run --suggest K`): the K people whose
//! addition to a strategy's seed set adds the most, by the CELF lazy greedy
//! of [`super::greedy`] continued from that set.
//!
//! Estimator: the same Monte Carlo oracle as the `greedy` strategy
//! ([`ModelOracle`]: the scenario's model, R replicates with the greedy
//! strategy's common random numbers `(seed, "seeding", [strategy_key,
//! 2^64 − 2, r])`), evaluated on the strategy's seeds S plus the picks so
//! far. The objective is the strategy's own if it is `greedy`, else
//! `lift_action` (action caused beyond the seeds). Pick i's marginal lift is
//! `σ(S ∪ P_i) − σ(S ∪ P_{i−1})`, the mean over the R replicates of the
//! paired per-replicate differences; its Monte Carlo standard error is their
//! sample standard deviation / √R (common random numbers make the pair's
//! difference far less noisy than either value). Under a cost budget
//! candidates are ranked by marginal lift per unit of cost (benefit/cost
//! CELF), and each one's cost is the strategy's cost model (or the
//! population file's cost); the list is not cut at the budget — it is what
//! to add if the budget grows.
//!
//! Because the oracle and its streams are greedy's, a `greedy` strategy of
//! budget k followed by `--suggest 1` proposes exactly the seed greedy with
//! budget k + 1 would pick next (same name, same replicates).

use super::greedy::{Celf, ModelOracle, SpreadOracle};
use super::{Budget, Objective, Picker, SeedingContext, StrategyKind, StrategySpec};

/// Monte Carlo replicates of the estimate when the strategy is not `greedy`
/// (a `greedy` strategy's own `replicates` is used otherwise).
pub const DEFAULT_REPLICATES: u32 = 200;

/// One suggested person.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// Dense node id.
    pub node: u32,
    /// 1-based rank (pick order).
    pub rank: u32,
    /// Estimated marginal lift of adding this person after the strategy's
    /// seeds and the higher-ranked suggestions.
    pub marginal_lift: f64,
    /// Its Monte Carlo standard error.
    pub marginal_lift_se: f64,
    /// What making this person an ambassador costs.
    pub cost: f64,
}

/// The strategy's seed set `seeds` plus the candidates being tried.
struct WithBase<'a> {
    oracle: &'a ModelOracle<'a>,
    base: &'a [u32],
}

impl WithBase<'_> {
    fn joined(&self, seeds: &[u32]) -> Vec<u32> {
        self.base.iter().chain(seeds).copied().collect()
    }
}

impl SpreadOracle for WithBase<'_> {
    type Scratch = <ModelOracle<'static> as SpreadOracle>::Scratch;

    fn scratch(&self) -> Self::Scratch {
        self.oracle.scratch()
    }

    fn spread(&self, seeds: &[u32], s: &mut Self::Scratch) -> f64 {
        self.oracle.spread(&self.joined(seeds), s)
    }
}

/// The objective and replicates of the estimate for `spec`.
pub fn estimate_of(spec: &StrategySpec) -> (Objective, u32) {
    match spec.kind {
        StrategyKind::Greedy { objective, replicates } => (objective, replicates),
        _ => (Objective::LiftAction, DEFAULT_REPLICATES),
    }
}

/// Up to `k` people from the strategy's pool (minus `seeds`) whose addition
/// to `seeds` adds the most, in pick order. Cost: |pool| × R simulations in
/// the first round, then a few × R per pick, plus 2R per pick for the error.
pub fn suggest(ctx: &SeedingContext<'_>, spec: &StrategySpec, seeds: &[u32], k: usize) -> Vec<Suggestion> {
    let (objective, replicates) = estimate_of(spec);
    let oracle = ModelOracle::new(ctx, objective, replicates);
    let pool: Vec<u32> = super::effective_pool(ctx, spec).into_iter().filter(|u| !seeds.contains(u)).collect();
    let (g, pop, cost_model) = (ctx.graph, ctx.population, spec.cost);
    let cost = move |u: u32| cost_model.cost(g, pop, u);
    let wb = WithBase { oracle: &oracle, base: seeds };
    let mut celf = Celf::with_oracle(&wb, pool);
    if matches!(spec.budget, Budget::Cost(_)) {
        let costs: Vec<f64> = (0..g.n()).map(cost).collect();
        celf = celf.per_cost(move |u| costs[u as usize]);
    }
    let mut out = Vec::with_capacity(k);
    let mut scratch = oracle.scratch();
    let mut before = oracle.per_replicate(seeds, &mut scratch);
    while out.len() < k {
        let Ok(Some(u)) = celf.next(&|_| true) else { break };
        let after = oracle.per_replicate(&wb.joined(celf.seeds()), &mut scratch);
        let diffs: Vec<f64> = after.iter().zip(&before).map(|(a, b)| a - b).collect();
        let d = crate::stats::summarize(&diffs);
        out.push(Suggestion {
            node: u,
            rank: out.len() as u32 + 1,
            marginal_lift: d.mean,
            marginal_lift_se: d.sd / (diffs.len() as f64).sqrt(),
            cost: cost(u),
        });
        before = after;
    }
    out
}
