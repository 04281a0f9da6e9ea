//! Charts of `womsim fit`, in the run charts' style (same frame, fonts and
//! colours): the observed curve against the fitted one with a
//! posterior-predictive band, a weighted histogram of each fitted key's
//! posterior, and pair scatter plots when there are 2 to 4 keys.
//!
//! The inputs are plain numbers (no CLI types), so the charts are drawn the
//! same from any fitting method.

use std::path::Path;

use anyhow::Context;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::layout::{frame, Frame, LegendItem, Swatch};
use super::style::{self, fmt_tick, Theme, GRID, INK};

/// Observed points.
const OBSERVED: RGBColor = RGBColor(0x22, 0x22, 0x22);
/// The fit (line, band, bars, points).
const FITTED: RGBColor = RGBColor(0x1F, 0x77, 0xB4);

/// An observed curve and what the fit makes of it.
#[derive(Debug, Clone)]
pub struct CurveChart {
    pub title: String,
    pub subtitle: String,
    pub x_label: String,
    pub y_label: String,
    /// x of each point (e.g. period or step).
    pub x: Vec<f64>,
    pub observed: Vec<f64>,
    /// The curve at the estimate.
    pub fitted: Vec<f64>,
    /// Pointwise 95% posterior-predictive band (low, high), when there is one.
    pub band: Option<(Vec<f64>, Vec<f64>)>,
    pub notes: Vec<String>,
}

/// The posterior draws of one fit.
#[derive(Debug, Clone)]
pub struct PosteriorChart {
    pub subtitle: String,
    pub keys: Vec<String>,
    /// One row per draw, one column per key.
    pub rows: Vec<Vec<f64>>,
    /// Normalised weights (one per row).
    pub weights: Vec<f64>,
    /// Each key's (estimate, ci95 low, ci95 high).
    pub estimates: Vec<(f64, f64, f64)>,
}

/// Nice [lo, hi] around `values` (a little air; never empty).
fn span(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    if hi - lo <= f64::EPSILON * hi.abs().max(1.0) {
        let d = if hi == 0.0 { 1.0 } else { hi.abs() * 0.05 };
        return (lo - d, hi + d);
    }
    let pad = 0.05 * (hi - lo);
    (lo - pad, hi + pad)
}

/// Tick labels with enough decimals to tell ticks about a fifth of the
/// span apart (posteriors of probabilities span 0.01 or less).
fn tick_fmt(lo: f64, hi: f64) -> impl Fn(&f64) -> String {
    let step = (hi - lo) / 5.0;
    let d = if step > 0.0 && step.is_finite() { (-step.log10().floor()).clamp(0.0, 12.0) as usize } else { 0 };
    move |v: &f64| fmt_tick(*v, d)
}

/// Observed vs fitted curve.
pub fn draw_curve<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, t: &Theme, c: &CurveChart) -> anyhow::Result<()>
where
    DB::ErrorType: 'static,
{
    let mut legend = vec![
        LegendItem { label: "observed".into(), color: OBSERVED, swatch: Swatch::Dot },
        LegendItem { label: "fitted".into(), color: FITTED, swatch: Swatch::LineBand },
    ];
    if c.band.is_none() {
        legend[1].swatch = Swatch::LineDot;
    }
    let plot = frame(
        root,
        t,
        &Frame { title: &c.title, subtitle: &c.subtitle, legend_title: "", legend, notes: c.notes.clone() },
    )?;
    let (x0, x1) = span(c.x.iter().copied());
    let mut ys: Vec<f64> = c.observed.iter().chain(&c.fitted).copied().collect();
    if let Some((lo, hi)) = &c.band {
        ys.extend(lo.iter().chain(hi));
    }
    let (y0, y1) = span(ys.into_iter().chain([0.0]));
    let mut chart = ChartBuilder::on(&plot)
        .x_label_area_size(t.px(90.0))
        .y_label_area_size(t.px(130.0))
        .build_cartesian_2d(x0..x1, y0.max(0.0).min(y1 - 1e-12)..y1)?;
    chart
        .configure_mesh()
        .light_line_style(WHITE)
        .bold_line_style(GRID)
        .axis_desc_style(t.axis_desc().color(&INK))
        .label_style(t.tick().color(&INK))
        .x_desc(c.x_label.as_str())
        .y_desc(c.y_label.as_str())
        .x_label_formatter(&tick_fmt(x0, x1))
        .y_label_formatter(&tick_fmt(y0, y1))
        .draw()?;
    if let Some((lo, hi)) = &c.band {
        let mut poly: Vec<(f64, f64)> = c.x.iter().zip(hi).map(|(x, y)| (*x, *y)).collect();
        poly.extend(c.x.iter().zip(lo).rev().map(|(x, y)| (*x, *y)));
        chart.draw_series(std::iter::once(Polygon::new(poly, FITTED.mix(0.2).filled())))?;
    }
    let lw = t.line_width();
    chart.draw_series(LineSeries::new(c.x.iter().zip(&c.fitted).map(|(x, y)| (*x, *y)), FITTED.stroke_width(lw)))?;
    // Long curves (cascade growth over thousands of steps) get small dots.
    let r = if c.x.len() > 80 { t.upx(2.5) } else { t.upx(7.0) };
    chart.draw_series(c.x.iter().zip(&c.observed).map(|(x, y)| Circle::new((*x, *y), r, OBSERVED.filled())))?;
    Ok(())
}

