//! Global sensitivity indices: which uncertain parameter decides an output.
//! Pure estimator code (no I/O): designs in the unit hypercube (a key's
//! value is its prior's quantile at the design's coordinate) and the
//! estimators over one output value per design row.
//!
//! **Sobol** (Saltelli et al. 2010, "Variance based sensitivity analysis of
//! model output", Comput. Phys. Commun. 181:259–270). Two independent N × k
//! matrices A and B of uniforms and, for each key i, A_B^(i) (A with column
//! i from B). Rows are laid out by base row j: A_j, B_j, A_B^(1)_j, …,
//! A_B^(k)_j, so N(k + 2) rows. With V the variance of the 2N outputs of A
//! and B:
//! * first order S_i = (1/N) Σ_j f(B)_j (f(A_B^(i))_j − f(A)_j) / V
//!   (Saltelli 2010, Table 2 (b));
//! * total ST_i = (1/2N) Σ_j (f(A)_j − f(A_B^(i))_j)² / V (Jansen 1999,
//!   "Analysis of variance designs for model output", Comput. Phys.
//!   Commun. 117:35–43).
//!
//! A stochastic simulator's output in a row is a mean over replicates with
//! its own chance variance σ² (independent between rows): it adds σ² to V
//! and to the Jansen numerator's expectation (the first-order numerator is
//! unbiased). [`sobol`] subtracts a given σ² from both (estimated by the
//! caller from the replicates' spread), so that a key with no effect gets
//! a total index near 0 rather than σ²/V.
//!
//! **Morris** (Morris 1991, Technometrics 33:161–174; Campolongo, Cariboni
//! & Saltelli 2007, Environ. Model. Softw. 22:1509–1518): r trajectories
//! of k + 1 points on a p-level grid of the quantile space (levels at the
//! centres (ℓ + ½)/p of p equal-probability bins, so unbounded priors stay
//! finite); each step moves one key by Δ = p / (2(p − 1)) grid spans, i.e.
//! ½ in probability, upward. A key's elementary effect is the output's
//! change divided by that quantile step, i.e. the change per whole prior
//! (for f = c·x with x uniform on a range: c × range). μ* = mean |EE|,
//! σ = the EEs' standard deviation (n − 1).
//!
//! CIs: percentile bootstrap (2.5%, 97.5%, type 7) over the N base rows
//! (Sobol) or the r trajectories (Morris), with the resampled indices given
//! by the caller (one named stream: see [`resamples`]).

pub mod study;

use crate::rng::{self, Rng64};
use crate::stats;

/// Bootstrap resamples for the CIs.
pub const BOOTSTRAP: usize = 1000;

/// A design of parameter vectors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Sobol,
    Morris,
}

impl Method {
    pub fn name(self) -> &'static str {
        match self {
            Method::Sobol => "sobol",
            Method::Morris => "morris",
        }
    }

    /// Design rows per base row (Sobol) or trajectory (Morris) for k keys.
    pub fn rows_per_base(self, k: usize) -> usize {
        match self {
            Method::Sobol => k + 2,
            Method::Morris => k + 1,
        }
    }

    /// The two indices it estimates, as named in `sensitivity.csv`.
    pub fn index_names(self) -> [&'static str; 2] {
        match self {
            Method::Sobol => ["first", "total"],
            Method::Morris => ["mu_star", "sigma"],
        }
    }
}

/// An estimate with its bootstrap 95% CI; NaN where undefined (no variance).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Est {
    pub value: f64,
    pub ci95_low: f64,
    pub ci95_high: f64,
}

/// A coordinate strictly inside (0, 1), so every prior's quantile is finite.
fn open(u: f64) -> f64 {
    u.clamp(0.0, 1.0 - f64::EPSILON) + f64::EPSILON / 2.0
}

/// Saltelli's rows for `n` base rows and `k` keys (module docs); `u(m, j,
/// i)` is matrix m's (0 = A, 1 = B) uniform for base row j, key i.
pub fn sobol_rows(n: usize, k: usize, u: &dyn Fn(u64, usize, usize) -> f64) -> Vec<Vec<f64>> {
    let mut rows = Vec::with_capacity(n * (k + 2));
    for j in 0..n {
        let a: Vec<f64> = (0..k).map(|i| open(u(0, j, i))).collect();
        let b: Vec<f64> = (0..k).map(|i| open(u(1, j, i))).collect();
        rows.push(a.clone());
        rows.push(b.clone());
        for i in 0..k {
            let mut ab = a.clone();
            ab[i] = b[i];
            rows.push(ab);
        }
    }
    rows
}

