//! Approximate Bayesian computation by sequential Monte Carlo (ABC-SMC):
//! population Monte Carlo with an adaptive tolerance, for any model that can
//! be simulated and compared with data by a distance.
//!
//! **Method.** Population Monte Carlo ABC (Beaumont, Cornuet, Marin & Robert
//! 2009, *Biometrika* 96(4), 983–990):
//!
//! 1. Generation 0 draws `particles` parameter vectors θ from the prior and
//!    simulates each once; all are kept, with equal weights. Its reported
//!    tolerance is the largest of their distances (every one was accepted).
//! 2. Generation g ≥ 1 has the tolerance ε_g = the `quantile` (e.g. the
//!    median) of generation g − 1's accepted distances — the adaptive
//!    schedule of Drovandi & Pettitt (2011, *Biometrics* 67(1)) and Del Moral,
//!    Doucet & Jasra (2012, *Statistics and Computing* 22(5)), so nobody has to
//!    guess a schedule for a distance whose scale they do not know — but never
//!    below the target `tolerance` (the run then ends exactly there).
//!    A proposal picks a particle of generation g − 1 by its weight, moves it
//!    by a Gaussian kernel whose covariance is **twice the weighted
//!    covariance** of generation g − 1 (Beaumont et al.'s choice: it minimises
//!    the Kullback–Leibler divergence to the next target under a Gaussian
//!    approximation), simulates, and is accepted when its distance is ≤ ε_g.
//!    An accepted θ gets the weight
//!    `w ∝ π(θ) / Σ_j w_j K(θ | θ_j)` (importance weight of the mixture it was
//!    proposed from), normalised to sum 1.
//! 3. The effective sample size is `1 / Σ w²` (Kish), in [1, particles].
//!
//! **Transformed space.** The kernel acts on `z = T(θ)`, one coordinate per
//! key mapped from the prior's support to the whole real line: logit of the
//! position in a bounded support `[a, b]`, `ln(θ − a)` or `−ln(b − θ)` for a
//! half-bounded one, the identity for the real line. A proposal therefore
//! never leaves the prior's support (no rejected moves, no truncation
//! constants), and the weights use the prior density of `z`,
//! `π(θ(z)) · |dθ/dz|`, so the target is unchanged.
//!
//! **Stopping rule**, checked after every complete generation, in this order
//! (the reason is reported, [`StopReason`]): the tolerance reached `tolerance`;
//! the generation's acceptance rate fell below `min_acceptance`; the
//! simulation budget `max_simulations` is spent; `max_generations` are done.
//! A generation that cannot complete — the budget runs out, or so many
//! proposals were rejected that its acceptance is certain to fall below
//! `min_acceptance` — is dropped and the previous generation is the result.
//! Generation 0 always completes (it is `particles` simulations).
//!
//! **Determinism.** Proposal j of generation g draws its ancestor and its
//! move (or, in generation 0, its prior draw) from the stream
//! `rng::stream(seed, "abc", [g, j])` and is simulated with the key
//! `rng::derive_key(seed, "abc-sim", [g, j])`. Proposals are evaluated in
//! batches whose size depends only on the run so far (never on threads);
//! a batch runs in parallel (rayon, the caller's pool) and its results are
//! accepted in index order until `particles` are accepted. So the result is
//! identical at any thread count. A batch's proposals after the last one
//! needed are simulated but discarded; they count as simulations.
//!
//! **Memory** is bounded by particles × (keys + 1) numbers per generation
//! (two generations at a time) plus one batch of proposals (at most
//! 4 × particles): no simulation's output is kept.

use rayon::prelude::*;

use crate::fit::Estimate;
use crate::prior::{norm_inv, Prior};
use crate::rng::{self, purpose};

