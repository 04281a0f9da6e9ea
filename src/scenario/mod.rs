//! Scenario files: raw TOML → validated, resolved [`Scenario`].
//! TODO(scenario): schema, two-step validation, resolved TOML, starter file.

use std::path::PathBuf;

use crate::graph::generators::GeneratorSpec;
use crate::models::ModelSpec;
use crate::population::PopulationSpec;
use crate::seeding::StrategySpec;

/// Where the network comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum NetworkSource {
    Generated(GeneratorSpec),
    /// `path` is already resolved against the scenario file's folder.
    EdgeList {
        path: PathBuf,
        directed: bool,
    },
}

/// The `[output]` table.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputSpec {
    /// Results folder; `None` = `output/<name>/`.
    pub dir: Option<PathBuf>,
    /// Chart file stems to draw (`reach`, `action`, `comparison`, `sentiment`,
    /// `layers`, `network`, `budget`); default all that apply.
    pub charts: Vec<String>,
    /// PNG size in pixels; default 1920×1080.
    pub size: (u32, u32),
    /// Also write `report.html`; default true.
    pub report: bool,
}

impl Default for OutputSpec {
    fn default() -> Self {
        OutputSpec {
            dir: None,
            charts: ["reach", "action", "comparison", "sentiment", "layers", "network", "budget"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            size: (1920, 1080),
            report: true,
        }
    }
}

/// A fully validated scenario with every default filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    pub seed: u64,
    pub replicates: u32,
    pub steps: u32,
    pub network: NetworkSource,
    pub population: PopulationSpec,
    pub model: ModelSpec,
    /// In file order; the first is the reference for paired differences.
    pub strategies: Vec<StrategySpec>,
    /// Budget sweep (`budgets = [...]` at top level); empty = none.
    pub budgets: Vec<f64>,
    pub output: OutputSpec,
    /// The scenario file itself (None when built in code).
    pub source: Option<PathBuf>,
}

// TEMPORARY (cli branch): drop at merge together with api_stub.rs.
mod api_stub;
pub use api_stub::{list_text, load, starter_toml, ScenarioErrors};
