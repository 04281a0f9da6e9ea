//! `womsim run --export-json/--export-csv/--export-markdown FILE` and
//! `--format json`: the summary table in machine-readable forms (hyperfine's
//! convention), from the finished `SummaryFile`s.

use anyhow::Context;
use womsim::export::{self, formats};
use womsim::results::SummaryFile;

use super::args::{ExportArgs, Format};
use super::summary;

/// What `run` prints on stdout for one finished scenario: the text table,
/// or (with `--format json`) its JSON document on one line.
pub fn stdout_text(s: &SummaryFile, format: Format) -> anyhow::Result<String> {
    Ok(match format {
        Format::Table => summary::table(s),
        Format::Json => serde_json::to_string(&formats::TableJson { runs: vec![formats::run_table(s)] })? + "\n",
    })
}

/// Write every export the flags ask for, covering all `summaries` (one file
/// each, every scenario in it). Each file is written atomically.
pub fn write_exports(args: &ExportArgs, summaries: &[SummaryFile]) -> anyhow::Result<()> {
    let runs: Vec<&SummaryFile> = summaries.iter().collect();
    if let Some(p) = &args.export_json {
        let text = formats::table_json(&runs)?;
        export::atomic_write(p, text.as_bytes()).with_context(|| format!("cannot write {}", p.display()))?;
    }
    if let Some(p) = &args.export_csv {
        let text = formats::table_csv(&runs)?;
        export::atomic_write(p, text.as_bytes()).with_context(|| format!("cannot write {}", p.display()))?;
    }
    if let Some(p) = &args.export_markdown {
        let text = formats::table_markdown(&runs);
        export::atomic_write(p, text.as_bytes()).with_context(|| format!("cannot write {}", p.display()))?;
    }
    Ok(())
}
