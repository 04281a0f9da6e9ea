//! The charts of the catalogue. Each `draw_*` paints a whole page on any
//! plotters backend; callers present it. Cost: O(strategies × steps) for the
//! time charts, O(distinct degrees + seeds) for the network chart.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::chart_title;
use super::layout::{fit, frame, text, text_width, wrap_hard, Frame, LegendItem, Swatch};
use super::style::{
    axis_decimals, display_name, fmt_num, fmt_tick, strategy_colors, value_decimals, Theme, AXIS, GRID, INK, MUTED,
};
use crate::metrics::Metric;
use crate::results::{RunResults, StrategySeries};

/// Which headline metric a time chart shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeChart {
    Reach,
    Action,
}

const BAND_NOTE: &str = "Shaded: 5–95% of replicates.";

/// The model in plain words.
pub fn model_words(kind: &str) -> String {
    match kind {
        "relationship_chain" => "relationship-chain model".to_string(),
        "independent_cascade" => "independent-cascade model".to_string(),
        "ic_n" => "independent cascade with negative opinions".to_string(),
        "linear_threshold" => "linear-threshold model".to_string(),
        "bass" => "Bass diffusion model".to_string(),
        "sir" => "SIR epidemic model".to_string(),
        other => format!("{} model", display_name(other)),
    }
}

/// The network in plain words: `10,000-person follower network`.
pub fn network_words(n: &crate::results::NetworkInfo) -> String {
    let kind = match n.kind.as_str() {
        "follower" => "follower network".to_string(),
        "erdos_renyi" => "random (Erdős–Rényi) network".to_string(),
        "barabasi_albert" => "scale-free (Barabási–Albert) network".to_string(),
        "watts_strogatz" => "small-world (Watts–Strogatz) network".to_string(),
        "configuration" => "network with a given degree sequence".to_string(),
        "edge_list" => "network from an edge list".to_string(),
        other => format!("{} network", display_name(other)),
    };
    format!("{}-person {kind}", fmt_num(n.nodes as f64, 0))
}

/// `scenario · relationship-chain model · 10,000-person follower network ·
/// 300 replicates · seed 42`.
pub fn subtitle(r: &RunResults) -> String {
    let s = &r.summary;
    format!(
        "{} · {} · {} · {} replicates · seed {}",
        display_name(&s.scenario),
        model_words(&s.model),
        network_words(&s.network),
        fmt_num(s.replicates as f64, 0),
        s.seed
    )
}

/// Every strategy's colour, by name (see [`strategy_colors`]).
pub fn run_colors(r: &RunResults) -> Vec<RGBColor> {
    strategy_colors(r.summary.strategies.iter().map(|s| s.name.as_str()))
}

pub(super) fn strategy_legend(r: &RunResults, swatch: Swatch) -> Vec<LegendItem> {
    let colors = run_colors(r);
    r.summary
        .strategies
        .iter()
        .zip(colors)
        .map(|(st, color)| LegendItem { label: display_name(&st.name), color, swatch })
        .collect()
}

/// Colour of a series: that of its strategy's name.
fn series_color(colors: &[RGBColor], r: &RunResults, k: usize, s: &StrategySeries) -> RGBColor {
    let i = r.summary.strategies.iter().position(|st| st.name == s.strategy).unwrap_or(k);
    colors.get(i).copied().unwrap_or(INK)
}

/// Title above a panel; returns the area below it.
fn panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    t: &Theme,
    title: &str,
) -> anyhow::Result<DrawingArea<DB, Shift>>
where
    DB::ErrorType: 'static,
{
    if title.is_empty() {
        return Ok(area.clone());
    }
    let f = t.panel_title();
    let (w, _) = area.dim_in_pixel();
    let title = fit(area, title, &f, w as i32)?;
    text(area, &title, &f, &INK, (0, 0), (HPos::Left, VPos::Top))?;
    Ok(area.margin(t.px(52.0), 0, 0, 0))
}

/// Apply the common mesh style (light grid, large tick labels, axis
/// descriptions) and draw it.
macro_rules! mesh {
    ($chart:expr, $t:expr, $nx:expr, $xdesc:expr, $ydesc:expr, $xfmt:expr, $yfmt:expr) => {{
        let nx = $nx;
        let tick = $t.tick().color(&MUTED);
        let desc = $t.axis_desc().color(&INK);
        $chart
            .configure_mesh()
            .x_desc($xdesc)
            .y_desc($ydesc)
            .axis_desc_style(desc)
            .label_style(tick)
            .bold_line_style(GRID.stroke_width($t.upx(1.5)))
            .light_line_style(TRANSPARENT)
            .axis_style(AXIS.stroke_width($t.upx(2.0)))
            .x_labels(nx)
            .y_labels(6)
            .x_label_formatter($xfmt)
            .y_label_formatter($yfmt)
            .draw()?;
    }};
}

/// How many x tick labels fit the plot width without crowding.
fn x_ticks<DB: DrawingBackend, X: Ranged, Y: Ranged>(
    chart: &ChartContext<'_, DB, Cartesian2d<X, Y>>,
    t: &Theme,
) -> usize {
    let (w, _) = chart.plotting_area().dim_in_pixel();
    ((w as f64 / (t.s * 85.0)) as usize).clamp(4, 8)
}

/// Width of the y label area for tick labels up to `max_label`.
fn y_area<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, t: &Theme, max_label: &str) -> anyhow::Result<i32>
where
    DB::ErrorType: 'static,
{
    // tick text + gap + rotated axis description.
    Ok(text_width(area, max_label, &t.tick())? + t.px(80.0))
}

/// Label of every time axis.
pub const STEP_AXIS: &str = "step";

