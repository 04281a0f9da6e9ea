//! Describing a scenario's network and population (`womsim validate`); the
//! building itself is the library's ([`womsim::world`]).

use std::fmt::Write as _;

use womsim::graph::stats::NetworkStats;
use womsim::graph::Graph;
use womsim::population::Population;
use womsim::scenario::Scenario;
pub use womsim::world::{follower_histogram, info, kind, population};

/// Build the scenario's network within the memory this process may use
/// (`--max-memory`, else what the machine and limits allow): an edge list's
/// edges are counted against it as they arrive.
pub fn build_with_stats(s: &Scenario) -> anyhow::Result<(Graph, NetworkStats)> {
    womsim::world::build_within(s, super::resources::limit())
}

/// [`build_with_stats`] without the statistics.
pub fn build(s: &Scenario) -> anyhow::Result<Graph> {
    build_with_stats(s).map(|(g, _)| g)
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
