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

pub use super::params::{EdgeProb, IcParams};
use super::ReplicateInput;
use crate::graph::Graph;
use crate::metrics::{Metric, Trajectory};
use crate::rng::{self, tag};

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

/// How far ahead in the activation queue a frontier node's CSR offsets are
/// prefetched (its listener row is prefetched once the row's first success is
/// known, see `spread_uniform`).
const PREFETCH_DIST: usize = 8;

/// Buckets of the geometric-gap guide table (a power of two, so `w · M` is
/// exact).
const GUIDE_BUCKETS: usize = 2048;

/// The geometric-gap sampler for one uniform probability `p` (see [`spread`]
/// for how the gaps are used).
///
/// With `q = 1 - p` and `T[g] = q^g` (computed by repeated multiplication,
/// so bit-reproducible everywhere), the number of failures before the next
/// success drawn from `w = 1 - U ∈ (0, 1]` is
///
/// * `G(w) = max{g : w <= T[g]}` when `w >= k0 / M` (table path), found from
///   a guide table: `g` starts at the largest `g` with `(k + 1) / M <= T[g]`
///   for the bucket `k = floor(w·M)` and moves up while `w <= T[g + 1]`
///   (at most two steps, because `k0 = ceil(1 / -ln q)`);
/// * `floor(ln w / ln q)` below that, or for every `w` when `p` is so small
///   that the table would not pay (`k0 > M / 4`) (log path).
///
/// On the log path the result is then pinned to the table wherever the table
/// reaches (see [`Gaps::gap`]), so that, with `L` the table length, the
/// sampler is exactly
///
/// `G(w) = max{g : w <= T[g]}` if `w > T[L - 1]`, else
/// `max(L - 1, floor(ln w / ln q))`
///
/// whichever path computes it, and "no success in the next `m` slots"
/// ([`Gaps::none_within`]) is exactly `G(w) >= m`. The sampler is shared by
/// IC, IC-N and the relationship-chain model (their SHARE draw protocol, see
/// `rng::tag::SHARE` and [`Gaps::for_each_success`]), so the three consume
/// the same draws the same way. `P(G >= g) = q^g` (up to the last bit of
/// rounding), i.e. the exact geometric law; the table path replaces a logarithm (the dominant
/// cost of IC once the stream is cheap) by a shift, one load and one or two
/// comparisons, for all but `k0 / M` of the draws.
///
/// Everything on the table path is integer arithmetic on `wi = w·2⁵³`
/// (`w = 1 - U` with `U = (x >> 11)·2⁻⁵³` is exactly `(2⁵³ - (x >> 11))·2⁻⁵³`):
/// `w <= T[g]` is `wi <= floor(T[g]·2⁵³)` and the bucket is `wi >> 42`, so
/// no draw is converted to floating point unless it takes the log path.
#[derive(Debug, Clone)]
pub(crate) struct Gaps {
    /// The `p` (bits) the tables are for; NaN bits when unset.
    p_bits: u64,
    ln_q: f64,
    /// `T[g] = q^g`, at least up to the row lengths checked without a gap
    /// (256) and past `G(k0 / M)`.
    t: Vec<f64>,
    /// `floor(T[g]·2⁵³)`: `w <= T[g]` exactly when `wi <= ti[g]`.
    ti: Vec<u64>,
    /// Guide table: `start[k]` for buckets `k0..=M` (empty = log path only).
    start: Vec<u16>,
    k0: usize,
}

impl Gaps {
    pub(crate) fn new() -> Self {
        Gaps { p_bits: f64::NAN.to_bits(), ln_q: 0.0, t: Vec::new(), ti: Vec::new(), start: Vec::new(), k0: usize::MAX }
    }

