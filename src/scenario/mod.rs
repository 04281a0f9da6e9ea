//! Scenario files: raw TOML → validated, resolved [`Scenario`].
//!
//! * [`decl`]: model and population parameters, each declared once (key,
//!   type, range, doc, the field it fills); the schema, parser, resolved file
//!   and starter are derived from the declarations.
//! * [`schema()`]: every table, kind and key with type, range, default and doc,
//!   as data. Validation, `womsim list` ([`list_text`]) and the reference in
//!   `scenarios/README.md` ([`reference_markdown`]) all read it.
//! * [`load`] / [`parse_str`]: step 1 raw (TOML syntax with line and column,
//!   unknown keys with a "did you mean" hint, types and ranges from the
//!   schema), step 2 resolved (defaults, cross-checks such as budget ≤ nodes,
//!   the mix summing to 1, files existing). All problems are collected into
//!   one [`ScenarioErrors`]; each names the key path, the value and what is
//!   allowed. Never panics.
//! * [`Scenario::to_resolved_toml`]: every default filled in; reads back to
//!   the same `Scenario`.
//! * [`starter_toml`]: the commented starter of `womsim new`.
//!
//! Paths: `network.path` and `strategy.file` are relative to the scenario
//! file's folder (the working directory for text without a file) and are
//! resolved to absolute paths; `output.dir` is relative to the working
//! directory, like the default `output/<name>/`.

pub mod decl;
mod parse;
pub mod schema;
pub mod sweep;
pub mod uncertain;
mod write;

pub use parse::span_lines;
pub use parse::{
    load, load_with_sweep, parse_str, parse_with_sweep, printable, Problem, ScenarioErrors, MIX_TOLERANCE,
};
pub use schema::{list_text, reference_markdown, schema, Key, Section, Ty, LIST_TOPICS};
pub use sweep::{Design, Point, Resolver, Sweep, MAX_POINTS};
pub use write::starter_toml;

use std::path::PathBuf;

use crate::graph::generators::GeneratorSpec;
use crate::models::ModelSpec;
use crate::population::PopulationSpec;
use crate::seeding::{Budget, StrategySpec};

/// Where the network comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum NetworkSource {
    Generated(GeneratorSpec),
    /// `path` is already resolved against the scenario file's folder.
    EdgeList {
        path: PathBuf,
        directed: bool,
        /// How ids are read (`network.ids`).
        ids: crate::graph::edgelist::IdMode,
        /// The file's format (`network.format`); `None` = by its extension.
        format: Option<crate::graph::formats::Format>,
        /// How weights that are counts are scaled (`network.normalize_weights`).
        normalize: crate::graph::formats::WeightNorm,
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
    /// Also write the per-person results `people.csv` and `network.gexf`
    /// ([`crate::people`]); default false.
    pub people: bool,
}

impl Default for OutputSpec {
    fn default() -> Self {
        OutputSpec {
            dir: None,
            charts: schema::CHARTS.iter().map(|s| s.to_string()).collect(),
            size: (1920, 1080),
            report: true,
            people: false,
        }
    }
}

/// The `[output]` keys.
impl decl::Declared for OutputSpec {
    fn params() -> Vec<decl::Param<Self>> {
        use decl::{Param, ParamValue};
        use toml::Value;
        vec![
            Param::new(
                "dir",
                Ty::Path,
                "results folder, relative to the working directory",
                |o: &Self| o.dir.as_ref().map(|d| Value::String(d.to_string_lossy().into_owned())),
                |o: &mut Self, v| o.dir = v.as_str().map(PathBuf::from),
            )
            .default_doc("output/<name>/"),
            Param::new(
                "charts",
                Ty::ChoiceList(schema::CHARTS),
                "charts to draw",
                |o: &Self| Some(Value::Array(o.charts.iter().map(|c| Value::String(c.clone())).collect())),
                |o: &mut Self, v| {
                    if let Some(a) = v.as_array() {
                        o.charts = a.iter().filter_map(|c| c.as_str().map(String::from)).collect();
                    }
                },
            ),
            Param::new(
                "size",
                Ty::Size,
                "PNG size [width, height] in pixels, at least 320 × 240",
                |o: &Self| Some(Value::Array(vec![o.size.0.to_value(), o.size.1.to_value()])),
                |o: &mut Self, v| {
                    if let Some([w, h]) = v.as_array().map(Vec::as_slice) {
                        o.size.0.set_value(w);
                        o.size.1.set_value(h);
                    }
                },
            ),
            crate::param!("report", Ty::Bool, report, "also write report.html"),
            // Written only when true, so resolved files of scenarios without
            // it stay as they were.
            Param::new(
                "people",
                Ty::Bool,
                "also write per-person results people.csv and network.gexf (one more simulation per replicate)",
                |o: &Self| o.people.then_some(Value::Boolean(true)),
                |o: &mut Self, v| o.people.set_value(v),
            )
            .default_doc("false"),
        ]
    }
}

