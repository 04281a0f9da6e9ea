//! Monte Carlo replicates, in parallel and deterministic.
//!
//! Replicate `r` of every strategy uses the dynamics stream
//! `("dynamics", r)`, so strategies compared in one run face the same
//! randomness (common random numbers) and their differences are paired.
//! Replicates run on the caller's rayon pool (the library never builds a
//! global pool); results are collected in replicate order, so output is
//! byte-identical at any thread count.

use rayon::prelude::*;

use crate::graph::Graph;
use crate::metrics::Trajectory;
use crate::models::{self, ModelSpec, ReplicateInput, Scratch};
use crate::population::Population;
use crate::rng::{self, purpose};

/// How many replicates of how many steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunConfig {
    /// Steps per replicate (rows = steps + 1).
    pub steps: u32,
    /// Number of Monte Carlo replicates.
    pub replicates: u32,
    /// Scenario seed.
    pub seed: u64,
}

/// Key of replicate `r`'s dynamics stream.
pub fn dynamics_key(seed: u64, replicate: u32) -> u64 {
    rng::derive_key(seed, purpose::DYNAMICS, &[u64::from(replicate)])
}

/// Run `cfg.replicates` replicates of `model`; replicate `r` starts from
/// `seeds_of(r)` and uses the dynamics stream [`dynamics_key`]`(seed, r)`.
/// `inspect(r, scratch)` sees the model's state at the end of replicate r
/// (e.g. [`models::has_acted`]); `progress` is called once per finished
/// replicate (from worker threads). Returns `(trajectory, inspected)` per
/// replicate, in replicate order.
///
/// Cost: replicates × (one simulation); memory: the stored rows of every
/// trajectory (up to quiescence).
pub fn run_replicates<'s, T: Send>(
    model: &ModelSpec,
    graph: &Graph,
    population: &Population,
    seeds_of: &(dyn Fn(u32) -> &'s [u32] + Sync),
    cfg: &RunConfig,
    progress: &(dyn Fn() + Sync),
    inspect: &(dyn Fn(u32, &Scratch) -> T + Sync),
) -> Vec<(Trajectory, T)> {
    let all: Vec<u32> = (0..cfg.replicates).collect();
    run_replicate_list(&|_| model, graph, population, seeds_of, cfg, &all, progress, inspect)
}

/// [`run_replicates`] for the replicates in `list` only (e.g. one shard's),
/// results in `list` order. Replicate `r` is the same simulation whichever
/// list it is run in. Replicate `r` runs `model_of(r)` (one model for all,
/// or, with `[uncertain]`, its draw's).
#[allow(clippy::too_many_arguments)]
pub fn run_replicate_list<'s, 'm, T: Send>(
    model_of: &(dyn Fn(u32) -> &'m ModelSpec + Sync),
    graph: &Graph,
    population: &Population,
    seeds_of: &(dyn Fn(u32) -> &'s [u32] + Sync),
    cfg: &RunConfig,
    list: &[u32],
    progress: &(dyn Fn() + Sync),
    inspect: &(dyn Fn(u32, &Scratch) -> T + Sync),
) -> Vec<(Trajectory, T)> {
    list.par_iter()
        .map_init(
            // The worker's trajectory is reused (it keeps its capacity), and
            // each replicate's rows are copied out once at their final size:
            // no reallocation while a cascade grows.
            || (Scratch::default(), Trajectory::new(cfg.steps)),
            |(scratch, work), &r| {
                let input =
                    ReplicateInput { graph, population, seeds: seeds_of(r), dynamics_key: dynamics_key(cfg.seed, r) };
                models::simulate(model_of(r), &input, scratch, work);
                let seen = inspect(r, scratch);
                progress();
                (work.clone(), seen)
            },
        )
        .collect()
}
