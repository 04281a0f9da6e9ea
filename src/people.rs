//! Per-person results (`[output] people = true`): for the no-campaign world
//! and each strategy, how often each person heard good news, heard bad
//! news, acted and was a seed, over all replicates (with `[uncertain]`, over
//! all draws × replicates).
//!
//! The counts are exact integers: each replicate's final model state is
//! inspected as it finishes ([`crate::runner`]'s `inspect`) and added into
//! one atomic counter per person and field. Addition commutes, so the
//! totals do not depend on which thread finishes first; memory is
//! O(nodes) per world, never O(nodes × replicates).
//!
//! "Heard good / bad" is the valence a person *ended* the replicate with
//! ([`crate::models::heard`]: in the chain model the sign of their opinion,
//! exactly how `reached_good` / `reached_bad` count), so `p_heard_good +
//! p_heard_bad` is the probability of being reached at all.
//!
//! The tally replays the replicates of the run (same streams, so the same
//! cascades): it costs one more simulation per replicate of every world,
//! which is why it is opt-in.

use std::sync::atomic::{AtomicU32, Ordering};

use crate::models;
use crate::pipeline::{Cell, World};
use crate::runner;

/// One world's per-person counts over `replicates` replicates.
#[derive(Debug, Clone, PartialEq)]
pub struct PeopleCounts {
    /// `(no campaign)` or the strategy's name.
    pub world: String,
    pub replicates: u32,
    /// Per node: replicates in which it ended having heard good news.
    pub good: Vec<u32>,
    /// Per node: replicates in which it ended having heard bad news.
    pub bad: Vec<u32>,
    /// Per node: replicates in which it acted.
    pub acted: Vec<u32>,
    /// Per node: replicates in which it was one of the seeds.
    pub seeded: Vec<u32>,
}

impl PeopleCounts {
    /// `count / replicates` (0 with no replicates).
    pub fn p(&self, count: u32) -> f64 {
        if self.replicates == 0 {
            0.0
        } else {
            f64::from(count) / f64::from(self.replicates)
        }
    }
}

fn counters(n: usize) -> Vec<AtomicU32> {
    (0..n).map(|_| AtomicU32::new(0)).collect()
}

fn load(c: Vec<AtomicU32>) -> Vec<u32> {
    c.into_iter().map(AtomicU32::into_inner).collect()
}

/// Tally one world: replicate r starts from `seeds_of(r)`. Cost: one
/// simulation plus O(n) per replicate.
pub fn tally<'s>(world: &World<'_>, name: &str, seeds_of: &(dyn Fn(u32) -> &'s [u32] + Sync)) -> PeopleCounts {
    let n = world.graph.len();
    let (good, bad, acted, seeded) = (counters(n), counters(n), counters(n), counters(n));
    let all: Vec<u32> = (0..world.cfg.replicates).collect();
    runner::run_replicate_list(
        &|r| world.model_of(r),
        world.graph,
        world.population,
        seeds_of,
        &world.cfg,
        &all,
        &|| {},
        &|r, scratch| {
            let model = world.model_of(r);
            for v in 0..n as u32 {
                match models::heard(model, scratch, v) {
                    Some(true) => bad[v as usize].fetch_add(1, Ordering::Relaxed),
                    Some(false) => good[v as usize].fetch_add(1, Ordering::Relaxed),
                    None => 0,
                };
                if models::has_acted(model, scratch, v) {
                    acted[v as usize].fetch_add(1, Ordering::Relaxed);
                }
            }
            for &u in seeds_of(r) {
                seeded[u as usize].fetch_add(1, Ordering::Relaxed);
            }
        },
    );
    PeopleCounts {
        world: name.to_string(),
        replicates: world.cfg.replicates,
        good: load(good),
        bad: load(bad),
        acted: load(acted),
        seeded: load(seeded),
    }
}

/// The no-campaign world, then each strategy as given (budget-sweep points
/// are left out: they are the same strategies at other budgets).
pub fn tally_all(world: &World<'_>, cells: &[Cell]) -> Vec<PeopleCounts> {
    let mut out = vec![tally(world, crate::pipeline::BASELINE, &|_| &[])];
    for c in cells.iter().filter(|c| c.sweep_budget.is_none()) {
        out.push(tally(world, &c.spec.name, &|r| c.seeds.of(r).seeds.as_slice()));
    }
    out
}