/// What an ABC-SMC run does; see the module docs.
#[derive(Debug, Clone, PartialEq)]
pub struct AbcConfig {
    /// Particles per generation (the posterior sample size).
    pub particles: usize,
    /// Most simulations in all (generation 0 always runs in full).
    pub max_simulations: u64,
    /// Stop when a generation accepts fewer than this share of its proposals.
    pub min_acceptance: f64,
    /// Stop when the tolerance is at or below this (`None`: no target).
    pub tolerance: Option<f64>,
    /// Each generation's tolerance is this quantile of the previous
    /// generation's accepted distances (in (0, 1); 0.5 = the median).
    pub quantile: f64,
    /// Most generations, generation 0 included.
    pub max_generations: u32,
    /// Seed of every stream of the run.
    pub seed: u64,
}

impl Default for AbcConfig {
    /// 500 particles, 40,000 simulations, acceptance floor 2%, the median
    /// schedule, 15 generations, seed 1: sized so that a 3-parameter
    /// chain-model fit to a 30-step curve on a 10,000-node network ends well
    /// within 2 minutes on 2 cores (see BENCHMARKS.md, "ABC").
    fn default() -> Self {
        AbcConfig {
            particles: 500,
            max_simulations: 40_000,
            min_acceptance: 0.02,
            tolerance: None,
            quantile: 0.5,
            max_generations: 15,
            seed: 1,
        }
    }
}

/// One completed generation.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Generation {
    /// Its tolerance ε (generation 0: its largest distance).
    pub tolerance: f64,
    /// Accepted / proposals examined until the last particle was accepted.
    pub acceptance: f64,
    /// Simulations run for this generation (discarded ones included).
    pub simulations: u64,
    /// Effective sample size of its weights.
    pub ess: f64,
}

/// Why the run stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    /// The tolerance reached the target.
    Tolerance,
    /// A generation's acceptance rate fell below the floor.
    AcceptanceFloor,
    /// The simulation budget is spent.
    SimulationBudget,
    /// The generation limit was reached.
    MaxGenerations,
}

impl StopReason {
    /// The snake_case name (as serialised).
    pub fn name(self) -> &'static str {
        match self {
            StopReason::Tolerance => "tolerance",
            StopReason::AcceptanceFloor => "acceptance_floor",
            StopReason::SimulationBudget => "simulation_budget",
            StopReason::MaxGenerations => "max_generations",
        }
    }
}

/// The final population and how it was reached.
#[derive(Debug, Clone, PartialEq)]
pub struct AbcResult {
    /// The fitted keys, in the order of every particle's values.
    pub keys: Vec<String>,
    /// Accepted parameter vectors of the last complete generation.
    pub particles: Vec<Vec<f64>>,
    /// Their normalised weights (sum 1).
    pub weights: Vec<f64>,
    /// Their distances.
    pub distances: Vec<f64>,
    /// Every completed generation, in order.
    pub generations: Vec<Generation>,
    /// Simulations run in all.
    pub simulations: u64,
    /// Effective sample size of the final weights.
    pub ess: f64,
    pub stop: StopReason,
}

impl AbcResult {
    /// Per key: the weighted posterior median as the estimate, the weighted
    /// posterior standard deviation as `se`, and the weighted 2.5% and 97.5%
    /// quantiles as the 95% interval.
    pub fn estimates(&self) -> Vec<(String, Estimate)> {
        (0..self.keys.len())
            .map(|k| {
                let xs: Vec<f64> = self.particles.iter().map(|p| p[k]).collect();
                let mean: f64 = xs.iter().zip(&self.weights).map(|(x, w)| x * w).sum();
                let var: f64 = xs.iter().zip(&self.weights).map(|(x, w)| w * (x - mean).powi(2)).sum();
                let q = |p: f64| weighted_quantile(&xs, &self.weights, p);
                let est = Estimate { estimate: q(0.5), se: Some(var.sqrt()), ci95_low: q(0.025), ci95_high: q(0.975) };
                (self.keys[k].clone(), est)
            })
            .collect()
    }
}

/// The `p`-quantile of `xs` weighted by `ws` (weights ≥ 0, sum > 0): the
/// smallest x whose cumulative weight (in increasing x) reaches `p` of the
/// total.
pub fn weighted_quantile(xs: &[f64], ws: &[f64], p: f64) -> f64 {
    let mut idx: Vec<usize> = (0..xs.len()).collect();
    idx.sort_by(|&a, &b| xs[a].total_cmp(&xs[b]));
    let total: f64 = ws.iter().sum();
    let mut acc = 0.0;
    for &i in &idx {
        acc += ws[i];
        if acc >= p * total * (1.0 - 1e-12) {
            return xs[i];
        }
    }
    idx.last().map_or(f64::NAN, |&i| xs[i])
}

