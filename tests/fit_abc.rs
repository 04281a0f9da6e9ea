//! ABC-SMC on womsim's models (`womsim::fit::abc`, `womsim::fit::simulate`):
//! the adapter's distances checked by hand, its refusals, and calibration on
//! synthetic data — coverage of the 95% intervals and simulation-based
//! calibration ranks (Talts et al. 2018) — for IC on cascades and a
//! 2-parameter chain-model curve. CI runs a reduced campaign; the full one
//! (`--ignored`) is reported in docs/FIT_VALIDATION.md, section "ABC", and
//! the timing run in BENCHMARKS.md.

use std::time::Instant;

use womsim::fit::abc::{abc_smc, AbcConfig, AbcResult, StopReason};
use womsim::fit::ic_mle::{fit_ic_mle_with, IcMleOptions};
use womsim::fit::simulate::{CascadeFit, CascadeObs, CascadeSummary, CurveData, CurveFit, FitWorld};
use womsim::fit::{Cascade, Event};
use womsim::graph::Graph;
use womsim::metrics::Metric;
use womsim::prior::Prior;
use womsim::rng;
use womsim::scenario::{parse_str, Scenario};

/// Test-only stream purposes (truths, seeds, posterior draws).
const TRUTH: &str = "test-abc-truth";
const DRAWS: &str = "test-abc-draws";

fn scenario(text: &str) -> Scenario {
    parse_str(text, None).unwrap_or_else(|e| panic!("{e}"))
}

/// A 300-node Erdős–Rényi network (mean degree 4) under IC.
fn ic_scenario() -> Scenario {
    scenario(
        r#"
name = "abc-ic"
seed = 3
replicates = 1
steps = 15
[network]
kind = "erdos_renyi"
nodes = 300
mean_degree = 4
[model]
kind = "independent_cascade"
p = 0.2
[[strategy]]
name = "one"
kind = "random"
budget = 1
"#,
    )
}

/// The chain model on a 1,000-node follower network.
fn chain_scenario() -> Scenario {
    scenario(
        r#"
name = "abc-chain"
seed = 5
replicates = 1
steps = 20
[network]
kind = "follower"
nodes = 1000
follows = 15
[population]
friends = 0.2
[model]
kind = "relationship_chain"
share.good = 0.05
act = 0.1
[[strategy]]
name = "ambassadors"
kind = "top_degree"
budget = 10
"#,
    )
}

fn keys(k: &[&str]) -> Vec<String> {
    k.iter().map(|s| s.to_string()).collect()
}

// ------------------------------------------------------------------ adapter

#[test]
fn curve_distance_is_the_documented_normalised_rms() {
    let s = chain_scenario();
    let ks = keys(&["model.share.good", "model.act"]);
    let priors = [Prior::Uniform { low: 0.01, high: 0.2 }, Prior::Uniform { low: 0.02, high: 0.5 }];
    let world = FitWorld::new(&s, &ks, &priors).unwrap();
    let seeds = world.seeds(None).unwrap();
    assert_eq!(seeds.len(), 10);
    let theta = [0.08, 0.2];
    let model = world.model_at(&theta).unwrap();
    match &model {
        womsim::models::ModelSpec::RelationshipChain(p) => {
            assert_eq!((p.share.good, p.act), (0.08, 0.2));
        }
        m => panic!("{m:?}"),
    }
    // Observed: one replicate at θ with key 11, on steps 0, 5, 10, 20.
    let steps = vec![0u32, 5, 10, 20];
    let t = world.simulate(&model, &seeds, 11, 20);
    let metrics = vec![Metric::Reached, Metric::Acted];
    let values: Vec<Vec<f64>> = metrics.iter().map(|m| steps.iter().map(|&st| t.get(st, *m)).collect()).collect();
    let data = CurveData { metrics: metrics.clone(), steps: steps.clone(), values: values.clone() };
    let fit = CurveFit::new(&world, data, 1.0, None, 1).unwrap();
    assert_eq!(fit.distance(&theta, 11), 0.0, "the generating θ and key reproduce the data");
    // Another key: the RMS of the errors over the observed final values,
    // computed here from the trajectory.
    let t2 = world.simulate(&model, &seeds, 12, 20);
    let mut sq = 0.0;
    for (mi, m) in metrics.iter().enumerate() {
        for (si, &st) in steps.iter().enumerate() {
            sq += ((t2.get(st, *m) - values[mi][si]) / values[mi][3]).powi(2);
        }
    }
    let expect = (sq / 8.0).sqrt();
    assert!((fit.distance(&theta, 12) - expect).abs() < 1e-12);
    assert!(expect > 0.0);
    // scale multiplies the simulated counts.
    let half: Vec<Vec<f64>> = values.iter().map(|v| v.iter().map(|x| x / 2.0).collect()).collect();
    let data = CurveData { metrics, steps, values: half };
    let fit = CurveFit::new(&world, data, 0.5, None, 1).unwrap();
    assert!(fit.distance(&theta, 11) < 1e-12);
}

