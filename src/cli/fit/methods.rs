//! The simulated-model fits of `womsim fit`: the IC likelihood on cascades
//! and ABC-SMC on a curve or on cascades, wired to the library
//! ([`womsim::fit::ic_mle`], [`womsim::fit::abc`], [`womsim::fit::simulate`]).
//!
//! Both also draw a posterior-predictive check: the model is simulated once
//! at each posterior draw (keys `(seed, "fit-posterior", [1, i])`, so the
//! check never depends on threads) and the chart shows the observed curve
//! (or the cascades' mean cumulative size by step) against the pointwise
//! weighted median and 95% band of those simulations.

use anyhow::Context;
use rayon::prelude::*;
use serde_json::json;
use womsim::charts::fit::CurveChart;
use womsim::fit::abc::{abc_smc, weighted_quantile, AbcConfig, AbcResult};
use womsim::fit::cascades::{self, Cascade, CascadeOptions, UnknownNodes};
use womsim::fit::simulate::{curve_metric, CascadeFit, CascadeObs, CurveData, CurveFit, FitWorld};
use womsim::prior::Prior;
use womsim::rng::{self, purpose};

use super::output::{AbcRun, GenerationRow};
use super::spec::{CascadeFormat, DataKind, DataSource, FitSpec, Method};
use super::Outcome;

/// Data and world of a simulated fit, read and checked before anything is written.
pub enum SimData {
    Curve(CurveData),
    Cascades { cascades: Vec<Cascade>, skipped_rows: usize, duplicates: usize },
}

/// The world and data, checked.
pub struct SimPrepared {
    pub world: FitWorld,
    pub data: SimData,
}

fn data_path(spec: &FitSpec) -> anyhow::Result<&std::path::Path> {
    match &spec.data.source {
        DataSource::File(p) => Ok(p),
        DataSource::Inline(_) => anyhow::bail!("data.values: cascades and simulated curves are read from data.file"),
    }
}

/// Build the scenario's world and read the data against it.
pub fn prepare(spec: &FitSpec) -> anyhow::Result<SimPrepared> {
    let scenario = spec.scenario.as_ref().context("scenario: missing")?;
    // The IC likelihood fits the scenario's uniform p; its world is built
    // with that one key (the prior only bounds the predictive check).
    let (keys, priors) = match spec.method {
        Method::IcLikelihood => (vec!["model.p".to_string()], vec![Prior::Uniform { low: 0.0, high: 1.0 }]),
        _ => spec.priors.iter().cloned().unzip(),
    };
    let world = FitWorld::new(scenario, &keys, &priors).map_err(|ps| {
        anyhow::anyhow!("{}", ps.join("\n")).context("fit.priors: these keys cannot be fitted on this scenario")
    })?;
    let path = data_path(spec)?;
    let data = match spec.data.kind {
        DataKind::Curve => {
            let curve = cascades::read_curve_csv(path, spec.data.cumulative).map_err(anyhow::Error::new)?;
            let metrics = curve.metrics.iter().map(|(m, _)| curve_metric(m).context(format!("unknown metric {m}")));
            let data = CurveData {
                metrics: metrics.collect::<anyhow::Result<_>>()?,
                steps: curve.steps,
                values: curve.metrics.into_iter().map(|(_, v)| v).collect(),
            };
            // Checked against the world now (a curve longer than `steps`, …).
            CurveFit::new(&world, data.clone(), spec.data.scale, spec.strategy.as_deref(), 1).map_err(|ps| {
                anyhow::anyhow!("{}", ps.join("\n"))
                    .context(format!("the curve {} does not fit the scenario", path.display()))
            })?;
            SimData::Curve(data)
        }
        DataKind::Cascades => {
            let opts = CascadeOptions {
                step_length: spec.data.step_length,
                unknown: if spec.data.skip_unknown { UnknownNodes::Skip } else { UnknownNodes::Error },
            };
            let set = match spec.data.format {
                CascadeFormat::Csv => cascades::read_cascades_csv_with(path, world.graph(), &opts),
                CascadeFormat::Lines => cascades::read_cascades_lines_with(path, world.graph(), &opts),
            }
            .map_err(anyhow::Error::new)?;
            anyhow::ensure!(!set.cascades.is_empty(), "{}: no cascade in the file", path.display());
            SimData::Cascades { cascades: set.cascades, skipped_rows: set.skipped_rows, duplicates: set.duplicates }
        }
    };
    Ok(SimPrepared { world, data })
}

