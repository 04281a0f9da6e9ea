//! Posterior draws for the fits that are not Bayesian (Bass least squares,
//! the IC likelihood), so that every fit writes a `posterior.csv` usable as
//! `[uncertain] samples = "posterior.csv"` and draws the same charts.
//!
//! * **Bass**: the asymptotic normal approximation of the estimator,
//!   `N(θ̂, Σ)`. The correlation of (p, q, m) comes from `(JᵀJ)⁻¹` at the
//!   estimate (J: the Jacobian of the Bass curve, by central differences),
//!   the marginal standard deviations are the fit's standard errors, so for
//!   NLS `Σ = σ²(JᵀJ)⁻¹` exactly and for OLS the delta-method errors are kept
//!   with the curve's correlation shape. Draws outside the model's domain
//!   (p ≤ 0, q < 0, m ≤ 0) are rejected (a truncated normal): the network
//!   Bass model refuses them. A fit without standard errors writes its point
//!   estimate once, with weight 1.
//! * **IC likelihood**: the profile-likelihood interval is asymmetric near
//!   0, so draws come from a split normal with the estimate as its mode and
//!   each half's standard deviation set so that the interval's end is its
//!   1.96-σ point, truncated to [0, 1].
//!
//! Draw `i` uses its own stream `(seed, "fit-posterior", [i, attempt])`, so
//! the draws never depend on thread count or order.

use womsim::fit::bass_curve;
use womsim::fit::Estimate;
use womsim::prior::norm_inv;
use womsim::rng::{self, purpose};

/// Rejection attempts per draw before giving up (a posterior almost wholly
/// outside the domain is reported, not looped on).
const MAX_ATTEMPTS: u64 = 1000;

/// A standard normal variate from draw `i`'s `attempt`-th stream, `n` of them.
fn normals(seed: u64, i: usize, attempt: u64, n: usize) -> Vec<f64> {
    let mut r = rng::stream(seed, purpose::FIT_POSTERIOR, &[i as u64, attempt]);
    (0..n).map(|_| norm_inv(rng::uniform(&mut r).max(f64::MIN_POSITIVE))).collect()
}

/// Cholesky factor (lower) of a symmetric positive definite 3×3 matrix.
fn cholesky3(a: [[f64; 3]; 3]) -> Option<[[f64; 3]; 3]> {
    let mut l = [[0.0; 3]; 3];
    for i in 0..3 {
        for j in 0..=i {
            let s: f64 = (0..j).map(|k| l[i][k] * l[j][k]).sum();
            if i == j {
                let d = a[i][i] - s;
                if d.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
                    return None;
                }
                l[i][j] = d.sqrt();
            } else {
                l[i][j] = (a[i][j] - s) / l[j][j];
            }
        }
    }
    Some(l)
}

/// Inverse of a symmetric 3×3 matrix (adjugate / determinant).
fn inverse3(a: [[f64; 3]; 3]) -> Option<[[f64; 3]; 3]> {
    let c = |i: usize, j: usize| {
        let (r0, r1) = ((i + 1) % 3, (i + 2) % 3);
        let (c0, c1) = ((j + 1) % 3, (j + 2) % 3);
        a[r0][c0] * a[r1][c1] - a[r0][c1] * a[r1][c0]
    };
    let det = a[0][0] * c(0, 0) + a[0][1] * c(0, 1) + a[0][2] * c(0, 2);
    if !det.is_finite() || det == 0.0 {
        return None;
    }
    let mut inv = [[0.0; 3]; 3];
    for (i, row) in inv.iter_mut().enumerate() {
        for (j, x) in row.iter_mut().enumerate() {
            *x = c(j, i) / det;
        }
    }
    Some(inv)
}