#[test]
fn cascade_summaries_by_hand() {
    // Two nodes at step 3 (the seeds), one at 4, a repeat of node 1 at 6,
    // one at 6.
    let c = CascadeObs::from_events(&[(5, 3), (1, 3), (7, 4), (1, 6), (9, 6)]).unwrap();
    assert_eq!(c.seeds, vec![1, 5]);
    assert_eq!(c.sizes, vec![2.0, 3.0, 3.0, 4.0]);
    assert_eq!(c.len(), 3);
    assert!(CascadeObs::from_events(&[]).is_none());
    let short = [1.0, 2.0];
    let obs = CascadeSummary::of([c.sizes.as_slice(), short.as_slice()].into_iter());
    // Growth carries the short cascade's 2 forward: (2+1)/2, (3+2)/2, …
    assert_eq!(obs.growth, vec![1.5, 2.5, 2.5, 3.0]);
    assert_eq!(obs.log_sizes, vec![2f64.ln(), 4f64.ln()]);
    let sim_a = [1.0, 1.0];
    let sim_b = [1.0, 2.0, 4.0, 8.0];
    let sim = CascadeSummary::of([sim_a.as_slice(), sim_b.as_slice()].into_iter());
    assert_eq!(sim.growth, vec![1.0, 1.5, 2.5, 4.5]);
    // W1 of sorted logs: (|ln2 − ln1| + |ln4 − ln8|) / 2 = ln 2; growth:
    // √(mean of ((1−1.5)/3)², ((1.5−2.5)/3)², 0, ((4.5−3)/3)²).
    let g = ((0.25 + 1.0 + 0.0 + 2.25) / 9.0 / 4.0f64).sqrt();
    assert!((obs.distance(&sim) - (2f64.ln() + g)).abs() < 1e-12);
    assert_eq!(obs.distance(&obs), 0.0);
}

#[test]
fn bad_keys_and_priors_are_refused_all_at_once() {
    let s = ic_scenario();
    let ks = keys(&["network.nodes", "model.nope", "model.weights", "model.p"]);
    let priors = vec![Prior::Uniform { low: 0.0, high: 1.0 }; 4];
    let errs = FitWorld::new(&s, &ks, &priors).err().unwrap();
    assert_eq!(errs.len(), 3, "{errs:#?}");
    assert!(errs[0].contains("network.nodes") && errs[0].contains("only [model] keys"), "{}", errs[0]);
    assert!(errs[1].contains("model.nope") && errs[1].contains("independent_cascade"), "{}", errs[1]);
    assert!(errs[2].contains("model.weights") && errs[2].contains("not a number"), "{}", errs[2]);
    // A prior reaching outside the key's range is refused before any run.
    let ks = keys(&["model.p"]);
    let wide = [Prior::Normal { mean: 0.2, sd: 0.1, low: None, high: None }];
    let errs = FitWorld::new(&s, &ks, &wide).err().unwrap();
    assert!(errs[0].contains("model.p") && errs[0].contains("reaches"), "{errs:?}");
    let over = [Prior::Uniform { low: 0.5, high: 1.5 }];
    let errs = FitWorld::new(&s, &ks, &over).err().unwrap();
    assert!(errs[0].contains("1.5"), "{errs:?}");
    // Curve data problems, all at once.
    let world = FitWorld::new(&s, &ks, &[Prior::Uniform { low: 0.0, high: 1.0 }]).unwrap();
    let data = CurveData { metrics: vec![Metric::Talkers], steps: vec![3, 2, 40], values: vec![vec![1.0, 2.0]] };
    let errs = CurveFit::new(&world, data, -1.0, Some("nobody"), 0).err().unwrap();
    let all = errs.join("\n");
    for needle in
        ["talkers", "one value per observed step", "must increase", "step 40", "scale", "replicates", "nobody"]
    {
        assert!(all.contains(needle), "missing {needle}: {all}");
    }
    let errs = CascadeFit::new(&world, vec![CascadeObs { seeds: vec![300], sizes: vec![1.0] }]).err().unwrap();
    assert!(errs[0].contains("seed 300"), "{errs:?}");
}

