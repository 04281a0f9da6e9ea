//! Criterion benchmarks of the fits (issue 22, "Speed"): the exact
//! independent-cascade likelihood fit on 500 real cascades (target: under
//! 1 second), and the Bass nonlinear least-squares fit of one classic series.
//!
//! `cargo bench --bench fit`

use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use womsim::fit::bass::fit_bass_nls;
use womsim::fit::cascades::{read_cascades_lines_with, CascadeOptions, UnknownNodes};
use womsim::fit::ic_mle::fit_ic_mle;
use womsim::graph::edgelist;

fn fits(c: &mut Criterion) {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/data");
    let graph = edgelist::load(&data.join("stackexchange_android_graph.txt.gz"), false).unwrap();
    let opts = CascadeOptions { step_length: 86_400.0, unknown: UnknownNodes::Skip };
    let mut cascades = Vec::new();
    for split in ["train", "val", "test"] {
        let path = data.join(format!("stackexchange_android_{split}.txt.gz"));
        cascades.extend(read_cascades_lines_with(&path, &graph, &opts).unwrap().cascades);
    }
    cascades.truncate(500);
    assert_eq!(cascades.len(), 500);
    let mut g = c.benchmark_group("fit");
    g.sample_size(20).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(5));
    g.bench_function("ic_mle_500_stackexchange_cascades", |b| b.iter(|| fit_ic_mle(&graph, &cascades).unwrap()));
    // Room air conditioners, 13 years (Bass 1969).
    let x = [96.0, 195.0, 238.0, 380.0, 1045.0, 1230.0, 1267.0, 1828.0, 1586.0, 1673.0, 1800.0, 1580.0, 1500.0];
    g.bench_function("bass_nls_13_periods", |b| b.iter(|| fit_bass_nls(&x).unwrap()));
    g.finish();
}

criterion_group!(benches, fits);
criterion_main!(benches);
