//! `greedy`: CELF lazy greedy (Leskovec et al., KDD 2007) on a Monte Carlo
//! estimate of the scenario's own objective.
//!
//! The spread `σ(S)` of a seed set is the mean, over `R` replicates, of the
//! objective (reach or action) in the last row of a `steps`-step
//! [`Trajectory`] of the scenario's model. Every evaluation uses the same
//! replicate keys `derive_key(seed, "seeding", [strategy_index, r])`, r in
//! 0..R (common random numbers), so differences between candidates are not
//! swamped by sampling noise and the estimate is a deterministic function of
//! the seed set.
//!
//! CELF: the first round estimates `σ({v}) − σ(∅)` for every candidate (in
//! parallel with rayon; each value is computed independently and collected
//! in candidate order, so the result does not depend on the thread count).
//! Later rounds pop the best stale gain, recompute it against the current
//! seed set and push it back, until the top entry is fresh — lazily valid
//! because marginal gains only shrink as the set grows (submodularity; with a
//! finite Monte Carlo sample this holds approximately, which is the usual
//! CELF trade-off). Ties go to the lower id.
//!
//! Cost: `P` candidates × `R` simulations in the first round, then typically
//! a handful of re-evaluations per pick. The candidates are the whole pool;
//! on large pools this is expensive (P · R simulations) — prefer `ris` or
//! `degree_discount` there, or restrict the pool.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rayon::prelude::*;

use super::{Objective, OrdF64, Picker, SeedingContext, SeedingError};
use crate::metrics::{Metric, Trajectory};
use crate::models::{self, ic, IcParams, ModelSpec, ReplicateInput};
use crate::rng::{self, purpose};

/// Something that estimates the spread of a seed set. Implemented by the
/// scenario model ([`ModelOracle`]); tests plug in reference models.
pub trait SpreadOracle: Sync {
    /// Per-worker reusable state.
    type Scratch: Send;
    /// Fresh scratch space.
    fn scratch(&self) -> Self::Scratch;
    /// Estimated spread of `seeds`. Must be a deterministic function of `seeds`.
    fn spread(&self, seeds: &[u32], scratch: &mut Self::Scratch) -> f64;
}

/// Monte Carlo estimate with the scenario's model, `replicates` runs of
/// `ctx.steps` steps with common random numbers.
pub struct ModelOracle<'a> {
    ctx: SeedingContext<'a>,
    objective: Objective,
    keys: Vec<u64>,
}

impl<'a> ModelOracle<'a> {
    /// Oracle for the strategy described by `ctx`.
    pub fn new(ctx: &SeedingContext<'a>, objective: Objective, replicates: u32) -> Self {
        let keys = (0..u64::from(replicates))
            .map(|r| rng::derive_key(ctx.seed, purpose::SEEDING, &[u64::from(ctx.strategy_index), r]))
            .collect();
        ModelOracle { ctx: *ctx, objective, keys }
    }
}

/// Scratch space of [`ModelOracle`].
pub struct OracleScratch {
    model: models::Scratch,
    traj: Trajectory,
    ic: Option<ic::Scratch>,
}

impl ModelOracle<'_> {
    /// The IC parameters when `ic::final_reach` gives exactly what a
    /// `steps`-step trajectory ends with: every step of a live cascade
    /// activates at least one new node, so a cascade has died by step
    /// `n`; with `steps >= n` the trajectory always sees it end. In IC,
    /// action = reach, so both objectives are the final reach.
    fn fast_ic(&self) -> Option<&IcParams> {
        match self.ctx.model {
            ModelSpec::IndependentCascade(p) if self.ctx.steps as usize >= self.ctx.graph.len() => Some(p),
            _ => None,
        }
    }
}

impl SpreadOracle for ModelOracle<'_> {
    type Scratch = OracleScratch;

    fn scratch(&self) -> Self::Scratch {
        OracleScratch {
            model: models::Scratch::default(),
            traj: Trajectory::new(self.ctx.steps),
            ic: self.fast_ic().map(|_| ic::Scratch::new(self.ctx.graph.len())),
        }
    }

    fn spread(&self, seeds: &[u32], s: &mut Self::Scratch) -> f64 {
        let metric = match self.objective {
            Objective::Reach => Metric::Reached,
            Objective::Action | Objective::LiftAction => Metric::Acted,
        };
        let mut total = 0.0;
        if let (Some(p), Some(ics)) = (self.fast_ic(), s.ic.as_mut()) {
            // No trajectory rows to write: only the cascade itself.
            for &key in &self.keys {
                total += f64::from(ic::final_reach(p, self.ctx.graph, seeds, key, ics));
            }
            return total / self.keys.len() as f64;
        }
        for &key in &self.keys {
            let input =
                ReplicateInput { graph: self.ctx.graph, population: self.ctx.population, seeds, dynamics_key: key };
            models::simulate(self.ctx.model, &input, &mut s.model, &mut s.traj);
            total += s.traj.last()[metric.idx()];
        }
        total / self.keys.len() as f64
    }
}