    /// Rebuild for `p` unless already built for it. O(M + table length).
    pub(crate) fn prepare(&mut self, p: f64) {
        if self.p_bits == p.to_bits() {
            return;
        }
        self.p_bits = p.to_bits();
        self.ln_q = ln_fail(p);
        let q = (1.0 - p).clamp(0.0, 1.0);
        let k0 = if p > 0.0 && p < 1.0 { (1.0 / -self.ln_q).ceil() as usize } else { usize::MAX };
        let use_table = k0 <= GUIDE_BUCKETS / 4;
        let floor = if use_table { k0 as f64 / GUIDE_BUCKETS as f64 } else { 0.0 };
        self.t.clear();
        let mut x = 1.0f64;
        // Up to 256 entries for the row checks, and past the first power
        // below `k0 / M` for the guide scan (capped for u16 indices).
        while self.t.len() < 256 || (use_table && self.t.last().is_some_and(|&l| l >= floor)) {
            self.t.push(x);
            x *= q;
            if self.t.len() >= usize::from(u16::MAX) {
                break;
            }
        }
        // T[g]·2⁵³ is exact (a power-of-two scaling of a value <= 1) and
        // the cast truncates, i.e. floors.
        self.ti.clear();
        self.ti.extend(self.t.iter().map(|&x| (x * TWO53) as u64));
        self.start.clear();
        self.k0 = usize::MAX;
        if use_table && self.t.last().is_some_and(|&l| l < floor) {
            self.k0 = k0;
            // start[k] = largest g with (k + 1) / M <= T[g] (0 if none);
            // it only decreases as k grows, so one downward sweep of g.
            let mut g = self.t.len() - 1;
            for k in 0..=GUIDE_BUCKETS {
                let hi = (k + 1) as f64 / GUIDE_BUCKETS as f64;
                while g > 0 && hi > self.t[g] {
                    g -= 1;
                }
                self.start.push(if hi <= self.t[g] { g as u16 } else { 0 });
            }
        }
    }

    /// Failures before the next success, from `wi = (1 - U)·2⁵³` in
    /// `1..=2⁵³` (the exact rule is in the type's docs).
    #[inline(always)]
    pub(crate) fn gap(&self, wi: u64) -> u64 {
        // Bucket floor(w·M) = wi >> (53 - 11).
        let k = (wi >> 42) as usize;
        if k >= self.k0 {
            // SAFETY: a table exists (`k0` is finite only then) with
            // `start.len() = M + 1 > k` (`wi <= 2⁵³`, so `k <= M`). Every
            // `ti[g + 1]` read has `g + 1 <= L - 1`: `start[k] <= G(w)`, the
            // loop only steps to `g <= G(w)`, and `G(w) < L - 1` here
            // because `w >= k0 / M > T[L - 1]` (how `prepare` sizes `t`).
            unsafe {
                let mut g = usize::from(*self.start.get_unchecked(k));
                while wi <= *self.ti.get_unchecked(g + 1) {
                    g += 1;
                }
                debug_assert!(g + 1 < self.ti.len());
                return g as u64;
            }
        }
        // Exact: wi < 2⁵³. The ratio is >= 0, so the truncating cast is the
        // floor (and saturates at u64::MAX).
        let w = (wi as i64) as f64 * (1.0 / TWO53);
        let g = (w.ln() / self.ln_q) as u64;
        self.pin(wi, g)
    }

    /// Pin a logarithm's answer `g` to the table: `max{g : w <= T[g]}` when
    /// `w > T[L - 1]`, else at least `L - 1`. The logarithm is off by at most
    /// one ulp-sized rounding, so the loops run at most once or twice; this
    /// keeps [`Gaps::none_within`] and [`Gaps::gap`] exactly consistent.
    #[cold]
    fn pin(&self, wi: u64, g: u64) -> u64 {
        let last = self.ti.len() - 1;
        if wi <= self.ti[last] {
            return g.max(last as u64);
        }
        // T[0] = 1 >= w, so the downward walk stops at 0 at the latest, and
        // w > T[last] stops the upward one below `last`.
        let mut g = (g as usize).min(last - 1);
        while wi > self.ti[g] {
            g -= 1;
        }
        while wi <= self.ti[g + 1] {
            g += 1;
        }
        g as u64
    }

