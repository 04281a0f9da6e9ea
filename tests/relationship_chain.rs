//! The relationship-chain model: reduction to IC-N (replicate by replicate
//! and against the exact path-6 values), behavioural properties of its
//! extras, metric invariants and determinism.

mod common;

use common::{erdos_renyi, follower, generated, mean_sd, path};
use womsim::graph::generators::GeneratorSpec;
use womsim::graph::{Graph, Labels};
use womsim::metrics::{Metric as M, Trajectory};
use womsim::models::rc::{RcParams, RoleTable, Trickle, Valenced};
use womsim::models::{simulate, IcnParams, ModelSpec, ReplicateInput, Scratch};
use womsim::population::{Population, PopulationSpec, Role};
use womsim::rng::{node_stream, tag, uniform};
use womsim::runner::dynamics_key;

// ---------------------------------------------------------------- helpers

/// Test networks: undirected Erdős–Rényi, or a directed follower graph
/// (heavy-tailed audiences) with about `mean_degree` follows per node.
fn er(n: u32, mean_degree: f64, directed: bool, seed: u64) -> Graph {
    if directed {
        follower(n, mean_degree.round() as u32, seed)
    } else {
        erdos_renyi(n, mean_degree, seed)
    }
}

fn run(p: &RcParams, g: &Graph, pop: &Population, seeds: &[u32], key: u64, steps: u32, s: &mut Scratch) -> Trajectory {
    let spec = ModelSpec::RelationshipChain(p.clone());
    let input = ReplicateInput { graph: g, population: pop, seeds, dynamics_key: key };
    let mut out = Trajectory::new(steps);
    simulate(&spec, &input, s, &mut out);
    out
}

/// The chain model with every extra switched off, as IC-N(p, q).
fn reduced(p: f64, q: f64) -> RcParams {
    RcParams {
        share: Valenced { good: p, bad: p },
        talk: Valenced { good: 1, bad: 1 },
        act: 1.0,
        quality: q,
        negativity_bias: 2.0,
        ask: 1.0,
        defense: 0.0,
        trickle: Trickle { conversion: 0.0, recruit_rate: 0.0, recruit_cap: 0 },
        roles: RoleTable::neutral(),
        openness: 0.0,
        dilution: Default::default(),
    }
}

/// The SHARE protocol (`rng::tag::SHARE`) written straight from its
/// definition, independent of the engine's table-driven sampler: with
/// `w = 1 - uniform(r)` per draw, the gap is `G(w) = max{g : w <= q^g}`
/// (`q = 1 - p`, powers by repeated multiplication, found by a linear scan);
/// the successes are at `G(w₁)`, `G(w₁) + 1 + G(w₂)`, … while inside the row.
/// (The engine switches to a logarithm only for `w` below `q^L`, `L >= 256`
/// table entries: never reached at the `p` used here.)
fn share_successes(ls: &[u32], p: f64, r: &mut womsim::rng::NodeRng) -> Vec<u32> {
    let mut out = Vec::new();
    if p <= 0.0 || ls.is_empty() {
        return out;
    }
    let q = (1.0 - p).clamp(0.0, 1.0);
    let gap = |w: f64| {
        let (mut g, mut t) = (0usize, 1.0f64);
        loop {
            let next = t * q;
            if w > next {
                return g;
            }
            t = next;
            g += 1;
        }
    };
    let mut i = gap(1.0 - uniform(r));
    while i < ls.len() {
        out.push(ls[i]);
        i += 1 + gap(1.0 - uniform(r));
    }
    out
}

/// Reference IC-N written straight from the protocol (independent of the
/// model code): returns (active, positive) after each step 0..=steps.
fn icn_reference(g: &Graph, seeds: &[u32], p: f64, q: f64, key: u64, steps: u32) -> Vec<(u32, u32)> {
    let n = g.len();
    let mut state = vec![0i8; n]; // 0 inactive, 1 positive, -1 negative
    let mut frontier: Vec<u32> = Vec::new();
    let (mut active, mut pos) = (0u32, 0u32);
    for &s in seeds {
        let good = uniform(&mut node_stream(key, tag::EXPERIENCE, s, 0)) < q;
        state[s as usize] = if good { 1 } else { -1 };
        active += 1;
        pos += u32::from(good);
        frontier.push(s);
    }
    let mut rows = vec![(active, pos)];
    let mut pending = vec![0u8; n]; // 1 = activated this step, 2 = by a negative node
    for t in 1..=steps {
        let mut next = Vec::new();
        for &u in &frontier {
            let neg = state[u as usize] < 0;
            let mut r = node_stream(key, tag::SHARE, u, t);
            for v in share_successes(g.listeners(u), p, &mut r) {
                if state[v as usize] == 0 {
                    if pending[v as usize] == 0 {
                        next.push(v);
                        pending[v as usize] = 1;
                    }
                    if neg {
                        pending[v as usize] = 2;
                    }
                }
            }
        }
        for &v in &next {
            let good = pending[v as usize] == 1 && uniform(&mut node_stream(key, tag::EXPERIENCE, v, 0)) < q;
            state[v as usize] = if good { 1 } else { -1 };
            pending[v as usize] = 0;
            active += 1;
            pos += u32::from(good);
        }
        frontier = next;
        rows.push((active, pos));
    }
    rows
}