/// CELF lazy greedy over `pool`, as a `Picker`.
pub struct Celf<O: SpreadOracle> {
    oracle: O,
    pool: Vec<u32>,
    scratch: Option<O::Scratch>,
    /// (marginal gain, id, size of the seed set it was computed against).
    heap: BinaryHeap<(OrdF64, Reverse<u32>, usize)>,
    seeds: Vec<u32>,
    /// σ(current seeds).
    current: f64,
    started: bool,
    /// Number of spread evaluations so far (for diagnostics and tests).
    pub evaluations: u64,
}

impl<O: SpreadOracle> Celf<O> {
    /// Lazy greedy over the candidates `pool`.
    pub fn with_oracle(oracle: O, pool: Vec<u32>) -> Self {
        Celf {
            oracle,
            pool,
            scratch: None,
            heap: BinaryHeap::new(),
            seeds: Vec::new(),
            current: 0.0,
            started: false,
            evaluations: 0,
        }
    }

    /// Seeds picked so far, in pick order.
    pub fn seeds(&self) -> &[u32] {
        &self.seeds
    }

    /// Estimated spread of the seeds picked so far.
    pub fn spread(&self) -> f64 {
        self.current
    }

    /// Pick up to `k` seeds (fewer only if the pool is smaller).
    pub fn run(&mut self, k: usize) -> &[u32] {
        while self.seeds.len() < k {
            match self.pick(&|_| true) {
                Some(_) => {}
                None => break,
            }
        }
        &self.seeds
    }

    fn start(&mut self) {
        let mut scratch = self.oracle.scratch();
        self.current = self.oracle.spread(&[], &mut scratch);
        self.scratch = Some(scratch);
        let oracle = &self.oracle;
        let base = self.current;
        let gains: Vec<f64> =
            self.pool.par_iter().map_init(|| oracle.scratch(), |s, &u| oracle.spread(&[u], s) - base).collect();
        self.evaluations += 1 + self.pool.len() as u64;
        self.heap = self.pool.iter().zip(gains).map(|(&u, g)| (OrdF64(g), Reverse(u), 0usize)).collect();
        self.started = true;
    }

    fn pick(&mut self, fits: &dyn Fn(u32) -> bool) -> Option<u32> {
        if !self.started {
            self.start();
        }
        let mut with: Vec<u32> = Vec::with_capacity(self.seeds.len() + 1);
        while let Some((gain, Reverse(u), round)) = self.heap.pop() {
            if !fits(u) {
                continue;
            }
            if round == self.seeds.len() {
                self.seeds.push(u);
                self.current += gain.0;
                return Some(u);
            }
            with.clear();
            with.extend_from_slice(&self.seeds);
            with.push(u);
            let scratch = self.scratch.as_mut().expect("started");
            let g = self.oracle.spread(&with, scratch) - self.current;
            self.evaluations += 1;
            self.heap.push((OrdF64(g), Reverse(u), self.seeds.len()));
        }
        None
    }
}

impl<O: SpreadOracle> Picker for Celf<O> {
    fn next(&mut self, fits: &dyn Fn(u32) -> bool) -> Result<Option<u32>, SeedingError> {
        Ok(self.pick(fits))
    }
}

/// The `greedy` strategy with the scenario's own model.
pub(super) fn model_greedy<'a>(
    ctx: &SeedingContext<'a>,
    pool: Vec<u32>,
    objective: Objective,
    replicates: u32,
) -> Celf<ModelOracle<'a>> {
    Celf::with_oracle(ModelOracle::new(ctx, objective, replicates), pool)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::generators::{generate, GeneratorSpec};
    use crate::models::EdgeProb;
    use crate::population::Population;

    #[test]
    fn fast_ic_path_gives_exactly_the_trajectory_estimate() {
        let g = generate(&GeneratorSpec::ErdosRenyi { nodes: 60, mean_degree: 4.0 }, 3).unwrap();
        let pop = Population::community(g.len());
        let model = ModelSpec::IndependentCascade(IcParams { prob: EdgeProb::Uniform(0.3) });
        let ctx = SeedingContext { graph: &g, population: &pop, model: &model, steps: 60, seed: 9, strategy_index: 1 };
        for objective in [Objective::Reach, Objective::Action] {
            let oracle = ModelOracle::new(&ctx, objective, 200);
            assert!(oracle.fast_ic().is_some());
            let mut fast = oracle.scratch();
            let mut slow = oracle.scratch();
            slow.ic = None;
            let mut any = false;
            for seeds in [&[0u32][..], &[1, 2], &[5, 17, 40], &[]] {
                let (a, b) = (oracle.spread(seeds, &mut fast), oracle.spread(seeds, &mut slow));
                assert_eq!(a, b, "seeds {seeds:?}");
                any |= a > seeds.len() as f64 + 1.0;
            }
            assert!(any, "some cascade must spread");
        }
        // Too few steps to be sure every cascade has ended: no fast path.
        let short = SeedingContext { steps: 59, ..ctx };
        assert!(ModelOracle::new(&short, Objective::Reach, 1).fast_ic().is_none());
    }
}
