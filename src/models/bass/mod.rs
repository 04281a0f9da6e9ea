//! Network Bass diffusion (Bass 1969 on a network, e.g. Fibich & Gibori 2010).
//!
//! # Semantics
//!
//! Continuous-time hazard integrated over synchronous steps of length `dt`:
//! during step `t` (t ≥ 1) every node `v` that has not adopted yet adopts with
//! probability
//!
//! `1 − exp(−(p + q · A_v / k_v) · dt)`,
//!
//! where `A_v` = number of its sources (nodes it hears) that had adopted by
//! the end of step `t − 1` and `k_v` = its in-degree (if `k_v = 0` only `p`
//! acts). Seeds (often none) have adopted at step 0. Row `t` is the state at
//! model time `t · dt`.
//!
//! Implementation: the hazard splits into independent innovation and
//! imitation parts, `P(no adoption) = e^{−p dt} · e^{−q A_v/k_v dt}`.
//! * *Exposed* non-adopters (`A_v > 0`, kept in a list) draw one combined
//!   coin `uniform < 1 − e^{−(p + q A_v/k_v) dt}` from
//!   `node_stream(key, tag::ACT, v, t)`.
//! * Unexposed non-adopters can only innovate: the step's innovators are
//!   found by geometric skip sampling over all ids `0..n` with probability
//!   `1 − e^{−p dt}` from `node_stream(key, tag::ACT, u32::MAX, t)` (no node
//!   has id `u32::MAX`); hits on adopted or exposed nodes are ignored, which
//!   leaves every unexposed non-adopter with an independent coin of exactly
//!   that probability.
//! * Adoptions of a step are applied at its end (synchronous), then each new
//!   adopter increments `A` of its not-yet-adopted listeners.
//!
//! The process stops early (rows filled forward) when everybody has adopted
//! or when no adoption is possible any more: `p·dt = 0` and either
//! `q·dt = 0` or nobody exposed. "Exposed" here is read one step late, as
//! the exposed list is pruned lazily: after step `t` it still holds the
//! nodes that were exposed non-adopters at the start of step `t` (even if
//! they adopted during it) plus those newly exposed by the step's adopters,
//! so a run whose last exposed nodes adopt at step `t` stops after step
//! `t + 1` (`bass::reference` states the rule plainly).
//!
//! Metrics: reached = acted = adopters; `reached_good = reached`;
//! `talkers` = adopters (they all keep influencing their listeners; 0 in the
//! filled-forward rows once nothing can change); messages = 0 (imitation is
//! a hazard, not a countable transmission); `friends = 0`, `ambassadors` =
//! number of seeds.
//!
//! # Complexity
//!
//! Per step O(n·(1 − e^{−p dt}) + exposed non-adopters), plus
//! O(out-degree) per adoption. The innovation term touches every non-adopter
//! each step by nature, but skip sampling makes the cost proportional to the
//! expected number of innovators, not to n. No allocation after warm-up.

use super::kernel::{Stamps, Tally};
pub use super::params::BassParams;
pub mod reference;
use super::ReplicateInput;
use crate::metrics::Trajectory;
use crate::rng::{self, tag};

/// Reusable per-worker state.
pub struct Scratch {
    adopted: Stamps,
    /// Nodes whose `a` counter is live (exposed at some point this replicate).
    exposed_set: Stamps,
    /// Adopted sources per exposed node.
    a: Vec<u32>,
    /// Exposed nodes; adopters are dropped lazily at the next step.
    exposed: Vec<u32>,
    new: Vec<u32>,
}

impl Scratch {
    /// Whether `v` has acted (is or was active) at the end of the last
    /// replicate simulated with this scratch.
    pub fn has_acted(&self, v: u32) -> bool {
        self.adopted.contains(v)
    }

    pub fn new(n: usize) -> Self {
        Scratch {
            adopted: Stamps::new(n),
            exposed_set: Stamps::new(n),
            a: vec![0; n],
            exposed: Vec::new(),
            new: Vec::new(),
        }
    }

    /// Mark `s.new` adopted, then raise `A` of their non-adopted listeners.
    fn apply(&mut self, g: &crate::graph::Graph) {
        for &v in &self.new {
            self.adopted.insert(v);
        }
        for &v in &self.new {
            for &w in g.listeners(v) {
                if self.adopted.contains(w) {
                    continue;
                }
                if self.exposed_set.insert(w) {
                    self.a[w as usize] = 0;
                    self.exposed.push(w);
                }
                self.a[w as usize] += 1;
            }
        }
    }
}

