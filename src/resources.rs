//! How much memory and work a scenario needs, estimated before anything is
//! allocated, so that a run that cannot fit is refused up front (exit 2 in
//! the CLI) instead of aborting minutes in, and `validate` can show it.
//!
//! The estimate is deliberately simple and on the high side; every term
//! says where it comes from:
//!
//! * **network** — the CSR keeps both directions: 8 bytes per arc and per
//!   node, plus up to 16 bytes per node of original ids; building it needs
//!   the edge list (8 bytes per arc) beside the result, so the peak is
//!   counted as 24 bytes per arc and 24 per node. Arcs are the generator's
//!   expected count, or, for an edge list, two arcs per 4 bytes of file
//!   (the shortest edge line, `1 2\n`, bounds the edges from above; gzip
//!   files are counted at 8× their size).
//! * **workers** — each worker thread's scratch space: about 48 bytes per
//!   node (the chain model's record, defence cache and ambassador stamps;
//!   the classic models need less).
//! * **kept trajectories** — a strategy's replicates are kept until they are
//!   aggregated: 128 bytes per stored row, rows up to quiescence, counted as
//!   `min(steps + 1, 1000)` per replicate (cascades that run longer than
//!   1,000 steps are rare; the bound keeps a huge `steps` from refusing runs
//!   that end in 50).
//! * **outputs** — `timeseries.csv` is assembled in memory (about 1 KB per
//!   row: 48 numbers), plus `replicates.csv` and `seeds.csv` rows.

use crate::graph::generators::GeneratorSpec;
use crate::scenario::{NetworkSource, Scenario};
use crate::seeding::{Budget, StrategyKind};

/// Bytes of one stored trajectory row (16 metrics × 8 bytes).
const ROW_BYTES: u64 = 128;
/// Rows counted per replicate at most (see the module docs).
const MAX_COUNTED_ROWS: u64 = 1000;
/// Scratch bytes per node per worker thread.
const SCRATCH_PER_NODE: u64 = 48;
/// Peak bytes per arc and per node while the network is built.
const GRAPH_PER_ARC: u64 = 24;
const GRAPH_PER_NODE: u64 = 24;
/// Bytes of one `timeseries.csv` row in memory.
const TIMESERIES_ROW: u64 = 1024;
/// The CSR indexes arcs with `u32`.
pub const MAX_ARCS: u64 = u32::MAX as u64;

/// Memory (bytes) and work of a scenario.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    pub nodes: u64,
    pub arcs: u64,
    pub network: u64,
    pub workers: u64,
    pub kept: u64,
    pub outputs: u64,
    /// Simulations the run performs (strategies and sweep points × replicates,
    /// the no-campaign baseline included; greedy's own are in `greedy_simulations`).
    pub simulations: u64,
    /// Simulations greedy strategies need to choose their seeds (first CELF
    /// round: pool × replicates, bounded by nodes × replicates; later rounds
    /// are typically a small multiple of the budget).
    pub greedy_simulations: u64,
}

impl Estimate {
    /// Total bytes at the peak.
    pub fn total(&self) -> u64 {
        self.network.saturating_add(self.workers).saturating_add(self.kept).saturating_add(self.outputs)
    }
}

