//! Summary statistics, computed sequentially so floats sum in the same order
//! every time.

use crate::metrics::{Row, Trajectory, NUM_METRICS};

/// Mean, standard deviation and 95% confidence interval of a mean.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub n: usize,
    pub mean: f64,
    /// Sample standard deviation (n - 1 denominator); 0 when n < 2.
    pub sd: f64,
    /// mean ∓ t(0.975, n-1) · sd / √n; equal to the mean when n < 2.
    pub ci95_low: f64,
    pub ci95_high: f64,
}

/// Two-sided 97.5% quantile of Student's t with `df` degrees of freedom.
///
/// Exact table for df <= 30, then the Cornish–Fisher expansion around the
/// normal quantile (error < 1e-4 for df > 30).
pub fn t975(df: usize) -> f64 {
    const T: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
        2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ];
    if df == 0 {
        return f64::INFINITY;
    }
    if df <= 30 {
        return T[df - 1];
    }
    let z: f64 = 1.959_963_984_540_054;
    let d = df as f64;
    let z3 = z * z * z;
    let z5 = z3 * z * z;
    let z7 = z5 * z * z;
    z + (z3 + z) / (4.0 * d)
        + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * d * d)
        + (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / (384.0 * d * d * d)
}

/// Summary of a sample.
pub fn summarize(xs: &[f64]) -> Summary {
    let n = xs.len();
    if n == 0 {
        return Summary { n, mean: f64::NAN, sd: f64::NAN, ci95_low: f64::NAN, ci95_high: f64::NAN };
    }
    let mean = xs.iter().sum::<f64>() / n as f64;
    if n < 2 {
        return Summary { n, mean, sd: 0.0, ci95_low: mean, ci95_high: mean };
    }
    let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1) as f64;
    let sd = var.sqrt();
    let half = t975(n - 1) * sd / (n as f64).sqrt();
    Summary { n, mean, sd, ci95_low: mean - half, ci95_high: mean + half }
}

/// Summary of the paired differences `a[i] - b[i]`.
pub fn paired_diff(a: &[f64], b: &[f64]) -> Summary {
    assert_eq!(a.len(), b.len(), "paired samples must have equal length");
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| x - y).collect();
    summarize(&d)
}

