//! Seeding strategies: whom to make ambassadors (or initial adopters).
//! TODO(seeding): implementations, docs, tests.
//!
//! Every strategy picks `budget` distinct nodes from a pool, breaking ties by
//! node id, with randomness from the `seeding` stream only.

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
    Reach,
    Action,
}

/// A strategy kind and its parameters.
#[derive(Debug, Clone, PartialEq)]
pub enum StrategyKind {
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
    /// Cost of node `u`.
    pub fn cost(&self, g: &Graph, u: u32) -> f64 {
        self.base + self.per_follower * f64::from(g.followers(u))
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
    /// Index of the strategy in the scenario (part of its seeding stream key).
    pub strategy_index: u32,
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
    #[error("node id {0:?} is not in the network")]
    UnknownNode(String),
    #[error("{0}")]
    Invalid(String),
}

/// Pick seeds for `spec`.
pub fn select(_spec: &StrategySpec, _ctx: &SeedingContext<'_>) -> Result<Selection, SeedingError> {
    todo!("seeding strategies")
}
