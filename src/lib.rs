//! # womsim — word-of-mouth propagation simulator
//!
//! TODO(engine): crate docs with the model semantics.

pub mod charts;
pub mod graph;
pub mod metrics;
pub mod models;
pub mod population;
pub mod report;
pub mod results;
pub mod rng;
pub mod runner;
pub mod scenario;
pub mod seeding;
pub mod stats;
