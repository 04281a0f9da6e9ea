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
//!   implied, not stored ([`Trajectory::quiesce`]).
//!
//! Randomness: node `u`'s coins during step `s` come from
//! `rng::node_stream(key, tag::SHARE, u, s)`, so they do not depend on what
//! anybody else did (common random numbers across seeding strategies). With
//! [`EdgeProb::Uniform`] the successes are located by geometric skip sampling
//! over `u`'s listener slice (one draw per *success* plus one per row, not
//! one per arc; the exact draw → gap rule is in `spread_uniform` and `Gaps`); with
//! per-arc probabilities one `uniform < p(u, v)` is drawn per listener in
//! ascending listener order.
//!
//! Metrics (shared by the classic models, see `Tally`): an active node is
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
//! (activity is a bitset cleared node by node from the activation queue), no
//! allocation after warm-up. A row with no success — the common case in
//! subcritical cascades — costs one stream creation and one comparison (no
//! logarithm; see `spread_uniform`).

use std::ops::Range;

use super::kernel::{prefetch, wi_of, Gaps, Tally};
pub use super::params::{EdgeProb, IcParams};
pub mod reference;
use super::ReplicateInput;
use crate::graph::Graph;
use crate::metrics::Trajectory;
use crate::rng::{self, tag};

/// How far ahead in the activation queue a frontier node's CSR offsets are
/// prefetched (its listener row is prefetched once the row's first success is
/// known, see `spread_uniform`).
const PREFETCH_DIST: usize = 8;

/// Reusable per-worker state.
///
/// The cascade is kept as one activation queue (`order`): the nodes activated
/// at step `t` form one contiguous range, so the frontier of each step is a
/// slice of it and no second buffer is needed. Membership is a bitset (n / 8
/// bytes: 12.5 KB for 100k nodes, 125 KB for 1M, so it stays in L1/L2 where an
/// epoch-stamp array of u32 would not); it is emptied at the start of the
/// next replicate by clearing exactly the bits of the queued nodes, so reset
/// is O(activated), never O(n).
pub struct Scratch {
    visited: Vec<u64>,
    /// `order[..qlen]` is the queue; `order` has n + 1 + PREFETCH_DIST
    /// slots so that the hot loop can write a candidate at `qlen`
    /// unconditionally and advance `qlen` only if it was new (no branch to
    /// mispredict), and can read PREFETCH_DIST places ahead without a check.
    order: Vec<u32>,
    qlen: usize,
    gaps: Gaps,
    /// The rows with a pending success during a step (`spread_uniform`).
    pend: Vec<Pending>,
}

impl Scratch {
    pub fn new(n: usize) -> Self {
        Scratch {
            visited: vec![0; n.div_ceil(64)],
            order: vec![0; n + 1 + PREFETCH_DIST],
            qlen: 0,
            gaps: Gaps::new(),
            pend: Vec::new(),
        }
    }

    /// Whether `v` is active (has acted) at the end of the last replicate
    /// simulated with this scratch.
    pub fn has_acted(&self, v: u32) -> bool {
        self.visited.get((v >> 6) as usize).is_some_and(|w| w >> (v & 63) & 1 == 1)
    }

    /// Empty the previous replicate's set, then activate the seeds
    /// (duplicates ignored); returns how many.
    fn start(&mut self, n: usize, seeds: &[u32]) -> u64 {
        if self.visited.len() < n.div_ceil(64) {
            self.visited.resize(n.div_ceil(64), 0);
        }
        for &u in &self.order[..self.qlen] {
            self.visited[(u >> 6) as usize] = 0;
        }
        self.qlen = 0;
        if self.order.len() < n + 1 + PREFETCH_DIST {
            self.order.resize(n + 1 + PREFETCH_DIST, 0);
        }
        for &u in seeds {
            if insert(&mut self.visited, u) {
                self.order[self.qlen] = u;
                self.qlen += 1;
            }
        }
        self.qlen as u64
    }

