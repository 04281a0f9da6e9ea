//! Classic models against their oracles (exact values on trees, percolation
//! final sizes, Bass closed forms).
//!
//! Every Monte Carlo comparison uses fixed seeds and a tolerance of at least
//! four standard errors computed from the sample standard deviation; each
//! expected value names its source. Random test graphs (Erdős–Rényi, random
//! regular, complete, ring) come from `graph::generators`, so these oracles
//! also check that the generators produce the ensembles they claim.

mod common;

use common::{generated, graph, path};
use womsim::graph::generators::GeneratorSpec;
use womsim::graph::Graph;
use womsim::metrics::{Metric, Trajectory};
use womsim::models::{
    self, ic, BassParams, EdgeProb, IcParams, IcnParams, LtParams, ModelSpec, ReplicateInput, SirParams,
};
use womsim::population::Population;
use womsim::rng;
use womsim::runner::dynamics_key;

// ---------------------------------------------------------------- helpers

/// Sample mean, standard error of the mean, and the sample itself's
/// (unbiased) variance with the standard error of that variance estimate
/// (sqrt((m4 − s⁴)/N), the large-sample formula).
struct Summary {
    n: f64,
    mean: f64,
    se: f64,
    var: f64,
    var_se: f64,
}

fn summary(xs: &[f64]) -> Summary {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    let m4 = xs.iter().map(|x| (x - mean).powi(4)).sum::<f64>() / n;
    Summary { n, mean, se: (var / n).sqrt(), var, var_se: ((m4 - var * var).max(0.0) / n).sqrt() }
}

/// Assert `mean` is within `k` standard errors (and at least `floor`) of
/// `expected`.
fn assert_close(what: &str, s: &Summary, expected: f64, k: f64, floor: f64) {
    let tol = (k * s.se).max(floor);
    eprintln!(
        "{what}: measured {:.5} ± {:.5} (se, n = {}), expected {expected:.5}, tolerance {tol:.5}",
        s.mean, s.se, s.n
    );
    assert!((s.mean - expected).abs() <= tol, "{what}: measured {} vs expected {expected} (tol {tol})", s.mean);
}

fn star(leaves: u32) -> Graph {
    let e: Vec<(u32, u32)> = (1..=leaves).map(|i| (0, i)).collect();
    graph(leaves as usize + 1, false, &e, None)
}

/// Runs replicates `0..reps` of `spec` (keys from `seed`) through the public
/// dispatcher, reusing one scratch, and maps each trajectory through `f`.
fn replicate<T>(
    spec: &ModelSpec,
    g: &Graph,
    seeds: &[u32],
    steps: u32,
    reps: u32,
    seed: u64,
    mut f: impl FnMut(&Trajectory) -> T,
) -> Vec<T> {
    let pop = Population::community(g.len());
    let mut scratch = models::Scratch::default();
    let mut out = Trajectory::new(steps);
    (0..reps)
        .map(|r| {
            let input = ReplicateInput { graph: g, population: &pop, seeds, dynamics_key: dynamics_key(seed, r) };
            models::simulate(spec, &input, &mut scratch, &mut out);
            f(&out)
        })
        .collect()
}

fn final_reached(t: &Trajectory) -> f64 {
    t.last()[Metric::Reached.idx()]
}

// ---------------------------------------------------------------- IC

#[test]
fn ic_star_exact_expected_reach() {
    let g = star(10);
    let spec = ModelSpec::IndependentCascade(IcParams { prob: EdgeProb::Uniform(0.3) });
    // Oracle: centre seed reaches 1 + Binomial(10, 0.3) → 1 + 10·0.3 = 4.0.
    let centre = summary(&replicate(&spec, &g, &[0], 5, 20_000, 1, final_reached));
    assert_close("IC star centre", &centre, 4.0, 4.0, 0.0);
    // Oracle: leaf seed: itself, the centre w.p. 0.3, then each of the other
    // 9 leaves w.p. 0.3 → 1 + 0.3 + 0.3·0.3·9 = 2.11.
    let leaf = summary(&replicate(&spec, &g, &[3], 5, 20_000, 2, final_reached));
    assert_close("IC star leaf", &leaf, 2.11, 4.0, 0.0);

    // Weighted cascade (p = 1/in-degree) is exact without sampling error:
    // centre → every leaf has in-degree 1 (reach 11); leaf → centre w.p. 1/10,
    // then all leaves: E = 1 + 0.1·10 = 2.0.
    let wc = ModelSpec::IndependentCascade(IcParams { prob: EdgeProb::InverseInDegree });
    let c = replicate(&wc, &g, &[0], 5, 100, 3, final_reached);
    assert!(c.iter().all(|&x| x == 11.0));
    let l = summary(&replicate(&wc, &g, &[3], 5, 20_000, 4, final_reached));
    assert_close("IC weighted-cascade star leaf", &l, 2.0, 4.0, 0.0);
}

