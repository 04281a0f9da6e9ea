//! `womsim run --export-json/--export-csv/--export-markdown FILE` and
//! `--format json`: the summary table in machine-readable forms (hyperfine's
//! convention), from the finished `SummaryFile`s.

use anyhow::Context;
use womsim::export::{self, formats};
use womsim::results::SummaryFile;

use super::args::{ExportArgs, Format, RunArgs};
use super::{config, invalid, load_all, summary, CliError};

/// What `run` prints on stdout for one finished scenario: the text table,
/// or (with `--format json`) its JSON document on one line.
#[allow(dead_code)] // until `run.rs` prints through it (`--format json`)
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

/// After a successful `womsim run`: for every results folder just written,
/// the tidy `results.csv` and the "still rising" warning (stderr), then the
/// exports the flags ask for. Everything is read back from the folders as
/// written, so it is exactly what `womsim plot` would derive.
pub fn after_run(args: &RunArgs) -> Result<(), CliError> {
    let scenarios = load_all(&args.scenarios)?;
    let settings = config::resolve_run(args, scenarios, false).map_err(invalid)?;
    let mut summaries = Vec::with_capacity(settings.plans.len());
    for plan in &settings.plans {
        let results = export::read_results(&plan.out_dir)
            .with_context(|| format!("cannot read back {}", plan.out_dir.display()))?;
        formats::write_results_csv(&plan.out_dir, &results)?;
        if let Some(w) = womsim::report::still_rising_warning(&results) {
            eprintln!("{w}");
        }
        summaries.push(results.summary);
    }
    write_exports(&args.exports, &summaries)?;
    Ok(())
}
