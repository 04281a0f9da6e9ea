//! Priors: what is believed about a parameter before (or instead of) data.
//!
//! One vocabulary for `[uncertain]` in a scenario and for the keys a
//! `womsim fit` file estimates. Written like a sweep's values, as an inline
//! table:
//!
//! ```toml
//! "model.share.bad"   = { dist = "uniform", low = 0.01, high = 0.05 }
//! "dilution.share"    = { dist = "triangular", low = 0.0, mode = 0.3, high = 0.6 }
//! "model.persuade.fan" = { dist = "beta", a = 2, b = 8 }
//! "model.share.good"  = { dist = "loguniform", low = 0.005, high = 0.1 }
//! "model.defense"     = { dist = "normal", mean = 0.5, sd = 0.2, low = 0, high = 1 }
//! ```
//!
//! Every distribution is sampled by its **inverse CDF** ([`Prior::quantile`])
//! applied to one uniform number, so a draw costs one number from the
//! caller's stream (value-stable across rand versions, since only
//! [`crate::rng::uniform`] is used) and the same map serves stratified
//! designs (a Latin hypercube is `quantile` of stratified uniforms).
//!
//! Densities ([`Prior::pdf`]) are needed by population Monte Carlo
//! (importance weights, Beaumont et al. 2009); they are normalised on the
//! prior's support (a truncated normal divides by the kept mass).

use std::fmt::Write as _;

use crate::rng::Rng64;
use crate::scenario::schema::fmt_f64;

/// The distributions a prior may have.
#[derive(Debug, Clone, PartialEq)]
pub enum Prior {
    /// Flat on `[low, high]`.
    Uniform { low: f64, high: f64 },
    /// Flat in `ln x` on `[low, high]`, `0 < low < high`: for rates known
    /// only to an order of magnitude.
    LogUniform { low: f64, high: f64 },
    /// Beta(a, b) on `[0, 1]`: for probabilities (mean a / (a + b)).
    Beta { a: f64, b: f64 },
    /// Normal(mean, sd), optionally truncated to `[low, high]`.
    Normal { mean: f64, sd: f64, low: Option<f64>, high: Option<f64> },
    /// Triangular on `[low, high]` with its peak at `mode`: a benchmark
    /// range with a most likely value.
    Triangular { low: f64, mode: f64, high: f64 },
}

/// The `dist` names, for error messages and `womsim list`.
pub const DIST_NAMES: &[&str] = &["uniform", "loguniform", "beta", "normal", "triangular"];