    /// Whether no success falls in the next `m` slots: `w <= T[m]` when the
    /// table reaches `m`, else `G(w) >= m`.
    #[inline(always)]
    pub(crate) fn none_within(&self, wi: u64, m: usize) -> bool {
        match self.ti.get(m) {
            Some(&tm) => wi <= tm,
            None => self.gap(wi) >= m as u64,
        }
    }

    /// The SHARE protocol for one row of `len` listeners, each succeeding
    /// with the `p` the tables are for: calls `f(i)` for every success index
    /// `i`, ascending. With `w₁, w₂, …` the successive `(1 - uniform(r))·2⁵³`
    /// draws, the successes are at `i₁ = G(w₁)`, `i₂ = i₁ + 1 + G(w₂)`, …, as
    /// long as they fall in `0..len`; the draw whose gap leaves the row is
    /// the last one. So a row costs one draw plus one per success, and the
    /// common "no success" row one comparison (no logarithm). `p = 0` draws
    /// nothing; an empty row draws nothing.
    ///
    /// IC applies the same rule across a whole frontier at once
    /// (`spread_uniform`); the two are kept identical by `tests/oracles.rs`
    /// (IC-N's active set equals IC's, key by key and step by step).
    #[inline(always)]
    pub(crate) fn for_each_success(&self, r: &mut rng::NodeRng, len: usize, mut f: impl FnMut(usize)) {
        if self.ln_q == 0.0 || len == 0 {
            return;
        }
        let mut w = draw_wi(r);
        if self.none_within(w, len) {
            return;
        }
        let mut i = self.gap(w) as usize;
        loop {
            f(i);
            let rem = len - 1 - i;
            w = draw_wi(r);
            if self.none_within(w, rem) {
                return;
            }
            // G(w) < rem here (none_within is exactly G(w) >= rem).
            i += 1 + self.gap(w) as usize;
        }
    }
}

/// 2⁵³ as a float.
const TWO53: f64 = (1u64 << 53) as f64;

/// `(1 - uniform)·2⁵³` of the next draw of `r`, in `1..=2⁵³`.
#[inline(always)]
fn draw_wi(r: &mut rng::NodeRng) -> u64 {
    use rand::Rng as _;
    wi_of(r.next_u64())
}

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

