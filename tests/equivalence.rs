//! The fast engine is an optimisation of the reference models, nothing more:
//! on random small networks (directed and undirected, with hubs), random
//! parameters within the scenario schema's ranges, random populations
//! (detractors and ambassadors included), random seed sets and dynamics
//! keys, the fast path (`models::simulate`, reusing one scratch across
//! replicates) and the plain reference (`models::<model>::reference`) must
//! give identical trajectories: every row, every metric, bit for bit.
//!
//! Cases per property: `PROPTEST_CASES` if set, else 256 (CI runs a longer
//! campaign in release mode, see `.ci/run`).

use proptest::prelude::*;
use proptest::test_runner::Config;
use womsim::graph::{Graph, Labels};
use womsim::metrics::Trajectory;
use womsim::models::rc::{Dilution, RcParams, RoleEffect, RoleTable, Trickle, Valenced};
use womsim::models::{
    self, bass, ic, icn, rc, sir, BassParams, EdgeProb, IcParams, IcnParams, ModelSpec, ReplicateInput, Scratch,
    SirParams,
};
use womsim::population::{Population, Role};
use womsim::rng;

fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(256);
    Config { cases, ..Config::default() }
}

/// How a random network is drawn (the edges come from `seed`).
#[derive(Debug, Clone)]
struct Net {
    n: u32,
    directed: bool,
    /// Hubs: nodes linked with (most of) everyone.
    hubs: u32,
    /// Random edges besides the hubs', as a multiple of n.
    density: f64,
    weighted: bool,
    seed: u64,
}

fn net() -> impl Strategy<Value = Net> {
    (2u32..=60, any::<bool>(), 0u32..=3, 0.0f64..4.0, any::<bool>(), any::<u64>())
        .prop_map(|(n, directed, hubs, density, weighted, seed)| Net { n, directed, hubs, density, weighted, seed })
}

impl Net {
    fn build(&self) -> Graph {
        let mut r = rng::stream(self.seed, "equivalence-net", &[]);
        let n = u64::from(self.n);
        let mut edges = Vec::new();
        for h in 0..self.hubs.min(self.n) {
            for v in 0..self.n {
                // A hub reaches about 90% of the others; in a directed graph
                // it is heard by them, hears them, or both.
                if v == h || rng::uniform(&mut r) >= 0.9 {
                    continue;
                }
                match rng::below(&mut r, 3) {
                    0 => edges.push((h, v)),
                    1 => edges.push((v, h)),
                    _ => edges.extend([(h, v), (v, h)]),
                }
            }
        }
        for _ in 0..(self.density * f64::from(self.n)) as usize {
            edges.push((rng::below(&mut r, n) as u32, rng::below(&mut r, n) as u32));
        }
        let weights: Option<Vec<f32>> =
            self.weighted.then(|| edges.iter().map(|_| rng::uniform(&mut r) as f32).collect());
        Graph::from_edges(self.n as usize, self.directed, &edges, weights.as_deref(), Labels::Dense).expect("graph")
    }
}

/// A probability: often 0, 1 or small (where the models live), else any.
fn prob() -> impl Strategy<Value = f64> {
    prop_oneof![1 => Just(0.0), 1 => Just(1.0), 3 => 0.0f64..0.2, 3 => 0.0f64..=1.0]
}

fn multiplier() -> impl Strategy<Value = f64> {
    prop_oneof![1 => Just(0.0), 1 => Just(1.0), 4 => 0.0f64..4.0]
}

fn role_effect() -> impl Strategy<Value = RoleEffect> {
    (multiplier(), multiplier(), multiplier()).prop_map(|(share, persuade, act)| RoleEffect { share, persuade, act })
}

fn roles() -> impl Strategy<Value = RoleTable> {
    prop_oneof![
        1 => Just(RoleTable::default()),
        1 => Just(RoleTable::neutral()),
        2 => (role_effect(), role_effect(), role_effect(), role_effect(), role_effect()).prop_map(
            |(community, mild, fan, detractor, ambassador)| RoleTable { community, mild, fan, detractor, ambassador }
        ),
    ]
}

fn rc_params() -> impl Strategy<Value = RcParams> {
    (
        (prob(), prob(), 1u32..=6, 1u32..=6, prob(), prob()),
        (prop_oneof![Just(0.0), 0.0f64..5.0], multiplier(), prob(), prob()),
        (prob(), prob(), 0u32..=5, roles()),
        dilution(),
    )
        .prop_map(
            |(
                (share_good, share_bad, talk_good, talk_bad, act, quality),
                (negativity_bias, ask, defense, openness),
                (conversion, recruit_rate, recruit_cap, roles),
                dilution,
            )| RcParams {
                share: Valenced { good: share_good, bad: share_bad },
                talk: Valenced { good: talk_good, bad: talk_bad },
                act,
                quality,
                negativity_bias,
                ask,
                defense,
                trickle: Trickle { conversion, recruit_rate, recruit_cap },
                roles,
                openness,
                dilution,
            },
        )
}

/// Attention dilution: often off; else elasticities up to 2 with a
/// reference small enough that the test graphs' hubs are diluted.
fn dilution() -> impl Strategy<Value = Dilution> {
    prop_oneof![
        1 => Just(Dilution::default()),
        3 => (prop_oneof![Just(0.0), 0.0f64..2.0], prop_oneof![Just(0.0), 0.0f64..2.0], 1.0f64..12.0)
            .prop_map(|(share, persuade, reference)| Dilution { share, persuade, reference }),
    ]
}