impl Prior {
    /// Reads a prior from its inline table. Every problem is reported (each
    /// a sentence saying what is allowed).
    pub fn parse(v: &toml::Value) -> Result<Prior, Vec<String>> {
        let Some(t) = v.as_table() else {
            return Err(vec![format!("a prior must be a table {{ dist = \"{}\", ... }}", DIST_NAMES.join("\" | \""))]);
        };
        let mut errs = Vec::new();
        let dist = match t.get("dist").map(|d| d.as_str()) {
            Some(Some(d)) if DIST_NAMES.contains(&d) => d,
            Some(_) => {
                return Err(vec![format!("dist must be one of {}", quoted(DIST_NAMES))]);
            }
            None => return Err(vec![format!("dist is missing (one of {})", quoted(DIST_NAMES))]),
        };
        let (required, optional): (&[&str], &[&str]) = match dist {
            "uniform" | "loguniform" => (&["low", "high"], &[]),
            "beta" => (&["a", "b"], &[]),
            "normal" => (&["mean", "sd"], &["low", "high"]),
            _ => (&["low", "mode", "high"], &[]),
        };
        for k in t.keys() {
            if k != "dist" && !required.contains(&k.as_str()) && !optional.contains(&k.as_str()) {
                let mut allowed: Vec<&str> = required.to_vec();
                allowed.extend_from_slice(optional);
                errs.push(format!("unknown key `{k}` for dist = \"{dist}\" (allowed: {})", allowed.join(", ")));
            }
        }
        let mut num = |k: &str, need: bool| -> Option<f64> {
            match t.get(k) {
                None => {
                    if need {
                        errs.push(format!("dist = \"{dist}\" needs `{k}`"));
                    }
                    None
                }
                Some(v) => match v.as_float().or_else(|| v.as_integer().map(|i| i as f64)) {
                    Some(x) if x.is_finite() => Some(x),
                    _ => {
                        errs.push(format!("`{k}` must be a finite number"));
                        None
                    }
                },
            }
        };
        let prior = match dist {
            "uniform" | "loguniform" => {
                let (low, high) = (num("low", true), num("high", true));
                match (low, high) {
                    (Some(low), Some(high)) if dist == "uniform" => Some(Prior::Uniform { low, high }),
                    (Some(low), Some(high)) => Some(Prior::LogUniform { low, high }),
                    _ => None,
                }
            }
            "beta" => match (num("a", true), num("b", true)) {
                (Some(a), Some(b)) => Some(Prior::Beta { a, b }),
                _ => None,
            },
            "normal" => {
                let (mean, sd, low, high) = (num("mean", true), num("sd", true), num("low", false), num("high", false));
                match (mean, sd) {
                    (Some(mean), Some(sd)) => Some(Prior::Normal { mean, sd, low, high }),
                    _ => None,
                }
            }
            _ => match (num("low", true), num("mode", true), num("high", true)) {
                (Some(low), Some(mode), Some(high)) => Some(Prior::Triangular { low, mode, high }),
                _ => None,
            },
        };
        if let Some(p) = &prior {
            errs.extend(p.check());
        }
        match prior {
            Some(p) if errs.is_empty() => Ok(p),
            _ => Err(errs),
        }
    }

    /// The parameters' own constraints (what every constructor must meet).
    pub fn check(&self) -> Vec<String> {
        let mut e = Vec::new();
        match *self {
            Prior::Uniform { low, high } => {
                if low >= high {
                    e.push(format!("low must be below high (found low = {}, high = {})", fmt_f64(low), fmt_f64(high)));
                }
            }
            Prior::LogUniform { low, high } => {
                if low <= 0.0 {
                    e.push(format!("loguniform needs low > 0 (found {})", fmt_f64(low)));
                }
                if low >= high {
                    e.push(format!("low must be below high (found low = {}, high = {})", fmt_f64(low), fmt_f64(high)));
                }
            }
            Prior::Beta { a, b } => {
                // Upper bounds keep the bisection of the quantile well inside f64.
                for (k, x) in [("a", a), ("b", b)] {
                    if !(x > 0.0 && x <= 1e6) {
                        e.push(format!("beta needs {k} in (0, 1e6] (found {})", fmt_f64(x)));
                    }
                }
            }
            Prior::Normal { mean: _, sd, low, high } => {
                if sd <= 0.0 {
                    e.push(format!("normal needs sd > 0 (found {})", fmt_f64(sd)));
                }
                if let (Some(l), Some(h)) = (low, high) {
                    if l >= h {
                        e.push(format!("low must be below high (found low = {}, high = {})", fmt_f64(l), fmt_f64(h)));
                    }
                }
                if e.is_empty() && self.normal_mass() < 1e-12 {
                    e.push("the truncation [low, high] keeps almost none of the normal's mass (below 1e-12)".into());
                }
            }
            Prior::Triangular { low, mode, high } => {
                if !(low <= mode && mode <= high && low < high) {
                    e.push(format!(
                        "triangular needs low ≤ mode ≤ high and low < high (found {}, {}, {})",
                        fmt_f64(low),
                        fmt_f64(mode),
                        fmt_f64(high)
                    ));
                }
            }
        }
        e
    }

