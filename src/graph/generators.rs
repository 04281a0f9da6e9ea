//! Network generators, each driven by an explicit seeded RNG.
//! TODO(graph): implementations, tests.

use super::{Graph, GraphError};

/// A generated network and its parameters (scenario `[network] kind = …`).
#[derive(Debug, Clone, PartialEq)]
pub enum GeneratorSpec {
    /// `erdos_renyi`: G(n, p) with p = mean_degree / (n - 1); undirected.
    ErdosRenyi { nodes: u32, mean_degree: f64 },
    /// `barabasi_albert`: preferential attachment, `m` edges per new node; undirected.
    BarabasiAlbert { nodes: u32, m: u32 },
    /// `watts_strogatz`: ring lattice of even degree `k`, rewired with probability `beta`; undirected.
    WattsStrogatz { nodes: u32, k: u32, beta: f64 },
    /// `sbm`: stochastic block model with `sizes` blocks; undirected.
    Sbm { sizes: Vec<u32>, p_in: f64, p_out: f64 },
    /// `follower`: directed; each node follows about `follows` accounts chosen
    /// preferentially by follower count (heavy-tailed follower counts), and a
    /// followed account follows back with probability `reciprocity`.
    Follower { nodes: u32, follows: u32, reciprocity: f64 },
    /// `configuration`: power-law degree sequence P(k) ∝ k^-exponent on
    /// [min_degree, max_degree], stubs matched at random; loops and multi-edges
    /// dropped; undirected.
    Configuration { nodes: u32, exponent: f64, min_degree: u32, max_degree: u32 },
    /// `random_regular`: every node has exactly `degree` neighbours; undirected.
    RandomRegular { nodes: u32, degree: u32 },
    /// `complete`: every pair connected; undirected.
    Complete { nodes: u32 },
    /// `ring`: cycle, each node linked to its two neighbours; undirected.
    Ring { nodes: u32 },
}

impl GeneratorSpec {
    /// Scenario name of the generator.
    pub fn kind(&self) -> &'static str {
        match self {
            GeneratorSpec::ErdosRenyi { .. } => "erdos_renyi",
            GeneratorSpec::BarabasiAlbert { .. } => "barabasi_albert",
            GeneratorSpec::WattsStrogatz { .. } => "watts_strogatz",
            GeneratorSpec::Sbm { .. } => "sbm",
            GeneratorSpec::Follower { .. } => "follower",
            GeneratorSpec::Configuration { .. } => "configuration",
            GeneratorSpec::RandomRegular { .. } => "random_regular",
            GeneratorSpec::Complete { .. } => "complete",
            GeneratorSpec::Ring { .. } => "ring",
        }
    }
}

/// Generate the network from the `network` stream of `seed`.
pub fn generate(_spec: &GeneratorSpec, _seed: u64) -> Result<Graph, GraphError> {
    todo!("generators")
}
