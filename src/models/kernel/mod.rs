//! The engine kernel: the machinery the models share, with no model rules in
//! it. No model imports another model; they all import from here.
//!
//! * [`gaps`] — the exact geometric skip sampler of the SHARE protocol
//!   (`rng::tag::SHARE`), its derivation, and the same rule written plainly
//!   for the reference models ([`gaps::PlainShare`]);
//! * [`stamps`] — epoch-stamped membership sets (O(1) reset per replicate);
//! * [`tally`] — the classic models' counters and their trajectory row;
//! * [`prefetch`] — the software-prefetch hint used by the hot loops;
//! * [`hugemem`] — zeroed arrays on transparent huge pages for large
//!   random-access state.
//!
//! The pass-by-pass application of the SHARE protocol across all talkers of
//! a step lives in each model that uses it (IC's `spread_uniform`, the chain
//! model's phase (a)): what a success does differs (a bitset insert vs a
//! queued message) and sits in the innermost loop, so the two loops are
//! specialised by hand; both consume exactly the draws of
//! [`gaps::Gaps::for_each_success`], which the equivalence tests check
//! against the plain protocol.

pub(crate) mod gaps;
pub(crate) mod hugemem;
pub(crate) mod prefetch;
pub(crate) mod stamps;
pub(crate) mod tally;

pub(crate) use gaps::{wi_of, Gaps, PlainShare};
pub(crate) use prefetch::prefetch;
pub(crate) use stamps::Stamps;
pub(crate) use tally::Tally;
