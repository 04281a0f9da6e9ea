//! STUB (cli branch): replaced by the chart helper's module at merge.

use std::path::{Path, PathBuf};

use crate::results::RunResults;
use crate::scenario::OutputSpec;

/// Render every applicable chart into `dir`; returns the files written.
pub fn render_all(_results: &RunResults, _dir: &Path, _output: &OutputSpec) -> anyhow::Result<Vec<PathBuf>> {
    Ok(vec![])
}
