//! STUB (cli branch): replaced by the chart helper's module at merge.

use std::path::Path;

use crate::results::RunResults;

/// Write the one-page `report.html`.
pub fn write_report(_results: &RunResults, _charts_dir: &Path, _path: &Path) -> anyhow::Result<()> {
    Ok(())
}