/// Kish's effective sample size `(Σw)² / Σw²`.
pub fn ess(ws: &[f64]) -> f64 {
    let s: f64 = ws.iter().sum();
    let s2: f64 = ws.iter().map(|w| w * w).sum();
    if s2 > 0.0 {
        s * s / s2
    } else {
        0.0
    }
}

/// The map from one key's prior support to the real line (module docs).
#[derive(Debug, Clone, Copy)]
enum Transform {
    Logit { a: f64, b: f64 },
    LogAbove(f64),
    LogBelow(f64),
    Identity,
}

/// Keep a position strictly inside (0, 1) so that its logit is finite.
const EDGE: f64 = 1e-12;

impl Transform {
    fn of(prior: &Prior) -> Transform {
        match prior.support() {
            (a, b) if a.is_finite() && b.is_finite() => Transform::Logit { a, b },
            (a, _) if a.is_finite() => Transform::LogAbove(a),
            (_, b) if b.is_finite() => Transform::LogBelow(b),
            _ => Transform::Identity,
        }
    }

    fn to_z(self, x: f64) -> f64 {
        match self {
            Transform::Logit { a, b } => {
                let u = ((x - a) / (b - a)).clamp(EDGE, 1.0 - EDGE);
                (u / (1.0 - u)).ln()
            }
            Transform::LogAbove(a) => (x - a).max(f64::MIN_POSITIVE).ln(),
            Transform::LogBelow(b) => -(b - x).max(f64::MIN_POSITIVE).ln(),
            Transform::Identity => x,
        }
    }

    fn to_x(self, z: f64) -> f64 {
        match self {
            Transform::Logit { a, b } => {
                let u = 1.0 / (1.0 + (-z).exp());
                (a + (b - a) * u).clamp(a, b)
            }
            Transform::LogAbove(a) => a + z.exp(),
            Transform::LogBelow(b) => b - (-z).exp(),
            Transform::Identity => z,
        }
    }

    /// `ln |dx/dz|` at `z`.
    fn ln_jacobian(self, z: f64) -> f64 {
        match self {
            // u(1 − u) = σ(z)σ(−z); ln σ(z) = −ln(1 + e^{−z}).
            Transform::Logit { a, b } => (b - a).ln() - ln1p_exp(-z) - ln1p_exp(z),
            Transform::LogAbove(_) => z,
            Transform::LogBelow(_) => -z,
            Transform::Identity => 0.0,
        }
    }
}

/// `ln(1 + e^x)` without overflow.
fn ln1p_exp(x: f64) -> f64 {
    if x > 30.0 {
        x
    } else {
        x.exp().ln_1p()
    }
}

/// One population: particles in θ and z, weights, distances.
struct Population {
    theta: Vec<Vec<f64>>,
    z: Vec<Vec<f64>>,
    weights: Vec<f64>,
    distances: Vec<f64>,
}

/// A proposal's outcome.
struct Proposal {
    theta: Vec<f64>,
    z: Vec<f64>,
    distance: f64,
}

/// The Gaussian perturbation kernel of one generation: the lower Cholesky
/// factor `L` of 2 × the weighted covariance (in z), and every ancestor's
/// `L⁻¹ z_j` so that `K(z | z_j) ∝ exp(−|L⁻¹z − L⁻¹z_j|² / 2)`.
struct Kernel {
    chol: Vec<Vec<f64>>,
    whitened: Vec<Vec<f64>>,
    cumulative: Vec<f64>,
}