/// Whether a time chart of `metrics` needs a logarithmic y axis: the
/// strategies' final means differ by more than 10× (the others would
/// collapse into one line near zero on a linear axis).
pub fn wants_log(r: &RunResults, metrics: &[Metric]) -> bool {
    let mut lo = f64::INFINITY;
    let mut hi: f64 = 0.0;
    for s in &r.series {
        for m in metrics {
            if let Some(v) = s.mean.last().map(|row| row[m.idx()]).filter(|v| v.is_finite() && *v > 0.0) {
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
    }
    lo.is_finite() && hi > 10.0 * lo
}

/// Lowest value of a logarithmic count axis: counts below 1 (a mean of a
/// few replicates' zeros) sit on the floor.
const LOG_FLOOR: f64 = 0.8;

/// One panel: `metric` over time, a mean line and a q05–q95 band per
/// strategy, y from `y_min` to `y_max` (logarithmic when `log`).
#[allow(clippy::too_many_arguments)]
fn time_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    t: &Theme,
    r: &RunResults,
    metric: Metric,
    title: &str,
    y_desc: &str,
    y_max: f64,
    y_min: f64,
    log: bool,
) -> anyhow::Result<()>
where
    DB::ErrorType: 'static,
{
    let area = panel(area, t, title)?;
    let steps = r.series.iter().map(|s| s.mean.len()).max().unwrap_or(1).saturating_sub(1).max(1) as f64;
    let ydec = axis_decimals(y_max - y_min);
    let xdec = axis_decimals(steps);
    let yl = y_area(&area, t, &fmt_num(y_max, ydec))?;
    let mut builder = ChartBuilder::on(&area);
    builder.margin_right(t.px(24.0)).margin_top(t.px(12.0)).x_label_area_size(t.px(92.0)).y_label_area_size(yl);
    let xf = move |v: &f64| fmt_tick(*v, xdec);
    if log {
        // From the decade below the smallest mean drawn (values under it,
        // such as a band's 5% edge, sit on the floor).
        let min_mean = r
            .series
            .iter()
            .chain(baseline_shown(r, metric).then_some(&r.baseline))
            .flat_map(|s| s.mean.iter().map(|row| row[metric.idx()]))
            .filter(|v| v.is_finite() && *v > 0.0)
            .fold(f64::INFINITY, f64::min);
        let floor = if min_mean.is_finite() { 10f64.powf(min_mean.log10().floor()).max(LOG_FLOOR) } else { LOG_FLOOR };
        let y_max = y_max.max(floor * 10.0);
        let mut chart = builder.build_cartesian_2d(0f64..steps * 1.006, (floor..y_max).log_scale())?;
        let yf = |v: &f64| fmt_tick(*v, if *v < 1.0 { 1 } else { 0 });
        let desc = format!("{y_desc} (log scale)");
        mesh!(chart, t, x_ticks(&chart, t), STEP_AXIS, desc.as_str(), &xf, &yf);
        time_lines(&mut chart, t, r, metric, floor)
    } else {
        let mut chart = builder.build_cartesian_2d(0f64..steps * 1.006, y_min..y_max)?;
        let yf = move |v: &f64| fmt_tick(*v, ydec);
        mesh!(chart, t, x_ticks(&chart, t), STEP_AXIS, y_desc, &xf, &yf);
        time_lines(&mut chart, t, r, metric, f64::NEG_INFINITY)
    }
}

/// The bands, mean lines and dashed no-campaign line of a time panel, on a
/// linear or logarithmic y axis; values below `floor` are drawn at it.
fn time_lines<DB: DrawingBackend, Y: Ranged<ValueType = f64>>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<plotters::coord::types::RangedCoordf64, Y>>,
    t: &Theme,
    r: &RunResults,
    metric: Metric,
    floor: f64,
) -> anyhow::Result<()>
where
    DB::ErrorType: 'static,
{
    let lw = t.line_width();
    let colors = run_colors(r);
    let m = metric.idx();
    let at = |i: usize, row: &crate::metrics::Row| (i as f64, row[m].max(floor));
    // Bands first, so every mean line is drawn over every band.
    for (k, s) in r.series.iter().enumerate() {
        let c = series_color(&colors, r, k, s);
        let mut poly: Vec<(f64, f64)> = s.q95.iter().enumerate().map(|(i, row)| at(i, row)).collect();
        poly.extend(s.q05.iter().enumerate().rev().map(|(i, row)| at(i, row)));
        if poly.len() >= 3 {
            chart.draw_series(std::iter::once(Polygon::new(poly, c.mix(0.16).filled())))?;
        }
    }
    for (k, s) in r.series.iter().enumerate() {
        let c = series_color(&colors, r, k, s);
        chart.draw_series(LineSeries::new(
            simplify(s.mean.iter().enumerate().map(|(i, row)| at(i, row))),
            c.stroke_width(lw),
        ))?;
    }
    // The no-campaign world, dashed, over everything: what the strategies'
    // lines would be without any seeds.
    if baseline_shown(r, metric) {
        let pts = simplify(r.baseline.mean.iter().enumerate().map(|(i, row)| at(i, row)));
        let dash = t.upx(18.0).max(2);
        chart.draw_series(DashedLineSeries::new(pts, dash, dash * 2 / 3, BASELINE_INK.stroke_width(lw)))?;
    }
    Ok(())
}

/// Colour of the no-campaign reference line.
const BASELINE_INK: RGBColor = RGBColor(90, 90, 90);

/// Whether the no-campaign world has anything to show for `metric` (in the
/// classic models nothing happens without seeds: no line at zero).
fn baseline_shown(r: &RunResults, metric: Metric) -> bool {
    r.baseline.mean.iter().any(|row| row[metric.idx()] != 0.0)
}

/// The strategies' legend, plus the dashed no-campaign line when drawn.
fn time_legend(r: &RunResults, metrics: &[Metric]) -> Vec<LegendItem> {
    let mut v = strategy_legend(r, Swatch::LineBand);
    if metrics.iter().any(|&m| baseline_shown(r, m)) {
        v.push(LegendItem { label: "no campaign".to_string(), color: BASELINE_INK, swatch: Swatch::Dashed });
    }
    v
}

/// Drop interior points that lie on the straight line through their
/// neighbours (flat tails after a cascade dies out). Same picture, and it
/// avoids plotters' thick-line rasteriser mis-drawing joins between collinear
/// segments. O(points).
fn simplify(points: impl Iterator<Item = (f64, f64)>) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::new();
    for p in points {
        if out.len() >= 2 {
            let (a, b) = (out[out.len() - 2], out[out.len() - 1]);
            let cross = (b.0 - a.0) * (p.1 - b.1) - (b.1 - a.1) * (p.0 - b.0);
            let scale =
                (b.0 - a.0).abs().max(p.0 - b.0).max(1e-12) * (a.1.abs().max(b.1.abs()).max(p.1.abs()).max(1.0));
            if cross.abs() <= 1e-9 * scale {
                out.pop();
            }
        }
        out.push(p);
    }
    out
}

