//! The exact geometric skip sampler behind the SHARE protocol
//! (`rng::tag::SHARE`): where, in a talker's listener row, the next listener
//! it sends to lies.
//!
//! # Derivation
//!
//! Each listener of a row succeeds independently with probability `p`. The
//! number of failures `G` before the next success is geometric:
//! `P(G >= g) = q^g` with `q = 1 - p`. Inversion (Devroye, *Non-Uniform
//! Random Variate Generation*, Springer 1986, ch. X.2, "the geometric
//! distribution") turns one uniform `w ∈ (0, 1]` into
//! `G(w) = max{g : w <= q^g} = floor(ln w / ln q)`, and a row with `len`
//! listeners is sampled by successive gaps (skip sampling: Vitter, "Faster
//! methods for random sampling", CACM 27(7), 1984; Batagelj & Brandes,
//! "Efficient generation of large random networks", Phys. Rev. E 71, 2005):
//! successes at `G(w₁)`, `G(w₁) + 1 + G(w₂)`, … while inside the row, so a
//! row costs one draw plus one per success instead of one per listener.
//!
//! The logarithm is the costly part once the stream is cheap, so [`Gaps`]
//! evaluates `max{g : w <= T[g]}` on a table `T[g] = q^g` (powers by repeated
//! multiplication: bit-reproducible everywhere) through a guide table over
//! `w` (the "indexed search" of Chen & Asau, "On generating random variates
//! from an empirical distribution", AIIE Trans. 6(2), 1974; Devroye ch.
//! III.2.4), with the logarithm only far out in the tail. The exact rule,
//! including where the logarithm takes over, is in [`Gaps`]'s docs;
//! [`plain_gap`] states the same rule as a plain linear scan for the
//! reference models and tests.

use crate::rng;

/// Buckets `M` of the geometric-gap guide table: a power of two, so that the
/// bucket `floor(w·M)` of `wi = w·2⁵³` is a shift ([`BUCKET_SHIFT`]); 2048
/// `u16` starts (4 KB) stay in L1 beside the power table.
const GUIDE_BUCKETS: usize = 2048;

/// `floor(w·M) = wi >> BUCKET_SHIFT` for `wi = w·2⁵³` (`M = 2¹¹`).
const BUCKET_SHIFT: u32 = 53 - GUIDE_BUCKETS.trailing_zeros();

/// The guide table is built only when `k0 = ceil(1 / -ln q) <= M / 4`: for
/// smaller `p` the buckets below `k0 / M` (the logarithm's share) would be
/// most of them, so the table would not pay for its build.
const GUIDE_MAX_K0: usize = GUIDE_BUCKETS / 4;

/// Powers tabulated at least: rows up to this long are checked for "no
/// success" by one comparison (`none_within`), without a logarithm. Most
/// listener rows of social graphs are shorter.
const MIN_TABLE_LEN: usize = 256;

/// Most powers tabulated: guide-table entries are `u16` indices.
const MAX_TABLE_LEN: usize = u16::MAX as usize;

/// The geometric-gap sampler for one uniform probability `p` (see
/// [`Gaps::for_each_success`] for how the gaps are used).
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

    /// Whether `p = 0` (or NaN): no listener ever succeeds, nothing is drawn.
    #[inline]
    pub(crate) fn never(&self) -> bool {
        self.ln_q == 0.0
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
        let use_table = k0 <= GUIDE_MAX_K0;
        let floor = if use_table { k0 as f64 / GUIDE_BUCKETS as f64 } else { 0.0 };
        self.t.clear();
        let mut x = 1.0f64;
        // Up to MIN_TABLE_LEN entries for the row checks, and past the first
        // power below `k0 / M` for the guide scan (capped for u16 indices).
        while self.t.len() < MIN_TABLE_LEN || (use_table && self.t.last().is_some_and(|&l| l >= floor)) {
            self.t.push(x);
            x *= q;
            if self.t.len() >= MAX_TABLE_LEN {
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
        let k = (wi >> BUCKET_SHIFT) as usize;
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

/// The SHARE protocol written plainly, for the reference models and tests:
/// the same gaps as [`Gaps`] (the rule in its docs) found by a linear scan
/// over the powers `q^g`, and a row's successes collected in a `Vec`.
/// O(gap) per draw: fine for small graphs, far too slow for the engine.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PlainShare {
    p: f64,
    /// `L`, the number of powers [`Gaps`] tabulates for `p`: below `q^(L-1)`
    /// the rule switches to the logarithm.
    table_len: usize,
}

impl PlainShare {
    pub(crate) fn new(p: f64) -> Self {
        let mut g = Gaps::new();
        g.prepare(p);
        PlainShare { p, table_len: g.t.len() }
    }

    /// `G(w) = max{g : w <= q^g}` while `g < L - 1`, else
    /// `max(L - 1, floor(ln w / ln q))`.
    pub(crate) fn gap(&self, w: f64) -> u64 {
        let q = (1.0 - self.p).clamp(0.0, 1.0);
        let (mut g, mut power) = (0usize, 1.0f64);
        while g + 1 < self.table_len {
            let next = power * q;
            if w > next {
                return g as u64;
            }
            power = next;
            g += 1;
        }
        ((w.ln() / ln_fail(self.p)) as u64).max(g as u64)
    }

    /// The indices of a row of `len` listeners that get a message, ascending:
    /// `G(w₁)`, `G(w₁) + 1 + G(w₂)`, … while inside the row, with
    /// `w = 1 - uniform(r)` per draw. `p = 0` draws nothing.
    pub(crate) fn successes(&self, r: &mut rng::NodeRng, len: usize) -> Vec<usize> {
        let mut out = Vec::new();
        if ln_fail(self.p) == 0.0 {
            return out;
        }
        let mut i = self.gap(1.0 - rng::uniform(r));
        while i < len as u64 {
            out.push(i as usize);
            i = i.saturating_add(1).saturating_add(self.gap(1.0 - rng::uniform(r)));
        }
        out
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

/// `(1 - U)·2⁵³` for the draw `x` (`U = (x >> 11)·2⁻⁵³`), in `1..=2⁵³`.
#[inline(always)]
pub(crate) fn wi_of(x: u64) -> u64 {
    (1u64 << 53) - (x >> 11)
}

#[cfg(test)]
mod tests {
    use super::*;

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
}

#[cfg(test)]
mod plain_tests {
    use super::*;

    /// The plain scan is the table-driven sampler's rule, draw for draw,
    /// including the logarithm's tail and the `p` without a guide table.
    #[test]
    fn plain_share_gives_the_same_gaps() {
        for p in [1e-5, 0.0004, 0.003, 0.01, 0.05, 0.2, 0.5, 0.9, 1.0] {
            let mut gaps = Gaps::new();
            gaps.prepare(p);
            let plain = PlainShare::new(p);
            let mut r = rng::stream(11, "test", &[p.to_bits()]);
            for k in 0..20_000u64 {
                // Every fourth draw far out in the tail.
                let u = rng::uniform(&mut r);
                let u = if k % 4 == 0 { 1.0 - (1.0 - u) * 1e-6 } else { u };
                let wi = (1u64 << 53) - (u * TWO53) as u64;
                assert_eq!(plain.gap(wi as f64 / TWO53), gaps.gap(wi), "p {p} w {}", wi as f64 / TWO53);
            }
        }
    }
}

#[cfg(test)]
mod share_protocol_tests {
    use super::*;
    use crate::rng::{self, tag};

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