    /// Prepare the gap tables when `p` is uniform.
    fn powers(&mut self, prob: EdgeProb) {
        if let EdgeProb::Uniform(p) = prob {
            self.gaps.prepare(p);
        }
    }
}

/// Insert `v` into the bitset; true if it was absent.
#[inline(always)]
fn insert(bits: &mut [u64], v: u32) -> bool {
    let w = &mut bits[(v >> 6) as usize];
    let m = 1u64 << (v & 63);
    let absent = *w & m == 0;
    *w |= m;
    absent
}

/// One synchronous step: every node of `s.order[from..to]` (activated in
/// step `step - 1`) tries each of its listeners once; newly activated nodes
/// are appended to the queue. Returns the number of successful transmissions.
///
/// With a uniform `p` this is [`spread_uniform`]. With per-arc probabilities,
/// node `u` draws one `uniform < p(u, v)` per listener from
/// `node_stream(key, SHARE, u, step)`, in ascending listener order.
fn spread(prob: EdgeProb, g: &Graph, key: u64, step: u32, range: Range<usize>, s: &mut Scratch) -> u64 {
    if let EdgeProb::Uniform(_) = prob {
        return spread_uniform(g, key, step, range, s);
    }
    let (off, tg) = g.listener_csr();
    let Scratch { visited, order, qlen, .. } = s;
    let mut msgs = 0u64;
    for j in range {
        // Start loading the offsets of a node a little ahead in the queue.
        if j + PREFETCH_DIST < *qlen {
            prefetch(&off[order[j + PREFETCH_DIST] as usize]);
        }
        let u = order[j];
        let ls = &tg[off[u as usize] as usize..off[u as usize + 1] as usize];
        let mut rng = rng::node_stream(key, tag::SHARE, u, step);
        let ws = g.listener_weights(u);
        for (i, &v) in ls.iter().enumerate() {
            let p = match prob {
                EdgeProb::Weights => ws.map_or(1.0, |w| f64::from(w[i])),
                // in_degree(v) >= 1 because u → v exists.
                _ => 1.0 / f64::from(g.in_degree(v)),
            };
            if rng::uniform(&mut rng) < p {
                msgs += 1;
                if insert(visited, v) {
                    order[*qlen] = v;
                    *qlen += 1;
                }
            }
        }
    }
    msgs
}

/// One row's pending success in [`spread_uniform`]: the listener at CSR
/// index `a` is the row's next success, the row ends at CSR index `end`, and
/// `state` is the row's SplitMix64 counter for its next draw.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Pending {
    state: u64,
    a: u32,
    end: u32,
}

/// How many pending rows ahead a large pass prefetches the listener it will
/// read ([`spread_uniform`]).
const LOOKAHEAD: usize = 16;

/// Passes with at most this many rows prefetch a row's next listener as soon
/// as its index is known; larger ones prefetch [`LOOKAHEAD`] rows ahead
/// instead (by the time a large pass came back to the row, the early line
/// would have been evicted).
const NEAR: usize = 256;