/// Expected (nodes, arcs) of a generated network.
pub fn generated_size(spec: &GeneratorSpec) -> (u64, u64) {
    match spec {
        GeneratorSpec::ErdosRenyi { nodes, mean_degree } => {
            (u64::from(*nodes), (f64::from(*nodes) * mean_degree.max(0.0)) as u64)
        }
        GeneratorSpec::BarabasiAlbert { nodes, m } => (u64::from(*nodes), 2 * u64::from(*nodes) * u64::from(*m)),
        GeneratorSpec::WattsStrogatz { nodes, k, .. } => (u64::from(*nodes), u64::from(*nodes) * u64::from(*k)),
        GeneratorSpec::Sbm { sizes, p_in, p_out } => {
            let n: f64 = sizes.iter().map(|&s| f64::from(s)).sum();
            let within: f64 = sizes.iter().map(|&s| f64::from(s) * f64::from(s)).sum();
            (n as u64, (p_in * within + p_out * (n * n - within)).max(0.0) as u64)
        }
        GeneratorSpec::Follower { nodes, follows, reciprocity } => {
            (u64::from(*nodes), (f64::from(*nodes) * f64::from(*follows) * (1.0 + reciprocity)) as u64)
        }
        GeneratorSpec::Configuration { nodes, exponent, min_degree, max_degree } => {
            // Mean of P(k) ∝ k^-exponent on [min, max], summed exactly when the
            // range is small and by the integral otherwise.
            let (lo, hi) = (f64::from((*min_degree).max(1)), f64::from((*max_degree).max(1)));
            let mean = if hi - lo <= 10_000.0 {
                let (mut w, mut kw) = (0.0, 0.0);
                let mut k = lo;
                while k <= hi {
                    let p = k.powf(-exponent);
                    w += p;
                    kw += k * p;
                    k += 1.0;
                }
                kw / w
            } else {
                let a = *exponent;
                let int = |p: f64| {
                    if (p + 1.0).abs() < 1e-12 {
                        hi.ln() - lo.ln()
                    } else {
                        (hi.powf(p + 1.0) - lo.powf(p + 1.0)) / (p + 1.0)
                    }
                };
                int(1.0 - a) / int(-a)
            };
            (u64::from(*nodes), (f64::from(*nodes) * mean) as u64)
        }
        GeneratorSpec::RandomRegular { nodes, degree } => (u64::from(*nodes), u64::from(*nodes) * u64::from(*degree)),
        GeneratorSpec::Complete { nodes } => {
            let n = u64::from(*nodes);
            (n, n.saturating_mul(n.saturating_sub(1)))
        }
        GeneratorSpec::Ring { nodes } => (u64::from(*nodes), 2 * u64::from(*nodes)),
    }
}

/// Upper bound on (nodes, arcs) of an edge list of `file_bytes` bytes
/// (`gzip`: compressed size).
pub fn edge_list_size(file_bytes: u64, gzip: bool) -> (u64, u64) {
    let text = if gzip { file_bytes.saturating_mul(8) } else { file_bytes };
    let edges = text / 4;
    (edges.saturating_mul(2), edges.saturating_mul(2))
}

/// Estimate `s` run with `threads` workers. `edge_list` is the (bytes,
/// gzip) of the edge-list file when the network is one.
pub fn estimate(s: &Scenario, threads: usize, edge_list: Option<(u64, bool)>) -> Estimate {
    let (nodes, arcs) = match (&s.network, edge_list) {
        (NetworkSource::Generated(g), _) => generated_size(g),
        (NetworkSource::EdgeList { .. }, Some((bytes, gz))) => edge_list_size(bytes, gz),
        (NetworkSource::EdgeList { .. }, None) => (0, 0),
    };
    let r = u64::from(s.replicates);
    let rows = (u64::from(s.steps) + 1).min(MAX_COUNTED_ROWS);
    let sweep_cells: u64 =
        s.strategies.iter().filter(|st| !matches!(st.kind, StrategyKind::Explicit { .. } | StrategyKind::None)).count()
            as u64
            * s.budgets.len() as u64;
    let cells = s.strategies.len() as u64 + sweep_cells;
    let max_seeds = |b: &Budget| match b {
        Budget::People(k) => u64::from(*k),
        Budget::Cost(_) => nodes,
    };
    let seeds_kept: u64 = s
        .strategies
        .iter()
        .filter(|st| st.kind.is_chance_based())
        .map(|st| max_seeds(&st.budget).min(nodes).saturating_mul(r).saturating_mul(12))
        .fold(0u64, u64::saturating_add);
    let greedy_simulations = s
        .strategies
        .iter()
        .map(|st| match st.kind {
            StrategyKind::Greedy { replicates, .. } => nodes.saturating_mul(u64::from(replicates)),
            _ => 0,
        })
        .fold(0u64, u64::saturating_add);
    Estimate {
        nodes,
        arcs,
        network: arcs.saturating_mul(GRAPH_PER_ARC).saturating_add(nodes.saturating_mul(GRAPH_PER_NODE)),
        workers: nodes.saturating_mul(SCRATCH_PER_NODE).saturating_mul(threads.max(1) as u64),
        kept: r.saturating_mul(rows).saturating_mul(ROW_BYTES).saturating_mul(2),
        outputs: (s.strategies.len() as u64 + 1)
            .saturating_mul(u64::from(s.steps) + 1)
            .saturating_mul(TIMESERIES_ROW)
            .saturating_add(r.saturating_mul(cells + 1).saturating_mul(128))
            .saturating_add(seeds_kept),
        simulations: r.saturating_mul(cells + 1),
        greedy_simulations,
    }
}

