//! IC-N: independent cascade with negative opinions (Chen et al. 2011,
//! "Influence maximization in social networks when negative opinions may
//! emerge and propagate", SDM 2011).
//!
//! # Semantics (exact draw protocol)
//!
//! The relationship-chain model's reduction test replays these draws, so
//! they are part of the contract:
//!
//! * Step 0: the seeds are active. Every node `u` activated at step `t`
//!   (seeds: `t = 0`) is **positive** iff it was activated only by positive
//!   nodes (seeds: always eligible) and the first draw of
//!   `node_stream(key, tag::EXPERIENCE, u, 0)` is `< quality`; otherwise it
//!   is **negative**. A node with at least one negative successful activator
//!   in its activation step is negative without consulting its EXPERIENCE
//!   stream ("negative dominates").
//! * During step `t + 1`, `u` locates its successful listeners by
//!   geometric skip sampling over its listener row with
//!   `r = node_stream(key, tag::SHARE, u, t + 1)` — the SHARE protocol (see
//!   `rng::tag::SHARE`): with `w₁, w₂, …` the successive draws
//!   `1 - uniform(r)` and `G(w)` the geometric gap of the shared sampler
//!   (`kernel::gaps::Gaps`: `max{g : w <= (1 - p)^g}` with the powers computed by
//!   repeated multiplication), the successes are the listeners at indices
//!   `G(w₁)`, `G(w₁) + 1 + G(w₂)`, … (ascending listener order) that fall in
//!   the row. Already active listeners count like any other (so the draws
//!   never depend on anybody's state), and each listener succeeds
//!   independently with probability `p`. A success on a listener that was
//!   inactive at the start of the step activates it at the end of step
//!   `t + 1` (synchronous), with the valence above. IC with uniform `p` uses
//!   the same protocol and stream, so for a given key IC-N's active set is
//!   IC's, step by step.
//! * The process stops when a step activates nobody.
//!
//! The activated set does not depend on `quality` at all (coins never look
//! at valence), so its distribution is IC's with uniform `p`; for a given key
//! it is even identical for every `quality`.
//!
//! Metrics: reached = acted = active nodes; `reached_good` = positives,
//! `reached_bad` = negatives; `messages_good`/`messages_bad` = successful
//! transmissions by positive/negative nodes (including those landing on
//! already-active listeners); `talkers` at row `t` = nodes activated at step
//! `t`; `friends = 0`, `ambassadors` = number of seeds.
//!
//! # Complexity
//!
//! O(|seeds| + Σ over activated u of (1 + successes from u)) per replicate
//! (one draw per row plus one per success, two stream creations per activated
//! node) plus O(steps) trajectory writes; no O(n) work, no allocation after
//! warm-up.

use super::kernel::{Gaps, Stamps, Tally};
pub use super::params::IcnParams;
pub mod reference;
use super::ReplicateInput;
use crate::metrics::Trajectory;
use crate::rng::{self, tag};

/// Reusable per-worker state.
pub struct Scratch {
    active: Stamps,
    /// Step at which a node was activated (valid while `active` holds it).
    act_step: Vec<u32>,
    /// Valence of an active node; during its activation step: "some
    /// activator was negative".
    negative: Vec<bool>,
    frontier: Vec<u32>,
    next: Vec<u32>,
    /// The geometric-gap sampler for `p` (rebuilt only when `p` changes).
    gaps: Gaps,
}

impl Scratch {
    /// Whether `v` has acted (is or was active) at the end of the last
    /// replicate simulated with this scratch.
    pub fn has_acted(&self, v: u32) -> bool {
        self.active.contains(v)
    }

    /// Whether an active `v` is negative (bad news).
    pub fn is_negative(&self, v: u32) -> bool {
        self.negative.get(v as usize).copied().unwrap_or(false)
    }

    pub fn new(n: usize) -> Self {
        Scratch {
            active: Stamps::new(n),
            act_step: vec![0; n],
            negative: vec![false; n],
            frontier: Vec::new(),
            next: Vec::new(),
            gaps: Gaps::new(),
        }
    }
}

/// Settle the valence of the freshly activated nodes in `list`: those with a
/// negative activator stay negative, the others consult their EXPERIENCE
/// stream. Returns the number of negatives.
fn settle(list: &[u32], negative: &mut [bool], key: u64, quality: f64) -> u64 {
    let mut neg = 0;
    for &v in list {
        let nv = &mut negative[v as usize];
        if !*nv {
            let mut r = rng::node_stream(key, tag::EXPERIENCE, v, 0);
            *nv = rng::uniform(&mut r) >= quality;
        }
        neg += u64::from(*nv);
    }
    neg
}

