//! Parameters of the classic models (independent cascade, IC-N, linear
//! threshold, Bass, SIR); each model's rules are in its own module.

/// Where an arc's activation probability comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum EdgeProb {
    /// The same probability on every arc, in [0, 1].
    Uniform(f64),
    /// The graph's per-arc weights (third column of the edge list). A graph
    /// without weights counts as weight 1 on every arc.
    Weights,
    /// Weighted cascade: arc u→v has probability 1 / in_degree(v).
    InverseInDegree,
}

/// Parameters of `independent_cascade`.
#[derive(Debug, Clone, PartialEq)]
pub struct IcParams {
    /// Arc probabilities. Default `Uniform(0.1)`.
    pub prob: EdgeProb,
}

impl Default for IcParams {
    fn default() -> Self {
        IcParams { prob: EdgeProb::Uniform(0.1) }
    }
}

/// Parameters of `ic_n`.
#[derive(Debug, Clone, PartialEq)]
pub struct IcnParams {
    /// Uniform arc probability, in [0, 1]. Default 0.1.
    pub p: f64,
    /// Quality: probability that a node activated by a positive node (or a
    /// seed) turns positive, in [0, 1]. Default 0.8.
    pub quality: f64,
}

impl Default for IcnParams {
    fn default() -> Self {
        IcnParams { p: 0.1, quality: 0.8 }
    }
}

/// Parameters of `linear_threshold`.
#[derive(Debug, Clone, PartialEq)]
pub struct LtParams {
    /// Arc weights b(u,v); each node's incoming weights must sum to <= 1.
    /// Default `InverseInDegree`. `Uniform(w)` gives every arc weight w.
    pub weights: EdgeProb,
}

impl Default for LtParams {
    fn default() -> Self {
        LtParams { weights: EdgeProb::InverseInDegree }
    }
}

/// Parameters of `bass`: adoption hazard `p + q * (adopted sources / sources)`
/// per unit time, integrated over steps of length `dt`.
#[derive(Debug, Clone, PartialEq)]
pub struct BassParams {
    /// Innovation (external influence) rate, >= 0. Default 0.03.
    pub p: f64,
    /// Imitation (word-of-mouth) rate, >= 0. Default 0.38.
    pub q: f64,
    /// Length of one step in model time units, > 0. Default 1.0.
    pub dt: f64,
}

impl Default for BassParams {
    fn default() -> Self {
        BassParams { p: 0.03, q: 0.38, dt: 1.0 }
    }
}

/// Parameters of `sir`.
#[derive(Debug, Clone, PartialEq)]
pub struct SirParams {
    /// Transmission probability per infected–susceptible arc per step, [0, 1]. Default 0.1.
    pub beta: f64,
    /// Recovery probability per step, [0, 1]. Default 0.2.
    pub gamma: f64,
}

impl Default for SirParams {
    fn default() -> Self {
        SirParams { beta: 0.1, gamma: 0.2 }
    }
}