/// ln Γ(x) for x > 0, Lanczos approximation (g = 7, n = 9; Press et al.,
/// *Numerical Recipes*, 3rd ed., §6.1), relative error below 1e-15.
pub fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection: Γ(x)Γ(1 − x) = π / sin(πx).
        return (std::f64::consts::PI / (std::f64::consts::PI * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = C[0];
    let t = x + G + 0.5;
    for (i, &c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// Regularized incomplete beta I_x(a, b), by the continued fraction of
/// *Numerical Recipes* §6.4 (modified Lentz), using the symmetry
/// I_x(a, b) = 1 − I_{1−x}(b, a) where it converges faster.
pub fn incomplete_beta(x: f64, a: f64, b: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let ln_front = ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln();
    if x < (a + 1.0) / (a + b + 2.0) {
        ln_front.exp() * beta_cf(x, a, b) / a
    } else {
        1.0 - ln_front.exp() * beta_cf(1.0 - x, b, a) / b
    }
}

fn beta_cf(x: f64, a: f64, b: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let guard = |v: f64| if v.abs() < TINY { TINY } else { v };
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 / guard(1.0 - qab * x / qap);
    let mut h = d;
    // One modified-Lentz update with partial numerator `aa`; returns the
    // factor applied to the running value.
    let step = |aa: f64, c: &mut f64, d: &mut f64| {
        *d = 1.0 / guard(1.0 + aa * *d);
        *c = guard(1.0 + aa / *c);
        *d * *c
    };
    for m in 1..=300 {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        h *= step(m * (b - m) * x / ((qam + m2) * (a + m2)), &mut c, &mut d);
        let del = step(-(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)), &mut c, &mut d);
        h *= del;
        if (del - 1.0).abs() < 1e-15 {
            break;
        }
    }
    h
}

/// Two-sided p-value of Student's t statistic `t` with `df` degrees of
/// freedom: P(|T| ≥ |t|) = I_{df/(df+t²)}(df/2, 1/2).
pub fn t_two_sided_p(t: f64, df: usize) -> f64 {
    if df == 0 || t.is_nan() {
        return 1.0;
    }
    if t.is_infinite() {
        return 0.0;
    }
    let d = df as f64;
    incomplete_beta(d / (d + t * t), d / 2.0, 0.5).clamp(0.0, 1.0)
}

/// Two-sided p-value of a one-sample t-test of mean zero on the summary
/// `s` (a paired difference): 1 with fewer than two values; with zero
/// spread, 0 when the mean differs from zero and 1 when it is zero.
pub fn p_value(s: &Summary) -> f64 {
    if s.n < 2 {
        return 1.0;
    }
    if s.sd == 0.0 {
        return if s.mean == 0.0 { 1.0 } else { 0.0 };
    }
    t_two_sided_p(s.mean / (s.sd / (s.n as f64).sqrt()), s.n - 1)
}

/// Holm–Bonferroni adjusted p-values (Holm 1979): sort the m p-values
/// ascending, multiply the i-th smallest (0-based) by m − i, make the
/// sequence non-decreasing, cap at 1. Rejecting where the adjusted value is
/// below α controls the family-wise error rate at α for any dependence
/// between the tests. Ties keep their input order, so the result is a
/// function of the values alone.
pub fn holm(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| p[a].total_cmp(&p[b]).then(a.cmp(&b)));
    let mut adj = vec![0.0; m];
    let mut running = 0.0f64;
    for (i, &k) in order.iter().enumerate() {
        running = running.max(((m - i) as f64 * p[k]).min(1.0));
        adj[k] = running;
    }
    adj
}

/// Quantile of a **sorted** sample by linear interpolation (type 7, as R's
/// default and numpy's `linear`).
pub fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let h = (sorted.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// A float sum that is exact until the final rounding (Shewchuk 1997,
/// "Adaptive precision floating-point arithmetic", the algorithm of Python's
/// `math.fsum`): the result does not depend on the order of the terms, so
/// per-step means can add replicates in any order (tails in bulk, shards
/// merged later) and still give the same bits.
#[derive(Debug, Clone, Default)]
pub struct ExactSum {
    /// Non-overlapping partial sums, increasing magnitude.
    partials: Vec<f64>,
}

impl ExactSum {
    /// Add `x` exactly. Amortised O(number of partials), which stays tiny
    /// for counts.
    pub fn add(&mut self, mut x: f64) {
        let mut i = 0;
        for k in 0..self.partials.len() {
            let mut y = self.partials[k];
            if x.abs() < y.abs() {
                std::mem::swap(&mut x, &mut y);
            }
            let hi = x + y;
            let lo = y - (hi - x);
            if lo != 0.0 {
                self.partials[i] = lo;
                i += 1;
            }
            x = hi;
        }
        self.partials.truncate(i);
        self.partials.push(x);
    }

    /// Add `x` exactly `k` times (`x·k` split into an exact sum of two
    /// floats with a fused multiply-add).
    pub fn add_times(&mut self, x: f64, k: u64) {
        let k = k as f64;
        let p = x * k;
        self.add(p);
        self.add(x.mul_add(k, -p));
    }

    /// The correctly rounded sum.
    pub fn value(&self) -> f64 {
        // The partials do not overlap, so summing from the largest down with
        // the half-way correction gives the correctly rounded total.
        let mut n = self.partials.len();
        if n == 0 {
            return 0.0;
        }
        n -= 1;
        let mut hi = self.partials[n];
        let mut lo = 0.0;
        while n > 0 {
            let x = hi;
            n -= 1;
            let y = self.partials[n];
            hi = x + y;
            let yr = hi - x;
            lo = y - yr;
            if lo != 0.0 {
                break;
            }
        }
        if n > 0 && ((lo < 0.0 && self.partials[n - 1] < 0.0) || (lo > 0.0 && self.partials[n - 1] > 0.0)) {
            let y = lo * 2.0;
            let x = hi + y;
            if y == x - hi {
                hi = x;
            }
        }
        hi
    }
}

/// A multiset of values drawn from a fixed, known universe (sorted once),
/// with O(log n) insert and k-th smallest: a Fenwick tree of counts over the
/// universe's ranks.
#[derive(Debug, Clone)]
struct RankSet {
    /// The universe, sorted ascending (duplicates kept: one slot each).
    sorted: Vec<f64>,
    tree: Vec<u32>,
    len: usize,
}

impl RankSet {
    fn new(sorted: Vec<f64>) -> Self {
        let n = sorted.len();
        RankSet { sorted, tree: vec![0; n + 1], len: 0 }
    }

    /// Insert the universe's slot `rank` (0-based).
    fn insert(&mut self, rank: usize) {
        let mut i = rank + 1;
        while i < self.tree.len() {
            self.tree[i] += 1;
            i += i & i.wrapping_neg();
        }
        self.len += 1;
    }

    /// The `k`-th smallest inserted value (0-based, `k < len`).
    fn select(&self, k: usize) -> f64 {
        let n = self.tree.len() - 1;
        let mut pos = 0usize;
        let mut rem = k as u32 + 1;
        let mut step = if n == 0 { 0 } else { 1usize << (usize::BITS - 1 - n.leading_zeros()) };
        while step > 0 {
            let next = pos + step;
            if next <= n && self.tree[next] < rem {
                pos = next;
                rem -= self.tree[next];
            }
            step >>= 1;
        }
        self.sorted[pos]
    }
}

/// The `k`-th smallest (0-based) of the union of a sorted slice `a` and a
/// [`RankSet`] `b`. O(log |a| · log |b|).
fn kth_of_union(a: &[f64], b: &RankSet, k: usize) -> f64 {
    debug_assert!(k < a.len() + b.len);
    // Take i from a and k + 1 - i from b; find the i where the two runs
    // interleave: binary search on i.
    let need = k + 1;
    let (mut lo, mut hi) = (need.saturating_sub(b.len), need.min(a.len()));
    while lo < hi {
        let i = (lo + hi) / 2;
        // Too few from a if a[i] < b[need - i - 1].
        if a[i] < b.select(need - i - 1) {
            lo = i + 1;
        } else {
            hi = i;
        }
    }
    let i = lo;
    let from_a = if i > 0 { Some(a[i - 1]) } else { None };
    let from_b = if need - i > 0 { Some(b.select(need - i - 1)) } else { None };
    match (from_a, from_b) {
        (Some(x), Some(y)) => x.max(y),
        (Some(x), None) => x,
        (None, Some(y)) => y,
        (None, None) => unreachable!("k < |a| + |b|"),
    }
}

/// Type-7 quantile `q` of a multiset of `n` values given by its order
/// statistics `kth`.
fn quantile_by(n: usize, q: f64, kth: impl Fn(usize) -> f64) -> f64 {
    if n == 0 {
        return f64::NAN;
    }
    let h = (n - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    let (x, y) = (kth(lo), if hi == lo { kth(lo) } else { kth(hi) });
    x + (h - lo as f64) * (y - x)
}

/// The positions of the active values (`a` of them, beside `b` values of
/// quiescent replicates, `n = a + b`) that [`kth_of_union`] reads for the
/// quantiles `qs`: for rank k it takes between `k + 1 − b` and `k + 1`
/// values from the active side, so it reads positions
/// `k − b ..= k` (clamped). Returned as ascending, disjoint, inclusive
/// windows.
fn union_windows(n: usize, a: usize, b: usize, qs: &[f64]) -> Vec<(usize, usize)> {
    let mut w: Vec<(usize, usize)> = Vec::with_capacity(2 * qs.len());
    for &q in qs {
        let h = (n.saturating_sub(1)) as f64 * q;
        for k in [h.floor() as usize, h.ceil() as usize] {
            let need = k + 1;
            let (lo, hi) = (need.saturating_sub(b), need.min(a));
            if hi > 0 {
                w.push((lo.saturating_sub(1), hi - 1));
            }
        }
    }
    w.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(w.len());
    for (lo, hi) in w {
        match merged.last_mut() {
            Some(last) if lo <= last.1 + 1 => last.1 = last.1.max(hi),
            _ => merged.push((lo, hi)),
        }
    }
    merged
}

/// Reorder `a` so that every window `lo..=hi` holds, in order, exactly the
/// values a full sort would put there — O(len) per window by selection
/// plus the sort of the windows themselves, instead of a full sort (the
/// per-step quantiles need only a few order statistics). Windows ascending
/// and disjoint.
fn sort_windows(a: &mut [f64], windows: &[(usize, usize)]) {
    let covered: usize = windows.iter().map(|&(lo, hi)| hi + 1 - lo).sum();
    if 2 * covered >= a.len() {
        a.sort_unstable_by(f64::total_cmp);
        return;
    }
    let mut start = 0;
    for &(lo, hi) in windows {
        let s = &mut a[start..];
        let (lo, hi) = (lo - start, hi - start);
        if lo > 0 {
            s.select_nth_unstable_by(lo, f64::total_cmp);
        }
        let rest = &mut s[lo..];
        if hi - lo + 1 < rest.len() {
            rest.select_nth_unstable_by(hi - lo, f64::total_cmp);
        }
        rest[..=hi - lo].sort_unstable_by(f64::total_cmp);
        start += hi + 1;
    }
}

/// `s + x` when both are integers and the result stays within ±2^53
/// (where every integer is a float, so the addition is exact); `None`
/// otherwise.
fn add_int(s: f64, x: f64) -> Option<f64> {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
                                                // `x as i64` saturates and maps NaN to 0, so the round trip holds
                                                // exactly for integral x within ±2^63 (cheaper than `fract`).
    let integral = (x as i64) as f64 == x;
    (integral && s.abs() + x.abs() <= EXACT).then_some(s + x)
}

/// Per-step mean, 5% and 95% quantiles across replicates, for steps
/// `0..rows.len()`; every later step up to the horizon repeats the last row
/// (all replicates are quiescent there, see [`series`]).
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesStats {
    pub mean: Vec<Row>,
    pub q05: Vec<Row>,
    pub q95: Vec<Row>,
}

/// Aggregate trajectories (all with the same horizon), exactly and in
/// O(stored rows · log R) time and O(stored rows + R) memory, whatever the
/// horizon: a replicate contributes its stored rows, and from its
/// quiescence on its tail value, which is added to running state once
/// (an exact sum for the mean, an order-statistic tree for the quantiles)
/// instead of once per remaining step. Past the longest stored trajectory
/// every replicate is in its tail, so the aggregate is constant there and
/// is stored once.
///
/// The result depends only on the multiset of trajectories, not on their
/// order (means are exact sums, quantiles order statistics).
pub fn series(trajs: &[Trajectory]) -> SeriesStats {
    let Some(first) = trajs.first() else {
        return SeriesStats { mean: vec![], q05: vec![], q95: vec![] };
    };
    let horizon = first.steps() as usize;
    let n = trajs.len();
    // Rows to compute: up to the longest stored trajectory, plus one row
    // of pure tails if that is still within the horizon.
    let longest = trajs.iter().map(|t| t.stored().len()).max().unwrap_or(1);
    let rows = (longest + 1).min(horizon + 1);
    // Replicates by the step from which they are in their tail.
    let mut by_end: Vec<(usize, usize)> =
        trajs.iter().enumerate().filter(|(_, t)| t.is_quiescent()).map(|(r, t)| (t.stored().len(), r)).collect();
    by_end.sort_unstable();
    let tails: Vec<Row> = trajs.iter().map(|t| crate::metrics::tail_of(t.stored().last().expect("row 0"))).collect();
    // Per metric: the universe of tail values (quiescent replicates only)
    // and each replicate's slot in it.
    let mut sets = Vec::with_capacity(NUM_METRICS);
    let mut slot = vec![[0usize; NUM_METRICS]; n];
    for m in 0..NUM_METRICS {
        // (value, replicate) pairs are distinct, so an unstable sort gives
        // the one order by value, then replicate.
        let mut order: Vec<(f64, usize)> = by_end.iter().map(|&(_, r)| (tails[r][m], r)).collect();
        order.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for (rank, &(_, r)) in order.iter().enumerate() {
            slot[r][m] = rank;
        }
        sets.push(RankSet::new(order.iter().map(|&(x, _)| x).collect()));
    }
    let mut ended_sum: Vec<ExactSum> = vec![ExactSum::default(); NUM_METRICS];
    // The same sums while every term is an integer (counts, the common
    // case): f64 addition of integers is exact up to 2^53, so these equal
    // the exact sums and spare the per-row copy of the partials.
    let mut ended_int: [Option<f64>; NUM_METRICS] = [Some(0.0); NUM_METRICS];
    let mut next_end = 0usize;
    let mut active: Vec<usize> = (0..n).collect();
    let mut mean = Vec::with_capacity(rows);
    let mut q05 = Vec::with_capacity(rows);
    let mut q95 = Vec::with_capacity(rows);
    let mut cols: Vec<Vec<f64>> = (0..NUM_METRICS).map(|_| Vec::with_capacity(n)).collect();
    for t in 0..rows {
        while next_end < by_end.len() && by_end[next_end].0 <= t {
            let r = by_end[next_end].1;
            for m in 0..NUM_METRICS {
                ended_sum[m].add(tails[r][m]);
                ended_int[m] = ended_int[m].and_then(|s| add_int(s, tails[r][m]));
                sets[m].insert(slot[r][m]);
            }
            next_end += 1;
        }
        active.retain(|&r| trajs[r].stored().len() > t);
        // One pass over the active replicates' rows (each in its own
        // allocation: a cache miss apiece), split into a column per metric.
        for c in cols.iter_mut() {
            c.clear();
        }
        for &r in &active {
            let row = &trajs[r].stored()[t];
            for (c, &x) in cols.iter_mut().zip(row) {
                c.push(x);
            }
        }
        let (mut mr, mut lr, mut hr) = ([0.0; NUM_METRICS], [0.0; NUM_METRICS], [0.0; NUM_METRICS]);
        for m in 0..NUM_METRICS {
            let buf = &mut cols[m];
            let int_sum = ended_int[m].and_then(|s0| buf.iter().try_fold(s0, |s, &x| add_int(s, x)));
            // A column with one value (a metric this model does not use, or
            // one every active replicate agrees on) is already in order.
            let constant = buf.first().is_some_and(|&x0| buf.iter().all(|&x| x.to_bits() == x0.to_bits()));
            mr[m] = match int_sum {
                Some(sum) => sum / n as f64,
                None => {
                    let mut sum = ended_sum[m].clone();
                    for &x in buf.iter() {
                        sum.add(x);
                    }
                    sum.value() / n as f64
                }
            };
            if !constant {
                let windows = union_windows(n, buf.len(), sets[m].len, &[0.05, 0.95]);
                sort_windows(buf, &windows);
            }
            let kth = |k: usize| kth_of_union(buf, &sets[m], k);
            lr[m] = quantile_by(n, 0.05, kth);
            hr[m] = quantile_by(n, 0.95, kth);
        }
        mean.push(mr);
        q05.push(lr);
        q95.push(hr);
    }
    SeriesStats { mean, q05, q95 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_of_known_sample() {
        let s = summarize(&[1.0, 2.0, 3.0, 4.0]);
        assert_eq!(s.mean, 2.5);
        assert!((s.sd - 1.290_994_448_7).abs() < 1e-9);
        // t(0.975, 3) = 3.182
        assert!((s.ci95_high - (2.5 + 3.182 * 1.290_994_448_7 / 2.0)).abs() < 1e-9);
    }

    #[test]
    fn t_quantile_is_continuous_at_the_table_edge() {
        assert!((t975(31) - 2.0395).abs() < 1e-3);
        assert!((t975(120) - 1.9799).abs() < 1e-3);
        assert!((t975(100_000) - 1.96).abs() < 1e-3);
    }

    /// The plain definition: every row of every replicate, tails included.
    fn naive(trajs: &[Trajectory]) -> SeriesStats {
        let steps = trajs[0].steps();
        let n = trajs.len() as f64;
        let (mut mean, mut q05, mut q95) = (vec![], vec![], vec![]);
        for t in 0..=steps {
            let (mut a, mut b, mut c) = ([0.0; NUM_METRICS], [0.0; NUM_METRICS], [0.0; NUM_METRICS]);
            for m in 0..NUM_METRICS {
                let mut v: Vec<f64> = trajs.iter().map(|tr| tr.row(t)[m]).collect();
                let mut s = ExactSum::default();
                v.iter().for_each(|&x| s.add(x));
                a[m] = s.value() / n;
                v.sort_by(f64::total_cmp);
                b[m] = quantile_sorted(&v, 0.05);
                c[m] = quantile_sorted(&v, 0.95);
            }
            mean.push(a);
            q05.push(b);
            q95.push(c);
        }
        SeriesStats { mean, q05, q95 }
    }

    #[test]
    fn series_with_implied_tails_equals_the_plain_definition() {
        use crate::metrics::Metric;
        let mut x = 12345u64;
        let mut next = move || {
            x = crate::rng::mix64(x);
            x
        };
        for case in 0..60 {
            let steps = 1 + (next() % 12) as u32;
            let reps = 1 + (next() % 40) as usize;
            let trajs: Vec<Trajectory> = (0..reps)
                .map(|_| {
                    let mut tr = Trajectory::new(steps);
                    let len = 1 + (next() % u64::from(steps + 1)) as u32;
                    for t in 0..len {
                        let row = tr.row_mut(t);
                        for v in row.iter_mut() {
                            // Few distinct values, so ties are common.
                            *v = (next() % 5) as f64;
                        }
                        row[Metric::NetSentiment.idx()] = (next() % 7) as f64 / 7.0 - 0.4;
                    }
                    if len <= steps && next() % 4 != 0 {
                        tr.quiesce(len - 1);
                    } else {
                        // Run to the horizon (possibly with constant rows).
                        for t in len..=steps {
                            *tr.row_mut(t) = tr.row(t - 1);
                        }
                    }
                    tr
                })
                .collect();
            let want = naive(&trajs);
            let got = series(&trajs);
            assert!(got.mean.len() <= steps as usize + 1);
            for t in 0..=steps as usize {
                let k = t.min(got.mean.len() - 1);
                assert_eq!(got.mean[k], want.mean[t], "case {case} step {t} mean");
                assert_eq!(got.q05[k], want.q05[t], "case {case} step {t} q05");
                assert_eq!(got.q95[k], want.q95[t], "case {case} step {t} q95");
            }
        }
    }

    #[test]
    fn exact_sum_is_order_independent() {
        let xs = [0.1, 1e16, -1e16, 0.2, 1.0 / 3.0, -0.7, 1e-20];
        let mut a = ExactSum::default();
        xs.iter().for_each(|&x| a.add(x));
        let mut b = ExactSum::default();
        xs.iter().rev().for_each(|&x| b.add(x));
        assert_eq!(a.value(), b.value());
        // 0.1 + 0.2 + 1/3 - 0.7 + 1e-20 rounded once.
        assert_eq!(a.value(), -0.06666666666666662);
        let mut c = ExactSum::default();
        c.add_times(0.1, 3);
        assert_eq!(c.value(), 0.30000000000000004);
        let mut d = ExactSum::default();
        (0..3).for_each(|_| d.add(0.1));
        assert_eq!(c.value(), d.value());
    }

    #[test]
    fn quantiles_interpolate() {
        let v = [0.0, 10.0, 20.0, 30.0, 40.0];
        assert_eq!(quantile_sorted(&v, 0.5), 20.0);
        assert_eq!(quantile_sorted(&v, 0.05), 2.0);
    }

    #[test]
    fn t_p_values_match_tables() {
        // Closed forms: df = 1 (Cauchy) p = 1 − (2/π)·atan|t|; df = 2
        // p = 1 − |t|/√(2 + t²). Others by numerical integration of the
        // density (midpoint rule, 2·10⁶ panels).
        let cases = [
            (12.706, 1, 0.050_000_802_358_133_09),
            (1.0, 1, 0.5),
            (2.0, 2, 0.183_503_419_072_273_85),
            (0.5, 2, 2.0 / 3.0),
            (2.0, 10, 0.073_388_034_770_734_74),
            (-2.0, 10, 0.073_388_034_770_734_74),
            (3.5, 299, 0.000_536_098_613_704_048_7),
            (0.0, 5, 1.0),
        ];
        for (t, df, want) in cases {
            let got = t_two_sided_p(t, df);
            assert!((got - want).abs() < 1e-9 * want, "t = {t}, df = {df}: {got} vs {want}");
        }
        // The table's 97.5% quantiles give p = 0.05 to their printed precision.
        for df in [2usize, 5, 30] {
            assert!((t_two_sided_p(t975(df), df) - 0.05).abs() < 2e-4, "df {df}");
        }
    }

    #[test]
    fn p_value_edge_cases() {
        let s = summarize(&[1.0, 1.0, 1.0]);
        assert_eq!(p_value(&s), 0.0);
        assert_eq!(p_value(&summarize(&[0.0, 0.0])), 1.0);
        assert_eq!(p_value(&summarize(&[5.0])), 1.0);
    }

    #[test]
    fn holm_adjusts_step_down() {
        // Worked example: p = (0.01, 0.04, 0.03, 0.005), m = 4:
        // sorted 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, 0.04·1 → max(0.06, 0.04).
        let adj = holm(&[0.01, 0.04, 0.03, 0.005]);
        let want = [0.03, 0.06, 0.06, 0.02];
        for (a, w) in adj.iter().zip(want) {
            assert!((a - w).abs() < 1e-15, "{adj:?}");
        }
        // 0.8·2 caps at 1; 0.9·1 is raised to the running maximum 1.
        assert_eq!(holm(&[0.9, 0.8]), vec![1.0, 1.0]);
        assert!(holm(&[]).is_empty());
    }

    #[test]
    fn windowed_sort_matches_a_full_sort_where_it_is_read() {
        let mut rng = crate::rng::stream(11, "test", &[]);
        for _ in 0..300 {
            let len = 1 + crate::rng::below(&mut rng, 200) as usize;
            let b = crate::rng::below(&mut rng, 50) as usize;
            let a: Vec<f64> = (0..len).map(|_| crate::rng::below(&mut rng, 30) as f64 - 5.0).collect();
            let mut full = a.clone();
            full.sort_unstable_by(f64::total_cmp);
            let windows = union_windows(len + b, len, b, &[0.05, 0.95]);
            let mut part = a.clone();
            sort_windows(&mut part, &windows);
            for &(lo, hi) in &windows {
                assert_eq!(part[lo..=hi], full[lo..=hi], "len {len} b {b} window {lo}..={hi}");
            }
        }
    }
}