impl Kernel {
    fn new(pop: &Population) -> Kernel {
        let d = pop.z.first().map_or(0, Vec::len);
        let mut mean = vec![0.0; d];
        for (z, w) in pop.z.iter().zip(&pop.weights) {
            for k in 0..d {
                mean[k] += w * z[k];
            }
        }
        let mut cov = vec![vec![0.0; d]; d];
        for (z, w) in pop.z.iter().zip(&pop.weights) {
            for a in 0..d {
                for b in 0..=a {
                    cov[a][b] += 2.0 * w * (z[a] - mean[a]) * (z[b] - mean[b]);
                }
            }
        }
        // Only the lower triangle is filled: the Cholesky factorisation
        // reads nothing else.
        let chol = cholesky_jittered(&cov);
        let whitened = pop.z.iter().map(|z| forward_solve(&chol, z)).collect();
        let mut acc = 0.0;
        let cumulative = pop
            .weights
            .iter()
            .map(|w| {
                acc += w;
                acc
            })
            .collect();
        Kernel { chol, whitened, cumulative }
    }

    /// Proposal in z from ancestor `z_anc` and standard normals `e`.
    fn perturb(&self, z_anc: &[f64], e: &[f64]) -> Vec<f64> {
        (0..z_anc.len()).map(|a| z_anc[a] + (0..=a).map(|b| self.chol[a][b] * e[b]).sum::<f64>()).collect()
    }

    /// The ancestor picked by a uniform `u` in [0, 1): weight-proportional.
    fn ancestor(&self, u: f64) -> usize {
        let total = *self.cumulative.last().unwrap_or(&1.0);
        let i = self.cumulative.partition_point(|&c| c <= u * total);
        i.min(self.cumulative.len().saturating_sub(1))
    }

    /// `ln Σ_j w_j exp(−|L⁻¹z − L⁻¹z_j|²/2)` (the kernel's constant left
    /// out: it is the same for every particle and cancels on normalising).
    fn ln_mixture(&self, z: &[f64], weights: &[f64]) -> f64 {
        let y = forward_solve(&self.chol, z);
        let terms: Vec<f64> = self
            .whitened
            .iter()
            .zip(weights)
            .map(|(yj, w)| w.ln() - 0.5 * y.iter().zip(yj).map(|(a, b)| (a - b) * (a - b)).sum::<f64>())
            .collect();
        log_sum_exp(&terms)
    }
}

fn log_sum_exp(xs: &[f64]) -> f64 {
    let m = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !m.is_finite() {
        return m;
    }
    m + xs.iter().map(|x| (x - m).exp()).sum::<f64>().ln()
}

/// Lower Cholesky factor of a symmetric positive semi-definite matrix (its
/// lower triangle read), with
/// a growing diagonal jitter when it is (numerically) singular — e.g. every
/// particle equal in one key, which a discrete simulator can produce.
fn cholesky_jittered(a: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let d = a.len();
    let scale = (0..d).map(|i| a[i][i].abs()).fold(0.0, f64::max).max(1e-12);
    let mut jitter = 0.0;
    loop {
        if let Some(l) = cholesky(a, jitter) {
            return l;
        }
        jitter = if jitter == 0.0 { 1e-10 * scale } else { jitter * 10.0 };
    }
}

fn cholesky(a: &[Vec<f64>], jitter: f64) -> Option<Vec<Vec<f64>>> {
    let d = a.len();
    let mut l = vec![vec![0.0; d]; d];
    for i in 0..d {
        for j in 0..=i {
            let s: f64 = a[i][j] + if i == j { jitter } else { 0.0 } - (0..j).map(|k| l[i][k] * l[j][k]).sum::<f64>();
            if i == j {
                if s.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
                    return None;
                }
                l[i][i] = s.sqrt();
            } else {
                l[i][j] = s / l[j][j];
            }
        }
    }
    Some(l)
}

/// `L⁻¹ x` for lower-triangular `L`.
fn forward_solve(l: &[Vec<f64>], x: &[f64]) -> Vec<f64> {
    let mut y = vec![0.0; x.len()];
    for i in 0..x.len() {
        y[i] = (x[i] - (0..i).map(|k| l[i][k] * y[k]).sum::<f64>()) / l[i][i];
    }
    y
}

/// A uniform in (0, 1) from a stream, kept off the ends so its normal
/// quantile is finite.
fn open_uniform(r: &mut rng::Rng64) -> f64 {
    rng::uniform(r).clamp(1e-16, 1.0 - 1e-16)
}

