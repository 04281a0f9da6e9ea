//! The aggregate Bass model on a curve of new adopters per period.
//!
//! **Model** (Bass 1969, "A new product growth model for consumer durables",
//! Management Science 15(5):215–227). The share of the market that has
//! adopted by time `t` is
//! `F(t) = (1 − e^{−(p+q)t}) / (1 + (q/p)·e^{−(p+q)t})`, with innovation
//! coefficient `p`, imitation coefficient `q` and market size `m`.
//!
//! **Time origin.** Period `t = 1, 2, …, T` covers the interval `(t − 1, t]`
//! and `F(0) = 0`: the new adopters of period `t` are
//! `X_t = m·(F(t) − F(t − 1))`, so `X_1 = m·F(1)`. This is the
//! discrete-interval form of Srinivasan & Mason (1986), "Nonlinear least
//! squares estimation of new product diffusion models", Marketing Science
//! 5(2):169–178. (Estimates differ under a shifted origin, e.g. `X_t = m·f(t)`
//! evaluated at period midpoints.)
//!
//! **[`fit_bass_nls`]** minimises `SSE = Σ (x_t − X_t)²` over `(p, q, m)` by
//! Levenberg–Marquardt (Marquardt's diagonal scaling, analytic Jacobian) from
//! several starts — the OLS solution when it is admissible and a 4 × 4 grid
//! over `(p, q)` with `m` profiled out in closed form — keeping the lowest
//! SSE. Standard errors are the usual asymptotic ones, `σ²·(JᵀJ)⁻¹` with
//! `σ² = SSE/(T − 3)`, and the 95% intervals are `estimate ± t_{0.975, T−3}·se`
//! (Srinivasan & Mason's recipe; they are symmetric, so a low bound can be
//! negative on short series). The feasible region is `p > 0`, `p + q > 0`,
//! `m > 0`; a series that has not slowed down yet (no inflection, `m` running
//! off to infinity) is reported as not identified rather than fitted.
//!
//! **[`fit_bass_ols`]** is Bass's own regression
//! `S_t = a + b·Y_{t−1} + c·Y_{t−1}²` (`Y` cumulative, `Y_0 = 0`), solved in
//! closed form (QR of the column-scaled design), then
//! `m = (−b − √(b² − 4ac)) / (2c)`, `p = a/m`, `q = −m·c`. Intervals for `p`,
//! `q`, `m` come from the delta method: the gradient of `(p, q, m)` with
//! respect to `(a, b, c)` applied to `σ²·(XᵀX)⁻¹`, `σ² = SSE/(T − 3)`, then
//! `± t_{0.975, T−3}·se`. The regression is known to give `p < 0` on some
//! series (ultrasound, mammography and foreign-language adoption among the
//! classic seven); the estimate is returned as it comes, never clamped.

use super::{Estimate, FitError};
use crate::stats::t975;

/// Which estimator produced a [`BassFit`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BassMethod {
    /// Nonlinear least squares (Srinivasan & Mason 1986).
    Nls,
    /// The Bass (1969) regression in closed form.
    Ols,
}

/// A fitted Bass curve.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BassFit {
    pub method: BassMethod,
    /// Coefficient of innovation.
    pub p: Estimate,
    /// Coefficient of imitation.
    pub q: Estimate,
    /// Market size (in the units of the data).
    pub m: Estimate,
    /// Residual sum of squares of what the method fits: the Bass curve for
    /// NLS, the regression `a + b·Y + c·Y²` for OLS.
    pub sse: f64,
    /// New adopters per period at the estimate (NLS: [`bass_curve`]; OLS:
    /// the regression's fitted values, which stay meaningful when `p < 0`).
    pub fitted: Vec<f64>,
    /// Levenberg–Marquardt iterations of the winning start (0 for OLS).
    pub iterations: u32,
}

/// The Bass cumulative share `F(t)` with `F(0) = 0`.
fn big_f(p: f64, q: f64, t: f64) -> f64 {
    let e = (-(p + q) * t).exp();
    (1.0 - e) / (1.0 + (q / p) * e)
}