/// Checks every per-step invariant of a trajectory.
fn check_invariants(tr: &Trajectory) {
    let eps = 1e-9;
    for t in 0..=tr.steps() {
        let r = |m: M| tr.get(t, m);
        assert_eq!(r(M::ReachedGood) + r(M::ReachedBad), r(M::Reached), "good+bad=reached at {t}");
        assert!(r(M::Acted) <= r(M::Reached), "acted <= reached at {t}");
        assert!(r(M::Ambassadors) <= r(M::Friends), "ambassadors are friends at {t}");
        let ns = (r(M::ReachedGood) - r(M::ReachedBad)) / r(M::Reached).max(1.0);
        assert!((r(M::NetSentiment) - ns).abs() < eps);
        assert!(r(M::NewReachedGood) + r(M::NewReachedBad) == r(M::NewReached));
        for m in M::ALL {
            assert!(r(m) >= -1.0 - eps && r(m).is_finite(), "{m:?} at {t}");
        }
        if t > 0 {
            let d = |m: M| tr.get(t, m) - tr.get(t - 1, m);
            for m in [M::Reached, M::Acted, M::MessagesGood, M::MessagesBad, M::Ambassadors, M::Friends] {
                assert!(d(m) >= 0.0, "{m:?} decreased at {t}");
            }
            assert_eq!(d(M::Reached), r(M::NewReached));
            assert_eq!(d(M::Acted), r(M::NewActed));
            assert_eq!(d(M::MessagesGood), r(M::NewMessagesGood));
            assert_eq!(d(M::MessagesBad), r(M::NewMessagesBad));
        } else {
            assert_eq!(r(M::NewReached), r(M::Reached));
            assert_eq!(r(M::NewActed), r(M::Acted));
            assert_eq!(r(M::MessagesGood) + r(M::MessagesBad), 0.0);
        }
    }
}

fn final_mean(trs: &[Trajectory], m: M) -> f64 {
    trs.iter().map(|t| t.last()[m.idx()]).sum::<f64>() / trs.len() as f64
}

// ------------------------------------------------------------- reduction

#[test]
fn reduces_to_icn_replicate_by_replicate() {
    let graphs = [
        (path(6), vec![0u32]),
        (er(300, 4.0, false, 1), vec![0, 17, 42]),
        (er(400, 6.0, true, 2), vec![5, 9]),
        (er(200, 12.0, false, 3), vec![1]),
    ];
    let mut nontrivial = 0;
    for (gi, (g, seeds)) in graphs.iter().enumerate() {
        let pop = Population::community(g.len());
        for (p, q) in [(0.5, 0.8), (0.3, 0.5), (0.15, 0.9)] {
            let params = reduced(p, q);
            let mut s = Scratch::default();
            for r in 0..150 {
                let key = dynamics_key(1000 + gi as u64, r);
                let tr = run(&params, g, &pop, seeds, key, 25, &mut s);
                let refr = icn_reference(g, seeds, p, q, key, 25);
                for (t, &(a, pos)) in refr.iter().enumerate() {
                    let t = t as u32;
                    assert_eq!(tr.get(t, M::Reached), f64::from(a), "graph {gi} p {p} r {r} step {t}");
                    assert_eq!(tr.get(t, M::ReachedGood), f64::from(pos), "graph {gi} p {p} r {r} step {t}");
                    // IC-N activation = reach; every positive node acted.
                    assert!(tr.get(t, M::Acted) >= f64::from(pos));
                }
                if refr.last().unwrap().0 > 10 {
                    nontrivial += 1;
                }
                check_invariants(&tr);
            }
        }
    }
    assert!(nontrivial > 200, "the comparison must include real cascades ({nontrivial})");
}