/// Weighted histogram of key `k` with its estimate and 95% interval marked.
pub fn draw_marginal<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    t: &Theme,
    p: &PosteriorChart,
    k: usize,
) -> anyhow::Result<()>
where
    DB::ErrorType: 'static,
{
    let (est, lo, hi) = p.estimates[k];
    let notes = vec![
        format!("Estimate {}; 95% interval {} to {}.", sig(est), sig(lo), sig(hi)),
        format!("{} weighted draws.", p.rows.len()),
    ];
    let legend = vec![
        LegendItem { label: "posterior draws".into(), color: FITTED, swatch: Swatch::Box },
        LegendItem { label: "estimate, 95% interval".into(), color: INK, swatch: Swatch::Dashed },
    ];
    let title = format!("Posterior of {}", p.keys[k]);
    let plot = frame(root, t, &Frame { title: &title, subtitle: &p.subtitle, legend_title: "", legend, notes })?;
    let vals: Vec<f64> = p.rows.iter().map(|r| r[k]).collect();
    let (x0, x1) = span(vals.iter().copied().chain([lo, hi]));
    let bins = 30usize;
    let width = (x1 - x0) / bins as f64;
    let mut mass = vec![0.0; bins];
    for (v, w) in vals.iter().zip(&p.weights) {
        let b = (((v - x0) / width).floor().max(0.0) as usize).min(bins - 1);
        mass[b] += w;
    }
    let top = mass.iter().copied().fold(0.0, f64::max).max(1e-12) * 1.08;
    let mut chart = ChartBuilder::on(&plot)
        .x_label_area_size(t.px(90.0))
        .y_label_area_size(t.px(130.0))
        .build_cartesian_2d(x0..x1, 0.0..top)?;
    chart
        .configure_mesh()
        .light_line_style(WHITE)
        .bold_line_style(GRID)
        .axis_desc_style(t.axis_desc().color(&INK))
        .label_style(t.tick().color(&INK))
        .x_desc(p.keys[k].as_str())
        .y_desc("posterior mass per bin")
        .x_label_formatter(&tick_fmt(x0, x1))
        .y_label_formatter(&tick_fmt(0.0, top))
        .draw()?;
    chart.draw_series(mass.iter().enumerate().map(|(b, m)| {
        let a = x0 + b as f64 * width;
        Rectangle::new([(a, 0.0), (a + width, *m)], FITTED.mix(0.75).filled())
    }))?;
    for (x, w) in [(est, t.line_width()), (lo, t.upx(2.0)), (hi, t.upx(2.0))] {
        chart.draw_series(DashedLineSeries::new([(x, 0.0), (x, top)], t.upx(14.0), t.upx(8.0), INK.stroke_width(w)))?;
    }
    Ok(())
}

