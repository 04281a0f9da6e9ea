//! Linear threshold model.
//! TODO(engine): implementation, docs, oracle tests.

use super::{EdgeProb, ReplicateInput};
use crate::metrics::Trajectory;

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

pub struct Scratch {}

impl Scratch {
    pub fn new(_n: usize) -> Self {
        Scratch {}
    }
}

pub fn simulate(_p: &LtParams, _input: &ReplicateInput<'_>, _s: &mut Scratch, _out: &mut Trajectory) {
    todo!("linear threshold")
}