/// Fraction reached by each replicate from one uniformly random seed, using
/// `ic::final_reach` (and, for the first few, checking the trajectory path).
fn ic_outbreaks(g: &Graph, p: f64, reps: u32, seed: u64) -> Vec<f64> {
    let params = IcParams { prob: EdgeProb::Uniform(p) };
    let mut s = ic::Scratch::new(g.len());
    let mut pick = rng::stream(seed, "test-seed-node", &[]);
    (0..reps)
        .map(|r| {
            let src = rng::below(&mut pick, u64::from(g.n())) as u32;
            let reach = ic::final_reach(&params, g, &[src], dynamics_key(seed, r), &mut s);
            f64::from(reach) / g.len() as f64
        })
        .collect()
}

#[test]
fn ic_erdos_renyi_large_outbreaks_match_bond_percolation() {
    let n = 100_000u32;
    let c = 4.0;
    let g = generated(GeneratorSpec::ErdosRenyi { nodes: n, mean_degree: c }, 11);
    // Sanity of the test graph: mean degree within 1% of c.
    let mean_deg = g.num_arcs() as f64 / f64::from(n);
    assert!((mean_deg - c).abs() < 0.04 * c, "mean degree {mean_deg}");

    // final_reach and the trajectory path use the same draws.
    let spec = ModelSpec::IndependentCascade(IcParams { prob: EdgeProb::Uniform(0.5) });
    let traj = replicate(&spec, &g, &[7], 400, 3, 5, final_reached);
    let mut s = ic::Scratch::new(g.len());
    for (r, &t) in traj.iter().enumerate() {
        let fr =
            ic::final_reach(&IcParams { prob: EdgeProb::Uniform(0.5) }, &g, &[7], dynamics_key(5, r as u32), &mut s);
        assert_eq!(f64::from(fr), t);
    }

    // Oracle: IC from one seed = bond percolation with probability p; on ER
    // with mean degree c the giant component fraction solves
    // S = 1 − exp(−c·p·S) (Erdős–Rényi 1960; Newman 2002): c·p = 1.5 →
    // 0.5828, c·p = 2 → 0.7968 (fixed-point iteration gives 0.582812,
    // 0.796812). Outbreaks above 5% of n are "large"; small ones stay O(1).
    //
    // Outbreaks on one graph share its giant component, so their spread says
    // nothing about graph-to-graph variation; the main part of that is the
    // realised mean degree c' (sd ≈ 0.009 here, moving S by up to ~0.004),
    // so the simulation is compared with the fixed point at c'·p.
    let fixed_point = |x: f64| (0..10_000).fold(1.0f64, |s, _| 1.0 - (-x * s).exp());
    for (cp, expected) in [(1.5, 0.582_812), (2.0, 0.796_812)] {
        assert!((fixed_point(cp) - expected).abs() < 1e-6, "oracle value for c·p = {cp}");
        let expected = fixed_point(mean_deg * cp / c);
        let fr = ic_outbreaks(&g, cp / c, 60, 100 + (cp * 10.0) as u64);
        let large: Vec<f64> = fr.iter().copied().filter(|&x| x > 0.05).collect();
        assert!(large.len() >= 15, "c·p = {cp}: only {} large outbreaks", large.len());
        // Large-outbreak probability also equals S on ER (in = out component);
        // binomial se over 60 replicates, 4 se.
        let p_large = large.len() as f64 / fr.len() as f64;
        let se = (expected * (1.0 - expected) / fr.len() as f64).sqrt();
        eprintln!("IC ER c·p = {cp}: P(large) {p_large:.3}, expected {expected:.3} ± {se:.3}");
        assert!((p_large - expected).abs() <= 4.0 * se);
        // Finite-size bias of the giant component mean is O(1/n) = 1e-5; a
        // 0.001 floor covers it when the sample sd happens to be tiny.
        assert_close(&format!("IC ER large outbreak c·p = {cp}"), &summary(&large), expected, 4.0, 0.001);
    }
}

