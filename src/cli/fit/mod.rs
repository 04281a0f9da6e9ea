//! `womsim fit FIT.toml`: estimate parameters from observed data and write
//! the fit folder (`fit.json`, `posterior.csv`, `charts/`, `fit.html`).
//!
//! Order of work, as in `run`: the fit file and its scenario are checked
//! (every problem at once), then the data are read and checked (every
//! problem, naming file and line), then the output folder is locked and
//! checked (non-empty ⇒ exit 2 without `--force`) — all before anything is
//! written. The fit runs next, and only then are the files written, each
//! atomically, `fit.json` last: a folder with a `fit.json` is complete.

pub mod approx;
pub mod data;
pub mod methods;
pub mod output;
pub mod spec;
pub mod starter;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::Context;
use womsim::fit::Estimate;

use super::args::FitArgs;
use super::lock::DirLock;
use super::{invalid, CliError};
use spec::{FitSpec, Method};

/// What any fitting method produced, in the form the outputs need.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Each fitted key (dotted path) with its estimate, in a fixed order.
    pub estimates: Vec<(String, Estimate)>,
    /// Posterior draws: one row per draw, columns as `estimates`' keys.
    pub draws: Vec<Vec<f64>>,
    /// Normalised weights, one per draw.
    pub weights: Vec<f64>,
    /// What the draws are (for fit.json and fit.html).
    pub draws_note: String,
    /// The observed curve and the fitted one, when the data are a curve.
    pub curve: Option<womsim::charts::fit::CurveChart>,
    /// Method-specific facts for fit.json (`bass`, `ic`, `abc` sections).
    pub details: serde_json::Map<String, serde_json::Value>,
    /// ABC's run, when the method is ABC.
    pub abc: Option<output::AbcRun>,
    /// What the method did, in sentences, for fit.html.
    pub words: Vec<String>,
    /// Data facts for fit.json's `data` section (points, cascades, …).
    pub data_facts: serde_json::Map<String, serde_json::Value>,
}

/// The fit folder: `--out`, else `[output] dir`, else `output/fit_<name>/`.
fn out_dir(args_out: Option<&Path>, spec: &FitSpec) -> PathBuf {
    match (args_out, &spec.out_dir) {
        (Some(o), _) => o.to_path_buf(),
        (None, Some(d)) => d.clone(),
        (None, None) => Path::new("output").join(format!("fit_{}", super::config::folder_name(&spec.name))),
    }
}

/// Entry point of `womsim fit`.
pub fn fit_command(args: &FitArgs) -> Result<(), CliError> {
    let mut spec = spec::load(&args.fit)
        .map_err(|e| invalid(anyhow::anyhow!("{e}").context(format!("invalid fit file {}", args.fit.display()))))?;
    if let Some(seed) = args.seed {
        spec.seed = seed;
    }
    // Read and check the data before touching the output folder.
    let prepared = prepare(&spec).map_err(invalid)?;
    let dir = out_dir(args.out.as_deref(), &spec);
    let lock = DirLock::acquire(&dir).map_err(invalid)?;
    super::run::check_out_dir(&dir, args.force).map_err(invalid)?;
    let threads =
        args.threads.map_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()), |t| t as usize);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("womsim-fit-{i}"))
        .build()
        .context("cannot start the worker threads")?;
    let bars = !args.quiet && std::io::stderr().is_terminal();
    // A method that cannot fit these data (a Bass series that has not
    // slowed down, cascades without exposures) is a problem of the input.
    let outcome = pool.install(|| run_fit(&spec, prepared, bars)).map_err(invalid)?;
    let written = output::write_all(&dir, &spec, &outcome)?;
    drop(lock);
    print!("{}", output::summary_text(&spec, &outcome));
    if !args.quiet {
        for f in written {
            eprintln!("wrote {}", f.display());
        }
    }
    println!("results: {}", dir.display());
    Ok(())
}

/// The data, read and checked for the method.
pub enum Prepared {
    Bass(data::BassCurve),
    Simulated(Box<methods::SimPrepared>),
}

/// Read the data (every problem, naming file and line); for simulated
/// models, build the scenario's world first (the data name its nodes).
pub fn prepare(spec: &FitSpec) -> anyhow::Result<Prepared> {
    match spec.method {
        Method::BassNls | Method::BassOls => Ok(Prepared::Bass(data::read_bass_curve(&spec.data)?)),
        Method::IcLikelihood | Method::Abc => Ok(Prepared::Simulated(Box::new(methods::prepare(spec)?))),
    }
}

/// Run the method, with a progress bar of simulations for ABC (on stderr,
/// only when it is a terminal and not `--quiet`).
pub fn run_fit(spec: &FitSpec, prepared: Prepared, bars: bool) -> anyhow::Result<Outcome> {
    match prepared {
        Prepared::Bass(curve) => bass_outcome(spec, &curve),
        Prepared::Simulated(p) => {
            let bar = if bars && spec.method == Method::Abc {
                let b = indicatif::ProgressBar::new(spec.abc.max_simulations);
                b.set_style(
                    indicatif::ProgressStyle::with_template(
                        "{msg} [{bar:30}] {pos}/{len} simulations (budget) {elapsed}",
                    )
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                    .progress_chars("=> "),
                );
                b.set_message(format!("fitting {}", spec.name));
                b
            } else {
                indicatif::ProgressBar::hidden()
            };
            let out = methods::run(spec, *p, &|n| bar.set_position(n));
            bar.finish_and_clear();
            out
        }
    }
}

