//! Criterion benchmarks of the run path users run (`womsim run` minus file
//! writing): the no-campaign baseline, seeds, replicates and every summary
//! statistic, through `womsim::pipeline`. Run: `cargo bench --bench run_path`.
//!
//! `steps_flat`: the same independent-cascade job (Barabási–Albert,
//! n = 10,000, m = 3, p = 0.05, top 20 by degree, 64 replicates; every
//! cascade ends within about 40 steps) with `steps` = 100, 1,000 and
//! 100,000. Trajectories are stored only up to quiescence and aggregated in
//! O(stored rows), so the three should cost the same.

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use womsim::graph::generators::{generate, GeneratorSpec};
use womsim::models::{EdgeProb, IcParams, ModelSpec};
use womsim::pipeline::{self, World};
use womsim::population::Population;
use womsim::runner::RunConfig;
use womsim::seeding::{Budget, CostModel, Reseed, StrategyKind, StrategySpec};

fn steps_flat(c: &mut Criterion) {
    let g = generate(&GeneratorSpec::BarabasiAlbert { nodes: 10_000, m: 3 }, 42).expect("BA graph");
    let pop = Population::community(g.len());
    let model = ModelSpec::IndependentCascade(IcParams { prob: EdgeProb::Uniform(0.05) });
    let spec = StrategySpec {
        name: "top".into(),
        kind: StrategyKind::TopDegree,
        pool: None,
        budget: Budget::People(20),
        cost: CostModel::default(),
        reseed: Reseed::Once,
    };
    let mut grp = c.benchmark_group("steps_flat_ic_ba10k_64reps");
    grp.sample_size(20).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(4));
    for steps in [100u32, 1_000, 100_000] {
        let world = World {
            graph: &g,
            population: &pop,
            model: &model,
            cfg: RunConfig { steps, replicates: 64, seed: 1 },
            seeding_progress: None,
            draws: &[],
        };
        grp.bench_function(format!("steps_{steps}"), |b| {
            b.iter(|| {
                let cells = pipeline::plan(&world, std::slice::from_ref(&spec), &[]).expect("seeds");
                let base = pipeline::simulate_baseline(&world, &cells, &|| {});
                let run = pipeline::simulate_cell(&world, &cells[0], &base, &|| {});
                pipeline::strategy_summary(world.graph, &cells[0], 0, &run, &base, None)
            })
        });
    }
    grp.finish();
}

criterion_group!(benches, steps_flat);
criterion_main!(benches);