/// Pair scatter plots of 2 to 4 keys (lower triangle; darker = heavier).
pub fn draw_pairs<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    t: &Theme,
    p: &PosteriorChart,
) -> anyhow::Result<()>
where
    DB::ErrorType: 'static,
{
    let n = p.keys.len();
    anyhow::ensure!((2..=4).contains(&n), "pair plots need 2 to 4 keys, got {n}");
    let legend = vec![LegendItem { label: "posterior draw".into(), color: FITTED, swatch: Swatch::Dot }];
    let notes = vec!["Each panel: one pair of keys; more opaque dots weigh more.".to_string()];
    let plot =
        frame(root, t, &Frame { title: "Posterior pairs", subtitle: &p.subtitle, legend_title: "", legend, notes })?;
    let cells = plot.split_evenly((n - 1, n - 1));
    let wmax = p.weights.iter().copied().fold(0.0, f64::max).max(1e-300);
    let r = t.upx(4.0);
    for row in 1..n {
        for col in 0..n - 1 {
            let area = &cells[(row - 1) * (n - 1) + col];
            if col >= row {
                continue;
            }
            let (x0, x1) = span(p.rows.iter().map(|d| d[col]));
            let (y0, y1) = span(p.rows.iter().map(|d| d[row]));
            let mut chart = ChartBuilder::on(area)
                .margin(t.px(10.0))
                .x_label_area_size(t.px(70.0))
                .y_label_area_size(t.px(110.0))
                .build_cartesian_2d(x0..x1, y0..y1)?;
            chart
                .configure_mesh()
                .light_line_style(WHITE)
                .bold_line_style(GRID)
                .x_labels(4)
                .y_labels(4)
                .axis_desc_style(t.note().color(&INK))
                .label_style(t.note().color(&INK))
                .x_desc(p.keys[col].as_str())
                .y_desc(p.keys[row].as_str())
                .x_label_formatter(&tick_fmt(x0, x1))
                .y_label_formatter(&tick_fmt(y0, y1))
                .draw()?;
            chart.draw_series(p.rows.iter().zip(&p.weights).map(|(d, w)| {
                let alpha = 0.15 + 0.75 * (w / wmax);
                Circle::new((d[col], d[row]), r, FITTED.mix(alpha).filled())
            }))?;
        }
    }
    Ok(())
}

/// Four significant digits, for notes.
fn sig(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return style::fmt_num(v, 0);
    }
    let d = (3 - v.abs().log10().floor() as i32).clamp(0, 12) as usize;
    style::fmt_num(v, d)
}

/// What to draw.
#[derive(Debug, Clone, Copy)]
pub enum FitChart<'a> {
    Curve(&'a CurveChart),
    Marginal(&'a PosteriorChart, usize),
    Pairs(&'a PosteriorChart),
}

fn draw_any<DB: DrawingBackend>(root: DrawingArea<DB, Shift>, chart: FitChart<'_>) -> anyhow::Result<()>
where
    DB::ErrorType: 'static,
{
    style::ensure_fonts()?;
    let (w, h) = root.dim_in_pixel();
    let t = Theme::new(w, h);
    match chart {
        FitChart::Curve(c) => draw_curve(&root, &t, c)?,
        FitChart::Marginal(p, k) => draw_marginal(&root, &t, p, k)?,
        FitChart::Pairs(p) => draw_pairs(&root, &t, p)?,
    }
    root.present()?;
    Ok(())
}

/// Render `chart` as `<stem>.png` and `<stem>.svg` in `dir` (each written to
/// a temporary name and renamed); returns the SVG text for inlining.
pub fn render_chart(dir: &Path, stem: &str, size: (u32, u32), chart: FitChart<'_>) -> anyhow::Result<String> {
    super::check_size(size)?;
    let png = dir.join(format!("{stem}.png"));
    let png_tmp = dir.join(format!(".{stem}.tmp.png"));
    draw_any(BitMapBackend::new(&png_tmp, size).into_drawing_area(), chart)
        .with_context(|| format!("drawing {}", png.display()))?;
    std::fs::rename(&png_tmp, &png).with_context(|| format!("writing {}", png.display()))?;
    let mut svg = String::new();
    draw_any(SVGBackend::with_string(&mut svg, size).into_drawing_area(), chart)
        .with_context(|| format!("drawing {stem}.svg"))?;
    super::write_atomic(&dir.join(format!("{stem}.svg")), svg.as_bytes())?;
    Ok(svg)
}