#[test]
fn reduces_to_the_real_icn_model_replicate_by_replicate() {
    // Same check as above, but against the engine's own IC-N
    // (`models::icn`), on hand-made and generated networks: with the
    // reduction settings of the rc module docs (talk 1, share = p, act 1,
    // ask 1, neutral roles, all community, no defense, no trickle-down,
    // openness 0) both models consume the same SHARE and EXPERIENCE draws.
    let graphs = [
        ("path6", path(6), vec![0u32]),
        ("er-directed", er(400, 6.0, true, 2), vec![5, 9]),
        ("gen-erdos-renyi", generated(GeneratorSpec::ErdosRenyi { nodes: 2000, mean_degree: 5.0 }, 31), vec![0, 1, 2]),
        ("gen-barabasi-albert", generated(GeneratorSpec::BarabasiAlbert { nodes: 1500, m: 3 }, 32), vec![100, 700]),
        ("gen-follower", generated(GeneratorSpec::Follower { nodes: 1000, follows: 5, reciprocity: 0.3 }, 33), vec![3]),
    ];
    let steps = 30;
    let mut nontrivial = 0;
    for (gi, (name, g, seeds)) in graphs.iter().enumerate() {
        let pop = Population::community(g.len());
        for (p, q) in [(0.5, 0.8), (0.25, 0.5), (0.12, 0.95)] {
            let rc = ModelSpec::RelationshipChain(reduced(p, q));
            let icn = ModelSpec::IcN(IcnParams { p, quality: q });
            let (mut s_rc, mut s_icn) = (Scratch::default(), Scratch::default());
            for r in 0..120 {
                let key = dynamics_key(2000 + gi as u64, r);
                let input = ReplicateInput { graph: g, population: &pop, seeds, dynamics_key: key };
                let (mut a, mut b) = (Trajectory::new(steps), Trajectory::new(steps));
                simulate(&rc, &input, &mut s_rc, &mut a);
                simulate(&icn, &input, &mut s_icn, &mut b);
                for t in 0..=steps {
                    for m in [M::Reached, M::ReachedGood, M::ReachedBad] {
                        assert_eq!(a.get(t, m), b.get(t, m), "{name} p {p} q {q} r {r} step {t} {m:?}");
                    }
                }
                if b.last()[M::Reached.idx()] > 10.0 {
                    nontrivial += 1;
                }
            }
        }
    }
    assert!(nontrivial > 500, "the comparison must include real cascades ({nontrivial})");
}

#[test]
fn reduced_model_matches_icn_path6_exact_values() {
    // Oracle: Chen et al. 2011 IC-N on the path of 6 nodes, p = 0.5, q = 0.8,
    // seed at one end. Node k is active w.p. 0.5^k and then positive iff all of
    // nodes 0..=k drew a good experience (0.8^(k+1)): active Σ_{k=0..5} 0.5^k =
    // 1.96875, positives Σ_{k=0..5} 0.5^k·0.8^(k+1) = 1.32787.
    let exact_active: f64 = (0..6).map(|k| 0.5f64.powi(k)).sum();
    let exact_pos: f64 = (0..6).map(|k| 0.8f64.powi(k + 1) * 0.5f64.powi(k)).sum();
    assert!((exact_active - 1.96875).abs() < 1e-12 && (exact_pos - 1.32787).abs() < 1e-5);
    let g = path(6);
    let pop = Population::community(6);
    let params = reduced(0.5, 0.8);
    let mut s = Scratch::default();
    let n = 100_000;
    let (mut a, mut b) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for r in 0..n as u32 {
        let tr = run(&params, &g, &pop, &[0], dynamics_key(77, r), 8, &mut s);
        a.push(tr.last()[M::Reached.idx()]);
        b.push(tr.last()[M::ReachedGood.idx()]);
    }
    let (ma, sa) = mean_sd(&a);
    let (mb, sb) = mean_sd(&b);
    let k = (n as f64).sqrt();
    assert!((ma - 1.96875).abs() < 4.0 * sa / k, "mean reach {ma}");
    assert!((mb - 1.32787).abs() < 4.0 * sb / k, "mean positives {mb}");
}

// ------------------------------------------------------------- behaviour

#[test]
fn bad_news_travels_further_than_good() {
    // Hearsay only (nobody acts): the seed's experience decides what spreads.
    let g = er(600, 8.0, false, 4);
    let pop = Population::community(g.len());
    let base = RcParams { act: 0.0, roles: RoleTable::neutral(), defense: 0.0, ..RcParams::default() };
    let good = RcParams { quality: 1.0, ..base.clone() };
    let bad = RcParams { quality: 0.0, ..base.clone() };
    let mut s = Scratch::default();
    let (mut rg, mut rb) = (Vec::new(), Vec::new());
    for r in 0..300 {
        let key = dynamics_key(5, r);
        rg.push(run(&good, &g, &pop, &[0, 1, 2], key, 40, &mut s).last()[M::Reached.idx()]);
        let tb = run(&bad, &g, &pop, &[0, 1, 2], key, 40, &mut s);
        assert_eq!(tb.last()[M::ReachedGood.idx()], 0.0, "only bad news exists");
        rb.push(tb.last()[M::Reached.idx()]);
    }
    let (mg, sg) = mean_sd(&rg);
    let (mb, sb) = mean_sd(&rb);
    let se = (sg * sg / 300.0 + sb * sb / 300.0).sqrt();
    assert!(mb - mg > 4.0 * se, "bad reach {mb} vs good reach {mg}");
    // Symmetric share/talk removes the difference in reach (same coins).
    let sym = RcParams { share: Valenced { good: 0.1, bad: 0.1 }, talk: Valenced { good: 2, bad: 2 }, ..base };
    for r in 0..50 {
        let key = dynamics_key(5, r);
        let a = run(&RcParams { quality: 1.0, ..sym.clone() }, &g, &pop, &[0, 1, 2], key, 40, &mut s);
        let b = run(&RcParams { quality: 0.0, ..sym.clone() }, &g, &pop, &[0, 1, 2], key, 40, &mut s);
        assert_eq!(a.last()[M::Reached.idx()], b.last()[M::Reached.idx()]);
    }
    // Mixed quality: the bad share of reach exceeds the bad share of experiences.
    let mixed = RcParams { quality: 0.5, act: 0.3, ..RcParams::default() };
    let trs: Vec<_> = (0..300).map(|r| run(&mixed, &g, &pop, &[0, 1, 2], dynamics_key(6, r), 40, &mut s)).collect();
    let frac = final_mean(&trs, M::ReachedBad) / final_mean(&trs, M::Reached);
    assert!(frac > 0.55, "bad fraction of reach {frac}");
}

