//! Out of sample on real data (issue 22 §4): fit the independent-cascade p
//! on the Stack Exchange Android training (+ validation) cascades, predict
//! the test cascades by simulation, and score the prediction against a naive
//! baseline (the training cascades' empirical sizes and mean growth). The
//! numbers are printed and written down in docs/FIT_VALIDATION.md; only what
//! holds by construction is asserted.
//!
//! Reproduce: `cargo test --release --test fit_stackexchange -- --nocapture`.

// Index loops read like the formulas they implement.
#![allow(clippy::needless_range_loop)]

use std::path::{Path, PathBuf};

use rand::Rng as _;
use womsim::fit::cascades::{read_cascades_lines_with, Cascade, CascadeOptions, CascadeSet, UnknownNodes};
use womsim::fit::ic_mle::fit_ic_mle;
use womsim::graph::{edgelist, Graph};
use womsim::rng::{purpose, stream, Rng64};

const DAY: f64 = 86_400.0;
const REPLICATES: u64 = 200;
/// Steps (days) at which growth is compared.
const CHECKPOINTS: [u32; 7] = [0, 1, 7, 30, 90, 365, 1000];

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/data").join(name)
}

fn read(graph: &Graph, split: &str, step_length: f64) -> CascadeSet {
    let path = data(&format!("stackexchange_android_{split}.txt.gz"));
    read_cascades_lines_with(&path, graph, &CascadeOptions { step_length, unknown: UnknownNodes::Skip }).unwrap()
}

