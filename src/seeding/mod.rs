//! Seeding strategies: whom to make ambassadors (or initial adopters).
//!
//! A strategy ([`StrategySpec`]) ranks the members of a **pool** (friends of
//! the organization in the relationship-chain model, everyone in the classic
//! models) and [`select`] takes them in that preference order until the
//! **budget** is spent:
//!
//! * [`Budget::People`]`(k)`: exactly `k` distinct nodes, or
//!   [`SeedingError::NotEnough`] when the pool (or a strategy's band) holds
//!   fewer.
//! * [`Budget::Cost`]`(c)`: nodes are considered in preference order and a node
//!   is added only if its cost ([`CostModel`]) fits in what is left; nodes that
//!   do not fit are skipped (for good: the remaining budget only shrinks) and
//!   the walk continues, so cheaper nodes further down the order can still be
//!   taken. Adaptive strategies (degree discount, greedy, RIS) recompute their
//!   preference after each accepted node, exactly as with a people budget.
//!   A relative slack of 1e-9 absorbs float rounding in the running sum.
//!
//! Ties are always broken by dense node id, ascending. The only randomness is
//! the seeding stream `rng::stream(seed, "seeding", &[strategy_key(name), …])`
//! (one more part, the replicate, when seeds are drawn per replicate),
//! and nothing depends on the number of threads (parallel parts compute
//! independent pieces keyed by index and combine them in index order).
//!
//! Strategies and their cost (n nodes, E arcs, P pool size, k seeds):
//!
//! | kind | order | time |
//! |---|---|---|
//! | `random` | uniform (partial Fisher–Yates) | O(P + k) |
//! | `top_degree` | followers (out-degree), highest first | O(P log P) |
//! | `magic_middle` | followers inside a band, random or highest first | O(P log P) |
//! | `friends_of_random` | a random pool member's random source | O(P + E) worst |
//! | `degree_discount` | Chen, Wang & Yang 2009 | O(n + (k + Σ deg of picks) log P) |
//! | `pagerank` | PageRank of the "who hears whom" direction | O(V + E) per iteration |
//! | `kcore` | core number, then followers | O(V + E) |
//! | `greedy` | CELF lazy greedy on Monte Carlo estimates (cost budget: the better of unit-cost and benefit/cost CELF) | O(P · R · sim) first round |
//! | `ris` | IMM reverse-reachable sets | O((k + ℓ)(n + E) log n / ε²) expected |
//! | `explicit` | the given original ids, in order | O(n + list) |
//!
//! Details: module `order` (fixed orders and simple randomness), [`centrality`],
//! [`greedy`], [`ris`].

mod order;

pub mod centrality;
pub mod greedy;
pub mod ris;
pub mod suggest;

use crate::graph::Graph;
use crate::models::ModelSpec;
use crate::population::Population;

/// Where seeds are picked from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pool {
    /// Friends of the organization (default in the relationship-chain model).
    Friends,
    /// Every node (default in the classic models).
    Everyone,
}

/// A degree band for `magic_middle`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Band {
    /// Follower counts in `[lo, hi]` (inclusive).
    Degree(u32, u32),
    /// Follower-count percentiles in `[lo, hi]` (0–100), over the pool.
    Percentile(f64, f64),
}

/// How to pick inside a band.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    /// Uniformly at random.
    Random,
    /// Highest follower count first (ties by id).
    Highest,
}

/// Objective of `greedy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Objective {
    /// Expected final reach.
    Reach,
    /// Expected final action (seeds included, as `final.acted`).
    Action,
    /// Expected action caused beyond the seeds themselves: action minus
    /// the number of seeds (the no-campaign baseline is the same for every
    /// seed set, so it does not change the ranking). Differs from `Action`
    /// only under a cost budget, where the number of seeds varies.
    LiftAction,
}

impl Objective {
    /// Scenario name (`objective = "..."`).
    pub fn name(self) -> &'static str {
        match self {
            Objective::Reach => "reach",
            Objective::Action => "action",
            Objective::LiftAction => "lift_action",
        }
    }
}

/// When a chance-based strategy draws its seeds (`reseed`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reseed {
    /// A fresh seed set for every replicate (from the stream keyed by the
    /// scenario seed, the strategy's name and the replicate), so confidence
    /// intervals include the luck of the draw.
    PerReplicate,
    /// One seed set for the whole run ("these exact people").
    Once,
}