#[test]
fn action_never_exceeds_reach_and_invariants_hold() {
    let g = er(500, 6.0, true, 7);
    let pop = Population::draw(&g, &PopulationSpec::default(), 11);
    let mut s = Scratch::default();
    let mut acted_total = 0.0;
    for (i, params) in [
        RcParams::default(),
        RcParams { act: 0.6, openness: 0.3, ..RcParams::default() },
        RcParams { trickle: Trickle { conversion: 0.5, recruit_rate: 0.3, recruit_cap: 5 }, ..RcParams::default() },
    ]
    .iter()
    .enumerate()
    {
        for r in 0..100 {
            let seeds: Vec<u32> = pop.friends().take(8).collect();
            let tr = run(params, &g, &pop, &seeds, dynamics_key(8 + i as u64, r), 30, &mut s);
            check_invariants(&tr);
            acted_total += tr.last()[M::Acted.idx()];
        }
    }
    assert!(acted_total > 3.0 * 300.0 * 8.0 / 3.0, "people beyond the seeds act ({acted_total})");
}

#[test]
fn step_zero_seeds_and_detractors() {
    let g = er(300, 5.0, false, 9);
    let pop = Population::draw(
        &g,
        &PopulationSpec { friends: 0.5, mild: 0.2, fan: 0.3, detractor: 0.5, ..Default::default() },
        3,
    );
    let det: Vec<u32> = (0..300).filter(|&u| pop.role(u) == Role::Detractor).collect();
    let comm: Vec<u32> = (0..300).filter(|&u| pop.role(u) == Role::Community).collect();
    assert!(det.len() > 30 && comm.len() > 30);
    // Two seeds: one detractor, one community member.
    let seeds = [det[0], comm[0]];
    let params = RcParams::default();
    let mut s = Scratch::default();
    let tr = run(&params, &g, &pop, &seeds, dynamics_key(1, 0), 5, &mut s);
    let r0 = tr.row(0);
    let nd = det.len() as f64 - 1.0; // the seeded detractor is an ambassador
    assert_eq!(r0[M::Reached.idx()], nd + 2.0);
    assert_eq!(r0[M::Acted.idx()], 2.0);
    assert_eq!(r0[M::Ambassadors.idx()], 2.0);
    assert_eq!(r0[M::Talkers.idx()], nd + 2.0);
    assert_eq!(r0[M::Friends.idx()], pop.num_friends() as f64 + 1.0);
    assert!(r0[M::ReachedBad.idx()] >= nd);
    // Detractors alone: all reached and bad, all talking, nobody acted.
    let tr = run(&params, &g, &pop, &[], dynamics_key(1, 1), 5, &mut s);
    assert_eq!(tr.get(0, M::ReachedBad), det.len() as f64);
    assert_eq!(tr.get(0, M::ReachedGood), 0.0);
    assert_eq!(tr.get(0, M::Acted), 0.0);
    assert!(tr.get(1, M::MessagesBad) > 0.0 && tr.get(1, M::MessagesGood) == 0.0);
}

#[test]
fn defense_reduces_bad_reach() {
    let g = er(800, 8.0, false, 12);
    let pop = Population::draw(
        &g,
        &PopulationSpec { friends: 0.3, mild: 0.5, fan: 0.3, detractor: 0.2, ..Default::default() },
        4,
    );
    // Seed many ambassadors so that many people follow one.
    let seeds: Vec<u32> = pop.friends().filter(|&u| pop.role(u) != Role::Detractor).take(60).collect();
    let mut s = Scratch::default();
    let mean_bad = |defense: f64, s: &mut Scratch| {
        let p = RcParams { defense, ..RcParams::default() };
        let trs: Vec<_> = (0..150).map(|r| run(&p, &g, &pop, &seeds, dynamics_key(13, r), 30, s)).collect();
        let x: Vec<f64> = trs.iter().map(|t| t.last()[M::ReachedBad.idx()]).collect();
        mean_sd(&x)
    };
    let (b0, s0) = mean_bad(0.0, &mut s);
    let (b1, s1) = mean_bad(1.0, &mut s);
    let se = ((s0 * s0 + s1 * s1) / 150.0).sqrt();
    assert!(b0 - b1 > 4.0 * se, "defense 0: {b0}, defense 1: {b1}");
}