fn uniform(r: &mut Rng64) -> f64 {
    (r.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// Discrete-time IC from `seeds` for `horizon` steps: cumulative size at
/// each checkpoint (later checkpoints carry the last size) and at the horizon.
fn simulate_growth(g: &Graph, seeds: &[u32], p: f64, horizon: u32, r: &mut Rng64) -> (Vec<f64>, f64) {
    let mut active = vec![false; g.len()];
    let mut frontier: Vec<u32> = Vec::new();
    for &s in seeds {
        if !active[s as usize] {
            active[s as usize] = true;
            frontier.push(s);
        }
    }
    let mut size = frontier.len();
    let mut by_step = vec![size];
    let mut t = 0;
    while !frontier.is_empty() && t < horizon {
        t += 1;
        let mut next = Vec::new();
        for &u in &frontier {
            for &v in g.listeners(u) {
                if !active[v as usize] && uniform(r) < p {
                    active[v as usize] = true;
                    next.push(v);
                }
            }
        }
        size += next.len();
        by_step.push(size);
        frontier = next;
    }
    let growth = CHECKPOINTS.iter().map(|&c| by_step[(c.min(horizon) as usize).min(by_step.len() - 1)] as f64);
    (growth.collect(), size as f64)
}

/// Observed cumulative size at each checkpoint (capped at the last step).
fn observed_growth(c: &Cascade) -> Vec<f64> {
    CHECKPOINTS.iter().map(|&s| c.events.iter().filter(|e| e.step <= s).count() as f64).collect()
}

/// CRPS of the ensemble `xs` for the outcome `y` (lower is better):
/// E|X − y| − ½·E|X − X'|.
fn crps(xs: &[f64], y: f64) -> f64 {
    let mut s = xs.to_vec();
    s.sort_by(f64::total_cmp);
    let m = s.len() as f64;
    let e1 = s.iter().map(|x| (x - y).abs()).sum::<f64>() / m;
    let e2 = s.iter().enumerate().map(|(i, x)| (2.0 * i as f64 - m + 1.0) * x).sum::<f64>() * 2.0 / (m * m);
    e1 - 0.5 * e2
}

/// Two-sample Kolmogorov–Smirnov distance.
fn ks(a: &[f64], b: &[f64]) -> f64 {
    let (mut a, mut b) = (a.to_vec(), b.to_vec());
    a.sort_by(f64::total_cmp);
    b.sort_by(f64::total_cmp);
    let mut d: f64 = 0.0;
    for &x in a.iter().chain(&b) {
        let fa = a.partition_point(|&v| v <= x) as f64 / a.len() as f64;
        let fb = b.partition_point(|&v| v <= x) as f64 / b.len() as f64;
        d = d.max((fa - fb).abs());
    }
    d
}

fn median(xs: &[f64]) -> f64 {
    let mut s = xs.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    if n % 2 == 1 {
        s[n / 2]
    } else {
        0.5 * (s[n / 2 - 1] + s[n / 2])
    }
}

#[test]
fn stack_exchange_out_of_sample() {
    let graph = edgelist::load(&data("stackexchange_android_graph.txt.gz"), false).unwrap();
    // 9,958 declared ids, of which 9,940 appear in an edge; 48,573 lines, of which
    // 5,658 pairs are listed both ways.
    assert_eq!((graph.n(), graph.num_edges()), (9940, 48573 - 5658));

    // Sensitivity of the fit to the step length.
    for days in [1.0, 7.0, 30.0] {
        let mut fit_set = read(&graph, "train", days * DAY).cascades;
        fit_set.extend(read(&graph, "val", days * DAY).cascades);
        let f = fit_ic_mle(&graph, &fit_set).unwrap();
        println!(
            "step = {days} day(s): p̂ = {:.6} [{:.6}, {:.6}], exposures {}, explained activations {}, exogenous {}",
            f.p.estimate, f.p.ci95_low, f.p.ci95_high, f.exposures, f.activations, f.exogenous
        );
        assert!(f.p.covers(f.p.estimate));
    }

    let train = read(&graph, "train", DAY);
    let val = read(&graph, "val", DAY);
    let test = read(&graph, "test", DAY);
    let counts = |s: &CascadeSet| (s.cascades.len(), s.skipped_rows, s.skipped_ids, s.duplicates);
    println!(
        "train {:?} val {:?} test {:?} (cascades, skipped rows, skipped ids, duplicates)",
        counts(&train),
        counts(&val),
        counts(&test)
    );
    assert_eq!((train.cascades.len(), val.cascades.len(), test.cascades.len()), (475, 68, 136));
    let mut fit_set = train.cascades.clone();
    fit_set.extend(val.cascades.iter().cloned());
    let fit = fit_ic_mle(&graph, &fit_set).unwrap();
    let p = fit.p.estimate;
    assert!(fit.p.ci95_low <= p && p <= fit.p.ci95_high);
    assert_eq!(fit.cascades, 543);

    // Baseline: the fitting cascades' empirical sizes and mean growth.
    let base_sizes: Vec<f64> = fit_set.iter().map(|c| c.size() as f64).collect();
    let base_growth: Vec<f64> = (0..CHECKPOINTS.len())
        .map(|k| fit_set.iter().map(|c| observed_growth(c)[k]).sum::<f64>() / fit_set.len() as f64)
        .collect();
    let base_median = median(&base_sizes);

    let (mut crps_ic, mut crps_base) = (0.0, 0.0);
    let (mut mae_log_ic, mut mae_log_base) = (0.0, 0.0);
    let (mut growth_ic, mut growth_base) = (vec![0.0; CHECKPOINTS.len()], vec![0.0; CHECKPOINTS.len()]);
    let mut pooled_ic = Vec::new();
    let test_sizes: Vec<f64> = test.cascades.iter().map(|c| c.size() as f64).collect();
    for (i, c) in test.cascades.iter().enumerate() {
        let seeds: Vec<u32> = c.seeds().collect();
        let obs = observed_growth(c);
        let y = c.size() as f64;
        let mut sizes = Vec::with_capacity(REPLICATES as usize);
        let mut mean_growth = vec![0.0; CHECKPOINTS.len()];
        for rep in 0..REPLICATES {
            let mut r = stream(22, purpose::FIT_SYNTHETIC, &[3, i as u64, rep]);
            // Simulated up to the test cascade's own last step, like the observation.
            let (g, size) = simulate_growth(&graph, &seeds, p, c.last_step(), &mut r);
            sizes.push(size);
            for k in 0..CHECKPOINTS.len() {
                mean_growth[k] += g[k] / REPLICATES as f64;
            }
        }
        crps_ic += crps(&sizes, y);
        crps_base += crps(&base_sizes, y);
        mae_log_ic += (median(&sizes).ln() - y.ln()).abs();
        mae_log_base += (base_median.ln() - y.ln()).abs();
        for k in 0..CHECKPOINTS.len() {
            growth_ic[k] += (mean_growth[k] - obs[k]).abs();
            growth_base[k] += (base_growth[k] - obs[k]).abs();
        }
        pooled_ic.extend(sizes);
    }
    let n = test.cascades.len() as f64;
    let ks_ic = ks(&pooled_ic, &test_sizes);
    let ks_base = ks(&base_sizes, &test_sizes);
    println!(
        "IC fit (step = 1 day): p̂ = {p:.6} [{:.6}, {:.6}], ℓ = {:.3}, exposures {}, activations {}, exogenous {}",
        fit.p.ci95_low, fit.p.ci95_high, fit.log_likelihood, fit.exposures, fit.activations, fit.exogenous
    );
    let min = |xs: &[f64]| xs.iter().copied().fold(f64::INFINITY, f64::min);
    let max = |xs: &[f64]| xs.iter().copied().fold(0.0, f64::max);
    println!(
        "test sizes: mean {:.2}, median {}, min {}",
        test_sizes.iter().sum::<f64>() / n,
        median(&test_sizes),
        min(&test_sizes)
    );
    println!(
        "IC predicted sizes: mean {:.3}, median {}, max {}",
        pooled_ic.iter().sum::<f64>() / pooled_ic.len() as f64,
        median(&pooled_ic),
        max(&pooled_ic)
    );
    println!("size CRPS: IC {:.3}, baseline {:.3}", crps_ic / n, crps_base / n);
    println!("size KS distance: IC {ks_ic:.3}, baseline {ks_base:.3}");
    println!("MAE of log size (predictive median): IC {:.3}, baseline {:.3}", mae_log_ic / n, mae_log_base / n);
    for (k, day) in CHECKPOINTS.iter().enumerate() {
        println!("growth MAE at day {day}: IC {:.3}, baseline {:.3}", growth_ic[k] / n, growth_base[k] / n);
    }
    for v in [crps_ic, crps_base, mae_log_ic, mae_log_base, ks_ic, ks_base] {
        assert!(v.is_finite() && v >= 0.0);
    }
    assert!((0.0..=1.0).contains(&ks_ic) && (0.0..=1.0).contains(&ks_base));
}