/// Correlation matrix of (p, q, m) from `(JᵀJ)⁻¹` of the Bass curve at the estimate.
fn bass_correlation(p: f64, q: f64, m: f64, periods: usize) -> Option<[[f64; 3]; 3]> {
    let theta = [p, q, m];
    let mut cols = Vec::with_capacity(3);
    for k in 0..3 {
        let h = theta[k].abs().max(1e-12) * 1e-6;
        let (mut up, mut down) = (theta, theta);
        up[k] += h;
        down[k] -= h;
        let a = bass_curve(up[0], up[1], up[2], periods);
        let b = bass_curve(down[0], down[1], down[2], periods);
        cols.push(a.iter().zip(&b).map(|(x, y)| (x - y) / (2.0 * h)).collect::<Vec<f64>>());
    }
    let mut jtj = [[0.0; 3]; 3];
    for i in 0..3 {
        for j in 0..3 {
            jtj[i][j] = cols[i].iter().zip(&cols[j]).map(|(x, y)| x * y).sum();
        }
    }
    let inv = inverse3(jtj)?;
    let mut r = [[0.0; 3]; 3];
    for i in 0..3 {
        for j in 0..3 {
            r[i][j] = inv[i][j] / (inv[i][i] * inv[j][j]).sqrt();
        }
    }
    r.iter().flatten().all(|x| x.is_finite()).then_some(r)
}

/// Draws of (p, q, m); `None` in the second slot when no draw could be made
/// (then the point estimate stands alone), with a note saying what was done.
pub fn bass_draws(
    p: &Estimate,
    q: &Estimate,
    m: &Estimate,
    periods: usize,
    seed: u64,
    n: usize,
) -> (Vec<Vec<f64>>, String) {
    let point = vec![vec![p.estimate, q.estimate, m.estimate]];
    let (Some(sp), Some(sq), Some(sm)) = (p.se, q.se, m.se) else {
        return (point, "the fit has no standard errors: the point estimate, weight 1".into());
    };
    let chol = bass_correlation(p.estimate, q.estimate, m.estimate, periods).and_then(|r| {
        let sd = [sp, sq, sm];
        let mut cov = [[0.0; 3]; 3];
        for i in 0..3 {
            for j in 0..3 {
                cov[i][j] = r[i][j] * sd[i] * sd[j];
            }
        }
        cholesky3(cov)
    });
    let Some(l) = chol else {
        return (point, "the covariance is singular: the point estimate, weight 1".into());
    };
    let mean = [p.estimate, q.estimate, m.estimate];
    let mut rows = Vec::with_capacity(n);
    let mut rejected = 0u64;
    for i in 0..n {
        let draw = (0..MAX_ATTEMPTS).find_map(|a| {
            let z = normals(seed, i, a, 3);
            let x: Vec<f64> = (0..3).map(|r| mean[r] + (0..=r).map(|c| l[r][c] * z[c]).sum::<f64>()).collect();
            let ok = x[0] > 0.0 && x[1] >= 0.0 && x[2] > 0.0;
            if !ok {
                rejected += 1;
            }
            ok.then_some(x)
        });
        match draw {
            Some(x) => rows.push(x),
            None => {
                return (
                    point,
                    "the approximation lies almost wholly outside p > 0, q ≥ 0, m > 0: the point estimate, weight 1"
                        .into(),
                )
            }
        }
    }
    let share = rejected as f64 / (rejected + n as u64) as f64;
    (
        rows,
        format!(
            "{n} draws from the asymptotic normal approximation N(estimate, Σ) truncated to p > 0, q ≥ 0, m > 0 \
             ({:.1}% of proposals rejected)",
            100.0 * share
        ),
    )
}