#[test]
fn trickle_conversion_makes_friends() {
    let g = er(500, 6.0, false, 14);
    let pop = Population::community(500);
    let seeds = [0u32, 1, 2, 3];
    let mut s = Scratch::default();
    let base = RcParams { act: 0.5, ..RcParams::default() };
    for r in 0..100 {
        let key = dynamics_key(15, r);
        // Everyone who acts converts: friends = acted at every step (seeds are
        // community members who became ambassadors, hence friends too).
        let all = RcParams { trickle: Trickle { conversion: 1.0, ..Trickle::default() }, ..base.clone() };
        let tr = run(&all, &g, &pop, &seeds, key, 30, &mut s);
        for t in 0..=30 {
            assert_eq!(tr.get(t, M::Friends), tr.get(t, M::Acted), "step {t}");
        }
        let none = RcParams { trickle: Trickle { conversion: 0.0, ..Trickle::default() }, ..base.clone() };
        let tr0 = run(&none, &g, &pop, &seeds, key, 30, &mut s);
        assert!(tr0.rows().all(|row| row[M::Friends.idx()] == 4.0));
    }
    let half = RcParams { trickle: Trickle { conversion: 0.5, ..Trickle::default() }, ..base };
    let trs: Vec<_> = (0..200).map(|r| run(&half, &g, &pop, &seeds, dynamics_key(16, r), 30, &mut s)).collect();
    let converts = final_mean(&trs, M::Friends) - 4.0;
    let community_acts = final_mean(&trs, M::Acted) - 4.0;
    assert!(converts > 0.0 && (converts / community_acts - 0.5).abs() < 0.1, "{converts} of {community_acts}");
}

#[test]
fn recruitment_respects_cap() {
    let g = er(400, 6.0, false, 17);
    // Everyone is a fan: many enthusiastic candidates.
    let pop = Population::from_roles(vec![Role::Fan; 400]);
    let seeds = [0u32, 1];
    let mut s = Scratch::default();
    let mut hit_cap = 0;
    for cap in [0u32, 1, 3, 10] {
        let p = RcParams {
            act: 0.6,
            quality: 1.0,
            trickle: Trickle { conversion: 0.0, recruit_rate: 0.5, recruit_cap: cap },
            ..RcParams::default()
        };
        for r in 0..60 {
            let tr = run(&p, &g, &pop, &seeds, dynamics_key(18, r), 40, &mut s);
            check_invariants(&tr);
            let recruits = tr.last()[M::Ambassadors.idx()] - 2.0;
            assert!(recruits <= f64::from(cap), "cap {cap}: {recruits}");
            assert!(recruits <= tr.last()[M::Acted.idx()] - 2.0, "recruits acted first");
            if cap > 0 && recruits == f64::from(cap) {
                hit_cap += 1;
            }
        }
    }
    assert!(hit_cap > 100, "recruitment happens up to the cap ({hit_cap} of 180)");
}

#[test]
fn deterministic_and_reset_between_replicates() {
    let g = er(500, 6.0, true, 19);
    let pop = Population::draw(&g, &PopulationSpec::default(), 5);
    let seeds: Vec<u32> = pop.friends().take(10).collect();
    let p = RcParams {
        act: 0.4,
        trickle: Trickle { conversion: 0.3, recruit_rate: 0.2, recruit_cap: 4 },
        ..RcParams::default()
    };
    let mut fresh_results = Vec::new();
    for r in 0..20 {
        let mut fresh = Scratch::default();
        fresh_results.push(run(&p, &g, &pop, &seeds, dynamics_key(20, r), 30, &mut fresh));
    }
    // One scratch reused, replicates in reverse order, with other runs between.
    let mut s = Scratch::default();
    for r in (0..20).rev() {
        run(&RcParams::default(), &g, &pop, &[1, 2, 3], dynamics_key(21, r), 30, &mut s);
        let tr = run(&p, &g, &pop, &seeds, dynamics_key(20, r), 30, &mut s);
        assert_eq!(tr, fresh_results[r as usize], "replicate {r}");
    }
    // Different keys give different outcomes.
    assert!(fresh_results.windows(2).any(|w| w[0] != w[1]));
}

