//! Independent cascade (Kempe, Kleinberg & Tardos 2003).
//! TODO(engine): implementation, docs, oracle tests.

use super::ReplicateInput;
use crate::metrics::Trajectory;

/// Where an arc's activation probability comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum EdgeProb {
    /// The same probability on every arc, in [0, 1].
    Uniform(f64),
    /// The graph's per-arc weights (third column of the edge list).
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

/// Reusable per-worker state.
pub struct Scratch {}

impl Scratch {
    pub fn new(_n: usize) -> Self {
        Scratch {}
    }
}

pub fn simulate(_p: &IcParams, _input: &ReplicateInput<'_>, _s: &mut Scratch, _out: &mut Trajectory) {
    todo!("independent cascade")
}