    /// The smallest and largest value a draw can take (infinite for an
    /// untruncated side of a normal).
    pub fn support(&self) -> (f64, f64) {
        match *self {
            Prior::Uniform { low, high } | Prior::LogUniform { low, high } => (low, high),
            Prior::Triangular { low, high, .. } => (low, high),
            Prior::Beta { .. } => (0.0, 1.0),
            Prior::Normal { low, high, .. } => (low.unwrap_or(f64::NEG_INFINITY), high.unwrap_or(f64::INFINITY)),
        }
    }

    /// The prior mean (truncated normal: the mean of the truncated law).
    pub fn mean(&self) -> f64 {
        match *self {
            Prior::Uniform { low, high } => 0.5 * (low + high),
            Prior::LogUniform { low, high } => (high - low) / (high / low).ln(),
            Prior::Beta { a, b } => a / (a + b),
            Prior::Triangular { low, mode, high } => (low + mode + high) / 3.0,
            Prior::Normal { mean, sd, .. } => {
                let (a, b) = self.normal_z();
                mean + sd * (phi(a) - phi(b)) / self.normal_mass()
            }
        }
    }

    /// Standardised truncation points of a normal.
    fn normal_z(&self) -> (f64, f64) {
        match *self {
            Prior::Normal { mean, sd, low, high } => {
                (low.map_or(f64::NEG_INFINITY, |l| (l - mean) / sd), high.map_or(f64::INFINITY, |h| (h - mean) / sd))
            }
            _ => (f64::NEG_INFINITY, f64::INFINITY),
        }
    }

    /// The normal mass kept by the truncation.
    fn normal_mass(&self) -> f64 {
        let (a, b) = self.normal_z();
        if a > 0.0 {
            // Upper tail: difference of upper tails keeps precision.
            norm_sf(a) - norm_sf(b)
        } else {
            norm_cdf(b) - norm_cdf(a)
        }
    }

    /// The inverse CDF at `u` in `[0, 1]`.
    pub fn quantile(&self, u: f64) -> f64 {
        let u = u.clamp(0.0, 1.0);
        match *self {
            Prior::Uniform { low, high } => low + u * (high - low),
            Prior::LogUniform { low, high } => (low.ln() + u * (high / low).ln()).exp().clamp(low, high),
            Prior::Triangular { low, mode, high } => {
                let fc = (mode - low) / (high - low);
                if u < fc {
                    low + (u * (high - low) * (mode - low)).sqrt()
                } else {
                    high - ((1.0 - u) * (high - low) * (high - mode)).sqrt()
                }
            }
            Prior::Beta { a, b } => {
                // Bisection on the regularized incomplete beta: monotone and
                // exact to f64 resolution after 64 halvings.
                let (mut lo, mut hi) = (0.0f64, 1.0f64);
                for _ in 0..64 {
                    let mid = 0.5 * (lo + hi);
                    if crate::stats::incomplete_beta(mid, a, b) < u {
                        lo = mid;
                    } else {
                        hi = mid;
                    }
                }
                0.5 * (lo + hi)
            }
            Prior::Normal { mean, sd, low, high } => {
                let (za, zb) = self.normal_z();
                let z = if za > 0.0 {
                    // Work in upper tails so a truncation far right keeps precision.
                    let (sa, sb) = (norm_sf(za), norm_sf(zb));
                    -norm_inv(sa - u * (sa - sb))
                } else {
                    let (ca, cb) = (norm_cdf(za), norm_cdf(zb));
                    norm_inv(ca + u * (cb - ca))
                };
                let x = mean + sd * z;
                x.clamp(low.unwrap_or(f64::NEG_INFINITY), high.unwrap_or(f64::INFINITY))
            }
        }
    }