impl Reseed {
    /// Scenario name.
    pub fn name(self) -> &'static str {
        match self {
            Reseed::PerReplicate => "per_replicate",
            Reseed::Once => "once",
        }
    }
}

/// A strategy kind and its parameters.
#[derive(Debug, Clone, PartialEq)]
pub enum StrategyKind {
    /// No seeds at all (budget 0, cost 0): the no-campaign world, usable as
    /// a reference strategy.
    None,
    Random,
    TopDegree,
    MagicMiddle {
        band: Band,
        pick: Pick,
    },
    FriendsOfRandom,
    /// Degree discount (Chen, Wang & Yang 2009) with propagation probability `p`.
    DegreeDiscount {
        p: f64,
    },
    PageRank {
        damping: f64,
        tolerance: f64,
        max_iter: u32,
    },
    KCore,
    /// CELF lazy greedy with `replicates` Monte Carlo runs per evaluation.
    Greedy {
        objective: Objective,
        replicates: u32,
    },
    /// IMM reverse-reachable sets with accuracy `epsilon` and confidence exponent `ell`.
    Ris {
        epsilon: f64,
        ell: f64,
    },
    /// Given nodes, as original ids (already read from a file if one was given).
    Explicit {
        nodes: Vec<String>,
    },
}

impl StrategyKind {
    /// Scenario name of the kind.
    pub fn name(&self) -> &'static str {
        match self {
            StrategyKind::None => "none",
            StrategyKind::Random => "random",
            StrategyKind::TopDegree => "top_degree",
            StrategyKind::MagicMiddle { .. } => "magic_middle",
            StrategyKind::FriendsOfRandom => "friends_of_random",
            StrategyKind::DegreeDiscount { .. } => "degree_discount",
            StrategyKind::PageRank { .. } => "pagerank",
            StrategyKind::KCore => "kcore",
            StrategyKind::Greedy { .. } => "greedy",
            StrategyKind::Ris { .. } => "ris",
            StrategyKind::Explicit { .. } => "explicit",
        }
    }
}

impl StrategyKind {
    /// Whether the pick involves chance (so that a fresh draw per replicate
    /// is meaningful): `random`, `magic_middle` with `pick = "random"`,
    /// `friends_of_random`. Greedy and RIS use Monte Carlo estimates but aim
    /// at one best set; they keep one seed set.
    pub fn is_chance_based(&self) -> bool {
        matches!(
            self,
            StrategyKind::Random | StrategyKind::FriendsOfRandom | StrategyKind::MagicMiddle { pick: Pick::Random, .. }
        )
    }

    /// The default `reseed`: per replicate for chance-based kinds, once
    /// otherwise.
    pub fn default_reseed(&self) -> Reseed {
        if self.is_chance_based() {
            Reseed::PerReplicate
        } else {
            Reseed::Once
        }
    }
}

/// Cost of making someone an ambassador: `base + per_follower * followers`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CostModel {
    pub base: f64,
    pub per_follower: f64,
}

impl Default for CostModel {
    fn default() -> Self {
        CostModel { base: 1.0, per_follower: 0.0 }
    }
}

impl CostModel {
    /// Cost of node `u`: its own cost from the population file if it has
    /// one (`population.file`'s `cost` column), else the formula.
    pub fn cost(&self, g: &Graph, pop: &Population, u: u32) -> f64 {
        pop.cost_override(u).unwrap_or_else(|| self.base + self.per_follower * f64::from(g.followers(u)))
    }
}

/// A budget: a number of people, or cost units under a cost model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Budget {
    People(u32),
    Cost(f64),
}

/// One strategy to run.
#[derive(Debug, Clone, PartialEq)]
pub struct StrategySpec {
    pub name: String,
    pub kind: StrategyKind,
    /// `None` = the model's default pool.
    pub pool: Option<Pool>,
    pub budget: Budget,
    pub cost: CostModel,
    /// When the seeds are drawn (always `Once` for deterministic kinds).
    pub reseed: Reseed,
}

