//! Discrete-time SIR (Reed–Frost style dynamics on a network).
//!
//! # Semantics
//!
//! * Step 0: the seeds are infected.
//! * During step `t` (t ≥ 1), in this order:
//!   1. every node infected at the end of step `t − 1` transmits to each of
//!      its listeners independently with probability `beta`; successes are
//!      located by geometric skip sampling over its listener slice using
//!      `node_stream(key, tag::SHARE, u, t)` (coins are drawn regardless of
//!      the listener's state); a success on a susceptible listener infects it
//!      at the end of the step;
//!   2. every node that was infected at the start of the step (and has just
//!      transmitted) recovers with probability `gamma`, drawn as the first
//!      uniform of `node_stream(key, tag::RECOVER, u, t)`. Nodes infected
//!      during step `t` do not recover in it.
//!
//!   So an infected node transmits for a Geometric(γ) number of steps (≥ 1)
//!   and the probability that it ever transmits along a given arc is
//!   `T = β / (1 − (1 − β)(1 − γ))`.
//! * The process stops when nobody is infected.
//!
//! Metrics: reached = acted = ever infected (seeds included);
//! `reached_good = reached`; `talkers` = currently infected (they transmit in
//! the next step); `messages_good` = successful transmissions (including to
//! non-susceptible listeners); `friends = 0`, `ambassadors` = number of seeds.
//!
//! # Complexity
//!
//! Per step O(infected + transmissions), i.e. per replicate
//! O(Σ over infected u of (infectious steps + successes)) plus O(steps)
//! trajectory writes; no O(n) work, no allocation after warm-up.

use super::kernel::{Stamps, Tally};
pub use super::params::SirParams;
pub mod reference;
use super::ReplicateInput;
use crate::metrics::Trajectory;
use crate::rng::{self, tag};

/// Reusable per-worker state.
pub struct Scratch {
    /// Ever infected (infected or recovered).
    ever: Stamps,
    infected: Vec<u32>,
    new: Vec<u32>,
}

impl Scratch {
    /// Whether `v` has acted (is or was active) at the end of the last
    /// replicate simulated with this scratch.
    pub fn has_acted(&self, v: u32) -> bool {
        self.ever.contains(v)
    }

    pub fn new(n: usize) -> Self {
        Scratch { ever: Stamps::new(n), infected: Vec::new(), new: Vec::new() }
    }
}

/// Run one replicate, writing rows `0..=out.steps()`. See the module docs.
pub fn simulate(p: &SirParams, input: &ReplicateInput<'_>, s: &mut Scratch, out: &mut Trajectory) {
    let g = input.graph;
    let key = input.dynamics_key;
    s.ever.reset(g.len());
    s.infected.clear();
    for &u in input.seeds {
        if s.ever.insert(u) {
            s.infected.push(u);
        }
    }
    let seeded = s.infected.len() as u64;
    let mut tally = Tally::seeded(out, seeded, 0);
    if seeded == 0 {
        return;
    }
    let ln_q = if p.beta >= 1.0 {
        f64::NEG_INFINITY
    } else if p.beta > 0.0 {
        (-p.beta).ln_1p()
    } else {
        0.0
    };
    for t in 1..=out.steps() {
        tally.begin_step();
        s.new.clear();
        let mut msgs = 0u64;
        if ln_q != 0.0 {
            for &u in &s.infected {
                let ls = g.listeners(u);
                if ls.is_empty() {
                    continue;
                }
                let mut r = rng::node_stream(key, tag::SHARE, u, t);
                let len = ls.len() as u64;
                let mut i = rng::geometric_gap(&mut r, ln_q);
                while i < len {
                    let v = ls[i as usize];
                    msgs += 1;
                    if s.ever.insert(v) {
                        s.new.push(v);
                    }
                    i = i.saturating_add(1).saturating_add(rng::geometric_gap(&mut r, ln_q));
                }
            }
        }
        // Recovery of those who were infected at the start of the step.
        if p.gamma >= 1.0 {
            s.infected.clear();
        } else if p.gamma > 0.0 {
            s.infected.retain(|&u| {
                let mut r = rng::node_stream(key, tag::RECOVER, u, t);
                rng::uniform(&mut r) >= p.gamma
            });
        }
        let new = s.new.len() as u64;
        s.infected.extend_from_slice(&s.new);
        tally.messages(msgs, false);
        tally.reach(new, false);
        tally.talkers = s.infected.len() as u64;
        tally.write(out, t);
        if s.infected.is_empty() {
            out.quiesce(t);
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{Graph, Labels};
    use crate::metrics::Metric;
    use crate::population::Population;

    fn run(p: &SirParams, g: &Graph, seeds: &[u32], key: u64, s: &mut Scratch) -> Trajectory {
        let pop = Population::community(g.len());
        let input = ReplicateInput { graph: g, population: &pop, seeds, dynamics_key: key };
        let mut out = Trajectory::new(100);
        simulate(p, &input, s, &mut out);
        out
    }

    fn graph() -> Graph {
        let n = 600u32;
        let e: Vec<(u32, u32)> = (0..n).flat_map(|i| [(i, (i + 1) % n), (i, (i + 17) % n)]).collect();
        Graph::from_edges(n as usize, false, &e, None, Labels::Dense).unwrap()
    }

    #[test]
    fn same_key_same_trajectory() {
        let g = graph();
        let p = SirParams { beta: 0.4, gamma: 0.3 };
        let mut s = Scratch::new(g.len());
        let a = run(&p, &g, &[0, 300], 77, &mut s);
        let c = run(&p, &g, &[0, 300], 78, &mut s);
        let b = run(&p, &g, &[0, 300], 77, &mut s);
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn gamma_one_is_independent_cascade_timing() {
        // gamma = 1, beta = 1: each infected transmits exactly once, so the
        // infection is a BFS: on a path, one new node per step.
        let g =
            Graph::from_edges(10, false, &(0..9).map(|i| (i, i + 1)).collect::<Vec<_>>(), None, Labels::Dense).unwrap();
        let mut s = Scratch::new(10);
        let t = run(&SirParams { beta: 1.0, gamma: 1.0 }, &g, &[0], 1, &mut s);
        for k in 0..10 {
            assert_eq!(t.get(k, Metric::Reached), (k + 1) as f64);
            assert_eq!(t.get(k, Metric::Talkers), 1.0);
        }
        assert_eq!(t.get(10, Metric::Talkers), 0.0);
        assert_eq!(t.last()[Metric::Reached.idx()], 10.0);
    }
}
