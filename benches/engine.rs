//! Criterion benchmarks of the engine on generated graphs from fixed seeds:
//! propagation (independent cascade, relationship chain), edge-list loading
//! and seeding strategies. Run: `cargo bench --bench engine` (about 2–3 min;
//! filter with e.g. `cargo bench --bench engine -- propagation`).
//!
//! Graph: Barabási–Albert, n = 100,000, m = 5 (about 1M arcs), generated
//! from seed 42; seeds: 50 nodes drawn from a fixed stream. Each propagation
//! iteration runs the next replicate key, so a sample averages over
//! cascades (their sizes vary a lot in the supercritical p = 0.05 case).

use std::hint::black_box;
use std::io::Write;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkGroup, Criterion};
use womsim::graph::generators::{generate, GeneratorSpec};
use womsim::graph::{edgelist, Graph};
use womsim::metrics::Trajectory;
use womsim::models::ic::{self, EdgeProb, IcParams};
use womsim::models::rc::{self, RcParams};
use womsim::models::{ModelSpec, ReplicateInput};
use womsim::population::{Population, PopulationSpec};
use womsim::rng;
use womsim::runner::dynamics_key;
use womsim::seeding::{select, Budget, CostModel, Pool, SeedingContext, StrategyKind, StrategySpec};

const N: u32 = 100_000;

fn ba() -> Graph {
    generate(&GeneratorSpec::BarabasiAlbert { nodes: N, m: 5 }, 42).expect("BA graph")
}

fn seeds(n: u32, k: usize) -> Vec<u32> {
    let mut r = rng::stream(7, "bench-seeds", &[]);
    let mut out: Vec<u32> = Vec::new();
    while out.len() < k {
        let u = rng::below(&mut r, u64::from(n)) as u32;
        if !out.contains(&u) {
            out.push(u);
        }
    }
    out
}

fn modest<M: criterion::measurement::Measurement>(g: &mut BenchmarkGroup<'_, M>, secs: u64) {
    g.sample_size(20).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(secs));
}

fn propagation(c: &mut Criterion) {
    let g = ba();
    let s = seeds(N, 50);
    let community = Population::community(g.len());
    let drawn = Population::draw(&g, &PopulationSpec::default(), 1);
    let mut grp = c.benchmark_group("propagation_ba100k_50seeds");
    modest(&mut grp, 3);
    for p in [0.01, 0.05] {
        let params = IcParams { prob: EdgeProb::Uniform(p) };
        let mut scratch = ic::Scratch::new(g.len());
        let mut r = 0u32;
        grp.bench_function(format!("ic_final_reach_p{p}"), |b| {
            b.iter(|| {
                r = r.wrapping_add(1);
                black_box(ic::final_reach(&params, &g, &s, dynamics_key(1, r), &mut scratch))
            })
        });
    }
    let params = IcParams { prob: EdgeProb::Uniform(0.05) };
    let mut scratch = ic::Scratch::new(g.len());
    let mut out = Trajectory::new(100);
    let mut r = 0u32;
    grp.bench_function("ic_trajectory_p0.05_100steps", |b| {
        b.iter(|| {
            r = r.wrapping_add(1);
            let input =
                ReplicateInput { graph: &g, population: &community, seeds: &s, dynamics_key: dynamics_key(1, r) };
            ic::simulate(&params, &input, &mut scratch, &mut out);
            black_box(out.last()[0])
        })
    });
    // The chain model with the parameters that make it IC at p = 0.05 (same
    // cascade law as the line above), then with its defaults.
    let as_ic = RcParams {
        share: rc::Valenced { good: 0.05, bad: 0.05 },
        talk: rc::Valenced { good: 1, bad: 1 },
        act: 1.0,
        quality: 1.0,
        ask: 1.0,
        defense: 0.0,
        trickle: rc::Trickle { conversion: 0.0, recruit_rate: 0.0, recruit_cap: 0 },
        roles: rc::RoleTable::neutral(),
        openness: 0.0,
        ..RcParams::default()
    };
    let cases = [
        ("rc_as_ic_p0.05_100steps", as_ic, &community),
        ("rc_default_community_100steps", RcParams::default(), &community),
        ("rc_default_drawn_population_100steps", RcParams::default(), &drawn),
    ];
    for (name, params, pop) in cases {
        let mut scratch = rc::Scratch::new(g.len());
        let mut r = 0u32;
        grp.bench_function(name, |b| {
            b.iter(|| {
                r = r.wrapping_add(1);
                let input = ReplicateInput { graph: &g, population: pop, seeds: &s, dynamics_key: dynamics_key(1, r) };
                rc::simulate(&params, &input, &mut scratch, &mut out);
                black_box(out.last()[0])
            })
        });
    }
    grp.finish();
}

fn loading(c: &mut Criterion) {
    let g = ba();
    let mut file = tempfile::NamedTempFile::new().expect("temp file");
    {
        let mut w = std::io::BufWriter::new(file.as_file_mut());
        for u in 0..g.n() {
            for &v in g.listeners(u) {
                if u < v {
                    writeln!(w, "{u} {v}").expect("write edge list");
                }
            }
        }
        w.flush().expect("flush edge list");
    }
    let path = file.path().to_path_buf();
    let mut grp = c.benchmark_group("loading");
    modest(&mut grp, 5);
    grp.bench_function("edgelist_load_ba100k_500k_edges", |b| {
        b.iter(|| black_box(edgelist::load(&path, false).expect("load").num_arcs()))
    });
    grp.finish();
}

fn seeding(c: &mut Criterion) {
    let g = ba();
    let pop = Population::community(g.len());
    let model = ModelSpec::IndependentCascade(IcParams { prob: EdgeProb::Uniform(0.05) });
    let ctx = SeedingContext {
        graph: &g,
        population: &pop,
        model: &model,
        steps: 50,
        seed: 3,
        strategy_key: 0,
        draw: None,
        progress: None,
    };
    let mut grp = c.benchmark_group("seeding_ba100k_50");
    modest(&mut grp, 3);
    let kinds = [
        StrategyKind::TopDegree,
        StrategyKind::DegreeDiscount { p: 0.05 },
        StrategyKind::PageRank { damping: 0.85, tolerance: 1e-6, max_iter: 100 },
        StrategyKind::Ris { epsilon: 0.5, ell: 1.0 },
    ];
    for kind in kinds {
        let spec = StrategySpec {
            name: kind.name().into(),
            kind: kind.clone(),
            pool: Some(Pool::Everyone),
            budget: Budget::People(50),
            cost: CostModel::default(),
            reseed: womsim::seeding::Reseed::Once,
        };
        grp.bench_function(kind.name(), |b| b.iter(|| black_box(select(&spec, &ctx).expect("seeds").seeds.len())));
    }
    grp.finish();
}

criterion_group!(benches, propagation, loading, seeding);
criterion_main!(benches);