/// `∂F/∂p` and `∂F/∂q` at `t` (derived from the quotient rule:
/// with `E = e^{−(p+q)t}` and `r = q/p`,
/// `dF = [t·E·(1 + r)·d(p+q) − (1 − E)·E·dr] / (1 + rE)²`).
fn big_f_grad(p: f64, q: f64, t: f64) -> (f64, f64) {
    let e = (-(p + q) * t).exp();
    let r = q / p;
    let den = (1.0 + r * e) * (1.0 + r * e);
    let common = t * e * (1.0 + r);
    let tail = (1.0 - e) * e;
    ((common + tail * q / (p * p)) / den, (common - tail / p) / den)
}

/// New adopters per period `t = 1..=periods` for market size `m`:
/// `m·(F(t) − F(t − 1))`, `F(0) = 0`.
pub fn bass_curve(p: f64, q: f64, m: f64, periods: usize) -> Vec<f64> {
    let mut prev = 0.0;
    (1..=periods)
        .map(|t| {
            let f = big_f(p, q, t as f64);
            let x = m * (f - prev);
            prev = f;
            x
        })
        .collect()
}

/// Check a curve of new adopters: finite, non-negative, not all zero, at
/// least `needed` periods.
fn check_curve(x: &[f64], method: &'static str, needed: usize) -> Result<(), FitError> {
    if x.len() < needed {
        return Err(FitError::TooFewPeriods { method, needed, got: x.len() });
    }
    if let Some((i, &v)) = x.iter().enumerate().find(|(_, v)| !v.is_finite() || **v < 0.0) {
        return Err(FitError::BadValue { period: i + 1, value: v });
    }
    if x.iter().all(|&v| v == 0.0) {
        return Err(FitError::AllZero);
    }
    Ok(())
}

/// Solve the `n × n` system `a·x = b` (row-major) by Gauss–Jordan
/// elimination with partial pivoting; `None` when singular.
fn solve(mut a: Vec<f64>, mut b: Vec<f64>, n: usize) -> Option<Vec<f64>> {
    for col in 0..n {
        let piv = (col..n).max_by(|&i, &j| a[i * n + col].abs().total_cmp(&a[j * n + col].abs()))?;
        if a[piv * n + col] == 0.0 || !a[piv * n + col].is_finite() {
            return None;
        }
        for k in 0..n {
            a.swap(col * n + k, piv * n + k);
        }
        b.swap(col, piv);
        for row in 0..n {
            if row != col {
                let f = a[row * n + col] / a[col * n + col];
                for k in col..n {
                    a[row * n + k] -= f * a[col * n + k];
                }
                b[row] -= f * b[col];
            }
        }
    }
    Some((0..n).map(|i| b[i] / a[i * n + i]).collect())
}

/// Inverse of a symmetric positive-definite `n × n` matrix, column by column.
fn inverse(a: &[f64], n: usize) -> Option<Vec<f64>> {
    let mut inv = vec![0.0; n * n];
    for j in 0..n {
        let mut e = vec![0.0; n];
        e[j] = 1.0;
        let col = solve(a.to_vec(), e, n)?;
        for i in 0..n {
            inv[i * n + j] = col[i];
        }
    }
    Some(inv)
}

/// Model values, Jacobian (rows `[∂/∂p, ∂/∂q, ∂/∂m]`) and SSE at `θ`.
fn model_and_jacobian(x: &[f64], th: [f64; 3]) -> (Vec<[f64; 3]>, Vec<f64>, f64) {
    let [p, q, m] = th;
    let mut prev_f = 0.0;
    let mut prev_g = (0.0, 0.0);
    let mut jac = Vec::with_capacity(x.len());
    let mut res = Vec::with_capacity(x.len());
    let mut sse = 0.0;
    for (i, &xi) in x.iter().enumerate() {
        let t = (i + 1) as f64;
        let f = big_f(p, q, t);
        let g = big_f_grad(p, q, t);
        let dx = f - prev_f;
        jac.push([m * (g.0 - prev_g.0), m * (g.1 - prev_g.1), dx]);
        let r = xi - m * dx;
        sse += r * r;
        res.push(r);
        prev_f = f;
        prev_g = g;
    }
    (jac, res, sse)
}

