//! Exact maximum likelihood of a uniform independent-cascade probability.
//!
//! **Model** (Kempe, Kleinberg & Tardos 2003, discrete time; the likelihood
//! as in Saito, Nakano & Kimura 2008, "Prediction of information diffusion
//! probabilities for independent cascade model", KES). A node activated at
//! step `t` has one chance, with probability `p`, on each out-neighbour
//! (each `v` with an arc `u → v`, i.e. `v` hears `u`: [`Graph::listeners`])
//! at step `t + 1`. A node that is not yet active and receives `k` chances in
//! one step activates with probability `1 − (1 − p)^k`.
//!
//! **Likelihood.** For each cascade, every pair (node `v`, step `t`) with
//! `k ≥ 1` exposures — `v` not active before `t`, `k` of its sources
//! activated at `t − 1` — contributes `ln(1 − (1 − p)^k)` if `v` activated at
//! `t` and `k·ln(1 − p)` if it did not. Pairs are counted up to the
//! cascade's **observation horizon**: its last observed step by default, or
//! a common horizon given in [`IcMleOptions::observed_until`]. Exposures
//! landing after the horizon are censored (unobserved), so the chances of the
//! nodes activated at the horizon itself do not count. (With the default
//! horizon the end of a cascade is read from the data, which slightly
//! favours larger `p` when cascades are short; give the true window when it
//! is known.) The seeds (events at the cascade's first step) are given.
//!
//! **Exogenous activations.** A node activated at step `t` with no exposure at
//! `t` (no source active at `t − 1`) cannot be explained by the cascade:
//! it heard elsewhere. It is counted in [`IcMleFit::exogenous`], contributes
//! nothing to the likelihood (its activation is taken as given, like a
//! seed's) and is active — and talks — from then on.
//!
//! **Computation.** The data enter only through the counts `s_k` (successes)
//! and `f_k` (failures) of pairs with `k` exposures ([`IcSufficient`]),
//! computed once in O(Σ events + arcs out of active nodes) with two reused
//! per-node arrays. Then `ℓ(p) = Σ_k s_k·ln(1 − (1 − p)^k) + f_k·k·ln(1 − p)`
//! and its first two derivatives cost O(distinct k). `ℓ` is concave, so the
//! MLE is the unique root of the score, found by Newton's method safeguarded
//! by bisection on a bracket in (0, 1). No success ⇒ `p̂ = 0`; no failure ⇒
//! `p̂ = 1` (boundary estimates, no standard error). The 95% interval is the
//! profile (here: the likelihood itself, one parameter) interval
//! `{p : 2·(ℓ(p̂) − ℓ(p)) ≤ 3.841}` (χ²₁ 95% quantile), found by bisection on
//! each side; `se = 1/√(−ℓ''(p̂))` is reported alongside.

use super::cascades::Cascade;
use super::{Estimate, FitError};
use crate::graph::Graph;

/// χ²₁ 0.95 quantile: the likelihood-ratio cut of a 95% interval.
pub const CHI2_1_95: f64 = 3.841_458_820_694_124;

/// Options of the likelihood.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct IcMleOptions {
    /// Common observation horizon in steps since each cascade's first step;
    /// `None`: each cascade's last observed step. Events after it are ignored.
    pub observed_until: Option<u32>,
}

/// Sufficient statistics of the uniform-IC likelihood.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IcSufficient {
    /// `(k, successes, failures)` for each exposure count `k` seen, ascending.
    pub by_k: Vec<(u32, u64, u64)>,
    /// Exposures (chances) counted: `Σ k·(s_k + f_k)`.
    pub exposures: u64,
    /// Activations explained by an exposure: `Σ s_k`.
    pub activations: u64,
    /// Activations after the first step without an exposure.
    pub exogenous: u64,
    /// Cascades used.
    pub cascades: usize,
}

/// The fit.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct IcMleFit {
    /// The MLE with its profile-likelihood 95% interval.
    pub p: Estimate,
    /// `ℓ(p̂)`.
    pub log_likelihood: f64,
    pub exposures: u64,
    pub activations: u64,
    pub exogenous: u64,
    pub cascades: usize,
}

