//! TEMPORARY stubs (cli branch only) so the CLI compiles before the scenario
//! helper's work is merged. DROP this file and its `mod`/`pub use` lines in
//! `scenario/mod.rs` at merge.

use std::fmt;
use std::path::Path;

use super::Scenario;

/// Every problem found in a scenario file (stub).
#[derive(Debug)]
pub struct ScenarioErrors(pub Vec<String>);

impl fmt::Display for ScenarioErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join("\n"))
    }
}

impl std::error::Error for ScenarioErrors {}

/// Load and validate a scenario file (stub).
pub fn load(_path: &Path) -> Result<Scenario, ScenarioErrors> {
    todo!("scenario::load (scenario helper)")
}

/// Text of `womsim list` (stub).
pub fn list_text(_category: Option<&str>) -> String {
    todo!("scenario::list_text (scenario helper)")
}

/// Commented starter scenario (stub).
pub fn starter_toml() -> &'static str {
    todo!("scenario::starter_toml (scenario helper)")
}

impl Scenario {
    /// Resolved TOML with every default filled in (stub).
    pub fn to_resolved_toml(&self) -> String {
        todo!("Scenario::to_resolved_toml (scenario helper)")
    }
}
