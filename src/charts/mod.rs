//! Presentation charts of a run, drawn from [`RunResults`] alone (so
//! `womsim plot` can redraw them without simulating).
//!
//! Every chart is drawn by one function generic over the plotters backend
//! and written twice: `<stem>.png` (size `[output] size`) and `<stem>.svg`.
//! Text is rasterised from the embedded DejaVu Sans font, so PNGs are
//! byte-identical on every machine; rendering is deterministic (no clocks,
//! no hashing order), so the same results always give the same bytes.
//!
//! Catalogue (stems, in drawing order): `reach`, `action`, `comparison`,
//! `distribution`, `sentiment`, `layers`, `network`, `budget`. A chart that does not apply
//! to the run (see [`applies`]) is skipped rather than drawn empty.

mod layout;
mod plots;
pub mod style;

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::metrics::Metric;
use crate::results::RunResults;
use crate::scenario::OutputSpec;

/// Every chart stem, in catalogue order.
pub const CATALOGUE: [&str; 8] =
    ["reach", "action", "comparison", "distribution", "sentiment", "layers", "network", "budget"];

/// Models whose messages carry a valence (good/bad experiences).
const VALENCE_MODELS: [&str; 2] = ["relationship_chain", "ic_n"];

/// Title drawn on chart `stem` (also its heading in the report).
pub fn chart_title(stem: &str) -> &'static str {
    match stem {
        "reach" => "Reach over time: people who heard",
        "action" => "Action over time: people who acted",
        "comparison" => "What each strategy caused, over no campaign",
        "distribution" => "Risk: the spread of outcomes across replicates",
        "sentiment" => "Good and bad experiences: who heard what",
        "layers" => "Trickle-down: community, friends and ambassadors",
        "network" => "Who was seeded: follower counts in the network",
        "budget" => "Reach and action versus budget",
        _ => "Chart",
    }
}

/// Whether chart `stem` has something to show for these results.
///
/// - `reach`, `action`, `comparison`: any strategy with data.
/// - `sentiment`: models with good/bad valence (`relationship_chain`, `ic_n`).
/// - `layers`: the relationship-chain model, or any run in which the number
///   of friends or ambassadors changes over time.
/// - `network`: a degree distribution with some node having followers (a
///   log–log plot cannot show degree 0).
/// - `budget`: a budget sweep was run.
pub fn applies(results: &RunResults, stem: &str) -> bool {
    let has_series = !results.series.is_empty() && results.series.iter().any(|s| !s.mean.is_empty());
    match stem {
        "reach" | "action" => has_series,
        "comparison" | "distribution" => !results.summary.strategies.is_empty(),
        "sentiment" => has_series && VALENCE_MODELS.contains(&results.summary.model.as_str()),
        "layers" => {
            has_series
                && (results.summary.model == "relationship_chain"
                    || results.series.iter().any(|s| {
                        [Metric::Friends, Metric::Ambassadors].iter().any(|m| {
                            let first = s.mean.first().map(|r| r[m.idx()]);
                            s.mean.iter().any(|r| Some(r[m.idx()]) != first)
                        })
                    }))
        }
        "network" => results.degrees.iter().any(|d| d.degree > 0 && d.count > 0),
        "budget" => !results.budgets.is_empty(),
        _ => false,
    }
}

/// The stems that [`render_all`] would draw: those in `output.charts`
/// (catalogue order) that apply to these results.
pub fn planned(results: &RunResults, output: &OutputSpec) -> Vec<&'static str> {
    CATALOGUE.iter().copied().filter(|s| output.charts.iter().any(|c| c == s) && applies(results, s)).collect()
}

/// Draw chart `stem` onto `root` and present it. One function for every
/// backend, so PNG and SVG always show the same thing.
pub fn draw_chart<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    results: &RunResults,
    stem: &str,
) -> anyhow::Result<()>
where
    DB::ErrorType: 'static,
{
    style::ensure_fonts()?;
    let (w, h) = root.dim_in_pixel();
    let t = style::Theme::new(w, h);
    match stem {
        "reach" => plots::draw_over_time(&root, &t, results, plots::TimeChart::Reach)?,
        "action" => plots::draw_over_time(&root, &t, results, plots::TimeChart::Action)?,
        "comparison" => plots::draw_comparison(&root, &t, results)?,
        "distribution" => plots::draw_distribution(&root, &t, results)?,
        "sentiment" => plots::draw_sentiment(&root, &t, results)?,
        "layers" => plots::draw_layers(&root, &t, results)?,
        "network" => plots::draw_network(&root, &t, results)?,
        "budget" => plots::draw_budget(&root, &t, results)?,
        other => anyhow::bail!("unknown chart `{other}`"),
    }
    root.present()?;
    Ok(())
}

/// Render every applicable chart of `output.charts` into `dir` as
/// `<stem>.png` (`output.size`) and `<stem>.svg`. Each file is written to a
/// temporary name and renamed, so a crash never leaves a half-written chart.
/// Returns the files written, PNG then SVG for each chart, in catalogue order.
pub fn render_all(results: &RunResults, dir: &Path, output: &OutputSpec) -> anyhow::Result<Vec<PathBuf>> {
    let (w, h) = output.size;
    anyhow::ensure!(w >= 320 && h >= 180, "output.size = [{w}, {h}]: charts need at least 320×180 pixels");
    fs::create_dir_all(dir).with_context(|| format!("creating chart folder {}", dir.display()))?;
    let mut written = Vec::new();
    for stem in planned(results, output) {
        // PNG: the bitmap backend picks the encoder from the extension, so the
        // temporary name must still end in `.png`.
        let png = dir.join(format!("{stem}.png"));
        let png_tmp = dir.join(format!(".{stem}.tmp.png"));
        {
            let root = BitMapBackend::new(&png_tmp, (w, h)).into_drawing_area();
            draw_chart(root, results, stem).with_context(|| format!("drawing {}", png.display()))?;
        }
        fs::rename(&png_tmp, &png).with_context(|| format!("writing {}", png.display()))?;
        written.push(png);

        let svg = dir.join(format!("{stem}.svg"));
        let mut buf = String::new();
        {
            let root = SVGBackend::with_string(&mut buf, (w, h)).into_drawing_area();
            draw_chart(root, results, stem).with_context(|| format!("drawing {}", svg.display()))?;
        }
        write_atomic(&svg, buf.as_bytes())?;
        written.push(svg);
    }
    Ok(written)
}

/// Write `bytes` to `path` through a temporary file in the same folder and a
/// rename, so readers never see a half-written file.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.tmp"));
    fs::write(&tmp, bytes).with_context(|| format!("writing {}", tmp.display()))?;
    fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}