fn sse_at(x: &[f64], th: [f64; 3]) -> f64 {
    bass_curve(th[0], th[1], th[2], x.len()).iter().zip(x).map(|(m, x)| (x - m) * (x - m)).sum()
}

fn feasible(th: [f64; 3]) -> bool {
    th.iter().all(|v| v.is_finite()) && th[0] > 0.0 && th[0] + th[1] > 0.0 && th[2] > 0.0
}

/// The least-squares market size for fixed `(p, q)`: `Σ x·g / Σ g²` with
/// `g_t = F(t) − F(t − 1)`.
pub(crate) fn profile_m(x: &[f64], p: f64, q: f64) -> f64 {
    let g = bass_curve(p, q, 1.0, x.len());
    let num: f64 = g.iter().zip(x).map(|(g, x)| g * x).sum();
    let den: f64 = g.iter().map(|g| g * g).sum();
    num / den
}

/// `JᵀJ` (row-major 3 × 3) and `Jᵀr`.
fn normal_equations(jac: &[[f64; 3]], res: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let mut jtj = vec![0.0; 9];
    let mut jtr = vec![0.0; 3];
    for (row, r) in jac.iter().zip(res) {
        for i in 0..3 {
            jtr[i] += row[i] * r;
            for j in 0..3 {
                jtj[i * 3 + j] += row[i] * row[j];
            }
        }
    }
    (jtj, jtr)
}

/// Levenberg–Marquardt from `start`: the final point, its SSE and the
/// number of iterations (accepted or rejected steps).
fn levenberg_marquardt(x: &[f64], start: [f64; 3]) -> ([f64; 3], f64, u32) {
    const MAX_ITER: u32 = 2000;
    let mut th = start;
    let (mut jac, mut res, mut sse) = model_and_jacobian(x, th);
    let mut lambda = 1e-3;
    let mut it = 0;
    while it < MAX_ITER {
        it += 1;
        let (jtj, jtr) = normal_equations(&jac, &res);
        let mut a = jtj.clone();
        for i in 0..3 {
            // Marquardt's scaling: damping proportional to the curvature of
            // each parameter, so p (~0.01) and m (~10⁴) are treated alike.
            a[i * 3 + i] += lambda * jtj[i * 3 + i].max(1e-300);
        }
        let step = solve(a, jtr.clone(), 3);
        let cand = step.as_ref().map(|d| [th[0] + d[0], th[1] + d[1], th[2] + d[2]]);
        match cand.filter(|c| feasible(*c)) {
            Some(c) => {
                let new_sse = sse_at(x, c);
                if new_sse <= sse {
                    let d = step.expect("a candidate comes from a step");
                    let small = (0..3).all(|i| d[i].abs() <= 1e-12 * th[i].abs().max(1e-12));
                    let flat = sse - new_sse <= 1e-15 * sse;
                    th = c;
                    (jac, res, sse) = model_and_jacobian(x, th);
                    lambda = (lambda / 10.0).max(1e-15);
                    if small || (flat && lambda <= 1e-12) {
                        break;
                    }
                } else {
                    lambda *= 10.0;
                }
            }
            None => lambda *= 10.0,
        }
        if lambda > 1e16 {
            break; // no step improves: a minimum to working precision
        }
    }
    (th, sse, it)
}