fn observations(cascades: &[Cascade]) -> Vec<CascadeObs> {
    cascades.iter().filter_map(CascadeObs::from_cascade).collect()
}

/// Pointwise weighted median and 95% band of simulated curves (one per draw).
fn band(sims: &[Vec<f64>], weights: &[f64]) -> (Vec<f64>, (Vec<f64>, Vec<f64>)) {
    let len = sims.iter().map(Vec::len).min().unwrap_or(0);
    let at = |p: f64| {
        (0..len)
            .map(|t| weighted_quantile(&sims.iter().map(|s| s[t]).collect::<Vec<_>>(), weights, p))
            .collect::<Vec<f64>>()
    };
    (at(0.5), (at(0.025), at(0.975)))
}

/// Posterior draws simulated for the predictive check: the first ones
/// (draws and ABC particles are in no particular order, so these are a fair
/// subset), enough for a 95% band without re-running the whole fit's cost.
pub const CHECK_DRAWS: usize = 100;

/// The first [`CHECK_DRAWS`] draws and their renormalised weights.
fn check_subset<'a>(draws: &'a [Vec<f64>], weights: &[f64]) -> (&'a [Vec<f64>], Vec<f64>) {
    let n = draws.len().min(CHECK_DRAWS);
    let total: f64 = weights[..n].iter().sum();
    let w = weights[..n].iter().map(|x| if total > 0.0 { x / total } else { 1.0 / n as f64 }).collect();
    (&draws[..n], w)
}

/// Simulation key of posterior-predictive draw `i`.
fn check_key(seed: u64, i: usize) -> u64 {
    rng::derive_key(seed, purpose::FIT_POSTERIOR, &[1, i as u64])
}

/// Growth chart: observed mean cumulative cascade size by step vs the
/// posterior-predictive band.
fn cascade_chart(spec: &FitSpec, fit: &CascadeFit<'_>, draws: &[Vec<f64>], weights: &[f64]) -> Option<CurveChart> {
    let (draws, weights) = check_subset(draws, weights);
    let weights = weights.as_slice();
    let sims: Vec<Vec<f64>> = draws
        .par_iter()
        .enumerate()
        .filter_map(|(i, d)| fit.simulate(d, check_key(spec.seed, i)).map(|s| s.growth))
        .collect();
    if sims.len() != draws.len() {
        return None;
    }
    let observed = fit.observed().growth.clone();
    let (median, b) = band(&sims, weights);
    Some(CurveChart {
        title: "Observed vs simulated cascade growth".into(),
        subtitle: format!("{}: mean cascade size by step since the seeds, {} cascades", spec.name, fit.observed().log_sizes.len()),
        x_label: "steps since the seeds".into(),
        y_label: "mean cumulative cascade size".into(),
        x: (0..observed.len()).map(|t| t as f64).collect(),
        observed,
        fitted: median,
        band: Some(b),
        notes: vec![
            "Line: weighted median over (up to 100) posterior draws of the simulated mean size; band: their pointwise 95%.".into(),
        ],
    })
}

fn abc_config(spec: &FitSpec) -> AbcConfig {
    AbcConfig {
        particles: spec.abc.particles,
        max_simulations: spec.abc.max_simulations,
        min_acceptance: spec.abc.min_acceptance,
        tolerance: spec.abc.tolerance,
        quantile: spec.abc.quantile,
        max_generations: spec.abc.generations,
        seed: spec.seed,
    }
}

