//! Helpers shared by the integration tests. Each test crate uses a subset,
//! hence the `dead_code` allowance.
#![allow(dead_code)]

use womsim::graph::generators::{generate, GeneratorSpec};
use womsim::graph::{Graph, Labels};

/// A graph with dense ids from an edge list (panics on a bad list: test input).
pub fn graph(n: usize, directed: bool, edges: &[(u32, u32)], weights: Option<&[f32]>) -> Graph {
    Graph::from_edges(n, directed, edges, weights, Labels::Dense).unwrap()
}

/// Undirected path 0 – 1 – … – n−1.
pub fn path(n: u32) -> Graph {
    let e: Vec<(u32, u32)> = (0..n - 1).map(|i| (i, i + 1)).collect();
    graph(n as usize, false, &e, None)
}

/// A network from `graph::generators` (seeded like a scenario's network).
pub fn generated(spec: GeneratorSpec, seed: u64) -> Graph {
    generate(&spec, seed).unwrap_or_else(|e| panic!("{spec:?}: {e}"))
}

/// Undirected Erdős–Rényi G(n, c/(n−1)).
pub fn erdos_renyi(nodes: u32, mean_degree: f64, seed: u64) -> Graph {
    generated(GeneratorSpec::ErdosRenyi { nodes, mean_degree }, seed)
}

/// Directed follower graph: each node follows about `follows` accounts,
/// preferentially popular ones (heavy-tailed follower counts), with 20%
/// follow-back.
pub fn follower(nodes: u32, follows: u32, seed: u64) -> Graph {
    generated(GeneratorSpec::Follower { nodes, follows, reciprocity: 0.2 }, seed)
}

/// Sample mean and (unbiased) standard deviation.
pub fn mean_sd(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let m = x.iter().sum::<f64>() / n;
    let v = x.iter().map(|a| (a - m) * (a - m)).sum::<f64>() / (n - 1.0);
    (m, v.sqrt())
}
