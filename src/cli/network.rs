//! Building the network and population of a scenario, and describing them.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Context;
use womsim::graph::{generators, Graph};
use womsim::population::Population;
use womsim::results::{DegreeRow, NetworkInfo};
use womsim::scenario::{NetworkSource, Scenario};

/// Load an edge list through the graph module.
///
/// MERGE NOTE: the graph helper's loader was not available on this branch;
/// replace the body with
/// `womsim::graph::edgelist::load(path, directed).map_err(anyhow::Error::new)`
/// (or whatever its final signature is). Its errors name file and line.
fn load_edge_list(path: &Path, directed: bool) -> anyhow::Result<Graph> {
    womsim::graph::edgelist::load(path, directed).map_err(anyhow::Error::new)
}

/// Build the scenario's network. Every error is invalid input (exit 2): bad
/// generator parameters, unreadable or malformed edge lists.
pub fn build(scenario: &Scenario) -> anyhow::Result<Graph> {
    match &scenario.network {
        NetworkSource::Generated(spec) => generators::generate(spec, scenario.seed)
            .map_err(anyhow::Error::new)
            .with_context(|| format!("cannot generate the {} network", spec.kind())),
        NetworkSource::EdgeList { path, directed } => {
            load_edge_list(path, *directed).with_context(|| format!("cannot load the edge list {}", path.display()))
        }
    }
}

/// Roles before seeding: drawn from the population stream in the chain
/// model, everyone a community member in the classic models.
pub fn population(scenario: &Scenario, g: &Graph) -> Population {
    if scenario.model.has_roles() {
        Population::draw(g, &scenario.population, scenario.seed)
    } else {
        Population::community(g.len())
    }
}

/// Kind of network for the results (`edge_list` or the generator name).
pub fn kind(scenario: &Scenario) -> &'static str {
    match &scenario.network {
        NetworkSource::Generated(spec) => spec.kind(),
        NetworkSource::EdgeList { .. } => "edge_list",
    }
}

/// Network facts recorded in `summary.json`.
pub fn info(scenario: &Scenario, g: &Graph) -> NetworkInfo {
    NetworkInfo {
        kind: kind(scenario).to_string(),
        nodes: g.len() as u64,
        edges: g.num_edges() as u64,
        directed: g.is_directed(),
    }
}

/// Histogram of follower counts (out-degrees), ascending, zero counts
/// omitted. O(V + max degree).
pub fn follower_histogram(g: &Graph) -> Vec<DegreeRow> {
    let mut counts: Vec<u64> = Vec::new();
    for u in 0..g.n() {
        let d = g.followers(u) as usize;
        if d >= counts.len() {
            counts.resize(d + 1, 0);
        }
        counts[d] += 1;
    }
    counts.iter().enumerate().filter(|(_, &c)| c > 0).map(|(d, &c)| DegreeRow { degree: d as u32, count: c }).collect()
}

/// Weakly connected components: (count, size of the largest). O(V + E)
/// with union–find (path halving, union by size).
fn components(g: &Graph) -> (usize, usize) {
    let n = g.len();
    let mut parent: Vec<u32> = (0..n as u32).collect();
    let mut size = vec![1u32; n];
    fn find(p: &mut [u32], mut x: u32) -> u32 {
        while p[x as usize] != x {
            p[x as usize] = p[p[x as usize] as usize];
            x = p[x as usize];
        }
        x
    }
    for u in 0..g.n() {
        for &v in g.listeners(u) {
            let (a, b) = (find(&mut parent, u), find(&mut parent, v));
            if a != b {
                let (big, small) = if size[a as usize] >= size[b as usize] { (a, b) } else { (b, a) };
                parent[small as usize] = big;
                size[big as usize] += size[small as usize];
            }
        }
    }
    let mut count = 0;
    let mut largest = 0;
    for u in 0..n as u32 {
        if find(&mut parent, u) == u {
            count += 1;
            largest = largest.max(size[u as usize] as usize);
        }
    }
    (count, largest)
}

/// Human-readable network statistics (`womsim validate`).
pub fn describe(scenario: &Scenario, g: &Graph, pop: &Population) -> String {
    let mut s = String::new();
    let n = g.len();
    let _ = writeln!(
        s,
        "network: {} — {} nodes, {} {} edges",
        kind(scenario),
        n,
        g.num_edges(),
        if g.is_directed() { "directed" } else { "undirected" }
    );
    if n == 0 {
        return s;
    }
    let mut f: Vec<u32> = (0..g.n()).map(|u| g.followers(u)).collect();
    f.sort_unstable();
    let mean = f.iter().map(|&d| f64::from(d)).sum::<f64>() / n as f64;
    let pct = |q: f64| f[((n - 1) as f64 * q).round() as usize];
    let _ = writeln!(
        s,
        "followers (out-degree): min {}, median {}, mean {:.2}, p90 {}, p99 {}, max {}",
        f[0],
        pct(0.5),
        mean,
        pct(0.9),
        pct(0.99),
        f[n - 1]
    );
    let isolated = (0..g.n()).filter(|&u| g.out_degree(u) == 0 && g.in_degree(u) == 0).count();
    let middle = f.iter().filter(|&&d| (20..=100).contains(&d)).count();
    let (comps, largest) = components(g);
    let _ = writeln!(s, "isolated nodes: {isolated}; nodes with 20–100 followers (magic middle): {middle}");
    let _ = writeln!(
        s,
        "weakly connected components: {comps}; largest: {largest} nodes ({:.1}%)",
        100.0 * largest as f64 / n as f64
    );
    if scenario.model.has_roles() {
        let _ = writeln!(
            s,
            "friends of the organization: {} ({:.1}%)",
            pop.num_friends(),
            100.0 * pop.num_friends() as f64 / n as f64
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use womsim::graph::Labels;

    #[test]
    fn histogram_and_components_of_a_small_graph() {
        // Star 0–{1,2,3} plus the separate edge 4–5 and isolated node 6.
        let g = Graph::from_edges(7, false, &[(0, 1), (0, 2), (0, 3), (4, 5)], None, Labels::Dense).unwrap();
        let h = follower_histogram(&g);
        assert_eq!(
            h,
            vec![
                DegreeRow { degree: 0, count: 1 },
                DegreeRow { degree: 1, count: 5 },
                DegreeRow { degree: 3, count: 1 }
            ]
        );
        assert_eq!(components(&g), (3, 4));
    }

    #[test]
    fn directed_histogram_counts_followers() {
        let g = Graph::from_edges(3, true, &[(0, 1), (0, 2), (1, 2)], None, Labels::Dense).unwrap();
        let h = follower_histogram(&g);
        assert_eq!(
            h,
            vec![
                DegreeRow { degree: 0, count: 1 },
                DegreeRow { degree: 1, count: 1 },
                DegreeRow { degree: 2, count: 1 }
            ]
        );
        assert_eq!(components(&g), (1, 3));
    }
}