    /// The cumulative distribution function at `x`.
    pub fn cdf(&self, x: f64) -> f64 {
        let (lo, hi) = self.support();
        if x <= lo {
            return 0.0;
        }
        if x >= hi {
            return 1.0;
        }
        match *self {
            Prior::Uniform { low, high } => (x - low) / (high - low),
            Prior::LogUniform { low, high } => (x / low).ln() / (high / low).ln(),
            Prior::Triangular { low, mode, high } => {
                if x <= mode {
                    (x - low).powi(2) / ((high - low) * (mode - low))
                } else {
                    1.0 - (high - x).powi(2) / ((high - low) * (high - mode))
                }
            }
            Prior::Beta { a, b } => crate::stats::incomplete_beta(x, a, b),
            Prior::Normal { mean, sd, .. } => {
                let (za, _) = self.normal_z();
                (norm_cdf((x - mean) / sd) - norm_cdf(za)) / self.normal_mass()
            }
        }
    }

    /// The density at `x` (0 outside the support).
    pub fn pdf(&self, x: f64) -> f64 {
        let (lo, hi) = self.support();
        if !(x >= lo && x <= hi) {
            return 0.0;
        }
        match *self {
            Prior::Uniform { low, high } => 1.0 / (high - low),
            Prior::LogUniform { low, high } => 1.0 / (x * (high / low).ln()),
            Prior::Triangular { low, mode, high } => {
                if x < mode {
                    2.0 * (x - low) / ((high - low) * (mode - low))
                } else if x > mode {
                    2.0 * (high - x) / ((high - low) * (high - mode))
                } else {
                    2.0 / (high - low)
                }
            }
            Prior::Beta { a, b } => {
                if (x == 0.0 && a < 1.0) || (x == 1.0 && b < 1.0) {
                    return f64::INFINITY;
                }
                let ln = (a - 1.0) * x.ln() + (b - 1.0) * (1.0 - x).ln() - ln_beta(a, b);
                let v = ln.exp();
                if v.is_nan() {
                    0.0
                } else {
                    v
                }
            }
            Prior::Normal { mean, sd, .. } => {
                let z = (x - mean) / sd;
                (-0.5 * z * z).exp() / (sd * (2.0 * std::f64::consts::PI).sqrt()) / self.normal_mass()
            }
        }
    }

    /// One draw from `rng` (one uniform number, by the inverse CDF).
    pub fn sample(&self, rng: &mut Rng64) -> f64 {
        self.quantile(crate::rng::uniform(rng))
    }

    /// The prior as an inline TOML table, reading back to the same prior.
    pub fn to_toml(&self) -> String {
        let mut s = String::from("{ ");
        match *self {
            Prior::Uniform { low, high } => {
                let _ = write!(s, "dist = \"uniform\", low = {}, high = {}", fmt_f64(low), fmt_f64(high));
            }
            Prior::LogUniform { low, high } => {
                let _ = write!(s, "dist = \"loguniform\", low = {}, high = {}", fmt_f64(low), fmt_f64(high));
            }
            Prior::Beta { a, b } => {
                let _ = write!(s, "dist = \"beta\", a = {}, b = {}", fmt_f64(a), fmt_f64(b));
            }
            Prior::Normal { mean, sd, low, high } => {
                let _ = write!(s, "dist = \"normal\", mean = {}, sd = {}", fmt_f64(mean), fmt_f64(sd));
                if let Some(l) = low {
                    let _ = write!(s, ", low = {}", fmt_f64(l));
                }
                if let Some(h) = high {
                    let _ = write!(s, ", high = {}", fmt_f64(h));
                }
            }
            Prior::Triangular { low, mode, high } => {
                let _ = write!(
                    s,
                    "dist = \"triangular\", low = {}, mode = {}, high = {}",
                    fmt_f64(low),
                    fmt_f64(mode),
                    fmt_f64(high)
                );
            }
        }
        s.push_str(" }");
        s
    }
}

fn quoted(names: &[&str]) -> String {
    names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
}

fn ln_beta(a: f64, b: f64) -> f64 {
    crate::stats::ln_gamma(a) + crate::stats::ln_gamma(b) - crate::stats::ln_gamma(a + b)
}

