//! Discrete-time SIR.
//! TODO(engine): implementation, docs, oracle tests.

use super::ReplicateInput;
use crate::metrics::Trajectory;

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

pub struct Scratch {}

impl Scratch {
    pub fn new(_n: usize) -> Self {
        Scratch {}
    }
}

pub fn simulate(_p: &SirParams, _input: &ReplicateInput<'_>, _s: &mut Scratch, _out: &mut Trajectory) {
    todo!("sir")
}
