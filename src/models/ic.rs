//! Independent cascade (Kempe, Kleinberg & Tardos 2003).
//!
//! # Semantics
//!
//! * Step 0: the seeds are active (and count as reached and acted).
//! * A node activated during step `t` (seeds: `t = 0`) gets exactly one
//!   chance to activate each of its listeners, during step `t + 1`; arc
//!   `u → v` succeeds with probability `p(u, v)` ([`EdgeProb`]). Successes on
//!   inactive listeners activate them at the end of step `t + 1`
//!   (synchronous: a node activated in a step does not transmit in that step).
//! * The process stops when a step activates nobody; the remaining rows are
//!   filled forward ([`Trajectory::fill_forward_from`]).
//!
//! Randomness: node `u`'s coins during step `s` come from
//! `rng::node_stream(key, tag::SHARE, u, s)`, so they do not depend on what
//! anybody else did (common random numbers across seeding strategies). With
//! [`EdgeProb::Uniform`] the successes are located by geometric skip sampling
//! over `u`'s listener slice (one draw per *success*, not per arc); with
//! per-arc probabilities one `uniform < p(u, v)` is drawn per listener in
//! ascending listener order.
//!
//! Metrics (shared by the classic models, see [`Tally`]): an active node is
//! both reached and acted; `reached_good = reached`, `reached_bad = 0`;
//! `talkers` at row `t` = nodes activated at step `t` (they transmit during
//! step `t + 1`); `messages_good` = successful arc transmissions (including
//! those landing on already-active listeners); `friends = 0`;
//! `ambassadors` = number of seeds; `new_reached` at row 0 = number of seeds.
//!
//! # Complexity
//!
//! Per replicate O(|seeds| + Σ over activated u of (successes from u)) with
//! uniform `p` (plus one stream creation per activated node), or
//! O(Σ over activated u of out-degree(u)) with per-arc probabilities, plus
//! O(steps) to write the trajectory. No O(n) work per step or per replicate
//! (activity is an epoch-stamped array), no allocation after warm-up.

use super::ReplicateInput;
use crate::graph::Graph;
use crate::metrics::{Metric, Trajectory};
use crate::rng::{self, tag};

/// Where an arc's activation probability comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum EdgeProb {
    /// The same probability on every arc, in [0, 1].
    Uniform(f64),
    /// The graph's per-arc weights (third column of the edge list). A graph
    /// without weights counts as weight 1 on every arc.
    Weights,
    /// Weighted cascade: arc u→v has probability 1 / in_degree(v).
    InverseInDegree,
}

/// Parameters of `independent_cascade`.
#[derive(Debug, Clone, PartialEq)]
pub struct IcParams {
    /// Arc probabilities. Default `Uniform(0.1)`.
    pub prob: EdgeProb,
}

impl Default for IcParams {
    fn default() -> Self {
        IcParams { prob: EdgeProb::Uniform(0.1) }
    }
}

/// Epoch-stamped membership set over node ids: `reset` is O(1) (amortised;
/// the array is cleared only when the 32-bit epoch wraps, every 2³² − 1
/// replicates), membership tests and inserts are O(1).
#[derive(Debug, Clone, Default)]
pub(crate) struct Stamps {
    stamp: Vec<u32>,
    epoch: u32,
}

impl Stamps {
    pub(crate) fn new(n: usize) -> Self {
        Stamps { stamp: vec![0; n], epoch: 0 }
    }

    /// Empty the set and make sure it can hold ids `0..n`.
    pub(crate) fn reset(&mut self, n: usize) {
        if self.stamp.len() < n {
            // New slots are 0, which is never a live epoch after this reset.
            self.stamp.resize(n, 0);
        }
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            self.stamp.fill(0);
            self.epoch = 1;
        }
    }

    #[inline]
    pub(crate) fn contains(&self, v: u32) -> bool {
        self.stamp[v as usize] == self.epoch
    }

    /// Insert `v`; true if it was not in the set.
    #[inline]
    pub(crate) fn insert(&mut self, v: u32) -> bool {
        let s = &mut self.stamp[v as usize];
        if *s == self.epoch {
            false
        } else {
            *s = self.epoch;
            true
        }
    }
}

/// Running counters of a classic model, written as one trajectory row per
/// step. `good`/`bad` split reached nodes by valence (models without valence
/// put everything in `good`); reached = acted = good + bad.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Tally {
    pub good: u64,
    pub bad: u64,
    pub new_good: u64,
    pub new_bad: u64,
    pub talkers: u64,
    pub msg_good: u64,
    pub msg_bad: u64,
    pub new_msg_good: u64,
    pub new_msg_bad: u64,
    pub ambassadors: u64,
}

impl Tally {
    /// Start a step: zero the per-step counters.
    #[inline]
    pub(crate) fn begin_step(&mut self) {
        self.new_good = 0;
        self.new_bad = 0;
        self.new_msg_good = 0;
        self.new_msg_bad = 0;
    }