/// Hint the CPU to start loading the cache line at `p` (no effect on
/// results; a no-op off x86-64).
#[inline(always)]
pub(crate) fn prefetch<T>(p: *const T) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        // SAFETY: `prefetch` is a hint that never faults and never reads
        // into the program's state, whatever the address; SSE is part of the
        // x86-64 baseline, so the target feature is always present.
        unsafe { _mm_prefetch::<_MM_HINT_T0>(p.cast::<i8>()) };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
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
    if gaps.ln_q == 0.0 || range.is_empty() {
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
        // SAFETY (the invariants asserted in `spread_uniform`):
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

/// `(1 - U)·2⁵³` for the draw `x` (`U = (x >> 11)·2⁻⁵³`), in `1..=2⁵³`.
#[inline(always)]
pub(crate) fn wi_of(x: u64) -> u64 {
    (1u64 << 53) - (x >> 11)
}

/// Run one replicate, writing rows `0..=out.steps()`. See the module docs.
pub fn simulate(p: &IcParams, input: &ReplicateInput<'_>, s: &mut Scratch, out: &mut Trajectory) {
    let g = input.graph;
    s.powers(p.prob);
    let seeded = s.start(g.len(), input.seeds);
    let mut tally = Tally { ambassadors: seeded, talkers: seeded, ..Tally::default() };
    tally.reach(seeded, false);
    tally.write(out, 0);
    if seeded == 0 {
        out.quiesce(0);
        return;
    }
    let mut from = 0;
    for t in 1..=out.steps() {
        tally.begin_step();
        let to = s.qlen;
        let msgs = spread(p.prob, g, input.dynamics_key, t, from..to, s);
        from = to;
        let new = (s.qlen - to) as u64;
        tally.messages(msgs, false);
        tally.reach(new, false);
        tally.talkers = new;
        tally.write(out, t);
        if new == 0 {
            out.quiesce(t);
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
    fn gap_table_is_the_geometric_quantile() {
        // The table path must equal floor(ln w / ln q) except where the two
        // roundings differ (w within a few ulps of a power of q), and both the
        // row check and the gaps must follow P(G >= g) = q^g.
        for p in [1e-5, 0.001, 0.01, 0.05, 0.2, 0.5, 0.9, 1.0] {
            let mut gaps = Gaps::new();
            gaps.prepare(p);
            let ln_q = ln_fail(p);
            let mut r = crate::rng::stream(9, "test", &[p.to_bits()]);
            let n = 200_000;
            let (mut differ, mut sum) = (0u32, 0f64);
            for _ in 0..n {
                let u = crate::rng::uniform(&mut r);
                let (w, wi) = (1.0 - u, (1u64 << 53) - (u * TWO53) as u64);
                assert_eq!(wi as f64 / TWO53, w);
                let g = gaps.gap(wi);
                let exact = (w.ln() / ln_q) as u64;
                if g != exact {
                    differ += 1;
                    assert!(g.abs_diff(exact) == 1, "p {p}: w {w}: table {g}, log {exact}");
                }
                // The row check is exactly the gap it stands for, and the
                // gap is exactly max{g : w <= T[g]} where the table reaches.
                for m in [0usize, 1, 3, 17, 255, 256, 300] {
                    assert_eq!(gaps.none_within(wi, m), g >= m as u64, "p {p}: w {w}, m {m}");
                }
                let last = gaps.ti.len() - 1;
                if wi > gaps.ti[last] {
                    let g = g as usize;
                    assert!(wi <= gaps.ti[g] && wi > gaps.ti[g + 1], "p {p}: w {w}: gap {g} not pinned");
                }
                sum += g.min(1 << 40) as f64;
            }
            assert!(differ <= 2, "p {p}: {differ} rounding disagreements");
            if p >= 0.01 {
                let (mean, sd) = ((1.0 - p) / p, (1.0 - p).sqrt() / p);
                let m = sum / f64::from(n);
                assert!((m - mean).abs() <= 5.0 * sd / f64::from(n).sqrt(), "p {p}: mean gap {m}, expected {mean}");
            }
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

#[cfg(test)]
mod share_protocol_tests {
    use super::*;

    #[test]
    fn for_each_success_is_bernoulli_per_index() {
        // Each index of a row succeeds with probability p: the success count
        // has mean len·p, and the first / middle / last index each p.
        for (p, len) in [
            (0.005, 3000usize),
            (0.0075, 700),
            (0.06, 40),
            (0.3, 5),
            (0.001, 5000),
            (0.9, 300),
            (0.09, 4000),
            (0.06, 2500),
            (0.01, 257),
        ] {
            let mut gaps = Gaps::new();
            gaps.prepare(p);
            let n = 40_000u64;
            let (mut total, mut first, mut mid, mut last) = (0u64, 0u64, 0u64, 0u64);
            for k in 0..n {
                let mut r = rng::node_stream(77, tag::SHARE, k as u32, 1);
                let mut prev = None;
                gaps.for_each_success(&mut r, len, |i| {
                    assert!(i < len && prev.is_none_or(|j| i > j));
                    prev = Some(i);
                    total += 1;
                    first += u64::from(i == 0);
                    mid += u64::from(i == len / 2);
                    last += u64::from(i == len - 1);
                });
            }
            let mean = total as f64 / n as f64;
            let sd = (len as f64 * p * (1.0 - p) / n as f64).sqrt();
            assert!((mean - len as f64 * p).abs() <= 5.0 * sd, "p {p} len {len}: mean {mean}");
            let se = (p * (1.0 - p) / n as f64).sqrt();
            for (what, c) in [("first", first), ("mid", mid), ("last", last)] {
                let f = c as f64 / n as f64;
                assert!((f - p).abs() <= 5.0 * se + 1e-9, "p {p} len {len}: {what} index {f}");
            }
        }
    }
}