/// Largest q95/mean value of `metrics` over every strategy and step.
fn series_max(r: &RunResults, metrics: &[Metric]) -> f64 {
    let mut mx: f64 = 0.0;
    for s in r.series.iter().chain(std::iter::once(&r.baseline)) {
        for rows in [&s.mean, &s.q95] {
            for row in rows.iter() {
                for m in metrics {
                    let v = row[m.idx()];
                    if v.is_finite() {
                        mx = mx.max(v);
                    }
                }
            }
        }
    }
    nice_max(mx)
}

/// A little headroom above `v` (never 0, so empty data still draws an axis).
fn nice_max(v: f64) -> f64 {
    if v <= 0.0 {
        1.0
    } else {
        v * 1.08
    }
}

fn time_notes(r: &RunResults) -> Vec<String> {
    vec![format!("Lines: mean of {} replicates.", fmt_num(r.summary.replicates as f64, 0)), BAND_NOTE.to_string()]
}

/// `reach` / `action`: one line + band per strategy.
pub fn draw_over_time<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    t: &Theme,
    r: &RunResults,
    which: TimeChart,
) -> anyhow::Result<()>
where
    DB::ErrorType: 'static,
{
    let (title, metric, y_desc) = match which {
        TimeChart::Reach => (chart_title("reach"), Metric::Reached, "people reached"),
        TimeChart::Action => (chart_title("action"), Metric::Acted, "people who acted"),
    };
    let sub = subtitle(r);
    let plot = frame(
        root,
        t,
        &Frame {
            title,
            subtitle: &sub,
            legend_title: "Strategy",
            legend: time_legend(r, &[metric]),
            notes: time_notes(r),
        },
    )?;
    let y_max = series_max(r, &[metric]);
    time_panel(&plot, t, r, metric, "", y_desc, y_max, 0.0, wants_log(r, &[metric]))
}

/// `sentiment`: people reached who hold a good opinion vs a bad one, side by
/// side on the same scale.
pub fn draw_sentiment<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    t: &Theme,
    r: &RunResults,
) -> anyhow::Result<()>
where
    DB::ErrorType: 'static,
{
    let sub = subtitle(r);
    let plot = frame(
        root,
        t,
        &Frame {
            title: chart_title("sentiment"),
            subtitle: &sub,
            legend_title: "Strategy",
            legend: time_legend(r, &[Metric::ReachedGood, Metric::ReachedBad]),
            notes: {
                let mut n = time_notes(r);
                n.push("Both panels share one scale.".to_string());
                n
            },
        },
    )?;
    let y_max = series_max(r, &[Metric::ReachedGood, Metric::ReachedBad]);
    let log = wants_log(r, &[Metric::ReachedGood, Metric::ReachedBad]);
    let (w, _) = plot.dim_in_pixel();
    let (left, right) = plot.split_horizontally(w as i32 / 2);
    time_panel(&left, t, r, Metric::ReachedGood, "Reached, good opinion", "people", y_max, 0.0, log)?;
    time_panel(
        &right.margin(0, 0, t.px(20.0), 0),
        t,
        r,
        Metric::ReachedBad,
        "Reached, bad opinion",
        "people",
        y_max,
        0.0,
        log,
    )?;
    Ok(())
}

/// Whether a layer (friends, ambassadors) tells anything: it changes over
/// time or differs between strategies. Four identical flat lines are left
/// out (the legend's notes say so).
pub fn layer_informative(r: &RunResults, m: Metric) -> bool {
    let first = r.series.first().and_then(|s| s.mean.first()).map(|row| row[m.idx()]);
    r.series.iter().any(|s| s.mean.iter().chain(&s.q05).chain(&s.q95).any(|row| Some(row[m.idx()]) != first))
}

/// `layers`: small multiples, each on its own scale so the few ambassadors
/// are as visible as the whole community.
pub fn draw_layers<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, t: &Theme, r: &RunResults) -> anyhow::Result<()>
where
    DB::ErrorType: 'static,
{
    let sub = subtitle(r);
    let plot = frame(
        root,
        t,
        &Frame {
            title: chart_title("layers"),
            subtitle: &sub,
            legend_title: "Strategy",
            legend: time_legend(r, &[Metric::Reached, Metric::Friends, Metric::Ambassadors]),
            notes: {
                let mut n = time_notes(r);
                n.push("Each panel has its own scale.".to_string());
                for (m, what) in [(Metric::Friends, "friends"), (Metric::Ambassadors, "ambassadors")] {
                    if !layer_informative(r, m) {
                        let v = r.series.first().and_then(|s| s.mean.first()).map_or(0.0, |row| row[m.idx()]);
                        n.push(format!("Not shown: {what}, {} throughout for every strategy.", fmt_num(v, 0)));
                    }
                }
                n
            },
        },
    )?;
    let spec: Vec<_> = [
        (Metric::Reached, "Community: reached", "people"),
        (Metric::Friends, "Friends", "friends"),
        (Metric::Ambassadors, "Ambassadors", "ambassadors"),
    ]
    .into_iter()
    .filter(|(m, _, _)| *m == Metric::Reached || layer_informative(r, *m))
    .collect();
    let panels = plot.split_evenly((1, spec.len()));
    for (k, (p, (m, title, desc))) in panels.iter().zip(spec).enumerate() {
        let p = if k > 0 { p.margin(0, 0, t.px(16.0), 0) } else { p.clone() };
        let y_max = series_max(r, &[m]);
        time_panel(&p, t, r, m, title, desc, y_max, 0.0, wants_log(r, &[m]))?;
    }
    Ok(())
}