fn abc_run(r: &AbcResult) -> AbcRun {
    AbcRun {
        tolerance_schedule: r
            .generations
            .iter()
            .map(|g| GenerationRow {
                tolerance: g.tolerance,
                acceptance: g.acceptance,
                simulations: g.simulations,
                ess: g.ess,
            })
            .collect(),
        acceptance: r.generations.last().map_or(f64::NAN, |g| g.acceptance),
        simulations: r.simulations,
        ess: r.ess,
        stop: r.stop.name().to_string(),
    }
}

fn abc_words(spec: &FitSpec, r: &AbcResult, distance: &str) -> Vec<String> {
    vec![
        format!(
            "Approximate Bayesian computation by population Monte Carlo (Beaumont, Cornuet, Marin & Robert 2009): \
             {} particles per generation drawn from the priors, then moved by a Gaussian kernel and reweighted; each \
             generation's tolerance is the {} quantile of the previous generation's accepted distances.",
            spec.abc.particles, spec.abc.quantile
        ),
        format!("Distance: {distance}"),
        format!(
            "It ran {} simulations over {} generations and stopped on {}; the final population has an effective \
             sample size of {:.1}. Estimates are weighted posterior medians; 95% intervals the weighted 2.5% and 97.5% \
             quantiles.",
            r.simulations,
            r.generations.len(),
            r.stop.name().replace('_', " "),
            r.ess
        ),
        "posterior.csv holds the final particles and their weights (usable as [uncertain] samples).".into(),
    ]
}