// -------------------------------------------------------------- calibration

/// `n` posterior draws resampled by weight (multinomial, from `stream`).
fn posterior_draws(r: &AbcResult, k: usize, n: usize, seed: u64, dataset: u64) -> Vec<f64> {
    let mut s = rng::stream(seed, DRAWS, &[dataset]);
    let total: f64 = r.weights.iter().sum();
    (0..n)
        .map(|_| {
            let u = rng::uniform(&mut s) * total;
            let mut acc = 0.0;
            for (p, w) in r.particles.iter().zip(&r.weights) {
                acc += w;
                if acc > u {
                    return p[k];
                }
            }
            r.particles[r.particles.len() - 1][k]
        })
        .collect()
}

/// Coverage and SBC ranks of one campaign.
#[derive(Debug, Default)]
struct Calibration {
    datasets: usize,
    /// Per key: datasets whose 95% interval contains the truth.
    covered: Vec<usize>,
    /// Per key: rank of the truth among `RANK_DRAWS` posterior draws.
    ranks: Vec<Vec<usize>>,
    /// Per key: mean interval width.
    width: Vec<f64>,
    simulations: u64,
}

/// Posterior draws per dataset for the SBC rank (ranks 0..=19: 20 values).
const RANK_DRAWS: usize = 19;
/// Rank bins of the chi-square test (4 ranks each).
const BINS: usize = 5;

impl Calibration {
    fn add(&mut self, r: &AbcResult, truth: &[f64], dataset: u64) {
        if self.covered.is_empty() {
            self.covered = vec![0; truth.len()];
            self.ranks = vec![Vec::new(); truth.len()];
            self.width = vec![0.0; truth.len()];
        }
        self.datasets += 1;
        self.simulations += r.simulations;
        for (k, (_, e)) in r.estimates().iter().enumerate() {
            if e.covers(truth[k]) {
                self.covered[k] += 1;
            }
            self.width[k] += e.ci95_high - e.ci95_low;
            let draws = posterior_draws(r, k, RANK_DRAWS, 99, dataset);
            self.ranks[k].push(draws.iter().filter(|&&d| d < truth[k]).count());
        }
    }

    /// Pearson's chi-square of the rank histogram (BINS equal bins) against
    /// uniform, and its p-value (df = BINS − 1, by the regularised
    /// incomplete gamma via the chi-square CDF's series).
    fn chi_square(&self, k: usize) -> (f64, f64, Vec<usize>) {
        let mut counts = vec![0usize; BINS];
        for &r in &self.ranks[k] {
            counts[r * BINS / (RANK_DRAWS + 1)] += 1;
        }
        let e = self.datasets as f64 / BINS as f64;
        let x2: f64 = counts.iter().map(|&c| (c as f64 - e).powi(2) / e).sum();
        (x2, chi2_sf(x2, (BINS - 1) as f64), counts)
    }

    fn report(&self, names: &[&str]) -> String {
        let mut out = format!("datasets {}, simulations {}\n", self.datasets, self.simulations);
        for (k, n) in names.iter().enumerate() {
            let (x2, p, counts) = self.chi_square(k);
            out.push_str(&format!(
                "{n}: coverage {}/{} = {:.3}, mean 95% width {:.4}, SBC rank bins {counts:?}, chi2 {x2:.2} (df {}), p = {p:.3}\n",
                self.covered[k],
                self.datasets,
                self.covered[k] as f64 / self.datasets as f64,
                self.width[k] / self.datasets as f64,
                BINS - 1
            ));
        }
        out
    }
}