/// Run one replicate, writing rows `0..=out.steps()`. See the module docs.
pub fn simulate(p: &BassParams, input: &ReplicateInput<'_>, s: &mut Scratch, out: &mut Trajectory) {
    let g = input.graph;
    let n = g.len();
    let key = input.dynamics_key;
    s.adopted.reset(n);
    s.exposed_set.reset(n);
    if s.a.len() < n {
        s.a.resize(n, 0);
    }
    s.exposed.clear();
    s.new.clear();
    for &u in input.seeds {
        if s.adopted.insert(u) {
            s.new.push(u);
        }
    }
    s.apply(g);
    let seeded = s.new.len() as u64;
    let mut adopted = seeded;
    let mut tally = Tally { ambassadors: seeded, talkers: seeded, ..Tally::default() };
    tally.reach(seeded, false);
    tally.write(out, 0);

    let pdt = (p.p * p.dt).max(0.0);
    let qdt = (p.q * p.dt).max(0.0);
    // ln(1 − P(innovate)) = −p·dt.
    let ln_stay = -pdt;
    let done = |adopted: u64, exposed: usize| adopted == n as u64 || (pdt == 0.0 && (qdt == 0.0 || exposed == 0));
    if done(adopted, s.exposed.len()) {
        out.quiesce(0);
        return;
    }
    for t in 1..=out.steps() {
        tally.begin_step();
        s.new.clear();
        // Exposed non-adopters: one combined innovation + imitation coin.
        let mut keep = 0;
        for i in 0..s.exposed.len() {
            let v = s.exposed[i];
            if s.adopted.contains(v) {
                continue;
            }
            s.exposed[keep] = v;
            keep += 1;
            let k = f64::from(g.in_degree(v));
            let prob = -(-(pdt + qdt * f64::from(s.a[v as usize]) / k)).exp_m1();
            let mut r = rng::node_stream(key, tag::ACT, v, t);
            if rng::uniform(&mut r) < prob {
                s.new.push(v);
            }
        }
        s.exposed.truncate(keep);
        // Unexposed non-adopters: innovation only, by skip sampling.
        if pdt > 0.0 {
            let mut r = rng::node_stream(key, tag::ACT, u32::MAX, t);
            let mut i = rng::geometric_gap(&mut r, ln_stay);
            while i < n as u64 {
                let v = i as u32;
                if !s.adopted.contains(v) && !s.exposed_set.contains(v) {
                    s.new.push(v);
                }
                i = i.saturating_add(1).saturating_add(rng::geometric_gap(&mut r, ln_stay));
            }
        }
        s.apply(g);
        let new = s.new.len() as u64;
        adopted += new;
        tally.reach(new, false);
        tally.talkers = adopted;
        tally.write(out, t);
        if done(adopted, s.exposed.len()) {
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

    fn run(p: &BassParams, g: &Graph, seeds: &[u32], key: u64, steps: u32) -> Trajectory {
        let pop = Population::community(g.len());
        let input = ReplicateInput { graph: g, population: &pop, seeds, dynamics_key: key };
        let mut s = Scratch::new(g.len());
        let mut out = Trajectory::new(steps);
        simulate(p, &input, &mut s, &mut out);
        out
    }

    fn ring(n: u32) -> Graph {
        let e: Vec<(u32, u32)> = (0..n).map(|i| (i, (i + 1) % n)).collect();
        Graph::from_edges(n as usize, false, &e, None, Labels::Dense).unwrap()
    }

    #[test]
    fn same_key_same_trajectory() {
        let g = ring(1000);
        let p = BassParams { p: 0.03, q: 0.38, dt: 0.1 };
        let a = run(&p, &g, &[], 1, 100);
        assert_eq!(a, run(&p, &g, &[], 1, 100));
        assert_ne!(a, run(&p, &g, &[], 2, 100));
        assert!(a.last()[Metric::Reached.idx()] > 0.0);
        let sum: f64 = a.rows().map(|r| r[Metric::NewReached.idx()]).sum();
        assert_eq!(sum, a.last()[Metric::Reached.idx()]);
    }

    #[test]
    fn pure_imitation_spreads_only_from_seeds() {
        let g = ring(50);
        // p = 0, no seeds: nothing ever happens.
        let t = run(&BassParams { p: 0.0, q: 1.0, dt: 0.5 }, &g, &[], 1, 20);
        assert!(t.rows().all(|r| r[Metric::Reached.idx()] == 0.0));
        // p = 0, a seed, huge q: the ring fills from the seed, at most two
        // new adopters per step (one per side).
        let t = run(&BassParams { p: 0.0, q: 1e9, dt: 1.0 }, &g, &[0], 1, 40);
        for s in 1..=25 {
            assert_eq!(t.get(s, Metric::Reached), (1 + 2 * s).min(50) as f64, "step {s}");
        }
        assert_eq!(t.last()[Metric::Reached.idx()], 50.0);
    }
}