#[test]
fn stops_when_nobody_talks() {
    let g = path(5);
    let pop = Population::community(5);
    let mut s = Scratch::default();
    let p = RcParams { share: Valenced { good: 0.0, bad: 0.0 }, ..RcParams::default() };
    let tr = run(&p, &g, &pop, &[2], dynamics_key(1, 0), 10, &mut s);
    assert_eq!(tr.get(10, M::Reached), 1.0);
    assert_eq!(tr.get(10, M::Talkers), 0.0);
    // talk.good/bad >= 1: the seed talks during steps 1..=talk.<valence>.
    let d = f64::from(if tr.get(0, M::ReachedGood) == 1.0 { p.talk.good } else { p.talk.bad });
    let talking = tr.rows().filter(|r| r[M::Talkers.idx()] > 0.0).count() as f64;
    assert_eq!(talking, d, "row 0 counts talkers of step 1; the last talking step is {d}");
}

#[test]
fn defense_neutralises_bad_news_to_followers_of_ambassadors() {
    // 0 (ambassador) → 2 ← 1 (detractor) → 3: node 2 follows the ambassador,
    // node 3 does not. Only bad news is shared, always.
    let g = Graph::from_edges(4, true, &[(0, 2), (1, 2), (1, 3)], None, Labels::Dense).unwrap();
    let pop = Population::from_roles(vec![Role::Mild, Role::Detractor, Role::Community, Role::Community]);
    let mut s = Scratch::default();
    for (defense, reached) in [(1.0, 3.0), (0.0, 4.0)] {
        let p = RcParams { share: Valenced { good: 0.0, bad: 1.0 }, quality: 1.0, defense, ..RcParams::default() };
        for r in 0..20 {
            let tr = run(&p, &g, &pop, &[0], dynamics_key(30, r), 6, &mut s);
            assert_eq!(tr.get(1, M::Reached), reached, "defense {defense}");
            assert_eq!(tr.get(1, M::NewMessagesBad), 2.0, "neutralised messages are still sent");
            check_invariants(&tr);
        }
    }
}

#[test]
fn defense_never_neutralises_an_ambassadors_own_bad_news() {
    // 0 (ambassador) → 1 ← 2 (detractor): node 1 follows the ambassador. With
    // quality 0 the ambassador's own experience is bad and it says so; full
    // defense stops the detractor's message but not the ambassador's.
    let g = Graph::from_edges(3, true, &[(0, 1), (2, 1)], None, Labels::Dense).unwrap();
    let pop = Population::from_roles(vec![Role::Mild, Role::Community, Role::Detractor]);
    let mut s = Scratch::default();
    let p = RcParams { share: Valenced { good: 0.0, bad: 1.0 }, quality: 0.0, defense: 1.0, ..RcParams::default() };
    for r in 0..20 {
        let tr = run(&p, &g, &pop, &[0], dynamics_key(31, r), 4, &mut s);
        assert_eq!(tr.get(1, M::Reached), 3.0, "the ambassador's bad news gets through");
        assert_eq!(tr.get(1, M::ReachedBad), 3.0);
        check_invariants(&tr);
    }
}

#[test]
fn later_news_moves_opinions_by_openness_and_flips_restart_talking() {
    // 0 (seed, good) → 2 → 4 and 1 (detractor) → 3 → 2: node 2 hears good
    // news at step 1 and bad news at step 2. Every coin succeeds (share 1),
    // nobody but the seed acts, everyone talks for one step.
    let g = Graph::from_edges(5, true, &[(0, 2), (2, 4), (1, 3), (3, 2)], None, Labels::Dense).unwrap();
    let pop = Population::from_roles(vec![
        Role::Community,
        Role::Detractor,
        Role::Community,
        Role::Community,
        Role::Community,
    ]);
    let base = RcParams {
        share: Valenced { good: 1.0, bad: 1.0 },
        talk: Valenced { good: 1, bad: 1 },
        act: 0.0,
        quality: 1.0,
        defense: 0.0,
        roles: RoleTable::neutral(),
        ..RcParams::default()
    };
    let mut s = Scratch::default();
    let good_bad = |tr: &Trajectory, t: u32| (tr.get(t, M::ReachedGood), tr.get(t, M::ReachedBad));
    // openness 1: 2's opinion 1 - 2 = -1 flips at step 2, it talks bad at step
    // 3 and flips 4 (good at step 2 from 2's earlier good talk).
    let tr = run(&RcParams { openness: 1.0, ..base.clone() }, &g, &pop, &[0], dynamics_key(40, 0), 5, &mut s);
    assert_eq!(good_bad(&tr, 1), (2.0, 2.0));
    assert_eq!(good_bad(&tr, 2), (2.0, 3.0));
    assert_eq!(good_bad(&tr, 3), (1.0, 4.0));
    assert_eq!(tr.get(3, M::NewMessagesBad), 1.0);
    // openness 0: first impressions are final, 2 never talks again.
    let tr = run(&RcParams { openness: 0.0, ..base.clone() }, &g, &pop, &[0], dynamics_key(40, 0), 5, &mut s);
    assert_eq!(good_bad(&tr, 2), (3.0, 2.0));
    assert_eq!(good_bad(&tr, 5), (3.0, 2.0));
    assert_eq!(tr.get(3, M::MessagesBad), 2.0);
    // Half openness: 1 - 0.5·2 = 0 stays good (opinion >= 0 is good).
    let tr = run(&RcParams { openness: 0.5, ..base }, &g, &pop, &[0], dynamics_key(40, 0), 5, &mut s);
    assert_eq!(good_bad(&tr, 5), (3.0, 2.0));
}