/// Upper tail of the chi-square law with `df` degrees of freedom: the
/// regularised upper incomplete gamma Q(df/2, x/2), by its series.
fn chi2_sf(x: f64, df: f64) -> f64 {
    let (a, z) = (df / 2.0, x / 2.0);
    if z <= 0.0 {
        return 1.0;
    }
    // P(a, z) = z^a e^{−z} / Γ(a+1) · Σ z^n / ((a+1)…(a+n)).
    let mut term = 1.0;
    let mut sum = 1.0;
    for n in 1..500 {
        term *= z / (a + n as f64);
        sum += term;
        if term < 1e-16 * sum {
            break;
        }
    }
    let ln_p = a * z.ln() - z - womsim::stats::ln_gamma(a + 1.0) + sum.ln();
    (1.0 - ln_p.exp()).max(0.0)
}

/// IC on cascades: `datasets` datasets, each of `cascades` cascades from one
/// random seed over 15 steps, p drawn from its prior.
fn ic_campaign(datasets: u64, cascades: usize, cfg: &AbcConfig) -> Calibration {
    let s = ic_scenario();
    let ks = keys(&["model.p"]);
    let prior = [Prior::Uniform { low: 0.05, high: 0.4 }];
    let world = FitWorld::new(&s, &ks, &prior).unwrap();
    let n = world.graph().len() as u64;
    let mut cal = Calibration::default();
    for d in 0..datasets {
        let mut r = rng::stream(1, TRUTH, &[d]);
        let truth = [prior[0].sample(&mut r)];
        let model = world.model_at(&truth).unwrap();
        let obs: Vec<CascadeObs> = (0..cascades)
            .map(|c| {
                let seeds = vec![rng::below(&mut r, n) as u32];
                let t = world.simulate(&model, &seeds, rng::derive_key(1, TRUTH, &[d, c as u64]), 15);
                CascadeObs { seeds, sizes: (0..=15).map(|st| t.get(st, Metric::Reached)).collect() }
            })
            .collect();
        let fit = CascadeFit::new(&world, obs).unwrap();
        let res =
            abc_smc(&ks, &prior, &|th, k| fit.distance(th, k), &AbcConfig { seed: 1000 + d, ..cfg.clone() }, &|_| {});
        cal.add(&res, &truth, d);
    }
    cal
}

/// The chain model on a 20-step curve of reached and acted: share.good and
/// act drawn from their priors.
fn chain_campaign(datasets: u64, cfg: &AbcConfig) -> Calibration {
    let s = chain_scenario();
    let ks = keys(&["model.share.good", "model.act"]);
    let prior = [Prior::Uniform { low: 0.01, high: 0.15 }, Prior::Uniform { low: 0.02, high: 0.4 }];
    let world = FitWorld::new(&s, &ks, &prior).unwrap();
    let seeds = world.seeds(None).unwrap();
    let steps: Vec<u32> = (1..=20).collect();
    let metrics = vec![Metric::Reached, Metric::Acted];
    let mut cal = Calibration::default();
    for d in 0..datasets {
        let mut r = rng::stream(2, TRUTH, &[d]);
        let truth = [prior[0].sample(&mut r), prior[1].sample(&mut r)];
        let model = world.model_at(&truth).unwrap();
        let t = world.simulate(&model, &seeds, rng::derive_key(2, TRUTH, &[d]), 20);
        let values = metrics.iter().map(|m| steps.iter().map(|&st| t.get(st, *m)).collect()).collect();
        let data = CurveData { metrics: metrics.clone(), steps: steps.clone(), values };
        let fit = CurveFit::new(&world, data, 1.0, None, 1).unwrap();
        let res =
            abc_smc(&ks, &prior, &|th, k| fit.distance(th, k), &AbcConfig { seed: 2000 + d, ..cfg.clone() }, &|_| {});
        cal.add(&res, &truth, d);
    }
    cal
}

/// `particles` particles and `budget` simulations per particle.
fn calibration_cfg(particles: usize, budget: u64) -> AbcConfig {
    AbcConfig {
        particles,
        max_simulations: budget * particles as u64,
        min_acceptance: 0.02,
        tolerance: None,
        quantile: 0.5,
        max_generations: 10,
        seed: 0,
    }
}