    /// Record `k` newly reached nodes (good or bad).
    #[inline]
    pub(crate) fn reach(&mut self, k: u64, bad: bool) {
        if bad {
            self.bad += k;
            self.new_bad += k;
        } else {
            self.good += k;
            self.new_good += k;
        }
    }

    /// Record `k` messages (successful transmissions).
    #[inline]
    pub(crate) fn messages(&mut self, k: u64, bad: bool) {
        if bad {
            self.msg_bad += k;
            self.new_msg_bad += k;
        } else {
            self.msg_good += k;
            self.new_msg_good += k;
        }
    }

    /// Write row `t`.
    pub(crate) fn write(&self, out: &mut Trajectory, t: u32) {
        let reached = self.good + self.bad;
        let new = self.new_good + self.new_bad;
        let r = out.row_mut(t);
        r[Metric::Reached.idx()] = reached as f64;
        r[Metric::ReachedGood.idx()] = self.good as f64;
        r[Metric::ReachedBad.idx()] = self.bad as f64;
        r[Metric::Acted.idx()] = reached as f64;
        r[Metric::Talkers.idx()] = self.talkers as f64;
        r[Metric::Friends.idx()] = 0.0;
        r[Metric::Ambassadors.idx()] = self.ambassadors as f64;
        r[Metric::MessagesGood.idx()] = self.msg_good as f64;
        r[Metric::MessagesBad.idx()] = self.msg_bad as f64;
        r[Metric::NetSentiment.idx()] = (self.good as f64 - self.bad as f64) / reached.max(1) as f64;
        r[Metric::NewReached.idx()] = new as f64;
        r[Metric::NewReachedGood.idx()] = self.new_good as f64;
        r[Metric::NewReachedBad.idx()] = self.new_bad as f64;
        r[Metric::NewActed.idx()] = new as f64;
        r[Metric::NewMessagesGood.idx()] = self.new_msg_good as f64;
        r[Metric::NewMessagesBad.idx()] = self.new_msg_bad as f64;
    }
}

/// Reusable per-worker state.
pub struct Scratch {
    active: Stamps,
    frontier: Vec<u32>,
    next: Vec<u32>,
}

impl Scratch {
    pub fn new(n: usize) -> Self {
        Scratch { active: Stamps::new(n), frontier: Vec::new(), next: Vec::new() }
    }

    /// Activate the seeds (duplicates ignored); returns how many.
    fn start(&mut self, n: usize, seeds: &[u32]) -> u64 {
        self.active.reset(n);
        self.frontier.clear();
        for &u in seeds {
            if self.active.insert(u) {
                self.frontier.push(u);
            }
        }
        self.frontier.len() as u64
    }
}

/// `ln(1 - p)` for the geometric skip, with `p` clamped to [0, 1].
fn ln_fail(p: f64) -> f64 {
    if p >= 1.0 {
        f64::NEG_INFINITY
    } else if p > 0.0 {
        (-p).ln_1p()
    } else {
        0.0
    }
}

/// One synchronous step `step`: every node of `s.frontier` tries each of its
/// listeners once; newly activated nodes go to `s.next`. Returns the number
/// of successful transmissions.
fn spread(prob: EdgeProb, ln_q: f64, g: &Graph, key: u64, step: u32, s: &mut Scratch) -> u64 {
    let mut msgs = 0u64;
    s.next.clear();
    for &u in &s.frontier {
        let ls = g.listeners(u);
        if ls.is_empty() {
            continue;
        }
        match prob {
            EdgeProb::Uniform(_) => {
                if ln_q == 0.0 {
                    continue;
                }
                let mut rng = rng::node_stream(key, tag::SHARE, u, step);
                let len = ls.len() as u64;
                let mut i = rng::geometric_gap(&mut rng, ln_q);
                while i < len {
                    let v = ls[i as usize];
                    msgs += 1;
                    if s.active.insert(v) {
                        s.next.push(v);
                    }
                    i = i.saturating_add(1).saturating_add(rng::geometric_gap(&mut rng, ln_q));
                }
            }
            EdgeProb::Weights => {
                let mut rng = rng::node_stream(key, tag::SHARE, u, step);
                let ws = g.listener_weights(u);
                for (i, &v) in ls.iter().enumerate() {
                    let p = ws.map_or(1.0, |w| f64::from(w[i]));
                    if rng::uniform(&mut rng) < p {
                        msgs += 1;
                        if s.active.insert(v) {
                            s.next.push(v);
                        }
                    }
                }
            }
            EdgeProb::InverseInDegree => {
                let mut rng = rng::node_stream(key, tag::SHARE, u, step);
                for &v in ls {
                    // in_degree(v) >= 1 because u → v exists.
                    let p = 1.0 / f64::from(g.in_degree(v));
                    if rng::uniform(&mut rng) < p {
                        msgs += 1;
                        if s.active.insert(v) {
                            s.next.push(v);
                        }
                    }
                }
            }
        }
    }
    std::mem::swap(&mut s.frontier, &mut s.next);
    msgs
}