// ---------------------------------------------------------------- IC-N

#[test]
fn icn_path_exact_positives_and_active() {
    let g = path(6);
    let spec = ModelSpec::IcN(IcnParams { p: 0.5, quality: 0.8 });
    let res = replicate(&spec, &g, &[0], 10, 40_000, 21, |t| {
        (t.last()[Metric::ReachedGood.idx()], t.last()[Metric::Reached.idx()])
    });
    let pos: Vec<f64> = res.iter().map(|x| x.0).collect();
    let act: Vec<f64> = res.iter().map(|x| x.1).collect();
    // Oracle (Chen et al. 2011 on a path): node k (distance k from the seed)
    // is active w.p. 0.5^k and positive iff it and all k nodes before it drew
    // "positive": E[positives] = Σ_{k=0}^{5} 0.8·(0.5·0.8)^k = 1.327872,
    // E[active] = Σ_{k=0}^{5} 0.5^k = 1.96875.
    assert_close("IC-N path positives", &summary(&pos), 1.327_872, 4.0, 0.0);
    assert_close("IC-N path active", &summary(&act), 1.968_75, 4.0, 0.0);
}

#[test]
fn icn_active_set_is_distributed_as_ic_for_any_quality() {
    let g = generated(GeneratorSpec::ErdosRenyi { nodes: 3_000, mean_degree: 3.0 }, 31);
    let seeds = [0u32, 1, 2];
    let p = 0.4;
    let reps = 4_000;
    let ic_spec = ModelSpec::IndependentCascade(IcParams { prob: EdgeProb::Uniform(p) });
    let ic = summary(&replicate(&ic_spec, &g, &seeds, 200, reps, 41, final_reached));
    let mut per_q = Vec::new();
    for q in [0.2, 0.9] {
        let spec = ModelSpec::IcN(IcnParams { p, quality: q });
        per_q.push(replicate(&spec, &g, &seeds, 200, reps, 42, final_reached));
    }
    // Oracle 1 (exact, by construction of the draw protocol): coins never
    // look at valence, so for the same key the active set — hence its size —
    // is identical for every quality.
    assert_eq!(per_q[0], per_q[1]);
    // Oracle 2 (Chen et al. 2011, Lemma: IC-N's activated set is distributed
    // as IC's): mean and variance of the final active count agree with IC's
    // (independent keys, so the two samples are independent).
    let icn = summary(&per_q[0]);
    let se_mean = (ic.se.powi(2) + icn.se.powi(2)).sqrt();
    let se_var = (ic.var_se.powi(2) + icn.var_se.powi(2)).sqrt();
    eprintln!(
        "IC-N vs IC: mean {:.2} vs {:.2} (se of diff {se_mean:.2}); var {:.1} vs {:.1} (se of diff {se_var:.1})",
        icn.mean, ic.mean, icn.var, ic.var
    );
    assert!((icn.mean - ic.mean).abs() <= 4.0 * se_mean);
    assert!((icn.var - ic.var).abs() <= 4.0 * se_var);
}

