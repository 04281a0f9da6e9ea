//! Validation of the independent-cascade maximum likelihood (issue 22 §4):
//! against a brute-force grid over a plainly written likelihood, the closed
//! form on a star, and calibration of the 95% interval on synthetic cascades.

// Index loops read like the formulas they implement.
#![allow(clippy::needless_range_loop)]

use rand::Rng as _;
use womsim::fit::cascades::{Cascade, Event};
use womsim::fit::ic_mle::{fit_ic_mle, fit_ic_mle_with, sufficient_statistics, IcMleOptions, CHI2_1_95};
use womsim::fit::FitError;
use womsim::graph::generators::{generate, GeneratorSpec};
use womsim::graph::{Graph, Labels};
use womsim::rng::{purpose, stream, Rng64};

fn uniform(r: &mut Rng64) -> f64 {
    (r.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

fn cascade(id: &str, mut ev: Vec<(u32, u32)>) -> Cascade {
    ev.sort_by_key(|&(node, step)| (step, node));
    Cascade { id: id.into(), events: ev.into_iter().map(|(node, step)| Event { node, step, line: 0 }).collect() }
}

/// A plain discrete-time IC simulation written here (not the engine's):
/// each node activated at step t tries each listener once at t + 1.
/// Observed up to `horizon` steps.
fn simulate(g: &Graph, seed: u32, p: f64, horizon: u32, r: &mut Rng64) -> Cascade {
    let mut step_of = vec![u32::MAX; g.len()];
    step_of[seed as usize] = 0;
    let mut events = vec![(seed, 0)];
    let mut frontier = vec![seed];
    for t in 1..=horizon {
        let mut next = Vec::new();
        for &u in &frontier {
            for &v in g.listeners(u) {
                if step_of[v as usize] == u32::MAX && uniform(r) < p {
                    step_of[v as usize] = t;
                    next.push(v);
                    events.push((v, t));
                }
            }
        }
        frontier = next;
    }
    cascade("sim", events)
}

/// `(k, activated)` for every (node, step) with k ≥ 1 exposures, computed
/// from the *sources* of each node (the reverse view), step by step.
fn exposure_pairs(g: &Graph, cascades: &[Cascade], horizon: Option<u32>) -> (Vec<(u32, bool)>, u64) {
    let mut pairs = Vec::new();
    let mut exogenous = 0;
    for c in cascades {
        let first = c.events[0].step;
        let last = horizon.map_or(c.last_step(), |h| first + h);
        let mut step_of = vec![u32::MAX; g.len()];
        for e in &c.events {
            if e.step <= last {
                step_of[e.node as usize] = e.step;
            }
        }
        for t in first + 1..=last {
            for v in 0..g.n() {
                if step_of[v as usize] < t {
                    continue; // already active
                }
                let k = g.sources(v).iter().filter(|&&u| step_of[u as usize] == t - 1).count() as u32;
                let activated = step_of[v as usize] == t;
                if k > 0 {
                    pairs.push((k, activated));
                } else if activated {
                    exogenous += 1;
                }
            }
        }
    }
    (pairs, exogenous)
}

fn plain_loglik(pairs: &[(u32, bool)], p: f64) -> f64 {
    pairs
        .iter()
        .map(|&(k, hit)| {
            let fail = (1.0 - p).powi(k as i32);
            if hit {
                (1.0 - fail).ln()
            } else {
                fail.ln()
            }
        })
        .sum()
}

fn follower_graph() -> Graph {
    generate(&GeneratorSpec::Follower { nodes: 300, follows: 4, reciprocity: 0.3 }, 11).unwrap()
}

#[test]
fn mle_equals_a_brute_force_grid_maximum() {
    let g = follower_graph();
    assert!(g.is_directed());
    let mut r = stream(5, purpose::FIT_SYNTHETIC, &[10]);
    let cascades: Vec<Cascade> = (0..40).map(|i| simulate(&g, (i * 7) % 300, 0.2, 6, &mut r)).collect();
    for horizon in [None, Some(6)] {
        let fit = fit_ic_mle_with(&g, &cascades, &IcMleOptions { observed_until: horizon }).unwrap();
        let (pairs, exogenous) = exposure_pairs(&g, &cascades, horizon);
        assert_eq!(fit.exposures, pairs.iter().map(|p| u64::from(p.0)).sum::<u64>());
        assert_eq!(fit.activations, pairs.iter().filter(|p| p.1).count() as u64);
        assert_eq!(fit.exogenous, exogenous);
        assert_eq!(exogenous, 0, "simulated IC cascades have no exogenous activation");
        // Coarse grid, then a fine grid around its best point.
        let best = |lo: f64, step: f64, n: usize| {
            (0..=n).map(|i| lo + step * i as f64).filter(|&p| p > 0.0 && p < 1.0).fold(
                (0.0, f64::NEG_INFINITY),
                |b, p| {
                    let l = plain_loglik(&pairs, p);
                    if l > b.1 {
                        (p, l)
                    } else {
                        b
                    }
                },
            )
        };
        let (coarse, _) = best(0.0, 1e-3, 1000);
        let (grid_p, grid_l) = best(coarse - 1e-3, 1e-7, 20_000);
        let p_hat = fit.p.estimate;
        assert!((p_hat - grid_p).abs() < 2e-7, "{horizon:?}: MLE {p_hat} vs grid {grid_p}");
        assert!(plain_loglik(&pairs, p_hat) >= grid_l - 1e-9);
        assert!((fit.log_likelihood - plain_loglik(&pairs, p_hat)).abs() < 1e-8 * grid_l.abs());
        // Interval ends: ℓ drops by χ²₁(0.95)/2 there, and not before.
        let target = grid_l - 0.5 * CHI2_1_95;
        for end in [fit.p.ci95_low, fit.p.ci95_high] {
            assert!((plain_loglik(&pairs, end) - target).abs() < 1e-6, "{horizon:?}: end {end}");
        }
        assert!(plain_loglik(&pairs, fit.p.ci95_low - 1e-6) < target);
        assert!(plain_loglik(&pairs, fit.p.ci95_high + 1e-6) < target);
        assert!(fit.p.ci95_low < p_hat && p_hat < fit.p.ci95_high);
        println!("{horizon:?}: p̂ = {p_hat:.6} [{:.6}, {:.6}] (truth 0.2)", fit.p.ci95_low, fit.p.ci95_high);
    }
}

#[test]
fn star_has_the_binomial_closed_form() {
    // Directed star 0 → 1..=20: every exposure is single (k = 1).
    let edges: Vec<(u32, u32)> = (1..=20).map(|v| (0, v)).collect();
    let g = Graph::from_edges(21, true, &edges, None, Labels::Dense).unwrap();
    let c1 = cascade("a", vec![(0, 0), (3, 1), (5, 1), (9, 1)]);
    let c2 = cascade("b", vec![(0, 0), (1, 1)]);
    // Leaf 7 at step 2 has no exposure (leaves do not talk): exogenous.
    let c3 = cascade("c", vec![(0, 0), (2, 1), (7, 2)]);
    let fit = fit_ic_mle(&g, &[c1, c2, c3.clone()]).unwrap();
    assert_eq!((fit.activations, fit.exposures, fit.exogenous), (5, 60, 1));
    assert!((fit.p.estimate - 5.0 / 60.0).abs() < 1e-15);
    // The binomial likelihood-ratio interval, from the closed-form likelihood.
    let l = |p: f64| 5.0 * p.ln() + 55.0 * (1.0 - p).ln();
    let target = l(5.0 / 60.0) - 0.5 * CHI2_1_95;
    assert!((l(fit.p.ci95_low) - target).abs() < 1e-9 && (l(fit.p.ci95_high) - target).abs() < 1e-9);
    // se from the observed information of a binomial: √(p(1−p)/n).
    let se = (5.0 / 60.0 * (55.0 / 60.0) / 60.0f64).sqrt();
    assert!((fit.p.se.unwrap() - se).abs() < 1e-12);
    // Only the seed observed: no exposure before the last step, nothing to fit.
    let e = fit_ic_mle(&g, &[cascade("d", vec![(0, 0)])]).unwrap_err();
    assert!(matches!(e, FitError::NoData(_)), "{e}");
    assert!(matches!(fit_ic_mle(&g, &[]), Err(FitError::NoData(_))));
    // With a horizon of one step the same seed-only cascade is 20 failures:
    // p̂ = 0 on the boundary, the interval [0, 1 − e^{−1.92/20}].
    let fit = fit_ic_mle_with(&g, &[cascade("d", vec![(0, 0)])], &IcMleOptions { observed_until: Some(1) }).unwrap();
    assert_eq!(fit.p.estimate, 0.0);
    assert_eq!(fit.p.se, None);
    let high = 1.0 - (-0.5 * CHI2_1_95 / 20.0f64).exp();
    assert!((fit.p.ci95_high - high).abs() < 1e-12 && fit.p.ci95_low == 0.0);
}

/// Φ(x) from erfc (Numerical Recipes' erfcc, fractional error < 1.2e-7).
fn normal_cdf(x: f64) -> f64 {
    let z = x.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98 + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let erfc = t * poly.exp();
    if x >= 0.0 {
        1.0 - 0.5 * erfc
    } else {
        0.5 * erfc
    }
}

/// Calibration over `n` synthetic cascade sets on a fixed Erdős–Rényi graph
/// (300 nodes, mean degree 4): p ~ U(0.05, 0.3), 20 cascades from one
/// random seed each, observed for 8 steps. Returns the coverage of the
/// profile interval with the true horizon, with the default horizon (each
/// cascade's last step), and the χ² statistic (9 df) of the truth's ranks
/// under the profile-likelihood approximation, in 10 bins.
fn ic_calibration(n: u64) -> (f64, f64, f64) {
    let g = generate(&GeneratorSpec::ErdosRenyi { nodes: 300, mean_degree: 4.0 }, 3).unwrap();
    let (mut hit, mut hit_default, mut bins) = (0u64, 0u64, [0u64; 10]);
    for i in 0..n {
        let mut r = stream(2026, purpose::FIT_SYNTHETIC, &[2, i]);
        let p = 0.05 + 0.25 * uniform(&mut r);
        let cascades: Vec<Cascade> = (0..20)
            .map(|_| {
                let seed = (uniform(&mut r) * 300.0) as u32;
                simulate(&g, seed, p, 8, &mut r)
            })
            .collect();
        let opts = IcMleOptions { observed_until: Some(8) };
        let fit = fit_ic_mle_with(&g, &cascades, &opts).unwrap();
        hit += u64::from(fit.p.covers(p));
        hit_default += u64::from(fit_ic_mle(&g, &cascades).unwrap().p.covers(p));
        // Rank of the truth under the profile-likelihood approximation: the
        // signed root of the likelihood ratio, r = sign(p − p̂)·√(2(ℓ(p̂) − ℓ(p))),
        // is approximately standard normal, so Φ(r) is the truth's rank.
        let stats = sufficient_statistics(&g, &cascades, &opts);
        let r = (p - fit.p.estimate).signum() * (2.0 * (fit.log_likelihood - stats.log_likelihood(p))).max(0.0).sqrt();
        let u = normal_cdf(r);
        bins[((u * 10.0) as usize).min(9)] += 1;
    }
    let expected = n as f64 / 10.0;
    let chi2 = bins.iter().map(|&b| (b as f64 - expected).powi(2) / expected).sum();
    println!("{n} data sets: ranks per decile {bins:?}");
    (hit as f64 / n as f64, hit_default as f64 / n as f64, chi2)
}

/// χ²₉ 0.99 quantile: ranks are rejected as non-uniform at the 1% level above it.
const CHI2_9_99: f64 = 21.666;

#[test]
fn profile_intervals_are_calibrated() {
    let (coverage, coverage_default, chi2) = ic_calibration(200);
    println!("200 sets: coverage {coverage} (true horizon), {coverage_default} (last step); rank χ²₉ = {chi2:.2}");
    assert!((0.90..=0.99).contains(&coverage), "{coverage}");
    assert!(chi2 < CHI2_9_99, "ranks not uniform: χ²₉ = {chi2}");
}

#[test]
#[ignore = "full calibration campaign (1,000 cascade sets); run by .ci/run"]
fn profile_intervals_are_calibrated_full_campaign() {
    let (coverage, coverage_default, chi2) = ic_calibration(1000);
    println!("1000 sets: coverage {coverage} (true horizon), {coverage_default} (last step); rank χ²₉ = {chi2:.2}");
    assert!((0.90..=0.99).contains(&coverage), "{coverage}");
    assert!(chi2 < CHI2_9_99, "ranks not uniform: χ²₉ = {chi2}");
}