/// Strategy names for a column `max_w` pixels wide, never cut: the largest
/// font at which every name wraps into at most three lines without
/// breaking a word (at the smallest font, words wider than the column are
/// broken). Returns the font and each name's lines.
fn name_lines<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    t: &Theme,
    r: &RunResults,
    max_w: i32,
) -> anyhow::Result<(FontDesc<'static>, Vec<Vec<String>>)>
where
    DB::ErrorType: 'static,
{
    let names: Vec<String> = r.summary.strategies.iter().map(|st| display_name(&st.name)).collect();
    let base = t.tick();
    for shrink in [1.0, 0.87, 0.75] {
        let font = base.resize(base.get_size() * shrink);
        let mut lines = Vec::new();
        let mut fits = true;
        for nm in &names {
            let l = super::layout::wrap(root, nm, &font, max_w)?;
            for x in &l {
                fits &= text_width(root, x, &font)? <= max_w;
            }
            fits &= l.len() <= 3;
            lines.push(l);
        }
        if fits {
            return Ok((font, lines));
        }
    }
    let font = base.resize(base.get_size() * 0.66);
    let lines = names.iter().map(|nm| wrap_hard(root, nm, &font, max_w)).collect::<anyhow::Result<_>>()?;
    Ok((font, lines))
}

/// One horizontal bar panel of the comparison: a bar per strategy (first
/// at the top) with its 95% CI whisker and value label. With `names`, the
/// strategies' names are drawn in a column `name_w` pixels wide at its left
/// (the panels share rows, so only the first needs them).
#[allow(clippy::too_many_arguments)]
fn bar_panel<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    area: &DrawingArea<DB, Shift>,
    t: &Theme,
    r: &RunResults,
    title: &str,
    x_desc: &str,
    pick: fn(&crate::results::StrategySummary) -> crate::results::Stat,
    names: Option<&(FontDesc<'static>, Vec<Vec<String>>)>,
    name_w: i32,
) -> anyhow::Result<()>
where
    DB::ErrorType: 'static,
{
    let area = panel(area, t, title)?;
    let n = r.summary.strategies.len().max(1);
    let stats: Vec<_> = r.summary.strategies.iter().map(pick).collect();
    let top = stats.iter().map(|s| s.ci95_high.max(s.mean)).filter(|v| v.is_finite()).fold(0.0, f64::max);
    let bottom = stats.iter().map(|s| s.ci95_low.min(s.mean)).filter(|v| v.is_finite()).fold(0.0, f64::min);
    // Room for the value labels right of the whiskers (and left, for a
    // negative lift).
    let span = (top - bottom).max(1e-9);
    let x_max = if top <= 0.0 && bottom >= 0.0 { 1.0 } else { top + 0.30 * span };
    let x_min = if bottom < 0.0 { bottom - 0.30 * span } else { 0.0 };
    let xdec = axis_decimals(x_max - x_min);
    let mut chart = ChartBuilder::on(&area)
        .margin_right(t.px(40.0))
        .margin_top(t.px(12.0))
        .x_label_area_size(t.px(92.0))
        .y_label_area_size(if names.is_some() { name_w } else { t.px(8.0) })
        .build_cartesian_2d(x_min..x_max, 0f64..n as f64)?;
    let xf = move |v: &f64| fmt_tick(*v, xdec);
    let yf = |_: &f64| String::new();
    let nx = ((area.dim_in_pixel().0 as f64 / (t.s * 150.0)) as usize).clamp(3, 6);
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_desc(x_desc)
        .axis_desc_style(t.axis_desc().color(&INK))
        .label_style(t.tick().color(&MUTED))
        .bold_line_style(GRID.stroke_width(t.upx(1.5)))
        .light_line_style(TRANSPARENT)
        .axis_style(AXIS.stroke_width(t.upx(2.0)))
        .x_labels(nx)
        .x_label_formatter(&xf)
        .y_label_formatter(&yf)
        .draw()?;
    let vf = t.value();
    let colors = run_colors(r);
    for (i, s) in stats.iter().enumerate() {
        let c = colors[i];
        let row = (n - 1 - i) as f64;
        let (y0, y1, yc) = (row + 0.18, row + 0.82, row + 0.5);
        let mean = if s.mean.is_finite() { s.mean } else { 0.0 };
        chart.draw_series(std::iter::once(Rectangle::new([(0.0, y0), (mean, y1)], c.filled())))?;
        let (lo, hi) = (s.ci95_low, s.ci95_high);
        let whisker = INK.stroke_width(t.upx(3.0));
        if lo.is_finite() && hi.is_finite() && hi > lo {
            let cap = 0.12;
            let lo = lo.max(x_min);
            chart.draw_series(std::iter::once(PathElement::new(vec![(lo, yc), (hi, yc)], whisker)))?;
            for v in [lo, hi] {
                chart.draw_series(std::iter::once(PathElement::new(vec![(v, yc - cap), (v, yc + cap)], whisker)))?;
            }
        }
        // Value label just right of the whisker (left of it when negative).
        let (label_x, pos, dx) = if mean < 0.0 {
            (if lo.is_finite() { lo.min(mean) } else { mean }, HPos::Right, -t.px(12.0))
        } else {
            (if hi.is_finite() { hi.max(mean) } else { mean }, HPos::Left, t.px(12.0))
        };
        let (px, py) = chart.backend_coord(&(label_x, yc));
        text(
            root,
            &fmt_num(s.mean, value_decimals(s.mean)),
            &vf,
            &INK,
            (px + dx, py + t.px(2.0)),
            (pos, VPos::Center),
        )?;
        // The strategy's name, right-aligned left of the axis.
        if let Some((font, lines)) = names {
            let (ax, ay) = chart.backend_coord(&(x_min, yc));
            let line_h = (font.get_size() * 1.12) as i32;
            let k = lines[i].len() as i32;
            for (j, line) in lines[i].iter().enumerate() {
                let y = ay - (k - 1) * line_h / 2 + j as i32 * line_h + t.px(3.0);
                text(root, line, font, &INK, (ax - t.px(14.0), y), (HPos::Right, VPos::Center))?;
            }
        }
    }
    Ok(())
}

/// Whether the comparison shows action caused per unit of cost: the
/// strategies' seeds cost something and not all the same (with equal costs
/// the panel would repeat the action panel at another scale).
pub fn shows_cost(r: &RunResults) -> bool {
    let costs: Vec<f64> = r.summary.strategies.iter().map(|s| s.cost).filter(|c| c.is_finite()).collect();
    costs.iter().any(|&c| c > 0.0) && costs.iter().any(|&c| (c - costs[0]).abs() > 1e-9 * costs[0].abs().max(1.0))
}

/// `comparison`: the headline slide — per strategy, the reach and the action
/// the campaign caused (lift over the no-campaign world, action beyond the
/// seeds themselves), each with its 95% CI.
pub fn draw_comparison<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    t: &Theme,
    r: &RunResults,
) -> anyhow::Result<()>
where
    DB::ErrorType: 'static,
{
    let sub = subtitle(r);
    let steps = r.summary.steps;
    let plot = frame(
        root,
        t,
        &Frame {
            title: chart_title("comparison"),
            subtitle: &sub,
            // The names label the bars' rows: no legend needed.
            legend_title: "",
            legend: vec![],
            notes: vec![
                format!(
                    "Bars: mean effect after {steps} steps over {} replicates, against the same world without any campaign.",
                    fmt_num(r.summary.replicates as f64, 0)
                ),
                "Action caused excludes the seeds' own actions.".to_string(),
                "Whiskers: 95% confidence interval of the mean.".to_string(),
                "Panels have their own scales.".to_string(),
            ]
            .into_iter()
            .chain(
                (r.summary.model != "relationship_chain")
                    .then(|| "In this classic model, activation counts as both reach and action.".to_string()),
            )
            .collect(),
        },
    )?;
    let mut panels: Vec<BarSpec> = vec![
        ("Extra reach", "extra people reached", |s| s.lift.reached),
        ("Action caused", "extra people who acted", |s| s.lift.acted_beyond_seeds),
    ];
    if shows_cost(r) {
        panels.push(("Action per unit of cost", "extra actions per cost unit", |s| s.action_per_cost));
    }
    bar_panels(root, &plot, t, r, &panels)
}

