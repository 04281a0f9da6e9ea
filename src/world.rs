//! A scenario's world: its network (generated, or loaded from a network file)
//! and its population, plus the network facts the results record. This is
//! the first step of a run ([`crate::pipeline`] takes it from here); it reads
//! the edge-list file, the only input besides the scenario.

use anyhow::Context;

use crate::graph::stats::{self, NetworkStats};
use crate::graph::{edgelist, formats, generators, Graph};
use crate::models::{EdgeProb, ModelSpec};
use crate::population::Population;
use crate::results::{DegreeRow, NetworkInfo};
use crate::scenario::{NetworkSource, Scenario};

/// Build the scenario's network. Every error is invalid input (the CLI's
/// exit 2): bad generator parameters, unreadable or malformed edge lists.
pub fn build(scenario: &Scenario) -> anyhow::Result<Graph> {
    build_with_stats(scenario).map(|(g, _)| g)
}

/// [`build`], plus the network statistics (including what the edge-list
/// loader dropped or merged). O(V + E) on top of building.
pub fn build_with_stats(scenario: &Scenario) -> anyhow::Result<(Graph, NetworkStats)> {
    build_within(scenario, None)
}

/// [`build_with_stats`] within `memory` bytes: an edge list's lines are
/// counted against [`crate::resources::max_edge_lines`] as they are read
/// (`None`: no limit beyond the loader's own).
pub fn build_within(scenario: &Scenario, memory: Option<u64>) -> anyhow::Result<(Graph, NetworkStats)> {
    match &scenario.network {
        NetworkSource::Generated(spec) => {
            let g = generators::generate(spec, scenario.seed)
                .map_err(anyhow::Error::new)
                .with_context(|| format!("cannot generate the {} network", spec.kind()))?;
            let st = stats::compute(&g);
            Ok((g, st))
        }
        NetworkSource::EdgeList { path, directed, ids, format, normalize } => {
            let max_edges = memory.map_or(u64::MAX, crate::resources::max_edge_lines);
            let base = edgelist::Options::new(*directed).ids(*ids).max_edges(max_edges);
            let opts = formats::FileOptions { base, format: *format, normalize: *normalize };
            let what = match format.unwrap_or_else(|| formats::Format::from_path(path)) {
                formats::Format::EdgeList => "the edge list",
                _ => "the network file",
            };
            let (g, info) = formats::load(path, &opts)
                .map_err(anyhow::Error::new)
                .with_context(|| format!("cannot load {what} {}", path.display()))?;
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

/// Roles before seeding: read from `population.file`, or drawn from the
/// population stream in the chain model; everyone a community member in the
/// classic models. Errors (invalid input: exit 2) name the file and line of
/// every problem in the population file.
pub fn population(scenario: &Scenario, g: &Graph) -> anyhow::Result<Population> {
    let spec = &scenario.population;
    match &spec.file {
        _ if !scenario.model.has_roles() => Ok(Population::community(g.len())),
        Some(path) => crate::population_file::load(path, g, spec.nps).map_err(|errs| {
            anyhow::anyhow!("the population file has {} problem(s):\n  {}", errs.len(), errs.join("\n  "))
        }),
        None => Ok(Population::draw(g, spec, scenario.seed)),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Labels;

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