/// Everything a strategy may look at.
#[derive(Debug, Clone, Copy)]
pub struct SeedingContext<'a> {
    pub graph: &'a Graph,
    pub population: &'a Population,
    pub model: &'a ModelSpec,
    /// Steps per simulation (for greedy's Monte Carlo).
    pub steps: u32,
    /// Scenario seed.
    pub seed: u64,
    /// The strategy's part of its seeding stream key: [`strategy_key`] of its
    /// name, so a strategy's seeds do not depend on its position in the file.
    pub strategy_key: u64,
    /// `Some(r)`: the seed set drawn for replicate `r` (`reseed =
    /// "per_replicate"`), from the stream `(seed, "seeding", [strategy_key,
    /// r])`; `None`: the one seed set of the run, from `(seed, "seeding",
    /// [strategy_key])`.
    pub draw: Option<u32>,
    /// Told how many simulations a strategy that chooses by simulation
    /// (`greedy`) has just run, so a caller can show progress.
    pub progress: Option<SimulationProgress<'a>>,
}

/// A progress callback: `n` more simulations done (called from worker
/// threads).
#[derive(Clone, Copy)]
pub struct SimulationProgress<'a>(pub &'a (dyn Fn(u64) + Sync));

impl std::fmt::Debug for SimulationProgress<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SimulationProgress")
    }
}

/// The seeding-stream part of a strategy named `name` (FNV-1a of the name).
pub fn strategy_key(name: &str) -> u64 {
    crate::rng::hash_str(name)
}

/// Seeds picked by a strategy and what they cost.
#[derive(Debug, Clone, PartialEq)]
pub struct Selection {
    /// Dense node ids, in pick order.
    pub seeds: Vec<u32>,
    /// Total cost under the strategy's cost model.
    pub cost: f64,
}

/// Why a strategy could not pick its seeds.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum SeedingError {
    #[error("the pool holds {available} eligible nodes but the budget asks for {budget}")]
    NotEnough { available: usize, budget: u64 },
    /// `magic_middle`: the band holds fewer pool members than the budget.
    /// `band` describes it, e.g. `20–100 followers`.
    #[error("the band {band} holds {available} nodes of the pool, fewer than the budget {budget}")]
    BandTooSmall { band: String, available: usize, budget: u64 },
    #[error("node id {0:?} is not in the network")]
    UnknownNode(String),
    #[error("{0}")]
    Invalid(String),
}

/// The pool a strategy picks from: `spec.pool`, or the model's default
/// ([`Pool::Friends`] when the model has roles, [`Pool::Everyone`] otherwise).
/// Dense ids, ascending. O(n).
pub fn effective_pool(ctx: &SeedingContext<'_>, spec: &StrategySpec) -> Vec<u32> {
    match pool_kind(ctx, spec) {
        Pool::Everyone => (0..ctx.graph.n()).collect(),
        Pool::Friends => ctx.population.friends().collect(),
    }
}

/// The follower-count band `[lo, hi]` (inclusive) a `magic_middle`
/// strategy picks from, with percentile bands resolved over its pool;
/// `None` for other kinds. O(P log P) for percentile bands.
pub fn band_followers(spec: &StrategySpec, ctx: &SeedingContext<'_>) -> Option<[u32; 2]> {
    match spec.kind {
        StrategyKind::MagicMiddle { band, .. } => {
            let (lo, hi, _) = order::band_followers(ctx.graph, &effective_pool(ctx, spec), band);
            Some([lo, hi])
        }
        _ => None,
    }
}

/// The pool kind in effect for `spec`.
pub fn pool_kind(ctx: &SeedingContext<'_>, spec: &StrategySpec) -> Pool {
    spec.pool.unwrap_or(if ctx.model.has_roles() { Pool::Friends } else { Pool::Everyone })
}

/// Relative slack on cost budgets, so float rounding in the running sum of
/// costs never rejects a node that fits exactly (`0.1 + 0.2` vs `0.3`).
pub const COST_SLACK: f64 = 1e-9;

/// A source of candidates in a strategy's preference order.
///
/// `next` returns the most preferred remaining candidate for which `fits`
/// holds and commits it (adaptive strategies update their state as if it
/// were chosen). Candidates for which `fits` is false are dropped for good:
/// budgets only shrink, so a node that does not fit now never will.
/// `None` = no candidate left.
pub(crate) trait Picker {
    fn next(&mut self, fits: &dyn Fn(u32) -> bool) -> Result<Option<u32>, SeedingError>;
}