/// One bar panel: title, axis description, the value per strategy.
pub(super) type BarSpec = (&'static str, &'static str, fn(&crate::results::StrategySummary) -> crate::results::Stat);

/// Side-by-side bar panels sharing the strategies' rows, the names in a
/// column left of the first.
pub(super) fn bar_panels<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    plot: &DrawingArea<DB, Shift>,
    t: &Theme,
    r: &RunResults,
    panels: &[BarSpec],
) -> anyhow::Result<()>
where
    DB::ErrorType: 'static,
{
    // The names column: as wide as the longest name needs, at most a
    // quarter of the plot; the panels share the rows.
    let (pw, _) = plot.dim_in_pixel();
    let widest = r
        .summary
        .strategies
        .iter()
        .map(|st| text_width(root, &display_name(&st.name), &t.tick()))
        .collect::<anyhow::Result<Vec<_>>>()?
        .into_iter()
        .max()
        .unwrap_or(0);
    let name_w = (widest + t.px(30.0)).min(pw as i32 / 4).max(t.px(120.0));
    let names = name_lines(root, t, r, name_w - t.px(30.0))?;
    let k = panels.len().max(1);
    let (left, rest) = plot.split_horizontally(name_w + (pw as i32 - name_w) / k as i32);
    let rest_panels = if k > 1 { rest.split_evenly((1, k - 1)) } else { Vec::new() };
    let gap = |p: &DrawingArea<DB, Shift>| p.margin(0, 0, t.px(40.0), 0);
    for (i, &(title, desc, pick)) in panels.iter().enumerate() {
        if i == 0 {
            bar_panel(root, &left, t, r, title, desc, pick, Some(&names), name_w)?;
        } else {
            bar_panel(root, &gap(&rest_panels[i - 1]), t, r, title, desc, pick, None, 0)?;
        }
    }
    Ok(())
}

/// One panel of the `distribution` chart: per strategy, the 5–95% range of
/// a final value over replicates (bar), its median (tick) and mean (dot).
/// The y axis is logarithmic when the strategies' medians differ by more
/// than 10× (on a linear axis the small ones would sit flat on zero).
fn range_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    t: &Theme,
    r: &RunResults,
    title: &str,
    pick: PickFinal,
) -> anyhow::Result<()>
where
    DB::ErrorType: 'static,
{
    let stats: Vec<_> = r.summary.strategies.iter().map(|s| pick(&s.final_)).collect();
    range_panel_of(area, t, r, title, &stats)
}

/// [`range_panel`] of given ranges, one per strategy.
pub(super) fn range_panel_of<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    t: &Theme,
    r: &RunResults,
    title: &str,
    stats: &[crate::results::FinalStat],
) -> anyhow::Result<()>
where
    DB::ErrorType: 'static,
{
    let area = panel(area, t, title)?;
    let n = r.summary.strategies.len().max(1);
    let top = stats.iter().map(|s| s.q95.max(s.mean)).filter(|v| v.is_finite()).fold(0.0, f64::max);
    let y_max = nice_max(top);
    let ydec = axis_decimals(y_max);
    let yl = y_area(&area, t, &fmt_num(y_max, ydec))?;
    let pos: Vec<f64> = stats.iter().map(|s| s.q50.max(s.mean)).filter(|v| v.is_finite() && *v > 0.0).collect();
    let lo = pos.iter().copied().fold(f64::INFINITY, f64::min);
    let log = lo.is_finite() && pos.iter().any(|&v| v > 10.0 * lo);
    let mut builder = ChartBuilder::on(&area);
    builder.margin_right(t.px(16.0)).margin_top(t.px(12.0)).x_label_area_size(t.px(20.0)).y_label_area_size(yl);
    let xf = |_: &f64| String::new();
    if log {
        let floor = 10f64.powf((lo * 0.5).log10().floor()).max(LOG_FLOOR);
        let mut chart = builder.build_cartesian_2d(0f64..n as f64, (floor..y_max.max(floor * 10.0)).log_scale())?;
        let yf = |v: &f64| fmt_tick(*v, if *v < 1.0 { 1 } else { 0 });
        range_mesh!(chart, t, &xf, &yf, "log scale");
        range_marks(&mut chart, t, r, stats, floor)
    } else {
        let mut chart = builder.build_cartesian_2d(0f64..n as f64, 0f64..y_max)?;
        let yf = move |v: &f64| fmt_tick(*v, ydec);
        range_mesh!(chart, t, &xf, &yf, "");
        range_marks(&mut chart, t, r, stats, f64::NEG_INFINITY)
    }
}

/// The mesh of a range panel (no x labels; `desc` on the y axis).
macro_rules! range_mesh {
    ($chart:expr, $t:expr, $xf:expr, $yf:expr, $desc:expr) => {{
        $chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_desc($desc)
            .axis_desc_style($t.axis_desc().color(&INK))
            .label_style($t.tick().color(&MUTED))
            .bold_line_style(GRID.stroke_width($t.upx(1.5)))
            .light_line_style(TRANSPARENT)
            .axis_style(AXIS.stroke_width($t.upx(2.0)))
            .y_labels(6)
            .x_label_formatter($xf)
            .y_label_formatter($yf)
            .draw()?;
    }};
}
use range_mesh;