/// A Bass fit and its approximate posterior.
pub fn bass_outcome(spec: &FitSpec, curve: &data::BassCurve) -> anyhow::Result<Outcome> {
    use serde_json::json;
    let x = &curve.adopters;
    let fit = match spec.method {
        Method::BassOls => womsim::fit::fit_bass_ols(x),
        _ => womsim::fit::fit_bass_nls(x),
    }
    .map_err(|e| anyhow::anyhow!("the Bass fit failed: {e}"))?;
    let n = x.len();
    let (draws, note) = approx::bass_draws(&fit.p, &fit.q, &fit.m, n, spec.seed, spec.draws);
    let weights = vec![1.0 / draws.len() as f64; draws.len()];
    // Posterior-predictive band: the curve of each draw plus the residual
    // noise (σ² = SSE/(T − 3)), pointwise 2.5% and 97.5%.
    let sigma = if n > 3 { (fit.sse / (n - 3) as f64).sqrt() } else { 0.0 };
    let mut per_period: Vec<Vec<f64>> = vec![Vec::with_capacity(draws.len()); n];
    for (i, d) in draws.iter().enumerate() {
        let c = womsim::fit::bass_curve(d[0], d[1], d[2], n);
        let mut r = womsim::rng::stream(spec.seed, womsim::rng::purpose::FIT_POSTERIOR, &[u64::MAX, i as u64]);
        for (t, v) in c.iter().enumerate() {
            let z = womsim::prior::norm_inv(womsim::rng::uniform(&mut r).max(f64::MIN_POSITIVE));
            per_period[t].push(v + sigma * z);
        }
    }
    let band = (draws.len() > 1).then(|| {
        let q = |p: f64| per_period.iter().map(|v| quantile(v, p)).collect::<Vec<f64>>();
        (q(0.025), q(0.975))
    });
    let xs: Vec<f64> = (0..n).map(|t| curve.first_step + t as f64).collect();
    let method_words = match spec.method {
        Method::BassOls => "Bass (1969) regression",
        _ => "nonlinear least squares (Srinivasan & Mason 1986)",
    };
    let chart = womsim::charts::fit::CurveChart {
        title: "Observed vs fitted Bass curve".into(),
        subtitle: format!(
            "{}: p = {:.4}, q = {:.3}, m = {:.0}; {method_words}",
            spec.name, fit.p.estimate, fit.q.estimate, fit.m.estimate
        ),
        x_label: spec.data.step_column.clone(),
        y_label: "new adopters per period".into(),
        x: xs,
        observed: x.clone(),
        fitted: fit.fitted.clone(),
        band,
        notes: vec![
            "Band: pointwise 95% of the posterior-predictive draws (curve of a draw plus residual noise).".into()
        ],
    };
    let time_origin = format!(
        "period 1 is the first row ({} = {}) and covers (0, 1]; F(0) = 0 at the start of that period",
        spec.data.step_column, curve.first_step
    );
    let mut details = serde_json::Map::new();
    details.insert(
        "bass".into(),
        json!({
            "time_origin": time_origin,
            "first_step": curve.first_step,
            "periods": n,
            "sse": fit.sse,
            "iterations": fit.iterations,
            "fitted": fit.fitted,
        }),
    );
    let mut data_facts = serde_json::Map::new();
    data_facts.insert("periods".into(), json!(n));
    data_facts.insert("total".into(), json!(x.iter().sum::<f64>()));
    if let Some(s) = &spec.data.series {
        data_facts.insert("series".into(), json!(s));
    }
    let words = vec![
        format!(
            "The aggregate Bass model (no network) was fitted to {n} periods of new adopters by {method_words}: \
             new adopters in period t are m·(F(t) − F(t − 1)), F(t) = (1 − e^(−(p+q)t)) / (1 + (q/p)·e^(−(p+q)t))."
        ),
        format!("Time origin: {time_origin}."),
        "95% intervals: estimate ± t(0.975, T − 3) × standard error (symmetric; from σ²(JᵀJ)⁻¹ for least squares, \
         the delta method for the regression)."
            .into(),
        format!("posterior.csv (columns model.p, model.q; the market size m is in fit.json only): {note}."),
        "To carry the fit into a network run, set the network Bass model's keys from it: \
         [model] kind = \"bass\", p = <model.p>, q = <model.q> (one step = one period of the data), \
         or draw them with [uncertain] samples = \"posterior.csv\"."
            .into(),
    ];
    Ok(Outcome {
        estimates: vec![("model.p".into(), fit.p), ("model.q".into(), fit.q), ("m".into(), fit.m)],
        draws,
        weights,
        draws_note: note,
        curve: Some(chart),
        details,
        abc: None,
        words,
        data_facts,
    })
}

/// The `p` quantile of `v` (linear interpolation between order statistics).
fn quantile(v: &[f64], p: f64) -> f64 {
    let mut s: Vec<f64> = v.iter().copied().filter(|x| x.is_finite()).collect();
    if s.is_empty() {
        return f64::NAN;
    }
    s.sort_by(f64::total_cmp);
    let h = p * (s.len() - 1) as f64;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    s[lo] + (h - lo as f64) * (s[hi] - s[lo])
}
