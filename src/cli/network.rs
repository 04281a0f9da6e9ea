//! Building the network and population of a scenario, and describing them.

use std::fmt::Write as _;

use anyhow::Context;
use womsim::graph::stats::{self, NetworkStats};
use womsim::graph::{edgelist, generators, Graph};
use womsim::models::{EdgeProb, ModelSpec};
use womsim::population::Population;
use womsim::results::{DegreeRow, NetworkInfo};
use womsim::scenario::{NetworkSource, Scenario};

/// Build the scenario's network. Every error is invalid input (exit 2): bad
/// generator parameters, unreadable or malformed edge lists.
pub fn build(scenario: &Scenario) -> anyhow::Result<Graph> {
    build_with_stats(scenario).map(|(g, _)| g)
}

/// [`build`], plus the network statistics (including what the edge-list
/// loader dropped or merged). O(V + E) on top of building.
pub fn build_with_stats(scenario: &Scenario) -> anyhow::Result<(Graph, NetworkStats)> {
    match &scenario.network {
        NetworkSource::Generated(spec) => {
            let g = generators::generate(spec, scenario.seed)
                .map_err(anyhow::Error::new)
                .with_context(|| format!("cannot generate the {} network", spec.kind()))?;
            let st = stats::compute(&g);
            Ok((g, st))
        }
        NetworkSource::EdgeList { path, directed, ids } => {
            let opts = edgelist::Options::new(*directed).ids(*ids);
            let (g, info) = edgelist::load_with_options(path, &opts)
                .map_err(anyhow::Error::new)
                .with_context(|| format!("cannot load the edge list {}", path.display()))?;
            if !info.weighted && uses_edge_weights(&scenario.model) {
                anyhow::bail!(
                    "model.weights = \"edge\" reads the weight column of the edge list, but {} has none \
                     (its lines are `u v`); add a third column with each arc's weight in [0, 1], or choose \
                     weights = \"uniform\" or \"inverse_in_degree\"",
                    path.display()
                );
            }
            let st = stats::compute_loaded(&g, &info);
            Ok((g, st))
        }
    }
}

/// Whether the model reads each arc's weight from the graph (`weights = "edge"`).
fn uses_edge_weights(model: &ModelSpec) -> bool {
    match model {
        ModelSpec::IndependentCascade(p) => p.prob == EdgeProb::Weights,
        ModelSpec::LinearThreshold(p) => p.weights == EdgeProb::Weights,
        _ => false,
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
    stats::degree_histogram(g, true).into_iter().map(|(degree, count)| DegreeRow { degree, count }).collect()
}

/// Human-readable network statistics (`womsim validate`): the general
/// [`NetworkStats`] plus what matters for seeding (follower percentiles,
/// size of the magic middle) and the population. O(V log V).
pub fn describe(scenario: &Scenario, g: &Graph, st: &NetworkStats, pop: &Population) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "network ({}):", kind(scenario));
    for line in st.to_string().lines() {
        let _ = writeln!(s, "  {line}");
    }
    let n = g.len();
    if n == 0 {
        return s;
    }
    let mut f: Vec<u32> = (0..g.n()).map(|u| g.followers(u)).collect();
    f.sort_unstable();
    let pct = |q: f64| f[((n - 1) as f64 * q).round() as usize];
    let _ = writeln!(
        s,
        "  followers (out-degree): min {}, median {}, 90th percentile {}, 99th percentile {}",
        f[0],
        pct(0.5),
        pct(0.9),
        pct(0.99)
    );
    let middle = f.iter().filter(|&&d| (20..=100).contains(&d)).count();
    let _ = writeln!(s, "  magic middle (20–100 followers): {middle} nodes ({:.1}%)", 100.0 * middle as f64 / n as f64);
    if scenario.model.has_roles() {
        let _ = writeln!(
            s,
            "population: {} friends of the organization ({:.1}%)",
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
    }
}