/// [`spread`] for a uniform `p`: the SHARE protocol applied success by success
/// across the whole frontier instead of row by row.
///
/// **Same draws, same result.** Row `u` consumes the draws of
/// `node_stream(key, SHARE, u, step)` exactly as [`Gaps::for_each_success`]
/// does (draw 0 decides whether the row has a success and where the first
/// one is, each later draw where the next one is or that there is none).
/// Only the order in which the successes are applied differs, and a step's
/// outcome does not depend on it: the newly active set is the union of the
/// successes' targets minus the nodes already active, and the message count
/// is the number of successes. (The order of the activation queue within a
/// step can differ from the row-by-row order; nothing reads it as an order.)
///
/// **Why.** Whether a row has another success is close to a coin flip in the
/// cascades people simulate, so a row-by-row loop mispredicts about one branch
/// per row and walks one row at a time. Here pass 0 makes every frontier
/// row's first draw and compacts the rows with a success into `pend` (an
/// unconditional write and a conditional advance, no branch), a short pass
/// turns their first draw into the first success's index, and pass `k`
/// applies every pending row's `k`-th success and makes its next draw,
/// compacting in place the rows that go on. The only data-dependent branches
/// left are the gap table's rare ones, and the rows of a pass are independent,
/// so their cache misses overlap (on BA-1M the row-by-row loop spent half its
/// time waiting for listener rows).
///
/// Cost: O(frontier + successes), plus one (possibly tiny) pass per success
/// of the row with the most. Memory: 16 bytes per frontier node in `pend`,
/// grown, never shrunk, so no allocation after warm-up.
fn spread_uniform(g: &Graph, key: u64, step: u32, range: Range<usize>, s: &mut Scratch) -> u64 {
    let (off, tg) = g.listener_csr();
    let Scratch { visited, order, qlen, gaps, pend } = s;
    if gaps.never() || range.is_empty() {
        return 0;
    }
    if pend.len() < range.len() + LOOKAHEAD {
        pend.resize(range.len() + LOOKAHEAD, Pending::default());
    }
    // What the unchecked accesses below rely on, checked once per step
    // (`Graph` and `Scratch::start` establish it): node ids are `< n`; `off`
    // has n + 1 entries, the last being `tg.len()`; `visited` covers n bits;
    // `order` has n + 1 + PREFETCH_DIST slots; the queue holds at most n
    // nodes; `pend` has room for the frontier plus LOOKAHEAD.
    let n = g.len();
    assert!(off.len() == n + 1 && off[n] as usize == tg.len() && visited.len() * 64 >= n);
    assert!(order.len() > n + PREFETCH_DIST && range.end <= *qlen && *qlen <= n);
    // Pass 0: every frontier row's first draw.
    let mut c = 0usize;
    for j in range {
        // SAFETY: `j < range.end <= qlen <= n`, so `order[j]` and
        // `order[j + PREFETCH_DIST]` exist (the latter may be past the queue:
        // a stale id, only used as a prefetch address, which cannot fault);
        // queued ids are `< n`, so `off[u]` and `off[u + 1]` exist;
        // `c <= j - range.start < pend.len()` (it advances at most once per
        // row).
        unsafe {
            prefetch(off.as_ptr().wrapping_add(*order.get_unchecked(j + PREFETCH_DIST) as usize));
            let u = *order.get_unchecked(j);
            let (lo, hi) = (*off.get_unchecked(u as usize), *off.get_unchecked(u as usize + 1));
            let st = rng::node_key(key, tag::SHARE, u, step);
            // `none_within` is one compare for rows up to the table's length,
            // where the gap itself could need a logarithm (a long row without
            // a success has a small w), so the gap waits for the rows that
            // have a success.
            let has = !gaps.none_within(wi_of(rng::mix64(st)), (hi - lo) as usize);
            *pend.get_unchecked_mut(c) = Pending { state: st, a: lo, end: hi };
            c += usize::from(has);
        }
    }
    // The first success of those rows (draw 0 again: cheaper than storing
    // it), and, for a small pass, start loading its listener.
    let near = c <= NEAR;
    for e in &mut pend[..c] {
        e.a += gaps.gap(wi_of(rng::mix64(e.state))) as u32;
        e.state = e.state.wrapping_add(rng::NODE_GAMMA);
        if near {
            prefetch(tg.as_ptr().wrapping_add(e.a as usize));
        }
    }
    // Pass k: every pending row's k-th success, and its next draw.
    let mut msgs = 0u64;
    let mut q = *qlen;
    while c > 0 {
        msgs += c as u64;
        c = if c <= NEAR {
            success_pass::<false>(c, tg, off, visited, order, &mut q, pend, gaps)
        } else {
            for e in &pend[..LOOKAHEAD] {
                prefetch(tg.as_ptr().wrapping_add(e.a as usize));
            }
            success_pass::<true>(c, tg, off, visited, order, &mut q, pend, gaps)
        };
    }
    *qlen = q;
    msgs
}

