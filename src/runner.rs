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

/// Run `cfg.replicates` replicates of `model` from `seeds`; returns one
/// trajectory per replicate, in replicate order. `progress` is called once
/// per finished replicate (from worker threads).
///
/// Cost: replicates × (one simulation); memory: replicates × (steps + 1) rows.
pub fn run_replicates(
    model: &ModelSpec,
    graph: &Graph,
    population: &Population,
    seeds: &[u32],
    cfg: &RunConfig,
    progress: &(dyn Fn() + Sync),
) -> Vec<Trajectory> {
    (0..cfg.replicates)
        .into_par_iter()
        .map_init(Scratch::default, |scratch, r| {
            let input = ReplicateInput { graph, population, seeds, dynamics_key: dynamics_key(cfg.seed, r) };
            let mut out = Trajectory::new(cfg.steps);
            models::simulate(model, &input, scratch, &mut out);
            progress();
            out
        })
        .collect()
}