/// Morris trajectories (module docs): `r` of `k + 1` rows on `levels` (even,
/// ≥ 2) levels; trajectory t's start and key order come from `rng(t)`.
pub fn morris_rows(r: usize, k: usize, levels: usize, rng: &dyn Fn(usize) -> Rng64) -> Vec<Vec<f64>> {
    let p = levels.max(2);
    let half = p / 2;
    let at = |l: usize| (l as f64 + 0.5) / p as f64;
    let mut rows = Vec::with_capacity(r * (k + 1));
    for t in 0..r {
        let mut g = rng(t);
        let mut level: Vec<usize> = (0..k).map(|_| rng::below(&mut g, half as u64) as usize).collect();
        // Fisher–Yates: the order in which keys move.
        let mut order: Vec<usize> = (0..k).collect();
        for i in (1..k).rev() {
            order.swap(i, rng::below(&mut g, i as u64 + 1) as usize);
        }
        rows.push(level.iter().map(|&l| at(l)).collect());
        for &i in &order {
            level[i] += half;
            rows.push(level.iter().map(|&l| at(l)).collect());
        }
    }
    rows
}

/// `b` resamples with replacement of `n` indices, resample `s` from the
/// stream `(seed, purpose, [tag, s])`.
pub fn resamples(n: usize, b: usize, seed: u64, purpose: &str, tag: u64) -> Vec<Vec<usize>> {
    (0..b)
        .map(|s| {
            let mut g = rng::stream(seed, purpose, &[tag, s as u64]);
            (0..n).map(|_| rng::below(&mut g, n as u64) as usize).collect()
        })
        .collect()
}

/// `stat` on all units, with the percentile CI of `stat` on each resample.
fn bootstrap(n: usize, resamples: &[Vec<usize>], stat: &dyn Fn(&mut dyn Iterator<Item = usize>) -> f64) -> Est {
    let value = stat(&mut (0..n));
    let mut bs: Vec<f64> = resamples.iter().map(|idx| stat(&mut idx.iter().copied())).filter(|x| !x.is_nan()).collect();
    if value.is_nan() || bs.is_empty() {
        return Est { value, ci95_low: f64::NAN, ci95_high: f64::NAN };
    }
    bs.sort_unstable_by(f64::total_cmp);
    Est { value, ci95_low: stats::quantile_sorted(&bs, 0.025), ci95_high: stats::quantile_sorted(&bs, 0.975) }
}

/// Sobol first-order and total indices `[first, total]` per key from `y`,
/// one output per row of [`sobol_rows`] (`y.len() = N(k + 2)`); `noise` is
/// the chance variance of one output (0 for a deterministic function).
pub fn sobol(y: &[f64], k: usize, noise: f64, resamples: &[Vec<usize>]) -> Vec<[Est; 2]> {
    let w = k + 2;
    let n = y.len() / w;
    // Centred on the mean of A and B: the first-order numerator's
    // expectation is unchanged by a shift, but its variance grows with the
    // mean² (Saltelli et al. 2010, §4), which a simulator's counts make large.
    let centre = (0..n).map(|j| y[j * w] + y[j * w + 1]).sum::<f64>() / (2 * n).max(1) as f64;
    let y: Vec<f64> = y.iter().map(|v| v - centre).collect();
    let y = y.as_slice();
    let (ya, yb) = (|j: usize| y[j * w], |j: usize| y[j * w + 1]);
    let yab = |j: usize, i: usize| y[j * w + 2 + i];
    // V over A and B together (n − 1 style over 2N values), less the noise.
    let var = |rows: &[usize]| -> f64 {
        let m = rows.len() as f64 * 2.0;
        let mean = rows.iter().map(|&j| ya(j) + yb(j)).sum::<f64>() / m;
        let ss: f64 = rows.iter().map(|&j| (ya(j) - mean).powi(2) + (yb(j) - mean).powi(2)).sum();
        let v = ss / (m - 1.0) - noise;
        if v > 0.0 {
            v
        } else {
            f64::NAN
        }
    };
    (0..k)
        .map(|i| {
            let first = move |it: &mut dyn Iterator<Item = usize>| {
                let rows: Vec<usize> = it.collect();
                let s: f64 = rows.iter().map(|&j| yb(j) * (yab(j, i) - ya(j))).sum();
                s / rows.len() as f64 / var(&rows)
            };
            let total = move |it: &mut dyn Iterator<Item = usize>| {
                let rows: Vec<usize> = it.collect();
                let s: f64 = rows.iter().map(|&j| (ya(j) - yab(j, i)).powi(2)).sum();
                (s / (2.0 * rows.len() as f64) - noise) / var(&rows)
            };
            [bootstrap(n, resamples, &first), bootstrap(n, resamples, &total)]
        })
        .collect()
}