/// Draws of p from the split normal matched to the profile interval, in [0, 1].
pub fn ic_draws(p: &Estimate, seed: u64, n: usize) -> (Vec<Vec<f64>>, String) {
    let lo_sd = (p.estimate - p.ci95_low).max(0.0) / 1.959_963_984_540_054;
    let hi_sd = (p.ci95_high - p.estimate).max(0.0) / 1.959_963_984_540_054;
    if lo_sd == 0.0 && hi_sd == 0.0 {
        return (vec![vec![p.estimate]], "the interval is a point: the point estimate, weight 1".into());
    }
    let mut rows = Vec::with_capacity(n);
    for i in 0..n {
        let x = (0..MAX_ATTEMPTS).find_map(|a| {
            let z = normals(seed, i, a, 1)[0];
            let x = p.estimate + z * if z < 0.0 { lo_sd } else { hi_sd };
            (0.0..=1.0).contains(&x).then_some(x)
        });
        match x {
            Some(x) => rows.push(vec![x]),
            None => return (vec![vec![p.estimate]], "no draw fell in [0, 1]: the point estimate, weight 1".into()),
        }
    }
    (rows, format!("{n} draws from a split normal matched to the profile-likelihood interval, truncated to [0, 1]"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::needless_range_loop)] // matrix products read clearer with indices
    fn inverse_and_cholesky_are_exact_on_a_known_matrix() {
        let a = [[4.0, 2.0, 0.6], [2.0, 2.0, 0.5], [0.6, 0.5, 3.0]];
        let inv = inverse3(a).unwrap();
        for i in 0..3 {
            for j in 0..3 {
                let e: f64 = (0..3).map(|k| a[i][k] * inv[k][j]).sum();
                assert!((e - f64::from(u8::from(i == j))).abs() < 1e-12);
            }
        }
        let l = cholesky3(a).unwrap();
        for i in 0..3 {
            for j in 0..3 {
                let e: f64 = (0..3).map(|k| l[i][k] * l[j][k]).sum();
                assert!((e - a[i][j]).abs() < 1e-12);
            }
        }
        assert!(cholesky3([[1.0, 2.0, 0.0], [2.0, 1.0, 0.0], [0.0, 0.0, 1.0]]).is_none());
    }

    #[test]
    fn bass_draws_match_the_standard_errors_and_are_reproducible() {
        let e =
            |x: f64, se: f64| Estimate { estimate: x, se: Some(se), ci95_low: x - 2.0 * se, ci95_high: x + 2.0 * se };
        let (p, q, m) = (e(0.01, 0.001), e(0.4, 0.02), e(10_000.0, 300.0));
        let (a, _) = bass_draws(&p, &q, &m, 15, 7, 4000);
        let (b, _) = bass_draws(&p, &q, &m, 15, 7, 4000);
        assert_eq!(a, b);
        for (k, est) in [p, q, m].iter().enumerate() {
            let mean = a.iter().map(|r| r[k]).sum::<f64>() / a.len() as f64;
            let sd = (a.iter().map(|r| (r[k] - mean).powi(2)).sum::<f64>() / (a.len() - 1) as f64).sqrt();
            // Truncation is negligible here (p is 10 se from 0): mean and sd as given, to Monte Carlo error.
            assert!((mean - est.estimate).abs() < 4.0 * est.se.unwrap() / (a.len() as f64).sqrt(), "{k} {mean}");
            assert!((sd / est.se.unwrap() - 1.0).abs() < 0.05, "{k} {sd}");
        }
    }

    #[test]
    fn ic_draws_put_the_interval_ends_at_their_quantiles() {
        let p = Estimate { estimate: 0.05, se: None, ci95_low: 0.03, ci95_high: 0.09 };
        let (d, _) = ic_draws(&p, 3, 20_000);
        let below = d.iter().filter(|r| r[0] < 0.03).count() as f64 / d.len() as f64;
        let above = d.iter().filter(|r| r[0] > 0.09).count() as f64 / d.len() as f64;
        // Each end is its side's 1.96-σ point: 2.5% of the draws beyond each (sd of the share ≈ 0.0011).
        assert!((below - 0.025).abs() < 0.005, "{below}");
        assert!((above - 0.025).abs() < 0.005, "{above}");
    }
}
