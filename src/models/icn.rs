//! IC-N: independent cascade with negative opinions (Chen et al. 2011).
//! TODO(engine): implementation, docs, oracle tests.

use super::ReplicateInput;
use crate::metrics::Trajectory;

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

pub struct Scratch {}

impl Scratch {
    pub fn new(_n: usize) -> Self {
        Scratch {}
    }
}

pub fn simulate(_p: &IcnParams, _input: &ReplicateInput<'_>, _s: &mut Scratch, _out: &mut Trajectory) {
    todo!("ic-n")
}