/// Pick seeds for `spec`: build the strategy's preference order over the
/// pool and take nodes from it until the budget is spent (see the module
/// docs for budget semantics). Deterministic in `(spec, ctx)`, whatever the
/// number of rayon threads.
pub fn select(spec: &StrategySpec, ctx: &SeedingContext<'_>) -> Result<Selection, SeedingError> {
    validate(spec)?;
    if spec.kind == StrategyKind::None {
        return Ok(Selection { seeds: Vec::new(), cost: 0.0 });
    }
    let g = ctx.graph;
    if ctx.population.len() != g.len() {
        return Err(SeedingError::Invalid(format!(
            "the population has {} nodes but the network has {}",
            ctx.population.len(),
            g.len()
        )));
    }
    let pool = match &spec.kind {
        // Explicit seeds are named by the user, who cannot know in advance who
        // the (randomly drawn) friends are: the pool applies only when set.
        StrategyKind::Explicit { .. } if spec.pool.is_none() => (0..g.n()).collect(),
        _ => effective_pool(ctx, spec),
    };
    if let Budget::People(k) = spec.budget {
        if pool.len() < k as usize {
            return Err(SeedingError::NotEnough { available: pool.len(), budget: u64::from(k) });
        }
    }
    // The most seeds the budget can buy (adaptive strategies size their work by it).
    let max_seeds = match spec.budget {
        Budget::People(k) => k as usize,
        Budget::Cost(c) => affordable(&pool, ctx, &spec.cost, c),
    };
    let mut picker: Box<dyn Picker + '_> = match &spec.kind {
        StrategyKind::None => unreachable!("handled above: no seeds"),
        StrategyKind::Random => Box::new(order::Shuffle::new(pool, order::rng_for(ctx))),
        StrategyKind::TopDegree => Box::new(order::top_degree(g, pool)),
        StrategyKind::MagicMiddle { band, pick } => order::magic_middle(ctx, pool, *band, *pick, spec.budget)?,
        StrategyKind::FriendsOfRandom => Box::new(order::FriendsOfRandom::new(ctx, pool, spec.budget)?),
        StrategyKind::DegreeDiscount { p } => Box::new(centrality::DegreeDiscount::new(g, &pool, *p)),
        StrategyKind::PageRank { damping, tolerance, max_iter } => {
            let pr = centrality::pagerank(g, *damping, *tolerance, *max_iter);
            Box::new(order::ranked_by(pool, |u| pr[u as usize]))
        }
        StrategyKind::KCore => {
            let core = centrality::core_numbers(g);
            Box::new(order::ranked_by(pool, |u| (core[u as usize], g.followers(u))))
        }
        StrategyKind::Greedy { objective, replicates } => match spec.budget {
            Budget::People(_) => Box::new(greedy::model_greedy(ctx, pool, *objective, *replicates)),
            // Under a cost budget the better of unit-cost and benefit/cost
            // CELF; its set fits the budget by construction.
            Budget::Cost(c) => Box::new(order::Order::new(greedy::model_greedy_cost(
                ctx,
                pool,
                *objective,
                *replicates,
                &spec.cost,
                c,
            ))),
        },
        StrategyKind::Ris { epsilon, ell } => Box::new(ris::imm(ctx, &pool, max_seeds, *epsilon, *ell)?),
        StrategyKind::Explicit { nodes } => Box::new(order::explicit(g, &pool, nodes, spec.pool.is_some())?),
    };
    let mut seeds = Vec::with_capacity(max_seeds);
    let mut spent = 0.0f64;
    match spec.budget {
        Budget::People(k) => {
            while seeds.len() < k as usize {
                match picker.next(&|_| true)? {
                    Some(u) => {
                        seeds.push(u);
                        spent += spec.cost.cost(g, ctx.population, u);
                    }
                    None => {
                        return Err(SeedingError::NotEnough { available: seeds.len(), budget: u64::from(k) });
                    }
                }
            }
        }
        Budget::Cost(c) => {
            let limit = c * (1.0 + COST_SLACK);
            loop {
                let fits = |u: u32| spent + spec.cost.cost(g, ctx.population, u) <= limit;
                match picker.next(&fits)? {
                    Some(u) => {
                        seeds.push(u);
                        spent += spec.cost.cost(g, ctx.population, u);
                    }
                    None => break,
                }
            }
            if seeds.is_empty() {
                let cheapest = cheapest_cost(ctx, spec);
                return Err(SeedingError::Invalid(format!(
                    "strategy {:?} ({}): the budget {c} buys nobody{}",
                    spec.name,
                    spec.kind.name(),
                    match cheapest {
                        Some(x) => format!(" (the cheapest node of the pool costs {x})"),
                        None => " (the pool is empty)".to_string(),
                    }
                )));
            }
        }
    }
    Ok(Selection { seeds, cost: spent })
}