/// Each trajectory's elementary effect per key: `ee[t][i]`.
fn elementary_effects(rows: &[Vec<f64>], y: &[f64], k: usize) -> Vec<Vec<f64>> {
    let w = k + 1;
    (0..y.len() / w)
        .map(|t| {
            let mut ee = vec![f64::NAN; k];
            for s in 0..k {
                let (a, b) = (&rows[t * w + s], &rows[t * w + s + 1]);
                if let Some(i) = (0..k).find(|&i| a[i] != b[i]) {
                    ee[i] = (y[t * w + s + 1] - y[t * w + s]) / (b[i] - a[i]);
                }
            }
            ee
        })
        .collect()
}

/// Morris μ* and σ `[mu_star, sigma]` per key from `y`, one output per row
/// of [`morris_rows`] (`rows`), resampling trajectories.
pub fn morris(rows: &[Vec<f64>], y: &[f64], k: usize, resamples: &[Vec<usize>]) -> Vec<[Est; 2]> {
    let ee = elementary_effects(rows, y, k);
    let r = ee.len();
    (0..k)
        .map(|i| {
            let ee = &ee;
            let mu_star = move |it: &mut dyn Iterator<Item = usize>| {
                let xs: Vec<f64> = it.map(|t| ee[t][i].abs()).collect();
                xs.iter().sum::<f64>() / xs.len() as f64
            };
            let sigma = move |it: &mut dyn Iterator<Item = usize>| {
                let xs: Vec<f64> = it.map(|t| ee[t][i]).collect();
                if xs.len() < 2 {
                    return f64::NAN;
                }
                stats::summarize(&xs).sd
            };
            [bootstrap(r, resamples, &mu_star), bootstrap(r, resamples, &sigma)]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    const P: &str = "test";

    fn ishigami(x: &[f64]) -> f64 {
        let (a, b) = (7.0, 0.1);
        x[0].sin() + a * x[1].sin().powi(2) + b * x[2].powi(4) * x[0].sin()
    }

    /// Closed form (Sobol' & Levitan 1999; a = 7, b = 0.1): first and total
    /// indices of x1, x2, x3.
    fn ishigami_exact() -> [[f64; 2]; 3] {
        let (a, b) = (7.0f64, 0.1f64);
        let v1 = 0.5 + b * PI.powi(4) / 5.0 + b * b * PI.powi(8) / 50.0;
        let v2 = a * a / 8.0;
        let v13 = 8.0 * b * b * PI.powi(8) / 225.0;
        let v = v1 + v2 + v13;
        [[v1 / v, (v1 + v13) / v], [v2 / v, v2 / v], [0.0, v13 / v]]
    }

    fn design(n: usize, k: usize) -> Vec<Vec<f64>> {
        sobol_rows(n, k, &|m, j, i| rng::uniform(&mut rng::stream(5, P, &[m, j as u64, i as u64])))
    }

    #[test]
    fn ishigami_indices_cover_the_closed_form() {
        let (n, k) = (4000, 4); // x4 is a dummy: Ishigami ignores it
        let rows = design(n, k);
        let y: Vec<f64> =
            rows.iter().map(|u| ishigami(&u.iter().map(|u| -PI + 2.0 * PI * u).collect::<Vec<_>>())).collect();
        let est = sobol(&y, k, 0.0, &resamples(n, 400, 9, P, 1));
        let exact = ishigami_exact();
        for i in 0..3 {
            for (w, e) in exact[i].iter().enumerate() {
                let s = est[i][w];
                assert!(s.ci95_low <= *e && *e <= s.ci95_high, "x{} index {w}: {e} not in {s:?}", i + 1);
                assert!(s.ci95_high - s.ci95_low < 0.15, "x{} index {w}: CI too wide to mean anything: {s:?}", i + 1);
            }
        }
        // The dummy: no effect, total CI covers 0 (here exactly 0).
        assert!(est[3][1].ci95_low <= 0.0 && 0.0 <= est[3][1].ci95_high, "{:?}", est[3][1]);
    }

    #[test]
    fn an_inert_key_under_noise_gets_a_total_index_covering_zero() {
        // Each output is a mean carrying chance variance σ² = 0.25: f = 3·x1
        // + x2 + noise; x3 inert. Without the noise correction its total
        // index would sit at σ² / V > 0.
        let (n, k, sd) = (2000, 3, 0.5);
        let rows = design(n, k);
        let y: Vec<f64> = rows
            .iter()
            .enumerate()
            .map(|(r, u)| {
                let mut g = rng::stream(11, P, &[r as u64]);
                let z = crate::prior::norm_inv(open(rng::uniform(&mut g)));
                3.0 * u[0] + u[1] + sd * z
            })
            .collect();
        let b = resamples(n, 400, 3, P, 2);
        let est = sobol(&y, k, sd * sd, &b);
        let t = est[2][1];
        assert!(t.ci95_low <= 0.0 && 0.0 <= t.ci95_high, "inert total {t:?}");
        // Uncorrected it is clearly positive: the correction matters.
        let raw = sobol(&y, k, 0.0, &b)[2][1];
        assert!(raw.ci95_low > 0.0, "uncorrected {raw:?}");
        // The active keys: V = 9/12 + 1/12 = 10/12; S1 = 0.9, S2 = 0.1.
        assert!(est[0][0].ci95_low <= 0.9 && 0.9 <= est[0][0].ci95_high, "{:?}", est[0][0]);
        assert!(est[1][1].ci95_low <= 0.1 && 0.1 <= est[1][1].ci95_high, "{:?}", est[1][1]);
    }

    #[test]
    fn morris_on_a_linear_function_gives_coefficient_times_range() {
        // x_i = low_i + u_i (high_i − low_i); f = Σ c_i x_i.
        let (c, low, high) = ([2.0, -5.0, 0.0], [0.0, 1.0, -3.0], [1.0, 3.0, 3.0]);
        let (r, k) = (20, 3);
        let rows = morris_rows(r, k, 4, &|t| rng::stream(2, P, &[t as u64]));
        assert_eq!(rows.len(), r * (k + 1));
        let y: Vec<f64> =
            rows.iter().map(|u| (0..k).map(|i| c[i] * (low[i] + u[i] * (high[i] - low[i]))).sum()).collect();
        let est = morris(&rows, &y, k, &resamples(r, 200, 1, P, 3));
        for i in 0..k {
            let want = c[i].abs() * (high[i] - low[i]);
            assert!((est[i][0].value - want).abs() < 1e-9, "mu* of x{i}: {:?} vs {want}", est[i][0]);
            assert!(est[i][1].value.abs() < 1e-9, "sigma of x{i}: {:?}", est[i][1]);
        }
    }

    #[test]
    fn morris_sigma_sees_interaction() {
        // f = x1·x2: x1's effect depends on x2, so σ > 0; x3 inert: μ* = 0.
        let rows = morris_rows(30, 3, 4, &|t| rng::stream(4, P, &[t as u64]));
        let y: Vec<f64> = rows.iter().map(|u| u[0] * u[1]).collect();
        let est = morris(&rows, &y, 3, &resamples(30, 200, 1, P, 4));
        assert!(est[0][1].value > 0.05, "{:?}", est[0][1]);
        assert_eq!(est[2][0].value, 0.0);
    }

    #[test]
    fn sobol_rows_lay_out_a_b_and_ab() {
        let rows = design(3, 2);
        assert_eq!(rows.len(), 3 * 4);
        for j in 0..3 {
            let (a, b) = (&rows[j * 4], &rows[j * 4 + 1]);
            assert_eq!(rows[j * 4 + 2], vec![b[0], a[1]]);
            assert_eq!(rows[j * 4 + 3], vec![a[0], b[1]]);
            assert!(a.iter().chain(b).all(|&u| u > 0.0 && u < 1.0));
        }
    }
}