/// Roles for `n` nodes: the weights of community, mild, fan, detractor and
/// (population) ambassador, then one uniform per node.
fn population(n: u32, weights: [u32; 5], seed: u64) -> Population {
    let total: u32 = weights.iter().sum::<u32>().max(1);
    let mut r = rng::stream(seed, "equivalence-population", &[]);
    let roles = (0..n)
        .map(|_| {
            let mut x = rng::below(&mut r, u64::from(total)) as u32;
            for (role, &w) in Role::ALL.iter().zip(&weights) {
                if x < w {
                    return *role;
                }
                x -= w;
            }
            Role::Community
        })
        .collect();
    Population::from_roles(roles)
}

/// Seeds: up to 6 ids (repeats allowed, as a list may hold them).
fn seeds(n: u32, picks: &[u32]) -> Vec<u32> {
    picks.iter().map(|&x| x % n).collect()
}

/// The world of one case: network, population, seeds, keys, steps.
#[derive(Debug, Clone)]
struct World {
    net: Net,
    role_weights: [u32; 5],
    pop_seed: u64,
    picks: Vec<u32>,
    keys: Vec<u64>,
    steps: u32,
}

fn world() -> impl Strategy<Value = World> {
    (
        net(),
        prop_oneof![
            Just([1, 0, 0, 0, 0]),
            Just([80, 12, 6, 2, 0]),
            Just([4, 2, 2, 1, 1]),
            prop::array::uniform5(0u32..5)
        ],
        any::<u64>(),
        prop::collection::vec(any::<u32>(), 0..=6),
        prop::collection::vec(any::<u64>(), 1..=3),
        1u32..=40,
    )
        .prop_map(|(net, role_weights, pop_seed, picks, keys, steps)| World {
            net,
            role_weights,
            pop_seed,
            picks,
            keys,
            steps,
        })
}

/// Runs the fast engine (one scratch for all the keys, as a worker does)
/// and the reference on every key of the world; panics on the first
/// difference, naming the key and the row.
fn check(w: &World, spec: &ModelSpec, pop: &Population, reference: impl Fn(&ReplicateInput<'_>, &mut Trajectory)) {
    let g = w.net.build();
    let seeds = seeds(w.net.n, &w.picks);
    let mut scratch = Scratch::default();
    for &key in &w.keys {
        let input = ReplicateInput { graph: &g, population: pop, seeds: &seeds, dynamics_key: key };
        let mut fast = Trajectory::new(w.steps);
        models::simulate(spec, &input, &mut scratch, &mut fast);
        let mut plain = Trajectory::new(w.steps);
        reference(&input, &mut plain);
        if fast != plain {
            let row = (0..=w.steps).find(|&t| fast.row(t) != plain.row(t));
            panic!(
                "key {key}: first differing row {row:?}\nfast:  {:?}\nplain: {:?}",
                row.map(|t| fast.row(t)),
                row.map(|t| plain.row(t))
            );
        }
        // `has_acted` agrees with the trajectory's last row.
        let acted = (0..w.net.n).filter(|&v| models::has_acted(spec, &scratch, v)).count() as f64;
        assert_eq!(acted, fast.last()[womsim::metrics::Metric::Acted.idx()], "key {key}: has_acted");
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn relationship_chain_fast_equals_reference(w in world(), p in rc_params()) {
        let pop = population(w.net.n, w.role_weights, w.pop_seed);
        let spec = ModelSpec::RelationshipChain(p.clone());
        check(&w, &spec, &pop, |input, out| rc::reference::simulate(&p, input, out));
    }

    #[test]
    fn independent_cascade_fast_equals_reference(w in world(), prob in prob(), kind in 0u8..3) {
        let prob = match kind {
            0 => EdgeProb::Uniform(prob),
            1 => EdgeProb::Weights,
            _ => EdgeProb::InverseInDegree,
        };
        let p = IcParams { prob };
        let pop = Population::community(w.net.n as usize);
        check(&w, &ModelSpec::IndependentCascade(p.clone()), &pop, |input, out| ic::reference::simulate(&p, input, out));
        // final_reach runs the same draws to quiescence.
        let g = w.net.build();
        let seeds = seeds(w.net.n, &w.picks);
        let mut s = ic::Scratch::new(g.len());
        for &key in &w.keys {
            let input = ReplicateInput { graph: &g, population: &pop, seeds: &seeds, dynamics_key: key };
            let mut plain = Trajectory::new(w.net.n + 1);
            ic::reference::simulate(&p, &input, &mut plain);
            let reached = plain.last()[womsim::metrics::Metric::Reached.idx()];
            prop_assert_eq!(f64::from(ic::final_reach(&p, &g, &seeds, key, &mut s)), reached);
        }
    }

    #[test]
    fn ic_n_fast_equals_reference(w in world(), p in prob(), quality in prob()) {
        let p = IcnParams { p, quality };
        let pop = Population::community(w.net.n as usize);
        check(&w, &ModelSpec::IcN(p.clone()), &pop, |input, out| icn::reference::simulate(&p, input, out));
    }

    #[test]
    fn sir_fast_equals_reference(w in world(), beta in prob(), gamma in prob()) {
        let p = SirParams { beta, gamma };
        let pop = Population::community(w.net.n as usize);
        check(&w, &ModelSpec::Sir(p.clone()), &pop, |input, out| sir::reference::simulate(&p, input, out));
    }

    #[test]
    fn bass_fast_equals_reference(
        w in world(),
        p in prop_oneof![Just(0.0), 0.0f64..0.2],
        q in prop_oneof![Just(0.0), 0.0f64..2.0],
        dt in 0.05f64..2.0,
    ) {
        let p = BassParams { p, q, dt };
        let pop = Population::community(w.net.n as usize);
        check(&w, &ModelSpec::Bass(p.clone()), &pop, |input, out| bass::reference::simulate(&p, input, out));
    }
}