/// Cheapest cost in the effective pool, for error messages.
fn cheapest_cost(ctx: &SeedingContext<'_>, spec: &StrategySpec) -> Option<f64> {
    effective_pool(ctx, spec).into_iter().map(|u| spec.cost.cost(ctx.graph, ctx.population, u)).min_by(f64::total_cmp)
}

/// How many pool members a cost budget can buy at most (the cheapest ones).
/// O(P log P).
fn affordable(pool: &[u32], ctx: &SeedingContext<'_>, cost: &CostModel, budget: f64) -> usize {
    let mut costs: Vec<f64> = pool.iter().map(|&u| cost.cost(ctx.graph, ctx.population, u)).collect();
    costs.sort_unstable_by(f64::total_cmp);
    let limit = budget * (1.0 + COST_SLACK);
    let mut spent = 0.0;
    let mut k = 0;
    for c in costs {
        if spent + c > limit {
            break;
        }
        spent += c;
        k += 1;
    }
    k
}

/// Parameter checks the engine cannot do without (the scenario layer gives
/// friendlier key-named messages first; these are the last line of defence).
fn validate(spec: &StrategySpec) -> Result<(), SeedingError> {
    let mut errs: Vec<String> = Vec::new();
    let name = &spec.name;
    let prob = |x: f64| (0.0..=1.0).contains(&x);
    if !(spec.cost.base.is_finite() && spec.cost.base >= 0.0) {
        errs.push(format!("cost.base = {}: must be a finite number >= 0", spec.cost.base));
    }
    if !(spec.cost.per_follower.is_finite() && spec.cost.per_follower >= 0.0) {
        errs.push(format!("cost.per_follower = {}: must be a finite number >= 0", spec.cost.per_follower));
    }
    if let Budget::Cost(c) = spec.budget {
        if !(c.is_finite() && c >= 0.0) {
            errs.push(format!("budget = {c}: a cost budget must be a finite number >= 0"));
        }
    }
    match &spec.kind {
        StrategyKind::MagicMiddle { band, .. } => match *band {
            Band::Degree(lo, hi) if lo > hi => {
                errs.push(format!("degree = [{lo}, {hi}]: the lower bound exceeds the upper bound"))
            }
            Band::Percentile(lo, hi) if !((0.0..=100.0).contains(&lo) && (0.0..=100.0).contains(&hi) && lo <= hi) => {
                errs.push(format!("percentile = [{lo}, {hi}]: must satisfy 0 <= lo <= hi <= 100"))
            }
            _ => {}
        },
        StrategyKind::DegreeDiscount { p } if !prob(*p) => {
            errs.push(format!("p = {p}: must be a probability in [0, 1]"))
        }
        StrategyKind::PageRank { damping, tolerance, max_iter } => {
            if !(0.0..1.0).contains(damping) {
                errs.push(format!("damping = {damping}: must be in [0, 1)"));
            }
            if !(tolerance.is_finite() && *tolerance > 0.0) {
                errs.push(format!("tolerance = {tolerance}: must be a finite number > 0"));
            }
            if *max_iter == 0 {
                errs.push("max_iter = 0: must be at least 1".to_string());
            }
        }
        StrategyKind::Greedy { replicates, .. } if *replicates == 0 => {
            errs.push("replicates = 0: greedy needs at least 1 Monte Carlo replicate".to_string())
        }
        StrategyKind::Ris { epsilon, ell } => {
            if !(epsilon.is_finite() && *epsilon > 0.0 && *epsilon < 1.0) {
                errs.push(format!("epsilon = {epsilon}: must be in (0, 1)"));
            }
            if !(ell.is_finite() && *ell > 0.0) {
                errs.push(format!("ell = {ell}: must be a finite number > 0"));
            }
        }
        _ => {}
    }
    if errs.is_empty() {
        Ok(())
    } else {
        let list: Vec<String> = errs.iter().map(|e| format!("strategy {name:?} ({}): {e}", spec.kind.name())).collect();
        Err(SeedingError::Invalid(list.join("\n")))
    }
}

/// `f64` with a total order (for heaps); NaN never occurs in our scores.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct OrdF64(pub f64);

impl Eq for OrdF64 {}

impl PartialOrd for OrdF64 {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for OrdF64 {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}