/// Nonlinear least-squares fit of the Bass model (Srinivasan & Mason 1986)
/// to new adopters per period `adoptions[t − 1]`, `t = 1..=T` (see the module
/// docs for the time origin, starts and intervals). Needs `T ≥ 4`.
pub fn fit_bass_nls(adoptions: &[f64]) -> Result<BassFit, FitError> {
    let x = adoptions;
    check_curve(x, "the Bass nonlinear least-squares fit", 4)?;
    let mut starts: Vec<[f64; 3]> = Vec::new();
    if let Ok(ols) = fit_bass_ols(x) {
        let th = [ols.p.estimate, ols.q.estimate, ols.m.estimate];
        if feasible(th) {
            starts.push(th);
        }
    }
    for p in [0.002, 0.01, 0.03, 0.1] {
        for q in [0.05, 0.2, 0.4, 0.8] {
            let m = profile_m(x, p, q);
            if feasible([p, q, m]) {
                starts.push([p, q, m]);
            }
        }
    }
    let mut best: Option<([f64; 3], f64, u32)> = None;
    for s in starts {
        let r = levenberg_marquardt(x, s);
        if best.as_ref().is_none_or(|b| r.1 < b.1) {
            best = Some(r);
        }
    }
    let (th, sse, iterations) =
        best.ok_or_else(|| FitError::NoConvergence("no admissible starting point for the Bass fit".into()))?;
    let total: f64 = x.iter().sum();
    if th[2] > 1e3 * total || th[0] + th[1] < 1e-8 {
        return Err(FitError::NotIdentified(format!(
            "the market size is not identified: the series has not slowed down yet (the best fit runs off to \
             m = {:.3e}, {:.0}× the adopters observed); more periods past the peak are needed",
            th[2],
            th[2] / total
        )));
    }
    let t_count = x.len();
    let df = t_count - 3;
    let (jac, res, _) = model_and_jacobian(x, th);
    let (jtj, _) = normal_equations(&jac, &res);
    let cov = inverse(&jtj, 3).ok_or_else(|| {
        FitError::NotIdentified("the Bass fit's information matrix is singular: p, q and m cannot be told apart".into())
    })?;
    let sigma2 = sse / df as f64;
    let t = t975(df);
    let est = |i: usize| {
        let se = (sigma2 * cov[i * 3 + i]).max(0.0).sqrt();
        Estimate::symmetric(th[i], se, t * se)
    };
    Ok(BassFit {
        method: BassMethod::Nls,
        p: est(0),
        q: est(1),
        m: est(2),
        sse,
        fitted: bass_curve(th[0], th[1], th[2], t_count),
        iterations,
    })
}

/// Least squares of `y` on the columns of `cols` by modified Gram–Schmidt
/// QR: coefficients and `(XᵀX)⁻¹ = R⁻¹R⁻ᵀ` (row-major).
fn qr_least_squares(cols: &[Vec<f64>], y: &[f64]) -> Option<(Vec<f64>, Vec<f64>)> {
    let k = cols.len();
    let mut q: Vec<Vec<f64>> = cols.to_vec();
    let mut r = vec![0.0; k * k];
    for j in 0..k {
        for i in 0..j {
            let d: f64 = q[i].iter().zip(&q[j]).map(|(a, b)| a * b).sum();
            r[i * k + j] = d;
            let qi = q[i].clone();
            for (v, u) in q[j].iter_mut().zip(&qi) {
                *v -= d * u;
            }
        }
        let norm = q[j].iter().map(|v| v * v).sum::<f64>().sqrt();
        if norm <= 1e-12 * cols[j].iter().map(|v| v * v).sum::<f64>().sqrt() || norm == 0.0 {
            return None; // collinear columns
        }
        r[j * k + j] = norm;
        for v in q[j].iter_mut() {
            *v /= norm;
        }
    }
    let qty: Vec<f64> = q.iter().map(|qj| qj.iter().zip(y).map(|(a, b)| a * b).sum()).collect();
    // Back substitution R·β = Qᵀy, and R⁻¹ column by column.
    let mut rinv = vec![0.0; k * k];
    for c in 0..k {
        for i in (0..=c).rev() {
            let mut s = if i == c { 1.0 } else { 0.0 };
            for j in i + 1..=c {
                s -= r[i * k + j] * rinv[j * k + c];
            }
            rinv[i * k + c] = s / r[i * k + i];
        }
    }
    let beta: Vec<f64> = (0..k).map(|i| (i..k).map(|j| rinv[i * k + j] * qty[j]).sum()).collect();
    let mut xtx_inv = vec![0.0; k * k];
    for i in 0..k {
        for j in 0..k {
            xtx_inv[i * k + j] = (0..k).map(|l| rinv[i * k + l] * rinv[j * k + l]).sum();
        }
    }
    Some((beta, xtx_inv))
}

/// The Bass regression's pieces: lagged cumulative counts, coefficients
/// `(a, b, c)` and `(XᵀX)⁻¹` in the original (unscaled) units.
struct Regression {
    lag: Vec<f64>,
    coef: [f64; 3],
    xtx_inv: [f64; 9],
}