/// A fully validated scenario with every default filled in.
///
/// Equality compares the experiment, not where it was read from: `inputs`
/// is ignored (the resolved TOML writes explicit seed files inline, so a
/// scenario read back from it names fewer files but runs identically).
#[derive(Debug, Clone)]
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
    /// Budget sweep (`budgets = [...]` at top level); empty = none. Each value
    /// replaces every strategy's budget in that strategy's own unit (see
    /// [`Scenario::strategies_at_budget`]); validation guarantees whole
    /// numbers ≤ nodes when any strategy counts people.
    pub budgets: Vec<f64>,
    pub output: OutputSpec,
    /// The scenario file itself (None when built in code).
    pub source: Option<PathBuf>,
    /// Every input file the scenario was read from or reads, in this order
    /// and without repeats: the scenario file (`source`), the edge list
    /// (`network.path`, resolved), explicit seed files (`strategy.file`,
    /// resolved) in strategy order. `manifest.json` records their digests.
    pub inputs: Vec<PathBuf>,
    /// `[uncertain]`: parameter draws, each run with `replicates`
    /// replicates ([`uncertain`]); `None` without the table.
    pub uncertain: Option<uncertain::Uncertain>,
}

impl PartialEq for Scenario {
    fn eq(&self, other: &Self) -> bool {
        // Destructured so that a new field cannot be forgotten here.
        let Scenario {
            name,
            description,
            seed,
            replicates,
            steps,
            network,
            population,
            model,
            strategies,
            budgets,
            output,
            source,
            inputs: _,
            uncertain,
        } = self;
        *name == other.name
            && *description == other.description
            && *seed == other.seed
            && *replicates == other.replicates
            && *steps == other.steps
            && *network == other.network
            && *population == other.population
            && *model == other.model
            && *strategies == other.strategies
            && *budgets == other.budgets
            && *output == other.output
            && *source == other.source
            && *uncertain == other.uncertain
    }
}

impl Scenario {
    /// Replicates of the whole run: `replicates` per draw × the draws of
    /// `[uncertain]` (just `replicates` without it). Replicate i belongs to
    /// draw i / replicates.
    pub fn total_replicates(&self) -> u32 {
        self.replicates * self.uncertain.as_ref().map_or(1, |u| u.draws)
    }

    /// Each draw's model (empty without `[uncertain]`).
    pub fn draw_models(&self) -> &[ModelSpec] {
        self.uncertain.as_ref().map_or(&[], |u| u.models.as_slice())
    }

    /// The strategies with their budget replaced by `budget` (one point of a
    /// budget sweep): `People(n)` strategies get `People(budget)`, `Cost(_)`
    /// strategies get `Cost(budget)`.
    pub fn strategies_at_budget(&self, budget: f64) -> Vec<StrategySpec> {
        self.strategies
            .iter()
            .map(|s| StrategySpec {
                budget: match s.budget {
                    Budget::People(_) => Budget::People(budget.clamp(0.0, f64::from(u32::MAX)) as u32),
                    Budget::Cost(_) => Budget::Cost(budget),
                },
                ..s.clone()
            })
            .collect()
    }
}