/// One pass of [`spread_uniform`] over `pend[..rows]`: apply each row's
/// pending success (mark the listener active, queue it if new), draw the
/// row's next gap, and keep the row (compacted to the front of `pend`) if the
/// next success is still inside it. Returns how many rows were kept.
///
/// `FAR` (a large pass): prefetch the listener LOOKAHEAD rows ahead;
/// otherwise prefetch each kept row's next listener right away.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn success_pass<const FAR: bool>(
    rows: usize,
    tg: &[u32],
    off: &[u32],
    visited: &mut [u64],
    order: &mut [u32],
    qlen: &mut usize,
    pend: &mut [Pending],
    gaps: &Gaps,
) -> usize {
    let (mut c, mut q) = (0, *qlen);
    for r in 0..rows {
        // SAFETY: (the invariants asserted in `spread_uniform`)
        // `c <= r < rows` and `pend.len() >= rows + LOOKAHEAD`. A row is
        // pending only while its next success lies inside it (`a < end <=
        // tg.len()`), so `tg[a]` exists and is a node id `v < n`, whose bit
        // `visited` has. `q <= n < order.len()`: `q` advances only when a bit
        // goes from clear to set, at most n times per replicate.
        unsafe {
            if FAR {
                prefetch(tg.as_ptr().wrapping_add(pend.get_unchecked(r + LOOKAHEAD).a as usize));
            }
            let e = *pend.get_unchecked(r);
            debug_assert!(e.a < e.end && (e.end as usize) <= tg.len() && q < order.len());
            let v = *tg.get_unchecked(e.a as usize);
            // Branch-free insert: write v at the queue's end, keep it only if
            // its bit was clear.
            let (wi, m) = ((v >> 6) as usize, 1u64 << (v & 63));
            let word = *visited.get_unchecked(wi);
            *visited.get_unchecked_mut(wi) = word | m;
            *order.get_unchecked_mut(q) = v;
            q += usize::from(word & m == 0);
            // v's row is read in the next step.
            prefetch(off.as_ptr().wrapping_add(v as usize));
            // The next success is `gap` slots after this one, if that is
            // still inside the row (exactly `!none_within(w, end - 1 - a)`).
            let gap = gaps.gap(wi_of(rng::mix64(e.state)));
            let more = gap < u64::from(e.end - 1 - e.a);
            let a = (u64::from(e.a) + 1 + gap) as u32;
            *pend.get_unchecked_mut(c) = Pending { state: e.state.wrapping_add(rng::NODE_GAMMA), a, end: e.end };
            c += usize::from(more);
            if !FAR {
                prefetch(tg.as_ptr().wrapping_add(if more { a } else { e.a } as usize));
            }
        }
    }
    *qlen = q;
    c
}

/// Run one replicate, writing rows `0..=out.steps()`. See the module docs.
pub fn simulate(p: &IcParams, input: &ReplicateInput<'_>, s: &mut Scratch, out: &mut Trajectory) {
    let g = input.graph;
    s.powers(p.prob);
    let seeded = s.start(g.len(), input.seeds);
    let mut tally = Tally::seeded(out, seeded, 0);
    if seeded == 0 {
        return;
    }
    let mut from = 0;
    for t in 1..=out.steps() {
        tally.begin_step();
        let to = s.qlen;
        let msgs = spread(p.prob, g, input.dynamics_key, t, from..to, s);
        from = to;
        if tally.end_cascade_step(out, t, msgs, (s.qlen - to) as u64) {
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
    s.powers(p.prob);
    s.start(graph.len(), seeds);
    let (mut from, mut t) = (0, 0u32);
    while from < s.qlen {
        t += 1;
        let to = s.qlen;
        spread(p.prob, graph, key, t, from..to, s);
        from = to;
    }
    s.qlen as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Labels;
    use crate::metrics::Metric;
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
            let sum: f64 = a.rows().map(|r| r[Metric::NewReached.idx()]).sum();
            assert_eq!(sum, a.last()[Metric::Reached.idx()]);
        }
    }

    #[test]
    fn empty_seeds_and_zero_probability() {
        let g = grid();
        let t = run(&IcParams::default(), &g, &[], 1, 5);
        assert!(t.rows().all(|r| r.iter().all(|&x| x == 0.0)));
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