fn ln_q_of(prob: EdgeProb) -> f64 {
    match prob {
        EdgeProb::Uniform(p) => ln_fail(p),
        _ => 0.0,
    }
}

/// Run one replicate, writing rows `0..=out.steps()`. See the module docs.
pub fn simulate(p: &IcParams, input: &ReplicateInput<'_>, s: &mut Scratch, out: &mut Trajectory) {
    let g = input.graph;
    let ln_q = ln_q_of(p.prob);
    let seeded = s.start(g.len(), input.seeds);
    let mut tally = Tally { ambassadors: seeded, talkers: seeded, ..Tally::default() };
    tally.reach(seeded, false);
    tally.write(out, 0);
    if s.frontier.is_empty() {
        out.fill_forward_from(0);
        return;
    }
    for t in 1..=out.steps() {
        tally.begin_step();
        let msgs = spread(p.prob, ln_q, g, input.dynamics_key, t, s);
        let new = s.frontier.len() as u64;
        tally.messages(msgs, false);
        tally.reach(new, false);
        tally.talkers = new;
        tally.write(out, t);
        if new == 0 {
            out.fill_forward_from(t);
            return;
        }
    }
}

/// Final number of active nodes (seeds included) of the replicate with
/// dynamics key `key`, run to quiescence without recording a trajectory.
/// Uses exactly the draws of [`simulate`], so it equals `simulate`'s final
/// `reached` whenever the trajectory is long enough for the cascade to die.
///
/// Cost: as [`simulate`] without the O(steps) trajectory writes.
pub fn final_reach(p: &IcParams, graph: &Graph, seeds: &[u32], key: u64, s: &mut Scratch) -> u32 {
    let ln_q = ln_q_of(p.prob);
    let mut reached = s.start(graph.len(), seeds);
    let mut t = 0u32;
    while !s.frontier.is_empty() {
        t += 1;
        spread(p.prob, ln_q, graph, key, t, s);
        reached += s.frontier.len() as u64;
    }
    reached as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Labels;
    use crate::population::Population;

    fn grid() -> Graph {
        // 20x20 undirected grid, every arc weighted 0.45.
        let mut e = Vec::new();
        for r in 0..20u32 {
            for c in 0..20u32 {
                let u = r * 20 + c;
                if c + 1 < 20 {
                    e.push((u, u + 1));
                }
                if r + 1 < 20 {
                    e.push((u, u + 20));
                }
            }
        }
        let w = vec![0.45f32; e.len()];
        Graph::from_edges(400, false, &e, Some(&w), Labels::Dense).unwrap()
    }

    fn run(p: &IcParams, g: &Graph, seeds: &[u32], key: u64, steps: u32) -> Trajectory {
        let pop = Population::community(g.len());
        let input = ReplicateInput { graph: g, population: &pop, seeds, dynamics_key: key };
        let mut s = Scratch::new(g.len());
        let mut out = Trajectory::new(steps);
        simulate(p, &input, &mut s, &mut out);
        out
    }

    #[test]
    fn same_key_same_trajectory_and_final_reach_agrees() {
        let g = grid();
        for prob in [EdgeProb::Uniform(0.45), EdgeProb::InverseInDegree, EdgeProb::Weights] {
            let p = IcParams { prob };
            let a = run(&p, &g, &[0, 210], 42, 200);
            let b = run(&p, &g, &[0, 210], 42, 200);
            assert_eq!(a, b);
            let c = run(&p, &g, &[0, 210], 43, 200);
            assert_ne!(a, c, "{prob:?}: different keys should differ");
            // Reusing one scratch across replicates must not leak state.
            let mut s = Scratch::new(g.len());
            for key in [42u64, 43, 42] {
                let r = final_reach(&p, &g, &[0, 210], key, &mut s);
                let t = run(&p, &g, &[0, 210], key, 400);
                assert_eq!(f64::from(r), t.last()[Metric::Reached.idx()]);
            }
            // Cumulative = sum of new.
            let sum: f64 = a.rows().iter().map(|r| r[Metric::NewReached.idx()]).sum();
            assert_eq!(sum, a.last()[Metric::Reached.idx()]);
        }
    }

    #[test]
    fn empty_seeds_and_zero_probability() {
        let g = grid();
        let t = run(&IcParams::default(), &g, &[], 1, 5);
        assert!(t.rows().iter().all(|r| r.iter().all(|&x| x == 0.0)));
        let t = run(&IcParams { prob: EdgeProb::Uniform(0.0) }, &g, &[5], 1, 5);
        assert_eq!(t.last()[Metric::Reached.idx()], 1.0);
        assert_eq!(t.get(1, Metric::Talkers), 0.0);
        let t = run(&IcParams { prob: EdgeProb::Uniform(1.0) }, &g, &[0], 1, 60);
        assert_eq!(t.last()[Metric::Reached.idx()], 400.0);
        // Distance-38 corner is reached at step 38 exactly.
        assert_eq!(t.get(37, Metric::Reached), 399.0);
        assert_eq!(t.get(38, Metric::Reached), 400.0);
    }
}