#[test]
fn icn_active_set_equals_ic_replicate_by_replicate() {
    // Exact, by the shared SHARE protocol (`rng::tag::SHARE`): IC with
    // uniform p and IC-N draw the same geometric gaps from the same node
    // streams and never look at valence, so with the same keys their active
    // counts agree at every step, whatever the quality.
    let graphs = [
        generated(GeneratorSpec::ErdosRenyi { nodes: 3_000, mean_degree: 3.0 }, 31),
        generated(GeneratorSpec::BarabasiAlbert { nodes: 2_000, m: 4 }, 32),
        // Rows longer than 256 (the hubs of a star) exercise the long-row path.
        star(600),
    ];
    let steps = 60;
    let mut nontrivial = 0;
    for (gi, g) in graphs.iter().enumerate() {
        let seeds = [0u32, 1, 2];
        // 0.003: most first draws of the star's hub take the logarithm path.
        for p in [0.003, 0.01, 0.1, 0.4, 0.9] {
            let ic_spec = ModelSpec::IndependentCascade(IcParams { prob: EdgeProb::Uniform(p) });
            let icn_spec = ModelSpec::IcN(IcnParams { p, quality: 0.6 });
            let row = |t: &Trajectory| (0..=steps).map(|s| t.get(s, Metric::Reached)).collect::<Vec<f64>>();
            let ic = replicate(&ic_spec, g, &seeds, steps, 300, 50 + gi as u64, row);
            let icn = replicate(&icn_spec, g, &seeds, steps, 300, 50 + gi as u64, row);
            for (r, (a, b)) in ic.iter().zip(&icn).enumerate() {
                assert_eq!(a, b, "graph {gi} p {p} replicate {r}: IC vs IC-N reached per step");
                nontrivial += usize::from(a[steps as usize] > 20.0);
            }
        }
    }
    assert!(nontrivial > 500, "the comparison must include real cascades ({nontrivial})");
}

// ---------------------------------------------------------------- LT

/// A random recursive tree on `n` nodes with arcs parent → child (every node
/// but the root has in-degree 1) and weights in [0.3, 0.9]; returns the graph,
/// each node's parent and the weight of the arc into it.
fn out_tree(n: u32, seed: u64) -> (Graph, Vec<u32>, Vec<f64>) {
    let mut r = rng::stream(seed, "test-tree", &[]);
    let mut e = Vec::new();
    let mut w = Vec::new();
    let mut parent = vec![u32::MAX; n as usize];
    let mut win = vec![0.0; n as usize];
    for v in 1..n {
        let u = rng::below(&mut r, u64::from(v)) as u32;
        let x = (0.3 + 0.6 * rng::uniform(&mut r)) as f32;
        e.push((u, v));
        w.push(x);
        parent[v as usize] = u;
        win[v as usize] = f64::from(x);
    }
    (graph(n as usize, true, &e, Some(&w)), parent, win)
}

#[test]
fn lt_on_trees_equals_ic_exactly() {
    // Out-tree (each node hears only its parent), three seeds.
    let n = 300;
    let (g, parent, win) = out_tree(n, 51);
    let seeds = [0u32, 40, 170];
    // Oracle (exact IC on a tree): v is active iff a seed lies on its root
    // path and every arc from that seed down to v is live, so
    // P(v) = 1 for a seed, else w(parent(v), v)·P(parent(v)) (parents have
    // smaller ids). E[reach] = Σ_v P(v). LT ≡ IC here because every node has
    // a single source: LT activates v iff θ_v ≤ w = P(live) (Kempe et al.
    // 2003, Thm 2.5 live-edge equivalence).
    let mut pa = vec![0.0; n as usize];
    for v in 0..n as usize {
        pa[v] = if seeds.contains(&(v as u32)) {
            1.0
        } else if v == 0 {
            0.0
        } else {
            win[v] * pa[parent[v] as usize]
        };
    }
    let exact: f64 = pa.iter().sum();
    let lt = ModelSpec::LinearThreshold(LtParams { weights: EdgeProb::Weights });
    let ic = ModelSpec::IndependentCascade(IcParams { prob: EdgeProb::Weights });
    assert_close("LT out-tree", &summary(&replicate(&lt, &g, &seeds, 400, 20_000, 61, final_reached)), exact, 4.0, 0.0);
    assert_close("IC out-tree", &summary(&replicate(&ic, &g, &seeds, 400, 20_000, 62, final_reached)), exact, 4.0, 0.0);

    // In-tree (arcs child → parent, pointing at the root) with weights
    // 1/in-degree, one leaf seed: only the seed's root path can activate and
    // each node on it has exactly one possibly-active source, so again
    // P(ancestor j) = Π over the path of 1/in_degree (exact IC on a tree).
    let e: Vec<(u32, u32)> = (1..n).map(|v| (v, parent[v as usize])).collect();
    let gin = graph(n as usize, true, &e, None);
    let leaf = (1..n).rev().find(|&v| gin.in_degree(v) == 0).unwrap();
    let mut exact_in = 1.0;
    let (mut v, mut pr) = (leaf, 1.0);
    while v != 0 {
        let u = parent[v as usize];
        pr /= f64::from(gin.in_degree(u));
        exact_in += pr;
        v = u;
    }
    let lt = ModelSpec::LinearThreshold(LtParams { weights: EdgeProb::InverseInDegree });
    let ic = ModelSpec::IndependentCascade(IcParams { prob: EdgeProb::InverseInDegree });
    assert_close(
        "LT in-tree",
        &summary(&replicate(&lt, &gin, &[leaf], 400, 20_000, 63, final_reached)),
        exact_in,
        4.0,
        0.0,
    );
    assert_close(
        "IC in-tree",
        &summary(&replicate(&ic, &gin, &[leaf], 400, 20_000, 64, final_reached)),
        exact_in,
        4.0,
        0.0,
    );
}

