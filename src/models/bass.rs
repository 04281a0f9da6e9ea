//! Network Bass diffusion.
//! TODO(engine): implementation, docs, oracle tests.

use super::ReplicateInput;
use crate::metrics::Trajectory;

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

pub struct Scratch {}

impl Scratch {
    pub fn new(_n: usize) -> Self {
        Scratch {}
    }
}

pub fn simulate(_p: &BassParams, _input: &ReplicateInput<'_>, _s: &mut Scratch, _out: &mut Trajectory) {
    todo!("bass")
}