#[test]
fn talk_phase_sends_each_talkers_row_by_row_messages_with_its_own_probability() {
    // The talk phase applies the SHARE protocol pass by pass across all
    // talkers, each with the sampler of its own (role, valence). Step 1's
    // messages must be exactly what each step-0 talker (ambassador seeds of
    // either valence, detractors) sends by the row-by-row protocol written
    // from its definition, with p = share.<valence> × role.share.
    let g = er(400, 12.0, false, 21);
    let pop = Population::draw(
        &g,
        &PopulationSpec { friends: 0.5, mild: 0.4, fan: 0.4, detractor: 0.2, ..Default::default() },
        5,
    );
    let params = RcParams { share: Valenced { good: 0.05, bad: 0.08 }, quality: 0.5, ..RcParams::default() };
    let roles = params.roles;
    let seeds: Vec<u32> = (0..400).filter(|&u| pop.role(u) != Role::Detractor).step_by(9).collect();
    let dets: Vec<u32> = (0..400).filter(|&u| pop.role(u) == Role::Detractor).collect();
    assert!(seeds.len() > 30 && dets.len() > 10);
    let mut s = Scratch::default();
    let mut mixed = 0;
    for rep in 0..40 {
        let key = dynamics_key(77, rep);
        let (mut good, mut bad) = (0u64, 0u64);
        let mut valences = [0u32; 2];
        let talkers = seeds.iter().map(|&u| (u, true)).chain(dets.iter().map(|&u| (u, false)));
        for (u, ambassador) in talkers {
            let is_bad =
                if ambassador { uniform(&mut node_stream(key, tag::EXPERIENCE, u, 0)) >= params.quality } else { true };
            valences[usize::from(is_bad)] += 1;
            let mult = if ambassador { roles.ambassador.share } else { roles.detractor.share };
            let p = (if is_bad { params.share.bad } else { params.share.good } * mult).clamp(0.0, 1.0);
            let sent = share_successes(g.listeners(u), p, &mut node_stream(key, tag::SHARE, u, 1)).len() as u64;
            if is_bad {
                bad += sent;
            } else {
                good += sent;
            }
        }
        let tr = run(&params, &g, &pop, &seeds, key, 3, &mut s);
        assert_eq!(tr.get(1, M::NewMessagesGood), good as f64, "replicate {rep}: good messages");
        assert_eq!(tr.get(1, M::NewMessagesBad), bad as f64, "replicate {rep}: bad messages");
        mixed += usize::from(valences[0] > 0 && valences[1] > 0 && good > 0 && bad > 0);
    }
    assert!(mixed > 30, "talkers of both valences must send in most replicates ({mixed})");
}

#[test]
fn defense_follows_the_defenders_opinion() {
    // quality 0: every ambassador's own experience is bad, so nobody ever
    // defends, and defence changes nothing, replicate by replicate.
    let g = er(800, 8.0, false, 12);
    let pop = Population::draw(
        &g,
        &PopulationSpec { friends: 0.3, mild: 0.5, fan: 0.3, detractor: 0.2, ..Default::default() },
        4,
    );
    let seeds: Vec<u32> = pop.friends().filter(|&u| pop.role(u) != Role::Detractor).take(60).collect();
    let mut s = Scratch::default();
    let mut bad = 0.0;
    for r in 0..60 {
        let mut with = |defense: f64| {
            let p = RcParams { quality: 0.0, defense, ..RcParams::default() };
            run(&p, &g, &pop, &seeds, dynamics_key(14, r), 30, &mut s)
        };
        let (off, on) = (with(0.0), with(1.0));
        assert_eq!(off, on, "replicate {r}");
        bad += on.last()[M::ReachedBad.idx()];
    }
    assert!(bad > 60.0 * 100.0, "bad news does spread: {bad}");

    // 1 (detractor) → 0 (ambassador, good) and 1 → 2 ← 0: node 2 follows
    // the ambassador. Step 1: the detractor's message to 2 is neutralised,
    // the one to the ambassador turns its opinion bad (it has no defender).
    // From step 2 it no longer defends, so 2 hears the detractor. (The
    // ambassador itself shares nothing.)
    let g = Graph::from_edges(3, true, &[(1, 0), (1, 2), (0, 2)], None, Labels::Dense).unwrap();
    let pop = Population::from_roles(vec![Role::Mild, Role::Detractor, Role::Community]);
    let mut roles = RoleTable::neutral();
    roles.ambassador.share = 0.0;
    let p = RcParams {
        share: Valenced { good: 0.0, bad: 1.0 },
        quality: 1.0,
        defense: 1.0,
        openness: 1.0,
        roles,
        ..RcParams::default()
    };
    for r in 0..20 {
        let tr = run(&p, &g, &pop, &[0], dynamics_key(32, r), 4, &mut s);
        assert_eq!((tr.get(1, M::Reached), tr.get(1, M::ReachedBad)), (2.0, 2.0), "the good ambassador defended");
        assert_eq!(tr.get(1, M::NewMessagesBad), 2.0);
        assert_eq!((tr.get(2, M::Reached), tr.get(2, M::ReachedBad)), (3.0, 3.0), "then stopped, its opinion bad");
        check_invariants(&tr);
    }
}