/// Run ABC-SMC: `distance(θ, key)` simulates the model at θ (in `keys`
/// order) with the simulation key `key` and returns its distance to the
/// data (NaN counts as never accepted). `progress(n)` is told the number of
/// simulations so far after each batch. See the module docs for the method,
/// the stopping rule and determinism.
///
/// Panics only on programmer errors: `keys` and `priors` of different
/// lengths or empty, `particles` = 0.
pub fn abc_smc(
    keys: &[String],
    priors: &[Prior],
    distance: &(dyn Fn(&[f64], u64) -> f64 + Sync),
    cfg: &AbcConfig,
    progress: &(dyn Fn(u64) + Sync),
) -> AbcResult {
    assert!(!keys.is_empty() && keys.len() == priors.len(), "one prior per key");
    assert!(cfg.particles > 0, "at least one particle");
    let n = cfg.particles;
    let transforms: Vec<Transform> = priors.iter().map(Transform::of).collect();
    let ln_prior_z = |theta: &[f64], z: &[f64]| -> f64 {
        (0..theta.len()).map(|k| priors[k].pdf(theta[k]).ln() + transforms[k].ln_jacobian(z[k])).sum()
    };
    let measure = |theta: &[f64], g: u32, j: u64| -> f64 {
        let d = distance(theta, rng::derive_key(cfg.seed, purpose::ABC_SIM, &[u64::from(g), j]));
        if d.is_nan() {
            f64::INFINITY
        } else {
            d
        }
    };

    // Generation 0: the prior, every proposal accepted.
    let gen0: Vec<Proposal> = (0..n as u64)
        .into_par_iter()
        .map(|j| {
            let mut r = rng::stream(cfg.seed, purpose::ABC, &[0, j]);
            let theta: Vec<f64> = priors.iter().map(|p| p.quantile(open_uniform(&mut r))).collect();
            let z = theta.iter().zip(&transforms).map(|(x, t)| t.to_z(*x)).collect();
            let distance = measure(&theta, 0, j);
            Proposal { theta, z, distance }
        })
        .collect();
    let mut simulations = n as u64;
    progress(simulations);
    let mut pop = population_of(gen0, vec![1.0 / n as f64; n]);
    let mut generations = vec![Generation {
        tolerance: pop.distances.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        acceptance: 1.0,
        simulations,
        ess: ess(&pop.weights),
    }];
    let floor_cap = if cfg.min_acceptance > 0.0 { (n as f64 / cfg.min_acceptance).ceil() as u64 } else { u64::MAX };
    let stop = loop {
        let last = generations[generations.len() - 1];
        if cfg.tolerance.is_some_and(|t| last.tolerance <= t) {
            break StopReason::Tolerance;
        }
        if last.acceptance < cfg.min_acceptance {
            break StopReason::AcceptanceFloor;
        }
        if simulations >= cfg.max_simulations {
            break StopReason::SimulationBudget;
        }
        if generations.len() as u32 >= cfg.max_generations {
            break StopReason::MaxGenerations;
        }
        let g = generations.len() as u32;
        let mut sorted = pop.distances.clone();
        sorted.sort_by(f64::total_cmp);
        let q = crate::stats::quantile_sorted(&sorted, cfg.quantile);
        // (NaN when the quantile falls among infinite distances.)
        let q = if q.is_nan() { f64::INFINITY } else { q };
        let eps = q.max(cfg.tolerance.unwrap_or(f64::NEG_INFINITY));
        let kernel = Kernel::new(&pop);
        let propose = |j: u64| -> Proposal {
            let mut r = rng::stream(cfg.seed, purpose::ABC, &[u64::from(g), j]);
            let anc = kernel.ancestor(rng::uniform(&mut r));
            let e: Vec<f64> = (0..keys.len()).map(|_| norm_inv(open_uniform(&mut r))).collect();
            let z = kernel.perturb(&pop.z[anc], &e);
            let theta: Vec<f64> = z.iter().zip(&transforms).map(|(z, t)| t.to_x(*z)).collect();
            let distance = measure(&theta, g, j);
            Proposal { theta, z, distance }
        };
        let mut accepted: Vec<Proposal> = Vec::with_capacity(n);
        let mut examined = 0u64; // proposals evaluated in this generation
        let mut used = 0u64; // proposals up to the last accepted one
        let mut gen_sims = 0u64;
        let complete = loop {
            let budget_left = cfg.max_simulations.saturating_sub(simulations);
            if budget_left == 0 || examined >= floor_cap {
                break false;
            }
            // Size the batch from the previous acceptance rate (deterministic:
            // it depends only on the run so far), within [16, 4 × particles].
            let need = (n - accepted.len()) as f64;
            let rate = last.acceptance.max(cfg.min_acceptance).max(1e-3);
            let batch =
                ((need / rate * 1.2).ceil() as u64).clamp(16, 4 * n as u64).min(budget_left).min(floor_cap - examined);
            let results: Vec<Proposal> = (examined..examined + batch).into_par_iter().map(propose).collect();
            simulations += batch;
            gen_sims += batch;
            progress(simulations);
            for (i, p) in results.into_iter().enumerate() {
                if accepted.len() < n && p.distance <= eps {
                    accepted.push(p);
                    used = examined + i as u64 + 1;
                }
            }
            examined += batch;
            if accepted.len() == n {
                break true;
            }
        };
        if !complete {
            // The generation cannot be finished: the previous one stands.
            break if examined >= floor_cap { StopReason::AcceptanceFloor } else { StopReason::SimulationBudget };
        }
        // Importance weights, each particle's independently (parallel, and
        // each sum in a fixed order).
        let ln_w: Vec<f64> =
            accepted.par_iter().map(|p| ln_prior_z(&p.theta, &p.z) - kernel.ln_mixture(&p.z, &pop.weights)).collect();
        let m = ln_w.iter().copied().filter(|x| x.is_finite()).fold(f64::NEG_INFINITY, f64::max);
        let raw: Vec<f64> = ln_w.iter().map(|x| if x.is_finite() { (x - m).exp() } else { 0.0 }).collect();
        let total: f64 = raw.iter().sum();
        let weights: Vec<f64> = raw.iter().map(|w| w / total).collect();
        pop = population_of(accepted, weights);
        generations.push(Generation {
            tolerance: eps,
            acceptance: n as f64 / used as f64,
            simulations: gen_sims,
            ess: ess(&pop.weights),
        });
    };
    AbcResult {
        keys: keys.to_vec(),
        ess: ess(&pop.weights),
        particles: pop.theta,
        weights: pop.weights,
        distances: pop.distances,
        generations,
        simulations,
        stop,
    }
}