// ---------------------------------------------------------------- Bass

const BASS_P: f64 = 0.03;
const BASS_Q: f64 = 0.38;

/// Fraction adopted at model times 5 and 10 (rows 5/dt and 10/dt).
fn bass_fractions(g: &Graph, dt: f64, reps: u32, seed: u64) -> (Vec<f64>, Vec<f64>) {
    let spec = ModelSpec::Bass(BassParams { p: BASS_P, q: BASS_Q, dt });
    let k5 = (5.0 / dt).round() as u32;
    let k10 = (10.0 / dt).round() as u32;
    let n = g.len() as f64;
    let res = replicate(&spec, g, &[], k10, reps, seed, |t| {
        (t.get(k5, Metric::Reached) / n, t.get(k10, Metric::Reached) / n)
    });
    (res.iter().map(|x| x.0).collect(), res.iter().map(|x| x.1).collect())
}

#[test]
fn bass_complete_graph_follows_the_bass_curve() {
    let n = 2_000u32;
    let dt: f64 = 0.01;
    let g = generated(GeneratorSpec::Complete { nodes: n }, 1);
    // Oracle: Bass (1969) closed form F(t) = (1 − e^{−(p+q)t}) /
    // (1 + (q/p)e^{−(p+q)t}), the solution of F' = (1 − F)(p + qF); on the
    // complete graph A_v/k_v = (adopters)/(n − 1) → F as n → ∞ (mean field is
    // exact: law of large numbers, Kurtz 1970). p = 0.03, q = 0.38:
    // F(5) = 0.33120, F(10) = 0.81280.
    let f = |t: f64| {
        let e = (-(BASS_P + BASS_Q) * t).exp();
        (1.0 - e) / (1.0 + BASS_Q / BASS_P * e)
    };
    // Bias budget. (1) Time step: the simulation freezes A_v over a step;
    // the deterministic recursion F_{k+1} = F_k + (1 − F_k)(1 −
    // e^{−(p + q F_k n/(n−1)) dt}) shows how far that moves the curve:
    // computed below, ≈ 1e-3 for dt = 0.01. (2) Finite n: n/(n−1) is in
    // the recursion; the stochastic correction to the mean is O(1/n) = 5e-4.
    // Both are well below the 4-se tolerance (asserted below).
    let (mut fr, mut r5, mut r10) = (0.0, 0.0, 0.0);
    for k in 1..=(10.0 / dt).round() as u32 {
        fr += (1.0 - fr) * -(-(BASS_P + BASS_Q * fr * f64::from(n) / f64::from(n - 1)) * dt).exp_m1();
        if k == 500 {
            r5 = fr;
        }
        if k == 1000 {
            r10 = fr;
        }
    }
    let (a5, a10) = bass_fractions(&g, dt, 80, 71);
    let (s5, s10) = (summary(&a5), summary(&a10));
    eprintln!("Bass complete: dt-bias of the recursion: {:.5} at t=5, {:.5} at t=10", r5 - f(5.0), r10 - f(10.0));
    assert!((r5 - f(5.0)).abs() < 4.0 * s5.se && (r10 - f(10.0)).abs() < 4.0 * s10.se);
    assert!((f(5.0) - 0.3312).abs() < 5e-5 && (f(10.0) - 0.8128).abs() < 5e-5);
    // The simulation shares the (asserted small) discretisation bias.
    assert_close("Bass complete F(5)", &s5, f(5.0), 4.0, 0.0);
    assert_close("Bass complete F(10)", &s10, f(10.0), 4.0, 0.0);
}