// ---------------------------------------------------------------- attention dilution (issue 18)

/// A star: node 0 followed by `f` leaves (directed arcs 0 → leaf).
fn star(f: u32) -> Graph {
    let edges: Vec<(u32, u32)> = (1..=f).map(|v| (0, v)).collect();
    Graph::from_edges(f as usize + 1, true, &edges, None, Labels::Dense).unwrap()
}

/// One step of a seed that tells every follower (share 1, neutral roles):
/// undiluted it reaches all `f`.
fn star_params(dilution: womsim::models::Dilution) -> RcParams {
    RcParams { share: Valenced { good: 1.0, bad: 1.0 }, quality: 1.0, dilution, ..reduced(1.0, 1.0) }
}

#[test]
fn dilution_thins_a_large_audience_to_f_times_the_factor() {
    // f = 400 followers, reference 100, α = 0.5: each follower hears with
    // probability (400/100)^-0.5 = 0.5, so 200 of 400 in expectation.
    let f = 400u32;
    let g = star(f);
    let pop = Population::community(g.len());
    let dil = womsim::models::Dilution { share: 0.5, persuade: 0.0, reference: 100.0 };
    let p = star_params(dil);
    let mut s = Scratch::default();
    let reached: Vec<f64> =
        (0..2000u32).map(|r| run(&p, &g, &pop, &[0], dynamics_key(9, r), 1, &mut s).get(1, M::Reached) - 1.0).collect();
    let (mean, sd) = mean_sd(&reached);
    let want = f64::from(f) * (f64::from(f) / 100.0).powf(-0.5);
    let se = sd / (reached.len() as f64).sqrt();
    assert!((mean - want).abs() < 4.0 * se, "mean reached {mean} vs f·d = {want} (se {se})");
    // Up to the reference nothing changes: 80 followers, all reached.
    let small = star(80);
    let pop = Population::community(small.len());
    let t = run(&p, &small, &pop, &[0], dynamics_key(9, 0), 1, &mut s);
    assert_eq!(t.get(1, M::Reached), 81.0);
}

#[test]
fn persuasion_dilution_changes_action_not_reach() {
    let g = follower(3000, 12, 4);
    let pop = Population::draw(&g, &PopulationSpec::default(), 4);
    let seeds: Vec<u32> = (0..g.n()).filter(|&u| g.followers(u) > 150).take(10).collect();
    assert!(seeds.len() >= 5, "hubs to dilute");
    let plain = RcParams::default();
    let diluted = RcParams {
        dilution: womsim::models::Dilution { share: 0.0, persuade: 1.0, reference: 20.0 },
        ..RcParams::default()
    };
    let mut s = Scratch::default();
    let (mut acted_plain, mut acted_diluted) = (0.0, 0.0);
    for r in 0..40u32 {
        let key = dynamics_key(5, r);
        let a = run(&plain, &g, &pop, &seeds, key, 1, &mut s);
        let b = run(&diluted, &g, &pop, &seeds, key, 1, &mut s);
        // One step: who hears is the same, who acts is not.
        assert_eq!(a.get(1, M::Reached), b.get(1, M::Reached), "replicate {r}");
        acted_plain += a.get(1, M::Acted);
        acted_diluted += b.get(1, M::Acted);
    }
    assert!(acted_diluted < 0.5 * acted_plain, "action {acted_diluted} vs {acted_plain}");
}

#[test]
fn zero_elasticity_is_the_model_without_dilution() {
    let g = follower(2000, 10, 6);
    let pop = Population::draw(&g, &PopulationSpec::default(), 6);
    let seeds: Vec<u32> = (0..g.n()).filter(|&u| g.followers(u) > 60).take(8).collect();
    let off = RcParams {
        dilution: womsim::models::Dilution { share: 0.0, persuade: 0.0, reference: 2.0 },
        ..RcParams::default()
    };
    let mut s = Scratch::default();
    for r in 0..20u32 {
        let key = dynamics_key(2, r);
        let a = run(&RcParams::default(), &g, &pop, &seeds, key, 30, &mut s);
        let b = run(&off, &g, &pop, &seeds, key, 30, &mut s);
        assert_eq!(a, b, "replicate {r}");
    }
}