fn population_of(props: Vec<Proposal>, weights: Vec<f64>) -> Population {
    let mut pop = Population {
        theta: Vec::with_capacity(props.len()),
        z: Vec::with_capacity(props.len()),
        weights,
        distances: Vec::with_capacity(props.len()),
    };
    for p in props {
        pop.theta.push(p.theta);
        pop.z.push(p.z);
        pop.distances.push(p.distance);
    }
    pop
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The toy model of the conjugate test: x̄ ~ Normal(θ, SE²) with one
    /// standard normal per simulation key; distance |x̄ − x̄_obs|.
    const OBS: f64 = 1.3;
    const SE: f64 = 0.5;

    fn toy(theta: &[f64], key: u64) -> f64 {
        let mut r = rng::Rng64::seed_from_u64(key);
        let e = norm_inv(open_uniform(&mut r));
        (theta[0] + SE * e - OBS).abs()
    }

    use rand::SeedableRng;

    fn keys() -> Vec<String> {
        vec!["mu".to_string()]
    }

    fn cfg(tolerance: f64) -> AbcConfig {
        AbcConfig {
            particles: 1000,
            max_simulations: 400_000,
            min_acceptance: 0.002,
            tolerance: Some(tolerance),
            quantile: 0.5,
            max_generations: 30,
            seed: 7,
        }
    }

    fn moments(r: &AbcResult) -> (f64, f64) {
        let m: f64 = r.particles.iter().zip(&r.weights).map(|(p, w)| p[0] * w).sum();
        let v: f64 = r.particles.iter().zip(&r.weights).map(|(p, w)| w * (p[0] - m).powi(2)).sum();
        (m, v.sqrt())
    }

    #[test]
    fn conjugate_normal_mean_is_recovered_as_tolerance_shrinks() {
        // Uniform(−10, 10) prior, x̄ ~ N(μ, 0.5²): the exact posterior is
        // N(1.3, 0.5²) (truncation at ±10 is 17 sd away). The ABC posterior
        // at tolerance ε is that convolved with the uniform acceptance
        // window: sd √(0.25 + ε²/3). Importance weights make one run's sd
        // noisy (about ±0.025 at 1000 particles), so the check averages six
        // independent runs (seeds 1–6) and bounds each run more loosely.
        let prior = [Prior::Uniform { low: -10.0, high: 10.0 }];
        let mut avg = [(0.0, 0.0); 2];
        for seed in 1..=6 {
            for (i, tol) in [0.3, 0.02].into_iter().enumerate() {
                let r = abc_smc(&keys(), &prior, &toy, &AbcConfig { seed, ..cfg(tol) }, &|_| {});
                assert_eq!(r.stop, StopReason::Tolerance, "{:?}", r.generations);
                assert!(r.generations.windows(2).all(|w| w[1].tolerance <= w[0].tolerance));
                assert!(r.ess > 500.0, "ess {}", r.ess);
                let (m, sd) = moments(&r);
                let exact = (SE * SE + tol * tol / 3.0).sqrt();
                assert!((m - OBS).abs() < 0.07, "seed {seed} ε {tol}: posterior mean {m}");
                assert!((sd - exact).abs() < 0.07, "seed {seed} ε {tol}: posterior sd {sd} vs {exact}");
                avg[i].0 += m / 6.0;
                avg[i].1 += sd / 6.0;
                if tol == 0.02 {
                    // The exact 95% interval: 1.3 ± 0.98.
                    let e = r.estimates()[0].1;
                    assert!((e.ci95_low - (OBS - 1.96 * SE)).abs() < 0.15, "{e:?}");
                    assert!((e.ci95_high - (OBS + 1.96 * SE)).abs() < 0.15, "{e:?}");
                    assert!((e.estimate - OBS).abs() < 0.07, "{e:?}");
                }
            }
        }
        for (i, tol) in [0.3f64, 0.02].into_iter().enumerate() {
            let exact = (SE * SE + tol * tol / 3.0).sqrt();
            assert!((avg[i].0 - OBS).abs() < 0.03, "ε {tol}: mean of means {}", avg[i].0);
            assert!((avg[i].1 - exact).abs() < 0.025, "ε {tol}: mean sd {} vs {exact}", avg[i].1);
        }
        // A wider tolerance, a wider posterior.
        assert!(avg[0].1 > avg[1].1);
    }

    #[test]
    fn identical_at_one_and_two_threads() {
        let prior = [Prior::Uniform { low: -10.0, high: 10.0 }, Prior::Beta { a: 2.0, b: 3.0 }];
        let keys = vec!["mu".to_string(), "p".to_string()];
        let dist = |t: &[f64], k: u64| toy(&t[..1], k) + (t[1] - 0.3).abs() * (1.0 + (k % 7) as f64 / 10.0);
        let c = AbcConfig { particles: 200, max_simulations: 20_000, max_generations: 6, ..cfg(0.0) };
        let run = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| abc_smc(&keys, &prior, &dist, &c, &|_| {}))
        };
        let (a, b) = (run(1), run(2));
        assert_eq!(a, b);
        assert!(a.generations.len() >= 3);
    }

    #[test]
    fn weights_are_normalised_and_ess_in_range() {
        let prior = [Prior::Normal { mean: 0.0, sd: 3.0, low: None, high: None }];
        let c = AbcConfig { particles: 300, max_generations: 5, ..cfg(0.0) };
        let r = abc_smc(&keys(), &prior, &toy, &c, &|_| {});
        assert_eq!(r.stop, StopReason::MaxGenerations);
        assert_eq!(r.generations.len(), 5);
        assert!((r.weights.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(r.weights.iter().all(|&w| w >= 0.0));
        for g in &r.generations {
            assert!(g.ess >= 1.0 && g.ess <= 300.0 + 1e-9, "{g:?}");
            assert!(g.acceptance > 0.0 && g.acceptance <= 1.0);
        }
        assert_eq!(r.particles.len(), 300);
        assert_eq!(r.simulations, r.generations.iter().map(|g| g.simulations).sum::<u64>());
        // Every accepted distance is within its generation's tolerance.
        let eps = r.generations.last().unwrap().tolerance;
        assert!(r.distances.iter().all(|&d| d <= eps));
    }

    #[test]
    fn stopping_rules_are_reported() {
        let prior = [Prior::Uniform { low: -10.0, high: 10.0 }];
        let ticks = std::sync::atomic::AtomicU64::new(0);
        let budget = AbcConfig { particles: 100, max_simulations: 700, ..cfg(0.0) };
        let r = abc_smc(&keys(), &prior, &toy, &budget, &|n| ticks.store(n, std::sync::atomic::Ordering::Relaxed));
        assert_eq!(r.stop, StopReason::SimulationBudget);
        assert!(r.simulations <= 700, "{}", r.simulations);
        assert_eq!(ticks.load(std::sync::atomic::Ordering::Relaxed), r.simulations);
        // The kept population is the last complete one.
        assert_eq!(r.particles.len(), 100);
        // A floor no generation can meet stops after the first perturbed
        // generation at the latest.
        let floor = AbcConfig { particles: 100, min_acceptance: 0.9, ..cfg(0.0) };
        let r = abc_smc(&keys(), &prior, &toy, &floor, &|_| {});
        assert_eq!(r.stop, StopReason::AcceptanceFloor);
        assert!(r.generations.len() <= 2);
        let tol = AbcConfig { particles: 100, ..cfg(0.5) };
        let r = abc_smc(&keys(), &prior, &toy, &tol, &|_| {});
        assert_eq!(r.stop, StopReason::Tolerance);
        assert!(r.generations.last().unwrap().tolerance <= 0.5);
    }

    #[test]
    fn weighted_quantile_and_ess_by_hand() {
        let xs = [3.0, 1.0, 2.0, 4.0];
        let ws = [0.1, 0.2, 0.3, 0.4];
        // Sorted: 1 (0.2), 2 (0.5), 3 (0.6), 4 (1.0).
        assert_eq!(weighted_quantile(&xs, &ws, 0.2), 1.0);
        assert_eq!(weighted_quantile(&xs, &ws, 0.21), 2.0);
        assert_eq!(weighted_quantile(&xs, &ws, 0.55), 3.0);
        assert_eq!(weighted_quantile(&xs, &ws, 0.975), 4.0);
        assert!((ess(&[0.25; 4]) - 4.0).abs() < 1e-12);
        assert!((ess(&[1.0, 0.0, 0.0]) - 1.0).abs() < 1e-12);
        assert!((ess(&ws) - 1.0 / 0.3).abs() < 1e-12);
    }

    #[test]
    fn transforms_invert_and_jacobians_match_finite_differences() {
        let priors = [
            Prior::Uniform { low: 0.2, high: 0.7 },
            Prior::Normal { mean: 0.0, sd: 1.0, low: Some(-1.0), high: None },
            Prior::Normal { mean: 0.0, sd: 1.0, low: None, high: Some(2.0) },
            Prior::Normal { mean: 0.0, sd: 1.0, low: None, high: None },
        ];
        for p in &priors {
            let t = Transform::of(p);
            for z in [-3.0, -0.4, 0.0, 1.1, 2.5] {
                let x = t.to_x(z);
                assert!((t.to_z(x) - z).abs() < 1e-9, "{p:?} {z}");
                let h = 1e-6;
                let fd = ((t.to_x(z + h) - t.to_x(z - h)) / (2.0 * h)).ln();
                assert!((fd - t.ln_jacobian(z)).abs() < 1e-6, "{p:?} {z}: {fd} vs {}", t.ln_jacobian(z));
            }
        }
    }
}