/// The bars, medians and means of a range panel; values below `floor` are
/// drawn at it.
fn range_marks<DB: DrawingBackend, Y: Ranged<ValueType = f64>>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<plotters::coord::types::RangedCoordf64, Y>>,
    t: &Theme,
    r: &RunResults,
    stats: &[crate::results::FinalStat],
    floor: f64,
) -> anyhow::Result<()>
where
    DB::ErrorType: 'static,
{
    let colors = run_colors(r);
    for (i, s) in stats.iter().enumerate() {
        let c = colors[i];
        let (x0, x1, xc) = (i as f64 + 0.25, i as f64 + 0.75, i as f64 + 0.5);
        if s.q05.is_finite() && s.q95.is_finite() {
            let rect = Rectangle::new([(x0, s.q05.max(floor)), (x1, s.q95.max(floor))], c.mix(0.45).filled());
            chart.draw_series(std::iter::once(rect))?;
        }
        if s.q50.is_finite() {
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(x0, s.q50.max(floor)), (x1, s.q50.max(floor))],
                INK.stroke_width(t.upx(3.0)),
            )))?;
        }
        if s.mean.is_finite() {
            chart.draw_series(std::iter::once(Circle::new((xc, s.mean.max(floor)), t.upx(8.0), c.filled())))?;
        }
    }
    Ok(())
}

/// Picks one final metric out of [`crate::results::FinalMetrics`].
type PickFinal = fn(&crate::results::FinalMetrics) -> crate::results::FinalStat;

/// `distribution`: the risk a mean hides — per strategy, the spread of
/// final reach, bad reach and action over replicates.
pub fn draw_distribution<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    t: &Theme,
    r: &RunResults,
) -> anyhow::Result<()>
where
    DB::ErrorType: 'static,
{
    let sub = subtitle(r);
    let mut notes = vec![
        format!("Bars: 5–95% of {} replicates; line: median; dot: mean.", fmt_num(r.summary.replicates as f64, 0)),
        "Panels have their own scales.".to_string(),
    ];
    if VALENCE_MODELS_PLOTS.contains(&r.summary.model.as_str()) {
        for st in &r.summary.strategies {
            notes.push(format!(
                "{}: bad news outran good in {}% of replicates.",
                display_name(&st.name),
                fmt_num(100.0 * st.final_.p_bad_exceeds_good, 0)
            ));
        }
    }
    let plot = frame(
        root,
        t,
        &Frame {
            title: chart_title("distribution"),
            subtitle: &sub,
            legend_title: "Strategy",
            legend: strategy_legend(r, Swatch::Box),
            notes,
        },
    )?;
    let panels = plot.split_evenly((1, 3));
    let spec: [(&str, PickFinal); 3] =
        [("Reach", |f| f.reached), ("Reached with bad news", |f| f.reached_bad), ("Action", |f| f.acted)];
    for (k, (p, (title, pick))) in panels.iter().zip(spec).enumerate() {
        let p = if k > 0 { p.margin(0, 0, t.px(16.0), 0) } else { p.clone() };
        range_panel(&p, t, r, title, pick)?;
    }
    Ok(())
}

/// Models whose messages carry a valence (as in the chart catalogue).
const VALENCE_MODELS_PLOTS: [&str; 2] = ["relationship_chain", "ic_n"];

/// The magic-middle band to shade: the first `magic_middle` strategy's own
/// band (as resolved in the run), else the classic 20–100 followers. The
/// axes are logarithmic, so a lower bound of 0 is drawn from 1.
fn magic_middle_band(r: &RunResults) -> (f64, f64) {
    let [lo, hi] = r.summary.strategies.iter().find_map(|s| s.band).unwrap_or([20, 100]);
    (f64::from(lo.max(1)), f64::from(hi.max(lo.max(1))))
}