/// Standard normal density.
fn phi(z: f64) -> f64 {
    if z.is_infinite() {
        return 0.0;
    }
    (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

/// Standard normal CDF, Φ(z) = erfc(−z/√2)/2.
pub fn norm_cdf(z: f64) -> f64 {
    0.5 * erfc(-z / std::f64::consts::SQRT_2)
}

/// Standard normal upper tail, 1 − Φ(z), accurate far in the tail.
pub fn norm_sf(z: f64) -> f64 {
    0.5 * erfc(z / std::f64::consts::SQRT_2)
}

/// Complementary error function: Press et al.'s `erfcc` (Numerical Recipes,
/// 2nd ed., §6.2), a Chebyshev fit with fractional error below 1.2e-7
/// everywhere — ample for shaping prior draws and densities.
fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let r = t
        * (-z * z - 1.265_512_23
            + t * (1.000_023_68
                + t * (0.374_091_96
                    + t * (0.096_784_18
                        + t * (-0.186_288_06
                            + t * (0.278_868_07
                                + t * (-1.135_203_98
                                    + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77)))))))))
            .exp();
    if x >= 0.0 {
        r
    } else {
        2.0 - r
    }
}

/// Inverse standard normal CDF (Wichura 1988, algorithm AS 241, PPND16:
/// relative accuracy about 1e-16).
// The coefficients are kept digit for digit as published, so they can be
// checked against the paper.
#[allow(clippy::excessive_precision)]
pub fn norm_inv(p: f64) -> f64 {
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180625 - q * q;
        return q
            * (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r
                + 45921.953931549871457)
                * r
                + 13731.693765509461125)
                * r
                + 1971.5909503065514427)
                * r
                + 133.14166789178437745)
                * r
                + 3.387132872796366608)
            / (((((((r * 5226.495278852545925 + 28729.085735721942674) * r + 39307.89580009271061) * r
                + 21213.794301586595867)
                * r
                + 5394.1960214247511077)
                * r
                + 687.1870074920579083)
                * r
                + 42.313330701600911252)
                * r
                + 1.0);
    }
    let mut r = if q < 0.0 { p } else { 1.0 - p };
    r = (-r.ln()).sqrt();
    let val = if r <= 5.0 {
        r -= 1.6;
        (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r + 0.24178072517745061177) * r
            + 1.27045825245236838258)
            * r
            + 3.64784832476320460504)
            * r
            + 5.7694972214606914055)
            * r
            + 4.6303378461565452959)
            * r
            + 1.42343711074968357734)
            / (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r
                + 0.14810397642748007459)
                * r
                + 0.68976733498510000455)
                * r
                + 1.6763848301838038494)
                * r
                + 2.05319162663775882187)
                * r
                + 1.0)
    } else {
        r -= 5.0;
        (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r
            + 0.026532189526576123093)
            * r
            + 0.29656057182850489123)
            * r
            + 1.7848265399172913358)
            * r
            + 5.4637849111641143699)
            * r
            + 6.6579046435011037772)
            / (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r
                + 7.868691311456132591e-4)
                * r
                + 0.0148753612908506148525)
                * r
                + 0.13692988092273580531)
                * r
                + 0.59983220655588793769)
                * r
                + 1.0)
    };
    if q < 0.0 {
        -val
    } else {
        val
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Prior, Vec<String>> {
        let v: toml::Table = toml::from_str(&format!("x = {s}")).unwrap();
        Prior::parse(&v["x"])
    }

    fn all() -> Vec<Prior> {
        vec![
            Prior::Uniform { low: -1.0, high: 3.0 },
            Prior::LogUniform { low: 0.001, high: 0.1 },
            Prior::Beta { a: 2.0, b: 8.0 },
            Prior::Beta { a: 0.5, b: 0.5 },
            Prior::Normal { mean: 0.5, sd: 0.2, low: Some(0.0), high: Some(1.0) },
            Prior::Normal { mean: 0.0, sd: 1.0, low: None, high: None },
            Prior::Normal { mean: 0.0, sd: 1.0, low: Some(3.0), high: None },
            Prior::Triangular { low: 0.0, mode: 0.3, high: 0.6 },
        ]
    }

    #[test]
    fn quantile_inverts_cdf_and_stays_in_support() {
        for p in all() {
            let (lo, hi) = p.support();
            for i in 1..100 {
                let u = i as f64 / 100.0;
                let x = p.quantile(u);
                assert!(x >= lo && x <= hi, "{p:?} u={u} x={x}");
                assert!((p.cdf(x) - u).abs() < 2e-6, "{p:?} u={u} cdf={}", p.cdf(x));
            }
        }
    }

    #[test]
    fn pdf_integrates_to_one_and_matches_cdf() {
        for p in all() {
            // Integrate the pdf between the 1% and 99% quantiles (Simpson): 0.98.
            let (a, b) = (p.quantile(0.01), p.quantile(0.99));
            let n = 20_000;
            let h = (b - a) / n as f64;
            let mut s = p.pdf(a) + p.pdf(b);
            for i in 1..n {
                s += p.pdf(a + i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 };
            }
            let mass = s * h / 3.0;
            assert!((mass - 0.98).abs() < 1e-4, "{p:?}: {mass}");
        }
    }

    #[test]
    fn known_values() {
        // Standard normal: Φ(1.959963984540054) = 0.975.
        assert!((norm_inv(0.975) - 1.959_963_984_540_054).abs() < 1e-12);
        assert!((norm_cdf(1.959_963_984_540_054) - 0.975).abs() < 2e-7);
        // Beta(2, 2) median is 0.5; Beta(1, 1) is uniform.
        assert!((Prior::Beta { a: 2.0, b: 2.0 }.quantile(0.5) - 0.5).abs() < 1e-12);
        assert!((Prior::Beta { a: 1.0, b: 1.0 }.quantile(0.3) - 0.3).abs() < 1e-12);
        // Log-uniform on [0.01, 1]: median 0.1.
        assert!((Prior::LogUniform { low: 0.01, high: 1.0 }.quantile(0.5) - 0.1).abs() < 1e-12);
        // Triangular mean.
        assert!((Prior::Triangular { low: 0.0, mode: 0.3, high: 0.6 }.mean() - 0.3).abs() < 1e-15);
        // Normal truncated symmetrically keeps its mean.
        let n = Prior::Normal { mean: 0.5, sd: 0.2, low: Some(0.0), high: Some(1.0) };
        assert!((n.mean() - 0.5).abs() < 1e-7);
    }

    #[test]
    fn sample_means_match() {
        let mut rng = crate::rng::stream(7, "prior-test", &[]);
        for p in all() {
            let n = 40_000;
            let m = (0..n).map(|_| p.sample(&mut rng)).sum::<f64>() / n as f64;
            let (q1, q9) = (p.quantile(0.01), p.quantile(0.99));
            assert!((m - p.mean()).abs() < 0.02 * (q9 - q1), "{p:?}: {m} vs {}", p.mean());
        }
    }

    #[test]
    fn parse_round_trips_and_reports_every_problem() {
        for p in all() {
            assert_eq!(parse(&p.to_toml()).unwrap(), p);
        }
        let e = parse("{ dist = \"uniform\", low = 2, high = 1, mode = 3 }").unwrap_err();
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(e.iter().any(|m| m.contains("unknown key `mode`")));
        assert!(e.iter().any(|m| m.contains("low must be below high")));
        let e = parse("{ dist = \"beta\" }").unwrap_err();
        assert_eq!(e.len(), 2, "{e:?}");
        let e = parse("{ dist = \"gamma\" }").unwrap_err();
        assert!(e[0].contains("\"uniform\", \"loguniform\""), "{e:?}");
        assert!(parse("0.3").is_err());
        assert!(parse("{ dist = \"loguniform\", low = 0, high = 1 }").is_err());
        assert!(parse("{ dist = \"normal\", mean = 0, sd = 1, low = 50 }").is_err());
        assert!(parse("{ dist = \"triangular\", low = 0, mode = 2, high = 1 }").is_err());
    }
}
