//! Model parameters: what a scenario sets, separate from the rules that use
//! them (each model's module) so that the parameter declarations and the
//! simulation code can change independently.

pub mod classic;
pub mod rc;

pub use classic::{BassParams, EdgeProb, IcParams, IcnParams, LtParams, SirParams};
pub use rc::{Dilution, RcParams, RoleEffect, RoleTable, Trickle, Valenced};