/// Reduced campaign for CI: 30 IC datasets and 20 chain datasets, 100
/// particles and at most 10,000 simulations each. A calibrated 95% interval
/// covers the truth in fewer than 25 of 30 with probability 0.016 and in
/// fewer than 17 of 20 with probability 0.016 (binomial), hence the bounds.
/// ABC's intervals are conservative (ε > 0 widens the posterior), so
/// coverage may reach 100%. The SBC rank test (chi-square on 5 bins,
/// α = 0.01) is asserted for IC; for the chain model's curve the reduced run
/// is too small to judge it and the full campaign reports it
/// (docs/FIT_VALIDATION.md).
#[test]
fn calibration_reduced() {
    let ic = ic_campaign(30, 20, &calibration_cfg(100, 100));
    let text = ic.report(&["p"]);
    eprintln!("{text}");
    assert!(ic.covered[0] >= 25, "{text}");
    assert!(ic.chi_square(0).1 > 0.01, "{text}");
    let chain = chain_campaign(20, &calibration_cfg(100, 100));
    let text = chain.report(&["share.good", "act"]);
    eprintln!("{text}");
    assert!(chain.covered.iter().all(|&c| c >= 17), "{text}");
}

/// Asserts the issue's calibration targets: coverage in 90–99% and rank
/// uniformity not rejected at α = 0.01 (reported either way).
fn check_full(cal: &Calibration, names: &[&str]) {
    for (k, name) in names.iter().enumerate() {
        let cov = cal.covered[k] as f64 / cal.datasets as f64;
        assert!((0.90..=0.99).contains(&cov), "{name}: coverage {cov}");
        assert!(cal.chi_square(k).1 > 0.01, "{name}: SBC ranks not uniform");
    }
}

/// Full campaign, IC on cascades (100 datasets, 200 particles), reported in
/// docs/FIT_VALIDATION.md, "ABC":
/// `cargo test --test fit_abc calibration_full -- --ignored --nocapture --test-threads=1` (the test profile is optimized).
#[test]
#[ignore]
fn calibration_full_ic() {
    let t = Instant::now();
    let ic = ic_campaign(100, 20, &calibration_cfg(200, 100));
    eprintln!("IC on cascades ({:.0} s):\n{}", t.elapsed().as_secs_f64(), ic.report(&["p"]));
    check_full(&ic, &["p"]);
}

/// Full campaign, chain-model curve (100 datasets, 150 particles).
#[test]
#[ignore]
fn calibration_full_chain() {
    let t = Instant::now();
    let chain = chain_campaign(100, &calibration_cfg(150, 100));
    eprintln!("chain curve ({:.0} s):\n{}", t.elapsed().as_secs_f64(), chain.report(&["share.good", "act"]));
    check_full(&chain, &["share.good", "act"]);
}

/// The speed requirement: a 3-parameter chain-model fit to a 30-step curve on
/// magic_middle's 10,000-node network with the default configuration.
/// `cargo test --release --test fit_abc timing -- --ignored --nocapture`.
#[test]
#[ignore]
fn timing_chain_curve_magic_middle() {
    let s = womsim::scenario::load(std::path::Path::new("scenarios/magic_middle.toml")).unwrap();
    let ks = keys(&["model.share.good", "model.share.bad", "model.act"]);
    let prior = [
        Prior::Uniform { low: 0.002, high: 0.05 },
        Prior::Uniform { low: 0.002, high: 0.05 },
        Prior::Uniform { low: 0.02, high: 0.4 },
    ];
    let t0 = Instant::now();
    let world = FitWorld::new(&s, &ks, &prior).unwrap();
    let truth = [0.01, 0.015, 0.1];
    let model = world.model_at(&truth).unwrap();
    let seeds = world.seeds(None).unwrap();
    let steps: Vec<u32> = (1..=30).collect();
    let metrics = vec![Metric::Reached, Metric::ReachedBad, Metric::Acted];
    let t = world.simulate(&model, &seeds, 4242, 30);
    let values = metrics.iter().map(|m| steps.iter().map(|&st| t.get(st, *m)).collect()).collect();
    let fit = CurveFit::new(&world, CurveData { metrics, steps, values }, 1.0, None, 1).unwrap();
    let setup = t0.elapsed().as_secs_f64();
    let t1 = Instant::now();
    let cfg = AbcConfig::default();
    let res = abc_smc(&ks, &prior, &|th, k| fit.distance(th, k), &cfg, &|_| {});
    let wall = t1.elapsed().as_secs_f64();
    eprintln!(
        "threads {}, setup {setup:.2} s, ABC {wall:.1} s, {} simulations ({:.0}/s), stop {:?}, ESS {:.0}",
        rayon::current_num_threads(),
        res.simulations,
        res.simulations as f64 / wall,
        res.stop,
        res.ess
    );
    for g in &res.generations {
        eprintln!("  {g:?}");
    }
    for (k, e) in res.estimates() {
        eprintln!("  {k}: {e:?}");
    }
    assert_ne!(res.stop, StopReason::Tolerance);
}