/// `network`: the follower-count distribution (log–log) with the magic
/// middle (the scenario's band, by default 20–100 followers) shaded, and
/// below it, on the same axis, where each strategy's seeds sit.
pub fn draw_network<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, t: &Theme, r: &RunResults) -> anyhow::Result<()>
where
    DB::ErrorType: 'static,
{
    let (mm_lo, mm_hi) = magic_middle_band(r);
    let band = RGBColor(0x00, 0x9E, 0x73);
    let sub = subtitle(r);
    let zero_nodes: u64 = r.degrees.iter().filter(|d| d.degree == 0).map(|d| d.count).sum();
    let mut legend = vec![
        LegendItem { label: "nodes with this many followers".to_string(), color: INK, swatch: Swatch::Dot },
        LegendItem {
            label: format!("magic middle ({}–{} followers)", fmt_num(mm_lo, 0), fmt_num(mm_hi, 0)),
            color: band,
            swatch: Swatch::Shade,
        },
    ];
    legend.extend(strategy_legend(r, Swatch::Dot).into_iter().map(|mut it| {
        it.label = format!("seeds: {}", it.label);
        it
    }));
    let mut notes = vec!["Both axes are logarithmic.".to_string()];
    if zero_nodes > 0 {
        notes.push(format!("{} nodes with 0 followers are not shown.", fmt_num(zero_nodes as f64, 0)));
    }
    let plot =
        frame(root, t, &Frame { title: chart_title("network"), subtitle: &sub, legend_title: "", legend, notes })?;

    let max_deg = r.degrees.iter().filter(|d| d.count > 0).map(|d| d.degree).max().unwrap_or(1).max(1);
    let max_seed = r.summary.strategies.iter().flat_map(|s| s.seed_followers.iter().copied()).max().unwrap_or(1);
    let x_hi = (f64::from(max_deg.max(max_seed).max(120))).max(mm_hi) * 1.5;
    let x_lo = 0.8;
    let max_count = r.degrees.iter().map(|d| d.count).max().unwrap_or(1).max(1) as f64;
    let y_hi = max_count * 2.0;
    let y_lo = 0.7;

    // Row labels of the seed strip; seeds with no follower cannot sit on a
    // log axis, so the label counts them.
    let names: Vec<String> = r
        .summary
        .strategies
        .iter()
        .map(|st| {
            let zeros = st.seed_followers.iter().filter(|&&f| f == 0).count();
            if zeros > 0 {
                format!("{} (+{zeros} at 0)", display_name(&st.name))
            } else {
                display_name(&st.name)
            }
        })
        .collect();
    let mut yl = y_area(&plot, t, &fmt_num(y_hi, 0))?;
    for nm in &names {
        yl = yl.max(text_width(&plot, nm, &t.tick())? + t.px(30.0));
    }
    yl = yl.min((plot.dim_in_pixel().0 as f64 * 0.35) as i32);

    let (_, ph) = plot.dim_in_pixel();
    let rows = names.len().max(1) as i32;
    let strip_h = (t.px(66.0) * rows + t.px(130.0)).min(ph as i32 / 2);
    let (top, bottom) = plot.split_vertically(ph as i32 - strip_h);

    // Top: the distribution.
    let mut chart = ChartBuilder::on(&top)
        .margin_right(t.px(24.0))
        .margin_top(t.px(12.0))
        .x_label_area_size(t.px(10.0))
        .y_label_area_size(yl)
        .build_cartesian_2d((x_lo..x_hi).log_scale(), (y_lo..y_hi).log_scale())?;
    {
        let tick = t.tick().color(&MUTED);
        let desc = t.axis_desc().color(&INK);
        let yf = |v: &f64| fmt_num(*v, 0);
        let xf = |_: &f64| String::new();
        chart
            .configure_mesh()
            .y_desc("nodes")
            // Few key points: plotters then labels decades only (1, 10, 100, …).
            .y_labels(6)
            .x_labels(6)
            .axis_desc_style(desc)
            .label_style(tick)
            .bold_line_style(GRID.stroke_width(t.upx(1.5)))
            .light_line_style(TRANSPARENT)
            .axis_style(AXIS.stroke_width(t.upx(2.0)))
            .x_label_formatter(&xf)
            .y_label_formatter(&yf)
            .draw()?;
    }
    chart.draw_series(std::iter::once(Rectangle::new([(mm_lo, y_lo), (mm_hi, y_hi)], band.mix(0.16).filled())))?;
    let pts: Vec<(f64, f64)> =
        r.degrees.iter().filter(|d| d.degree > 0 && d.count > 0).map(|d| (d.degree as f64, d.count as f64)).collect();
    chart.draw_series(pts.iter().map(|&p| Circle::new(p, t.upx(6.0), INK.mix(0.6).filled())))?;
    let (bx, by) = chart.backend_coord(&((mm_lo * mm_hi).sqrt(), y_hi));
    text(root, "magic middle", &t.note(), &band, (bx, by + t.px(10.0)), (HPos::Center, VPos::Top))?;

    // Bottom: one row of seed markers per strategy, same x axis.
    let mut strip = ChartBuilder::on(&bottom)
        .margin_right(t.px(24.0))
        .margin_top(t.px(10.0))
        .x_label_area_size(t.px(92.0))
        .y_label_area_size(yl)
        .build_cartesian_2d((x_lo..x_hi).log_scale(), 0f64..rows as f64)?;
    {
        let tick = t.tick().color(&MUTED);
        let desc = t.axis_desc().color(&INK);
        let xf = |v: &f64| fmt_num(*v, if *v < 1.0 { 1 } else { 0 });
        let yf = |_: &f64| String::new();
        strip
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .x_desc("followers (log scale)")
            .x_labels(6)
            .axis_desc_style(desc)
            .label_style(tick)
            .bold_line_style(GRID.stroke_width(t.upx(1.5)))
            .light_line_style(TRANSPARENT)
            .axis_style(AXIS.stroke_width(t.upx(2.0)))
            .x_label_formatter(&xf)
            .y_label_formatter(&yf)
            .draw()?;
    }
    strip
        .draw_series(std::iter::once(Rectangle::new([(mm_lo, 0.0), (mm_hi, rows as f64)], band.mix(0.16).filled())))?;
    let tick_font = t.tick();
    let colors = run_colors(r);
    for (i, st) in r.summary.strategies.iter().enumerate() {
        let c = colors[i];
        let y = rows as f64 - i as f64 - 0.5;
        // Seeds in follower order, nudged up/down in turn so that seeds with
        // similar counts stay distinguishable (deterministic, no randomness).
        let mut followers: Vec<u32> = st.seed_followers.iter().copied().filter(|&f| f > 0).collect();
        followers.sort_unstable();
        for (k, &f) in followers.iter().enumerate() {
            let y = y + [0.0, 0.2, -0.2][k % 3];
            strip.draw_series(std::iter::once(Circle::new((f as f64, y), t.upx(9.0), c.mix(0.8).filled())))?;
            strip.draw_series(std::iter::once(Circle::new(
                (f as f64, y),
                t.upx(9.0),
                WHITE.stroke_width(t.upx(1.5)),
            )))?;
        }
        let (lx, ly) = strip.backend_coord(&(x_lo, y));
        let label = fit(root, &names[i], &tick_font, yl - t.px(20.0))?;
        // VPos::Center sits a little high with the embedded font; nudge down.
        text(root, &label, &tick_font, &c_text(c), (lx - t.px(12.0), ly + t.px(4.0)), (HPos::Right, VPos::Center))?;
    }
    Ok(())
}

/// Text in a strategy colour, darkened when the colour is too light to read
/// on white (yellow).
fn c_text(c: RGBColor) -> RGBColor {
    let lum = 0.2126 * c.0 as f64 + 0.7152 * c.1 as f64 + 0.0722 * c.2 as f64;
    if lum > 190.0 {
        RGBColor((c.0 as f64 * 0.6) as u8, (c.1 as f64 * 0.6) as u8, (c.2 as f64 * 0.6) as u8)
    } else {
        c
    }
}

