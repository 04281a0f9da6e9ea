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

/// Per-step mean, 5% and 95% quantiles across replicates.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesStats {
    pub mean: Vec<Row>,
    pub q05: Vec<Row>,
    pub q95: Vec<Row>,
}

/// Aggregate trajectories (all with the same number of steps).
pub fn series(trajs: &[Trajectory]) -> SeriesStats {
    let rows = trajs.first().map_or(0, |t| t.rows().len());
    let n = trajs.len() as f64;
    let mut mean = vec![[0.0; NUM_METRICS]; rows];
    let mut q05 = vec![[0.0; NUM_METRICS]; rows];
    let mut q95 = vec![[0.0; NUM_METRICS]; rows];
    let mut buf = Vec::with_capacity(trajs.len());
    for t in 0..rows {
        for m in 0..NUM_METRICS {
            buf.clear();
            buf.extend(trajs.iter().map(|tr| tr.rows()[t][m]));
            mean[t][m] = buf.iter().sum::<f64>() / n;
            buf.sort_by(f64::total_cmp);
            q05[t][m] = quantile_sorted(&buf, 0.05);
            q95[t][m] = quantile_sorted(&buf, 0.95);
        }
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

    #[test]
    fn quantiles_interpolate() {
        let v = [0.0, 10.0, 20.0, 30.0, 40.0];
        assert_eq!(quantile_sorted(&v, 0.5), 20.0);
        assert_eq!(quantile_sorted(&v, 0.05), 2.0);
    }
}
