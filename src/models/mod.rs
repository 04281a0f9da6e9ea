//! Propagation models, all on the same engine conventions:
//!
//! * discrete time, **synchronous** steps: step `t + 1` is computed from the
//!   state at the end of step `t` only (messages sent in a step are heard at
//!   its end; nobody hears and re-transmits within one step);
//! * row 0 of the [`Trajectory`] is the state right after seeding;
//! * randomness comes only from `ReplicateInput::dynamics_key`, which is the
//!   same for every strategy in a replicate (common random numbers);
//! * work per step is proportional to the active nodes and their arcs; scratch
//!   space is reused across replicates with O(1) reset (epoch stamps).

#![warn(clippy::undocumented_unsafe_blocks)]

pub mod bass;
pub mod ic;
pub mod icn;
pub(crate) mod kernel;
pub mod lt;
pub mod params;
pub mod rc;
pub mod sir;

use crate::graph::Graph;
use crate::metrics::Trajectory;
use crate::population::Population;

pub use params::{BassParams, Dilution, EdgeProb, IcParams, IcnParams, LtParams, RcParams, SirParams};

/// A model and its parameters.
#[derive(Debug, Clone, PartialEq)]
// One `ModelSpec` per scenario, read in place by every replicate: the chain
// model's larger variant costs a few hundred bytes once, and boxing it would
// only add an indirection.
#[allow(clippy::large_enum_variant)]
pub enum ModelSpec {
    /// The headline word-of-mouth model (`relationship_chain`).
    RelationshipChain(RcParams),
    /// Independent cascade, Kempe et al. 2003 (`independent_cascade`).
    IndependentCascade(IcParams),
    /// IC with negative opinions, Chen et al. 2011 (`ic_n`).
    IcN(IcnParams),
    /// Linear threshold (`linear_threshold`).
    LinearThreshold(LtParams),
    /// Network Bass diffusion (`bass`).
    Bass(BassParams),
    /// Discrete-time SIR (`sir`).
    Sir(SirParams),
}

impl ModelSpec {
    /// Scenario name of the model kind.
    pub fn kind(&self) -> &'static str {
        match self {
            ModelSpec::RelationshipChain(_) => "relationship_chain",
            ModelSpec::IndependentCascade(_) => "independent_cascade",
            ModelSpec::IcN(_) => "ic_n",
            ModelSpec::LinearThreshold(_) => "linear_threshold",
            ModelSpec::Bass(_) => "bass",
            ModelSpec::Sir(_) => "sir",
        }
    }

    /// Whether the model has friends/ambassador roles (only the chain model).
    pub fn has_roles(&self) -> bool {
        matches!(self, ModelSpec::RelationshipChain(_))
    }

    /// Whether reach and action differ (classic models: activation = both).
    pub fn separates_action(&self) -> bool {
        matches!(self, ModelSpec::RelationshipChain(_))
    }

    /// Whether good/bad valence is modelled.
    pub fn has_valence(&self) -> bool {
        matches!(self, ModelSpec::RelationshipChain(_) | ModelSpec::IcN(_))
    }
}

/// What one replicate needs besides the model parameters.
#[derive(Debug, Clone, Copy)]
pub struct ReplicateInput<'a> {
    pub graph: &'a Graph,
    /// Roles before seeding (all `Community` for classic models).
    pub population: &'a Population,
    /// Seed nodes (dense ids, distinct). In the chain model they become
    /// ambassadors; in classic models they are active at step 0.
    pub seeds: &'a [u32],
    /// Key of this replicate's dynamics stream:
    /// `rng::derive_key(seed, "dynamics", &[replicate])`.
    pub dynamics_key: u64,
}

/// Per-worker scratch space, reused across replicates. Each model allocates
/// its part on first use, sized to the graph.
#[derive(Default)]
pub struct Scratch {
    ic: Option<ic::Scratch>,
    icn: Option<icn::Scratch>,
    lt: Option<lt::Scratch>,
    bass: Option<bass::Scratch>,
    sir: Option<sir::Scratch>,
    rc: Option<rc::Scratch>,
}

/// Run one replicate of `spec` for `out.steps()` steps, writing every row of
/// `out`. Deterministic in `(spec, input)`.
pub fn simulate(spec: &ModelSpec, input: &ReplicateInput<'_>, scratch: &mut Scratch, out: &mut Trajectory) {
    let n = input.graph.len();
    match spec {
        ModelSpec::IndependentCascade(p) => {
            let s = scratch.ic.get_or_insert_with(|| ic::Scratch::new(n));
            ic::simulate(p, input, s, out)
        }
        ModelSpec::IcN(p) => {
            let s = scratch.icn.get_or_insert_with(|| icn::Scratch::new(n));
            icn::simulate(p, input, s, out)
        }
        ModelSpec::LinearThreshold(p) => {
            let s = scratch.lt.get_or_insert_with(|| lt::Scratch::new(n));
            lt::simulate(p, input, s, out)
        }
        ModelSpec::Bass(p) => {
            let s = scratch.bass.get_or_insert_with(|| bass::Scratch::new(n));
            bass::simulate(p, input, s, out)
        }
        ModelSpec::Sir(p) => {
            let s = scratch.sir.get_or_insert_with(|| sir::Scratch::new(n));
            sir::simulate(p, input, s, out)
        }
        ModelSpec::RelationshipChain(p) => {
            let s = scratch.rc.get_or_insert_with(|| rc::Scratch::new(n));
            rc::simulate(p, input, s, out)
        }
    }
}

/// Whether node `v` has acted (in the classic models: is or was active) at
/// the end of the replicate last simulated by [`simulate`] with `scratch`
/// and `spec`. O(1). Used to tell, in the no-campaign world, which of a
/// strategy's seeds would have acted anyway.
pub fn has_acted(spec: &ModelSpec, scratch: &Scratch, v: u32) -> bool {
    match spec {
        ModelSpec::IndependentCascade(_) => scratch.ic.as_ref().is_some_and(|s| s.has_acted(v)),
        ModelSpec::IcN(_) => scratch.icn.as_ref().is_some_and(|s| s.has_acted(v)),
        ModelSpec::LinearThreshold(_) => scratch.lt.as_ref().is_some_and(|s| s.has_acted(v)),
        ModelSpec::Bass(_) => scratch.bass.as_ref().is_some_and(|s| s.has_acted(v)),
        ModelSpec::Sir(_) => scratch.sir.as_ref().is_some_and(|s| s.has_acted(v)),
        ModelSpec::RelationshipChain(_) => scratch.rc.as_ref().is_some_and(|s| s.has_acted(v)),
    }
}

/// What happened to node `v` in the replicate last simulated with `scratch`
/// and `spec`: `None` if it never heard, else `Some(bad)` with `bad` the
/// valence it ended with (the chain model: its opinion's sign, as
/// `reached_bad` counts; IC-N: negative activation; the other models have
/// no bad news). O(1). Used for per-person results (`people.csv`).
pub fn heard(spec: &ModelSpec, scratch: &Scratch, v: u32) -> Option<bool> {
    match spec {
        ModelSpec::RelationshipChain(_) => scratch.rc.as_ref().and_then(|s| s.reached_bad(v)),
        ModelSpec::IcN(_) => scratch.icn.as_ref().filter(|s| s.has_acted(v)).map(|s| s.is_negative(v)),
        _ => has_acted(spec, scratch, v).then_some(false),
    }
}