/// Most edge lines an edge list may have for its network to be built
/// within `memory` bytes: each line can add two arcs of the network's peak
/// ([`GRAPH_PER_ARC`] each, the same model as [`estimate`]). The loader
/// counts lines against it as they arrive, so a small compressed file that
/// inflates to billions of edges is refused before they are allocated.
pub fn max_edge_lines(memory: u64) -> u64 {
    memory / (2 * GRAPH_PER_ARC)
}

/// `bytes` for people: `1.2 GB`, `340 MB`, `12 KB`.
pub fn human(bytes: u64) -> String {
    let b = bytes as f64;
    if b >= 1e9 {
        format!("{:.1} GB", b / 1e9)
    } else if b >= 1e6 {
        format!("{:.0} MB", b / 1e6)
    } else {
        format!("{:.0} KB", (b / 1e3).max(1.0))
    }
}

/// Parse a memory size: `8G`, `512M`, `2.5GB`, `1000000` (bytes).
pub fn parse_size(text: &str) -> Option<u64> {
    let t = text.trim().to_ascii_uppercase();
    let t = t.strip_suffix('B').unwrap_or(&t);
    let (num, mult) = match t.chars().last()? {
        'K' => (&t[..t.len() - 1], 1e3),
        'M' => (&t[..t.len() - 1], 1e6),
        'G' => (&t[..t.len() - 1], 1e9),
        'T' => (&t[..t.len() - 1], 1e12),
        _ => (t, 1.0),
    };
    let v: f64 = num.trim().parse().ok()?;
    (v.is_finite() && v > 0.0 && v * mult < 1.8e19).then_some((v * mult) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::generators::generate;

    #[test]
    fn generated_sizes_are_close_to_the_real_graphs() {
        for spec in [
            GeneratorSpec::ErdosRenyi { nodes: 3000, mean_degree: 8.0 },
            GeneratorSpec::BarabasiAlbert { nodes: 3000, m: 3 },
            GeneratorSpec::WattsStrogatz { nodes: 3000, k: 6, beta: 0.1 },
            GeneratorSpec::Follower { nodes: 3000, follows: 10, reciprocity: 0.2 },
            GeneratorSpec::Configuration { nodes: 3000, exponent: 2.5, min_degree: 2, max_degree: 200 },
            GeneratorSpec::RandomRegular { nodes: 3000, degree: 4 },
            GeneratorSpec::Ring { nodes: 3000 },
            GeneratorSpec::Complete { nodes: 100 },
            GeneratorSpec::Sbm { sizes: vec![1000, 2000], p_in: 0.01, p_out: 0.001 },
        ] {
            let g = generate(&spec, 1).unwrap();
            let (n, arcs) = generated_size(&spec);
            let real = g.num_arcs() as f64;
            assert_eq!(n, g.len() as u64, "{spec:?}");
            assert!((arcs as f64) > 0.6 * real && (arcs as f64) < 1.5 * real, "{spec:?}: {arcs} vs {real}");
        }
    }

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("8G"), Some(8_000_000_000));
        assert_eq!(parse_size("512mb"), Some(512_000_000));
        assert_eq!(parse_size("2.5GB"), Some(2_500_000_000));
        assert_eq!(parse_size("1000"), Some(1000));
        assert_eq!(parse_size("-1G"), None);
        assert_eq!(parse_size("lots"), None);
        assert_eq!(human(1_234_000_000), "1.2 GB");
    }
}