/// Run the fit.
pub fn run(spec: &FitSpec, p: SimPrepared, progress: &(dyn Fn(u64) + Sync)) -> anyhow::Result<Outcome> {
    let keys: Vec<String> = spec.priors.iter().map(|(k, _)| k.clone()).collect();
    let priors: Vec<Prior> = spec.priors.iter().map(|(_, p)| p.clone()).collect();
    let mut details = serde_json::Map::new();
    let mut data_facts = serde_json::Map::new();
    match (spec.method, p.data) {
        (Method::IcLikelihood, SimData::Cascades { cascades, skipped_rows, duplicates }) => {
            let opts = womsim::fit::IcMleOptions { observed_until: spec.data.observed_until };
            let fit = womsim::fit::fit_ic_mle_with(p.world.graph(), &cascades, &opts)
                .map_err(|e| anyhow::anyhow!("the IC likelihood fit failed: {e}"))?;
            let (draws, note) = super::approx::ic_draws(&fit.p, spec.seed, spec.draws);
            let weights = vec![1.0 / draws.len() as f64; draws.len()];
            let cfit = CascadeFit::new(&p.world, observations(&cascades))
                .map_err(|ps| anyhow::anyhow!("{}", ps.join("\n")))?;
            let curve = cascade_chart(spec, &cfit, &draws, &weights);
            details.insert(
                "ic".into(),
                json!({
                    "log_likelihood": fit.log_likelihood,
                    "exposures": fit.exposures,
                    "activations": fit.activations,
                    "exogenous": fit.exogenous,
                    "cascades": fit.cascades,
                    "observed_until": spec.data.observed_until,
                }),
            );
            data_facts.insert("cascades".into(), json!(cascades.len()));
            data_facts.insert("skipped_rows".into(), json!(skipped_rows));
            data_facts.insert("duplicates".into(), json!(duplicates));
            let words = vec![
                format!(
                    "Exact maximum likelihood of a uniform independent-cascade probability p on {} cascades: a node \
                     activated at step t has one chance on each neighbour at t + 1, k exposures in one step combine as \
                     1 − (1 − p)^k. {} exposures, {} activations; {} activations had no exposure at the step before and \
                     were counted as exogenous (IC cannot explain them).",
                    fit.cascades, fit.exposures, fit.activations, fit.exogenous
                ),
                "95% interval: the profile likelihood, where 2·(ℓ(p̂) − ℓ(p)) ≤ 3.841.".into(),
                format!("posterior.csv: {note}."),
                "The growth chart simulates the scenario's model from each cascade's seeds at each draw.".into(),
            ];
            Ok(Outcome {
                estimates: vec![("model.p".into(), fit.p)],
                draws,
                weights,
                draws_note: note,
                curve,
                details,
                abc: None,
                words,
                data_facts,
            })
        }
        (Method::Abc, SimData::Curve(data)) => {
            let fit = CurveFit::new(&p.world, data.clone(), spec.data.scale, spec.strategy.as_deref(), 1)
                .map_err(|ps| anyhow::anyhow!("{}", ps.join("\n")))?;
            let r = abc_smc(&keys, &priors, &|t: &[f64], k: u64| fit.distance(t, k), &abc_config(spec), progress);
            // The first metric's curve is drawn (the distance pools them all).
            let (subset, check_weights) = check_subset(&r.particles, &r.weights);
            let sims: Vec<Vec<f64>> = subset
                .par_iter()
                .enumerate()
                .filter_map(|(i, d)| fit.simulate(d, check_key(spec.seed, i)).map(|mut s| s.swap_remove(0)))
                .collect();
            let curve = (sims.len() == subset.len()).then(|| {
                let (median, b) = band(&sims, &check_weights);
                CurveChart {
                    title: "Observed vs simulated curve".into(),
                    subtitle: format!(
                        "{}: {} (cumulative), scale {}",
                        spec.name,
                        data.metrics[0].name(),
                        spec.data.scale
                    ),
                    x_label: "step".into(),
                    y_label: format!("{} (cumulative)", data.metrics[0].name()),
                    x: data.steps.iter().map(|&s| f64::from(s)).collect(),
                    observed: data.values[0].clone(),
                    fitted: median,
                    band: Some(b),
                    notes: vec![
                        "Line: weighted median over (up to 100) posterior particles; band: their pointwise 95%.".into(),
                    ],
                }
            });
            data_facts.insert("steps".into(), json!(data.steps.len()));
            data_facts.insert("metrics".into(), json!(data.metrics.iter().map(|m| m.name()).collect::<Vec<_>>()));
            let words = abc_words(
                spec,
                &r,
                "the root mean square over steps and metrics of (scale × simulated − observed) / observed final value: \
                 scale-free, every step weighs the same.",
            );
            Ok(abc_outcome(r, curve, words, details, data_facts))
        }
        (Method::Abc, SimData::Cascades { cascades, skipped_rows, duplicates }) => {
            let fit = CascadeFit::new(&p.world, observations(&cascades))
                .map_err(|ps| anyhow::anyhow!("{}", ps.join("\n")))?;
            let r = abc_smc(&keys, &priors, &|t: &[f64], k: u64| fit.distance(t, k), &abc_config(spec), progress);
            let curve = cascade_chart(spec, &fit, &r.particles, &r.weights);
            data_facts.insert("cascades".into(), json!(cascades.len()));
            data_facts.insert("skipped_rows".into(), json!(skipped_rows));
            data_facts.insert("duplicates".into(), json!(duplicates));
            let words = abc_words(
                spec,
                &r,
                "the Wasserstein-1 distance between observed and simulated log cascade sizes plus the root mean square \
                 error of the mean cumulative size by step divided by the observed final mean size.",
            );
            Ok(abc_outcome(r, curve, words, details, data_facts))
        }
        _ => anyhow::bail!("fit.method = {:?} does not fit these data", spec.method.name()),
    }
}

fn abc_outcome(
    r: AbcResult,
    curve: Option<CurveChart>,
    words: Vec<String>,
    details: serde_json::Map<String, serde_json::Value>,
    data_facts: serde_json::Map<String, serde_json::Value>,
) -> Outcome {
    Outcome {
        estimates: r.estimates(),
        draws_note: format!("the {} final ABC particles with their weights (ESS {:.1})", r.particles.len(), r.ess),
        abc: Some(abc_run(&r)),
        draws: r.particles,
        weights: r.weights,
        curve,
        details,
        words,
        data_facts,
    }
}