/// Count `(k, success/failure)` pairs over `cascades` (module docs).
/// Events whose node is out of range for `graph` are ignored (readers only
/// produce valid indices).
pub fn sufficient_statistics(graph: &Graph, cascades: &[Cascade], opts: &IcMleOptions) -> IcSufficient {
    let n = graph.len();
    let mut act = vec![u32::MAX; n];
    let mut count = vec![0u32; n];
    let mut touched: Vec<u32> = Vec::new();
    let mut tally: Vec<[u64; 2]> = Vec::new();
    let mut out = IcSufficient { cascades: cascades.len(), ..Default::default() };
    for c in cascades {
        let Some(first) = c.events.first().map(|e| e.step) else { continue };
        let horizon = opts.observed_until.map_or(c.last_step(), |h| first.saturating_add(h));
        let events: Vec<(u32, u32)> =
            c.events.iter().filter(|e| e.step <= horizon && (e.node as usize) < n).map(|e| (e.step, e.node)).collect();
        for &(s, v) in &events {
            act[v as usize] = act[v as usize].min(s);
        }
        let mut successes = 0u64;
        let mut later = 0u64;
        let mut i = 0;
        while i < events.len() {
            let s = events[i].0;
            let mut j = i;
            while j < events.len() && events[j].0 == s {
                j += 1;
            }
            if s > first {
                later += events[i..j].iter().filter(|&&(_, v)| act[v as usize] == s).count() as u64;
            }
            if s < horizon {
                // Chances from the nodes activated at s land at s + 1.
                for &(_, u) in &events[i..j] {
                    if act[u as usize] != s {
                        continue; // a repeated event of an earlier activation
                    }
                    for &v in graph.listeners(u) {
                        if act[v as usize] > s {
                            if count[v as usize] == 0 {
                                touched.push(v);
                            }
                            count[v as usize] += 1;
                        }
                    }
                }
                for &v in &touched {
                    let k = count[v as usize];
                    let hit = act[v as usize] == s + 1;
                    if tally.len() <= k as usize {
                        tally.resize(k as usize + 1, [0, 0]);
                    }
                    tally[k as usize][usize::from(!hit)] += 1;
                    successes += u64::from(hit);
                    count[v as usize] = 0;
                }
                touched.clear();
            }
            i = j;
        }
        out.exogenous += later - successes;
        for &(_, v) in &events {
            act[v as usize] = u32::MAX;
        }
    }
    for (k, &[s, f]) in tally.iter().enumerate() {
        if s + f > 0 {
            out.by_k.push((k as u32, s, f));
            out.activations += s;
            out.exposures += k as u64 * (s + f);
        }
    }
    out
}

impl IcSufficient {
    /// `ℓ(p)`, `ℓ'(p)` and `ℓ''(p)` for `p` in (0, 1); at `p = 0` or `1`
    /// the value may be `−∞` (and the derivatives infinite).
    pub fn log_likelihood_derivatives(&self, p: f64) -> (f64, f64, f64) {
        let (mut l, mut d1, mut d2) = (0.0, 0.0, 0.0);
        let ln_q = (-p).ln_1p(); // ln(1 − p)
        for &(k, s, f) in &self.by_k {
            let kf = f64::from(k);
            if s > 0 {
                let s = s as f64;
                let a = (kf * ln_q).exp(); // (1 − p)^k
                let one_minus_a = -(kf * ln_q).exp_m1();
                l += s * one_minus_a.ln();
                // d/dp ln(1 − a) = k·a / ((1 − p)(1 − a)).
                let h = kf * a / ((1.0 - p) * one_minus_a);
                d1 += s * h;
                d2 += s * h / (1.0 - p) * (1.0 - kf / one_minus_a);
            }
            if f > 0 {
                let w = f as f64 * kf;
                l += w * ln_q;
                d1 -= w / (1.0 - p);
                d2 -= w / ((1.0 - p) * (1.0 - p));
            }
        }
        (l, d1, d2)
    }