// ------------------------------------------------- IC likelihood vs ABC

/// One IC cascade from `seed`, simulated here independently of the engine:
/// each node activated at step t tries each listener once at t + 1 (a node
/// reached by several tries in one step activates if any succeeds).
fn ic_events(g: &Graph, p: f64, seed: u32, horizon: u32, r: &mut rng::Rng64) -> Vec<(u32, u32)> {
    let mut active = vec![false; g.len()];
    active[seed as usize] = true;
    let mut events = vec![(seed, 0)];
    let mut frontier = vec![seed];
    for t in 1..=horizon {
        let mut next = Vec::new();
        for &u in &frontier {
            for &v in g.listeners(u) {
                if !active[v as usize] && rng::coin(r, p) {
                    active[v as usize] = true;
                    next.push(v);
                    events.push((v, t));
                }
            }
        }
        frontier = next;
    }
    events
}

/// The exact likelihood's profile interval (fit-core's `fit_ic_mle`) and the
/// ABC posterior on the same cascades: the MLE lies inside the ABC 95%
/// interval, the ABC median inside the likelihood interval, and the widths
/// are of the same order (ABC uses summaries, not the full likelihood, so
/// its interval may be wider but not by more than 3×).
#[test]
fn ic_likelihood_and_abc_agree() {
    let s = ic_scenario();
    let ks = keys(&["model.p"]);
    let prior = [Prior::Uniform { low: 0.02, high: 0.5 }];
    let world = FitWorld::new(&s, &ks, &prior).unwrap();
    let g = world.graph();
    const H: u32 = 15;
    for (i, p) in [0.08, 0.15, 0.3].into_iter().enumerate() {
        let mut r = rng::stream(4, TRUTH, &[i as u64]);
        let raw: Vec<Vec<(u32, u32)>> =
            (0..60).map(|_| ic_events(g, p, rng::below(&mut r, g.len() as u64) as u32, H, &mut r)).collect();
        let cascades: Vec<Cascade> = raw
            .iter()
            .enumerate()
            .map(|(c, ev)| {
                let mut events: Vec<Event> = ev.iter().map(|&(node, step)| Event { node, step, line: c + 1 }).collect();
                events.sort_by_key(|e| (e.step, e.node));
                Cascade { id: c.to_string(), events }
            })
            .collect();
        let mle = fit_ic_mle_with(g, &cascades, &IcMleOptions { observed_until: Some(H) }).unwrap().p;
        let obs: Vec<CascadeObs> = cascades.iter().map(|c| CascadeObs::from_cascade(c).unwrap().padded(H)).collect();
        let fit = CascadeFit::new(&world, obs).unwrap();
        let cfg = AbcConfig {
            particles: 300,
            max_simulations: 60_000,
            max_generations: 10,
            seed: 40 + i as u64,
            ..calibration_cfg(300, 200)
        };
        let res = abc_smc(&ks, &prior, &|th, k| fit.distance(th, k), &cfg, &|_| {});
        let abc = res.estimates()[0].1;
        let ratio = (abc.ci95_high - abc.ci95_low) / (mle.ci95_high - mle.ci95_low);
        eprintln!(
            "p = {p}: MLE {:.4} [{:.4}, {:.4}]; ABC median {:.4} [{:.4}, {:.4}] ({} simulations, ε {:.3}, {:?}); width ratio {ratio:.2}",
            mle.estimate,
            mle.ci95_low,
            mle.ci95_high,
            abc.estimate,
            abc.ci95_low,
            abc.ci95_high,
            res.simulations,
            res.generations.last().unwrap().tolerance,
            res.stop
        );
        assert!(abc.covers(mle.estimate), "MLE {mle:?} outside ABC {abc:?}");
        assert!(mle.covers(abc.estimate), "ABC median {abc:?} outside the likelihood interval {mle:?}");
        assert!((0.5..=3.0).contains(&ratio), "width ratio {ratio}");
    }
}