/// Run one replicate, writing rows `0..=out.steps()`. See the module docs.
pub fn simulate(p: &IcnParams, input: &ReplicateInput<'_>, s: &mut Scratch, out: &mut Trajectory) {
    let g = input.graph;
    let n = g.len();
    let key = input.dynamics_key;
    s.active.reset(n);
    s.gaps.prepare(p.p);
    if s.act_step.len() < n {
        s.act_step.resize(n, 0);
        s.negative.resize(n, false);
    }
    s.frontier.clear();
    for &u in input.seeds {
        if s.active.insert(u) {
            s.act_step[u as usize] = 0;
            s.negative[u as usize] = false;
            s.frontier.push(u);
        }
    }
    let seeded = s.frontier.len() as u64;
    let neg = settle(&s.frontier, &mut s.negative, key, p.quality);
    let mut tally = Tally::seeded(out, seeded, neg);
    if seeded == 0 {
        return;
    }
    for t in 1..=out.steps() {
        tally.begin_step();
        s.next.clear();
        let Scratch { active, act_step, negative, frontier, next, gaps } = s;
        for &u in frontier.iter() {
            let ls = g.listeners(u);
            if ls.is_empty() {
                continue;
            }
            let u_neg = negative[u as usize];
            let mut r = rng::node_stream(key, tag::SHARE, u, t);
            let mut sent = 0u64;
            gaps.for_each_success(&mut r, ls.len(), |i| {
                let v = ls[i];
                sent += 1;
                if active.insert(v) {
                    act_step[v as usize] = t;
                    negative[v as usize] = u_neg;
                    next.push(v);
                } else if u_neg && act_step[v as usize] == t {
                    // Activated earlier in this same step by someone
                    // else: a negative activator makes it negative.
                    negative[v as usize] = true;
                }
            });
            tally.messages(sent, u_neg);
        }
        let new = s.next.len() as u64;
        let neg = settle(&s.next, &mut s.negative, key, p.quality);
        tally.reach(new - neg, false);
        tally.reach(neg, true);
        tally.talkers = new;
        std::mem::swap(&mut s.frontier, &mut s.next);
        tally.write(out, t);
        if new == 0 {
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

    fn run(p: &IcnParams, g: &Graph, seeds: &[u32], key: u64) -> Trajectory {
        let pop = Population::community(g.len());
        let input = ReplicateInput { graph: g, population: &pop, seeds, dynamics_key: key };
        let mut s = Scratch::new(g.len());
        let mut out = Trajectory::new(50);
        simulate(p, &input, &mut s, &mut out);
        out
    }

    fn ring(n: u32) -> Graph {
        let e: Vec<(u32, u32)> = (0..n).map(|i| (i, (i + 1) % n)).chain((0..n).map(|i| (i, (i + 7) % n))).collect();
        Graph::from_edges(n as usize, false, &e, None, Labels::Dense).unwrap()
    }

    #[test]
    fn same_key_same_trajectory_and_active_set_ignores_quality() {
        let g = ring(300);
        let p = IcnParams { p: 0.4, quality: 0.7 };
        let a = run(&p, &g, &[0, 100], 9);
        assert_eq!(a, run(&p, &g, &[0, 100], 9));
        assert_ne!(a, run(&p, &g, &[0, 100], 10));
        let b = run(&IcnParams { p: 0.4, quality: 0.1 }, &g, &[0, 100], 9);
        for t in 0..=50 {
            assert_eq!(a.get(t, Metric::Reached), b.get(t, Metric::Reached));
        }
        // quality 1: everyone positive; quality 0: everyone negative.
        let all_good = run(&IcnParams { p: 0.4, quality: 1.0 }, &g, &[0, 100], 9);
        assert_eq!(all_good.last()[Metric::ReachedBad.idx()], 0.0);
        assert_eq!(all_good.last()[Metric::NetSentiment.idx()], 1.0);
        let all_bad = run(&IcnParams { p: 0.4, quality: 0.0 }, &g, &[0, 100], 9);
        assert_eq!(all_bad.last()[Metric::ReachedGood.idx()], 0.0);
        assert_eq!(all_bad.last()[Metric::MessagesGood.idx()], 0.0);
    }

    #[test]
    fn negative_dominates_within_a_step() {
        // Two seeds both point at node 2 (p = 1). Seed valences come from
        // their EXPERIENCE draws; node 2 must be negative iff a seed is
        // negative or (both positive and) its own draw says so.
        let g = Graph::from_edges(3, true, &[(0, 2), (1, 2)], None, Labels::Dense).unwrap();
        let mut saw_mixed = false;
        for key in 0..200u64 {
            let t = run(&IcnParams { p: 1.0, quality: 0.5 }, &g, &[0, 1], key);
            let seed_bad = t.get(0, Metric::ReachedBad);
            let new_bad = t.get(1, Metric::NewReachedBad);
            if seed_bad > 0.0 {
                assert_eq!(new_bad, 1.0, "key {key}");
                saw_mixed |= seed_bad == 1.0;
            }
        }
        assert!(saw_mixed);
    }
}