    /// `ℓ(p)`.
    pub fn log_likelihood(&self, p: f64) -> f64 {
        self.log_likelihood_derivatives(p).0
    }
}

/// The point where `ℓ` crosses `target` between `inside` (ℓ above) and
/// `outside` (ℓ below), by bisection to machine precision.
fn crossing(stats: &IcSufficient, target: f64, mut inside: f64, mut outside: f64) -> f64 {
    for _ in 0..200 {
        let mid = 0.5 * (inside + outside);
        if mid == inside || mid == outside {
            break;
        }
        if stats.log_likelihood(mid) >= target {
            inside = mid;
        } else {
            outside = mid;
        }
    }
    0.5 * (inside + outside)
}

/// The MLE and its interval from sufficient statistics.
pub fn fit_ic_sufficient(stats: &IcSufficient) -> Result<IcMleFit, FitError> {
    if stats.by_k.is_empty() {
        return Err(FitError::NoData(format!(
            "no exposure observed in {} cascade(s): no node was active before a cascade's last step with a \
             listener that was not yet active, so p is not identified",
            stats.cascades
        )));
    }
    let successes: u64 = stats.by_k.iter().map(|t| t.1).sum();
    let fail_chances: u64 = stats.by_k.iter().map(|t| u64::from(t.0) * t.2).sum();
    let (p_hat, se) = if successes == 0 {
        (0.0, None)
    } else if fail_chances == 0 {
        (1.0, None)
    } else {
        // Start from the k = 1 closed form: successes / (successes + failed chances).
        let mut p = successes as f64 / (successes + fail_chances) as f64;
        let (mut lo, mut hi) = (0.0f64, 1.0f64);
        let mut converged = false;
        for _ in 0..200 {
            let (_, d1, d2) = stats.log_likelihood_derivatives(p);
            if d1 > 0.0 {
                lo = p;
            } else {
                hi = p;
            }
            let newton = p - d1 / d2;
            let next = if newton.is_finite() && newton > lo && newton < hi { newton } else { 0.5 * (lo + hi) };
            if (next - p).abs() <= 1e-15 * p.max(1e-300) || hi - lo <= 1e-16 {
                p = next;
                converged = true;
                break;
            }
            p = next;
        }
        if !converged {
            return Err(FitError::NoConvergence(format!(
                "the independent-cascade likelihood's maximum was not found within 200 iterations (bracket \
                 [{lo:e}, {hi:e}])"
            )));
        }
        let d2 = stats.log_likelihood_derivatives(p).2;
        (p, (d2 < 0.0).then(|| 1.0 / (-d2).sqrt()))
    };
    let l_hat = stats.log_likelihood(p_hat);
    let target = l_hat - 0.5 * CHI2_1_95;
    let low =
        if p_hat == 0.0 || stats.log_likelihood(0.0) >= target { 0.0 } else { crossing(stats, target, p_hat, 0.0) };
    let high =
        if p_hat == 1.0 || stats.log_likelihood(1.0) >= target { 1.0 } else { crossing(stats, target, p_hat, 1.0) };
    Ok(IcMleFit {
        p: Estimate { estimate: p_hat, se, ci95_low: low, ci95_high: high },
        log_likelihood: l_hat,
        exposures: stats.exposures,
        activations: stats.activations,
        exogenous: stats.exogenous,
        cascades: stats.cascades,
    })
}

/// Fit a uniform IC probability to `cascades` on `graph`, each observed up
/// to its last step (module docs).
pub fn fit_ic_mle(graph: &Graph, cascades: &[Cascade]) -> Result<IcMleFit, FitError> {
    fit_ic_mle_with(graph, cascades, &IcMleOptions::default())
}

/// [`fit_ic_mle`] with options (a common observation horizon).
pub fn fit_ic_mle_with(graph: &Graph, cascades: &[Cascade], opts: &IcMleOptions) -> Result<IcMleFit, FitError> {
    if cascades.is_empty() {
        return Err(FitError::NoData("no cascade to fit".into()));
    }
    fit_ic_sufficient(&sufficient_statistics(graph, cascades, opts))
}