/// One budget panel: `pick` (mean, low, high) vs budget, a line with
/// markers and CI whiskers per strategy. The x ticks are the swept budgets
/// themselves (every point sits on its tick); the y axis is logarithmic
/// when the strategies' values at the largest budget differ by more than
/// 10×.
#[allow(clippy::type_complexity, clippy::too_many_arguments)]
fn budget_panel<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    area: &DrawingArea<DB, Shift>,
    t: &Theme,
    r: &RunResults,
    title: &str,
    x_desc: &str,
    y_desc: &str,
    pick: fn(&crate::results::BudgetPoint) -> (f64, f64, f64),
) -> anyhow::Result<()>
where
    DB::ErrorType: 'static,
{
    let area = panel(area, t, title)?;
    let bmax = r.budgets.iter().map(|b| b.budget).fold(0.0, f64::max).max(1.0);
    let ymax =
        nice_max(r.budgets.iter().map(|b| pick(b).2.max(pick(b).0)).filter(|v| v.is_finite()).fold(0.0, f64::max));
    let ydec = axis_decimals(ymax);
    let yl = y_area(&area, t, &fmt_num(ymax, ydec))?;
    // Each strategy's value at its largest budget.
    let tops: Vec<f64> = r
        .summary
        .strategies
        .iter()
        .filter_map(|st| {
            r.budgets
                .iter()
                .filter(|b| b.strategy == st.name)
                .max_by(|a, b| a.budget.total_cmp(&b.budget))
                .map(|b| pick(b).0)
        })
        .filter(|v| v.is_finite() && *v > 0.0)
        .collect();
    let lo = tops.iter().copied().fold(f64::INFINITY, f64::min);
    let log = lo.is_finite() && tops.iter().any(|&v| v > 10.0 * lo);
    let mut builder = ChartBuilder::on(&area);
    builder.margin_right(t.px(30.0)).margin_top(t.px(12.0)).x_label_area_size(t.px(92.0)).y_label_area_size(yl);
    // The x axis starts a little left of 0; its labels are drawn below at
    // the swept budgets.
    let xr = -bmax * 0.04..bmax * 1.08;
    let xf = |_: &f64| String::new();
    if log {
        let min_v =
            r.budgets.iter().map(|b| pick(b).0).filter(|v| v.is_finite() && *v > 0.0).fold(f64::INFINITY, f64::min);
        let floor = if min_v.is_finite() { 10f64.powf(min_v.log10().floor()).max(LOG_FLOOR) } else { LOG_FLOOR };
        let mut chart = builder.build_cartesian_2d(xr, (floor..ymax.max(floor * 10.0)).log_scale())?;
        let yf = |v: &f64| fmt_tick(*v, if *v < 1.0 { 1 } else { 0 });
        let desc = format!("{y_desc} (log scale)");
        mesh!(chart, t, 0, x_desc, desc.as_str(), &xf, &yf);
        budget_marks(root, &mut chart, t, r, pick, floor)
    } else {
        let mut chart = builder.build_cartesian_2d(xr, 0f64..ymax)?;
        let yf = move |v: &f64| fmt_tick(*v, ydec);
        mesh!(chart, t, 0, x_desc, y_desc, &xf, &yf);
        budget_marks(root, &mut chart, t, r, pick, f64::NEG_INFINITY)
    }
}

/// The lines, whiskers and points of a budget panel, and the x labels at
/// the swept budgets; values below `floor` are drawn at it.
#[allow(clippy::type_complexity)]
fn budget_marks<DB: DrawingBackend, Y: Ranged<ValueType = f64>>(
    root: &DrawingArea<DB, Shift>,
    chart: &mut ChartContext<'_, DB, Cartesian2d<plotters::coord::types::RangedCoordf64, Y>>,
    t: &Theme,
    r: &RunResults,
    pick: fn(&crate::results::BudgetPoint) -> (f64, f64, f64),
    floor: f64,
) -> anyhow::Result<()>
where
    DB::ErrorType: 'static,
{
    let lw = t.line_width();
    let cap_px = t.px(10.0);
    let colors = run_colors(r);
    for (i, st) in r.summary.strategies.iter().enumerate() {
        let c = colors[i];
        let mut pts: Vec<_> = r
            .budgets
            .iter()
            .filter(|b| b.strategy == st.name)
            .map(|b| {
                let (m, lo, hi) = pick(b);
                (b.budget, (m.max(floor), lo.max(floor), hi.max(floor)))
            })
            .collect();
        pts.sort_by(|a, b| a.0.total_cmp(&b.0));
        if pts.is_empty() {
            continue;
        }
        chart.draw_series(LineSeries::new(simplify(pts.iter().map(|(x, (m, _, _))| (*x, *m))), c.stroke_width(lw)))?;
        for (x, (m, lo, hi)) in &pts {
            if lo.is_finite() && hi.is_finite() && hi > lo {
                let st = c.stroke_width(t.upx(3.0));
                chart.draw_series(std::iter::once(PathElement::new(vec![(*x, *lo), (*x, *hi)], st)))?;
                for v in [*lo, *hi] {
                    chart.draw_series(std::iter::once(
                        EmptyElement::at((*x, v)) + PathElement::new(vec![(-cap_px, 0), (cap_px, 0)], st),
                    ))?;
                }
            }
            chart.draw_series(std::iter::once(Circle::new((*x, *m), t.upx(9.0), c.filled())))?;
        }
    }
    // x labels at the swept budgets (skipping any that would crowd the
    // previous one).
    let mut budgets: Vec<f64> = r.budgets.iter().map(|b| b.budget).filter(|b| b.is_finite()).collect();
    budgets.sort_by(f64::total_cmp);
    budgets.dedup();
    let y_axis = chart.y_range().start;
    let font = t.tick();
    let mut last_right = i32::MIN;
    for b in budgets {
        let label = fmt_tick(b, if b.fract() == 0.0 { 0 } else { 2 });
        let (px, py) = chart.backend_coord(&(b, y_axis));
        let w = text_width(root, &label, &font)?;
        if px - w / 2 <= last_right + t.px(12.0) {
            continue;
        }
        text(root, &label, &font, &MUTED, (px, py + t.px(14.0)), (HPos::Center, VPos::Top))?;
        last_right = px + w / 2;
    }
    Ok(())
}

/// `budget`: reach and action against the seeding budget.
pub fn draw_budget<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, t: &Theme, r: &RunResults) -> anyhow::Result<()>
where
    DB::ErrorType: 'static,
{
    let sub = subtitle(r);
    let unit = r.summary.strategies.first().map(|s| s.budget_unit.as_str()).unwrap_or("people");
    let x_desc = if unit == "cost" { "budget (cost units)" } else { "budget (people seeded)" };
    let plot = frame(
        root,
        t,
        &Frame {
            title: chart_title("budget"),
            subtitle: &sub,
            legend_title: "Strategy",
            legend: strategy_legend(r, Swatch::LineDot),
            notes: vec![
                format!("Points: mean over {} replicates.", fmt_num(r.summary.replicates as f64, 0)),
                "Whiskers: 95% confidence interval of the mean.".to_string(),
            ],
        },
    )?;
    let (w, _) = plot.dim_in_pixel();
    let (left, right) = plot.split_horizontally(w as i32 / 2);
    budget_panel(root, &left, t, r, "Reach: people who heard", x_desc, "people reached", |b| {
        (b.reached_mean, b.reached_ci95_low, b.reached_ci95_high)
    })?;
    budget_panel(
        root,
        &right.margin(0, 0, t.px(20.0), 0),
        t,
        r,
        "Action: people who acted",
        x_desc,
        "people who acted",
        |b| (b.acted_mean, b.acted_ci95_low, b.acted_ci95_high),
    )?;
    Ok(())
}
