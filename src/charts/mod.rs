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

pub mod fit;
mod layout;
mod plots;
mod tornado;
mod uncertain;
pub use plots::{model_words, network_words, run_colors, shows_cost, wants_log};
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

/// Charts drawn only for a run with `[uncertain]` parameters (always then:
/// they are not in `output.charts`, whose default list stays as it was).
pub const UNCERTAIN_CHARTS: [&str; 3] = ["draws", "p_best", "tornado"];

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
        "draws" => "Lift over plausible worlds (parameter draws)",
        "p_best" => "Probability of being best over plausible worlds",
        "tornado" => "Which uncertain parameter decides the verdict",
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
        "reach" => has_series,
        // Redundant where every series' action equals its reach at every
        // step (the classic models, where activation is both).
        "action" => has_series && !action_repeats_reach(results),
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
        "draws" | "p_best" => results.summary.uncertain.is_some() && !results.summary.strategies.is_empty(),
        "tornado" => tornado::applies(results),
        _ => false,
    }
}

/// Whether every strategy's mean action equals its mean reach at every step
/// (then the action chart would repeat the reach chart).
pub fn action_repeats_reach(results: &RunResults) -> bool {
    results
        .series
        .iter()
        .chain(std::iter::once(&results.baseline))
        .all(|s| s.mean.iter().all(|row| row[Metric::Acted.idx()] == row[Metric::Reached.idx()]))
}

/// Largest chart accepted, in pixels per side (a folder edited to ask for
/// a gigapixel chart is refused, not allocated).
pub const MAX_SIDE: u32 = 8192;

/// Check a chart size: at least 320×180 and at most [`MAX_SIDE`] a side.
pub fn check_size((w, h): (u32, u32)) -> anyhow::Result<()> {
    anyhow::ensure!(w >= 320 && h >= 180, "output.size = [{w}, {h}]: charts need at least 320×180 pixels");
    anyhow::ensure!(
        w <= MAX_SIDE && h <= MAX_SIDE,
        "output.size = [{w}, {h}]: charts are at most {MAX_SIDE}×{MAX_SIDE} pixels"
    );
    Ok(())
}

/// Every applicable chart as an SVG string, rendered now from `results`
/// (the report inlines these, never a file it finds on disk).
pub fn render_svgs(results: &RunResults, output: &OutputSpec) -> anyhow::Result<Vec<(&'static str, String)>> {
    check_size(output.size)?;
    let mut out = Vec::new();
    for stem in planned(results, output) {
        out.push((stem, render_svg(results, stem, output.size)?));
    }
    Ok(out)
}

fn render_svg(results: &RunResults, stem: &str, (w, h): (u32, u32)) -> anyhow::Result<String> {
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (w, h)).into_drawing_area();
        draw_chart(root, results, stem).with_context(|| format!("drawing {stem}.svg"))?;
    }
    Ok(buf)
}

/// The `[output]` table of a resolved scenario, read leniently: chart
/// options only, defaults for anything absent. (`plot` must not need the
/// scenario's inputs, which may not exist where the results folder is now.)
pub fn output_spec_from_toml(text: &str) -> anyhow::Result<OutputSpec> {
    let table: toml::Table = text.parse().context("scenario.resolved.toml is not valid TOML")?;
    let mut spec = OutputSpec::default();
    let Some(out) = table.get("output").and_then(|v| v.as_table()) else { return Ok(spec) };
    if let Some(charts) = out.get("charts").and_then(|v| v.as_array()) {
        spec.charts = charts.iter().filter_map(|c| c.as_str().map(str::to_string)).collect();
    }
    let dim = |v: Option<&toml::Value>| v.and_then(|v| v.as_integer()).and_then(|x| u32::try_from(x).ok());
    match out.get("size") {
        Some(toml::Value::Array(a)) if a.len() == 2 => {
            if let (Some(w), Some(h)) = (dim(a.first()), dim(a.get(1))) {
                spec.size = (w, h);
            }
        }
        Some(toml::Value::Table(t)) => {
            if let (Some(w), Some(h)) = (dim(t.get("width")), dim(t.get("height"))) {
                spec.size = (w, h);
            }
        }
        _ => {}
    }
    if let Some(r) = out.get("report").and_then(|v| v.as_bool()) {
        spec.report = r;
    }
    if let Some(d) = out.get("dir").and_then(|v| v.as_str()) {
        spec.dir = Some(d.into());
    }
    Ok(spec)
}

/// The stems that [`render_all`] would draw: those in `output.charts`
/// (catalogue order) that apply to these results.
pub fn planned(results: &RunResults, output: &OutputSpec) -> Vec<&'static str> {
    let chosen = CATALOGUE.iter().copied().filter(|s| output.charts.iter().any(|c| c == s));
    chosen.chain(UNCERTAIN_CHARTS).filter(|s| applies(results, s)).collect()
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
        "draws" => uncertain::draw_over_draws(&root, &t, results)?,
        "p_best" => uncertain::draw_p_best(&root, &t, results)?,
        "tornado" => tornado::draw_tornado(&root, &t, results)?,
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
    check_size(output.size)?;
    fs::create_dir_all(dir).with_context(|| format!("creating chart folder {}", dir.display()))?;
    let planned = planned(results, output);
    // Charts of the catalogue that no longer apply are removed, so a folder
    // never shows a stale chart beside fresh ones (other files are left alone).
    for stem in CATALOGUE.iter().chain(&UNCERTAIN_CHARTS).filter(|s| !planned.contains(s)) {
        for ext in ["png", "svg"] {
            let p = dir.join(format!("{stem}.{ext}"));
            if p.symlink_metadata().is_ok_and(|m| m.is_file()) {
                fs::remove_file(&p).with_context(|| format!("removing the stale chart {}", p.display()))?;
            }
        }
    }
    let mut written = Vec::new();
    for stem in planned {
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
        let buf = render_svg(results, stem, (w, h)).with_context(|| format!("drawing {}", svg.display()))?;
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