#[test]
fn bass_ring_follows_the_one_dimensional_closed_form() {
    let n = 20_000u32;
    let dt = 0.01;
    let g = generated(GeneratorSpec::Ring { nodes: n }, 1);
    // Oracle: Fibich & Gibori (2010), Bass on a 1-D lattice (each node hears
    // its two neighbours, hazard p + q·(adopted neighbours)/2):
    // F(t) = 1 − exp(−(p+q)t + (q/p)(1 − e^{−pt})) → F(5) = 0.24846,
    // F(10) = 0.55826. Bias: freezing A_v over a step of dt = 0.01 delays
    // each imitation by ≈ dt/2, moving F by ≈ F'(t)·dt/2 < 1e-3 (F' < 0.1);
    // a ring of 20,000 with correlation length ~ 1/√(pq) ≈ 10 nodes has a
    // finite-size bias of O(1/n). Both are below the 4-se tolerance.
    let f = |t: f64| 1.0 - (-(BASS_P + BASS_Q) * t + BASS_Q / BASS_P * (1.0 - (-BASS_P * t).exp())).exp();
    let (a5, a10) = bass_fractions(&g, dt, 12, 81);
    assert_close("Bass ring F(5)", &summary(&a5), f(5.0), 4.0, 0.0);
    assert_close("Bass ring F(10)", &summary(&a10), f(10.0), 4.0, 0.0);
}

// ---------------------------------------------------------------- SIR

#[test]
fn sir_random_regular_final_size_matches_percolation() {
    let (n, d) = (50_000u32, 4u32);
    let (beta, gamma) = (0.2, 0.3);
    let g = generated(GeneratorSpec::RandomRegular { nodes: n, degree: d }, 91);
    assert!((0..n).all(|u| g.out_degree(u) == d), "the generator gives a simple {d}-regular graph");
    // Oracle: each infected node transmits along an arc with total
    // probability T = β / (1 − (1−β)(1−γ)) = 0.4545; transmissions *into* a
    // node come from different neighbours with independent infectious
    // periods, so the final size of a large outbreak is the giant component
    // of bond percolation with T (Kenah & Robins 2007; Newman 2002). On a
    // random d-regular graph: x = (1 − T + T·x)^{d−1} (x = prob. a neighbour
    // is not in the giant component through its other edges) and
    // S = 1 − (1 − T + T·x)^d = 0.75414 for d = 4.
    let t = beta / (1.0 - (1.0 - beta) * (1.0 - gamma));
    let mut x = 0.0f64;
    for _ in 0..10_000 {
        x = (1.0 - t + t * x).powi(d as i32 - 1);
    }
    let s_exp = 1.0 - (1.0 - t + t * x).powi(d as i32);
    assert!((s_exp - 0.754_14).abs() < 1e-4, "{s_exp}");
    let spec = ModelSpec::Sir(SirParams { beta, gamma });
    let mut pick = rng::stream(92, "test-seed-node", &[]);
    let pop = Population::community(g.len());
    let mut scratch = models::Scratch::default();
    let mut out = Trajectory::new(2_000);
    let mut large = Vec::new();
    for r in 0..60 {
        let src = [rng::below(&mut pick, u64::from(n)) as u32];
        let input = ReplicateInput { graph: &g, population: &pop, seeds: &src, dynamics_key: dynamics_key(93, r) };
        models::simulate(&spec, &input, &mut scratch, &mut out);
        assert_eq!(out.last()[Metric::Talkers.idx()], 0.0, "epidemic must be over");
        let fr = final_reached(&out) / f64::from(n);
        if fr > 0.05 {
            large.push(fr);
        }
    }
    assert!(large.len() >= 15, "only {} large outbreaks", large.len());
    // Floor 0.001 covers the O(1/n) finite-size bias if the sample sd is tiny.
    assert_close("SIR random regular large outbreak", &summary(&large), s_exp, 4.0, 0.001);
}
