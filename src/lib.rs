//! # womsim — word-of-mouth propagation simulator
//!
//! womsim simulates how experience, good and bad, travels through a network of
//! people, and compares *whom to seed* (make ambassadors) by how far news
//! reaches (**reach**: heard) and how many people do something about it
//! (**action**: bought, signed up, showed up). Both are always reported.
//!
//! ## Layers
//! * [`graph`] — immutable CSR networks with `u32` ids (generators, edge-list
//!   loader, statistics). An arc `u → v` means *v hears u*.
//! * [`population`] — community, friends (mild / fan / detractor), ambassadors.
//! * [`models`] — the relationship-chain model ([`models::rc`], the headline)
//!   and classic models on the same engine (independent cascade, IC-N, linear
//!   threshold, network Bass, SIR), each tested against a closed form or exact
//!   value.
//! * [`seeding`] — strategies that choose ambassadors under a budget.
//! * [`runner`] — Monte Carlo replicates in parallel (rayon), deterministic.
//! * [`world`] — a scenario's network and population, built.
//! * [`pipeline`] — a whole run: seeds per strategy, the no-campaign
//!   baseline, replicates, and the results contract (lift, paired
//!   differences with Holm–Bonferroni, risk quantiles).
//! * [`stats`], [`metrics`], [`results`] — what is measured and reported.
//! * [`scenario`] — scenario files (TOML) validated into a [`scenario::Scenario`].
//! * [`inputs`] — opening input files safely (regular files only, bounded reads).
//! * [`fit`] — fitting to observed data: Bass curves (least squares), cascade
//!   and curve readers, independent-cascade maximum likelihood, and ABC-SMC
//!   for any simulated model ([`fit::abc`], [`fit::simulate`]).
//!
//! ## Time and one step
//! Time is discrete. One step is one period (a day, say). Updates are
//! **synchronous**: everything that happens in step `t + 1` is decided from the
//! state at the end of step `t`; a person who first hears in step `t + 1` talks
//! from step `t + 2` on. Row 0 of every trajectory is the state right after
//! seeding. See each model's module docs for the exact order within a step.
//!
//! ## Randomness and reproducibility
//! Every random number comes from a named stream ([`rng`]) derived from the
//! scenario seed, a purpose and indices (replicate, node, step) — never from a
//! thread or a global generator. Same scenario and seed ⇒ byte-identical
//! results at any thread count. All strategies in a run share each replicate's
//! dynamics randomness (common random numbers), so their differences are
//! paired and their confidence intervals narrow.
//!
//! ## Purity
//! The engine does no printing and no file writing and knows nothing of the
//! command line; the `womsim` binary (CLI, export, charts, report) sits around
//! it.

pub mod charts;
pub mod export;
pub mod fit;
pub mod graph;
pub mod inputs;
pub mod metrics;
pub mod models;
pub mod people;
pub mod pipeline;
pub mod population;
pub mod population_file;
pub mod prior;
pub mod report;
pub mod resources;
pub mod results;
pub mod rng;
pub mod runner;
pub mod scenario;
pub mod seeding;
pub mod sensitivity;
pub mod stats;
pub mod uncertainty;
pub mod world;