fn regression(x: &[f64]) -> Result<Regression, FitError> {
    check_curve(x, "the Bass regression", 4)?;
    let mut lag = Vec::with_capacity(x.len());
    let mut y = 0.0;
    for &v in x {
        lag.push(y);
        y += v;
    }
    // Columns scaled by the largest cumulative count so that 1, Y and Y²
    // are of similar size (Y² reaches 10⁸ on the durables series).
    let scale = lag.iter().fold(0.0f64, |a, &b| a.max(b)).max(1.0);
    let cols = vec![
        vec![1.0; x.len()],
        lag.iter().map(|l| l / scale).collect(),
        lag.iter().map(|l| (l / scale) * (l / scale)).collect(),
    ];
    let (beta, inv) = qr_least_squares(&cols, x).ok_or_else(|| {
        FitError::NotIdentified("the Bass regression's design is singular (too few distinct cumulative counts)".into())
    })?;
    let unscale = [1.0, 1.0 / scale, 1.0 / (scale * scale)];
    let mut xtx_inv = [0.0; 9];
    for i in 0..3 {
        for j in 0..3 {
            xtx_inv[i * 3 + j] = inv[i * 3 + j] * unscale[i] * unscale[j];
        }
    }
    Ok(Regression { lag, coef: [beta[0] * unscale[0], beta[1] * unscale[1], beta[2] * unscale[2]], xtx_inv })
}

/// The regression coefficients `(a, b, c)` behind [`fit_bass_ols`]:
/// `S_t = a + b·Y_{t−1} + c·Y_{t−1}²`.
pub fn bass_regression(adoptions: &[f64]) -> Result<[f64; 3], FitError> {
    regression(adoptions).map(|r| r.coef)
}

/// The Bass (1969) regression `S_t = a + b·Y_{t−1} + c·Y_{t−1}²` in closed
/// form, mapped to `(p, q, m)` with delta-method intervals (module docs).
/// Needs `T ≥ 4`. `p` may come out negative: that is the estimator's
/// answer on the data, returned as is.
pub fn fit_bass_ols(adoptions: &[f64]) -> Result<BassFit, FitError> {
    let x = adoptions;
    let Regression { lag, coef: [a, b, c], xtx_inv: inv } = regression(x)?;
    let t_count = x.len();
    let fitted: Vec<f64> = lag.iter().map(|l| a + b * l + c * l * l).collect();
    let sse: f64 = fitted.iter().zip(x).map(|(f, x)| (x - f) * (x - f)).sum();
    let disc = b * b - 4.0 * a * c;
    if c >= 0.0 || disc < 0.0 {
        return Err(FitError::NotIdentified(format!(
            "the Bass regression gives a = {a:.6e}, b = {b:.6e}, c = {c:.6e}: {}, so no positive market size follows",
            if c >= 0.0 { "c is not negative" } else { "b² − 4ac is negative" }
        )));
    }
    let sd = disc.sqrt();
    let m = (-b - sd) / (2.0 * c);
    if m.is_nan() || m <= 0.0 {
        return Err(FitError::NotIdentified(format!("the Bass regression gives a market size m = {m:.6e} <= 0")));
    }
    let p = a / m;
    let q = -m * c;
    // Delta method: gradients of m, p, q with respect to (a, b, c).
    let dm = [1.0 / sd, (-1.0 - b / sd) / (2.0 * c), (2.0 * a * c / sd + b + sd) / (2.0 * c * c)];
    let dp = [1.0 / m - a / (m * m) * dm[0], -a / (m * m) * dm[1], -a / (m * m) * dm[2]];
    let dq = [-c * dm[0], -c * dm[1], -c * dm[2] - m];
    let df = t_count - 3;
    let sigma2 = sse / df as f64;
    let t = t975(df);
    let est = |value: f64, g: [f64; 3]| {
        let mut var = 0.0;
        for i in 0..3 {
            for j in 0..3 {
                var += g[i] * g[j] * inv[i * 3 + j];
            }
        }
        let se = (sigma2 * var).max(0.0).sqrt();
        Estimate::symmetric(value, se, t * se)
    };
    Ok(BassFit { method: BassMethod::Ols, p: est(p, dp), q: est(q, dq), m: est(m, dm), sse, fitted, iterations: 0 })
}
