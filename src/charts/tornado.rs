//! `tornado`: the sensitivity indices of the margin between the two leading
//! strategies (summary.json's `sensitivity` block, [`crate::sensitivity`]),
//! one row per uncertain key, largest first: Sobol total (wide bar) and
//! first-order (narrow bar) indices with their bootstrap 95% CIs, or Morris
//! μ* and σ. The key at the top is the guess the verdict hinges on most.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::chart_title;
use super::layout::{fit, frame, text, text_width, Frame, LegendItem, Swatch};
use super::plots::subtitle;
use super::style::{fmt_tick, Theme, AXIS, GRID, INK, MUTED, PALETTE};
use crate::results::{RunResults, SensitivityInfo, SensitivityRow};
use plotters::style::text_anchor::{HPos, VPos};

/// The margin's rows of index `index`, by key.
fn margin_rows<'a>(info: &'a SensitivityInfo, index: &str) -> Vec<&'a SensitivityRow> {
    info.indices.iter().filter(|r| r.strategy == crate::sensitivity::study::MARGIN && r.index == index).collect()
}

/// Whether the run has a margin to draw.
pub fn applies(r: &RunResults) -> bool {
    r.summary.sensitivity.as_ref().is_some_and(|s| s.margin.is_some() && !s.indices.is_empty())
}

pub fn draw_tornado<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, t: &Theme, r: &RunResults) -> anyhow::Result<()>
where
    DB::ErrorType: 'static,
{
    let info = r.summary.sensitivity.as_ref().ok_or_else(|| anyhow::anyhow!("no sensitivity block"))?;
    let margin = info.margin.as_ref().ok_or_else(|| anyhow::anyhow!("no margin"))?;
    let sobol = info.method == "sobol";
    let (main, second) = if sobol { ("total", "first") } else { ("mu_star", "sigma") };
    let mut rows: Vec<(&SensitivityRow, Option<&SensitivityRow>)> = margin_rows(info, main)
        .into_iter()
        .map(|m| (m, margin_rows(info, second).into_iter().find(|s| s.key == m.key)))
        .collect();
    // Largest at the top (the y axis grows upward: sort ascending).
    rows.sort_by(|a, b| a.0.value.unwrap_or(f64::NEG_INFINITY).total_cmp(&b.0.value.unwrap_or(f64::NEG_INFINITY)));
    let metric = match margin.metric.as_str() {
        "action_per_cost" => "action per unit of cost",
        "lift_acted_beyond_seeds" => "action caused",
        other => other,
    };
    let sub = subtitle(r);
    let (c_main, c_second) = (PALETTE[3], PALETTE[0]);
    let (l_main, l_second) =
        if sobol { ("Total index", "First-order index") } else { ("μ* (mean |effect|)", "σ of the effects") };
    let mut notes = vec![
        format!(
            "Margin: {} minus {} in {metric}, per parameter draw — the quantity that decides the verdict.",
            margin.best, margin.second
        ),
        format!(
            "Whiskers: bootstrap 95% CIs over the design's {} (upper: {}; lower: {}).",
            if sobol { "base rows" } else { "trajectories" },
            l_main.to_lowercase(),
            l_second.to_lowercase()
        ),
    ];
    notes.push(if sobol {
        "Total: the share of the margin's variance a key explains with its interactions; first-order: alone. \
         A total near 0 means the key does not matter."
            .to_string()
    } else {
        "μ*: the margin's mean absolute change when a key moves by half its prior (in probability), per whole \
         prior; σ > 0: non-linear or interacting."
            .to_string()
    });
    let plot = frame(
        root,
        t,
        &Frame {
            title: chart_title("tornado"),
            subtitle: &sub,
            legend_title: "Index",
            legend: vec![
                LegendItem { label: l_main.into(), color: c_main, swatch: Swatch::Box },
                LegendItem { label: l_second.into(), color: c_second, swatch: Swatch::Box },
            ],
            notes,
        },
    )?;
    let k = rows.len().max(1);
    let hi = rows
        .iter()
        .flat_map(|(m, s)| [m.value, m.ci95_high, s.and_then(|s| s.value), s.and_then(|s| s.ci95_high)])
        .flatten()
        .fold(if sobol { 1.0 } else { 0.0 }, f64::max);
    let lo = rows.iter().flat_map(|(m, s)| [m.ci95_low, s.and_then(|s| s.ci95_low)]).flatten().fold(0.0, f64::min);
    let hi = if hi > 0.0 { hi * 1.05 } else { 1.0 };
    let (pw, _) = plot.dim_in_pixel();
    let names: Vec<String> = rows.iter().map(|(m, _)| m.key.trim_start_matches("model.").to_string()).collect();
    let widest = names.iter().map(|n| text_width(root, n, &t.tick())).collect::<anyhow::Result<Vec<_>>>()?;
    let name_w = (widest.into_iter().max().unwrap_or(0) + t.px(24.0)).min(pw as i32 / 3);
    let mut fitted = Vec::with_capacity(names.len());
    for n in &names {
        fitted.push(fit(root, n, &t.tick(), name_w - t.px(24.0))?);
    }
    let x_desc = if sobol { "Sobol index of the margin" } else { "elementary effect on the margin" };
    let mut chart = ChartBuilder::on(&plot)
        .margin_right(t.px(24.0))
        .margin_top(t.px(12.0))
        .x_label_area_size(t.px(90.0))
        .y_label_area_size(name_w)
        .build_cartesian_2d(lo..hi, 0f64..k as f64)?;
    let dec = super::style::axis_decimals(hi - lo);
    chart
        .configure_mesh()
        .disable_y_mesh()
        .x_desc(x_desc)
        .axis_desc_style(t.axis_desc().color(&INK))
        .label_style(t.tick().color(&MUTED))
        .bold_line_style(GRID.stroke_width(t.upx(1.5)))
        .light_line_style(TRANSPARENT)
        .axis_style(AXIS.stroke_width(t.upx(2.0)))
        .x_labels(6)
        .y_labels(0)
        .x_label_formatter(&|v| fmt_tick(*v, dec))
        .draw()?;
    for (i, (m, s)) in rows.iter().enumerate() {
        let y = i as f64;
        // Main bar: the row's middle 60%; the second index: a narrower bar on it.
        let bar =
            |v: f64, inset: f64, c: RGBColor| Rectangle::new([(0.0, y + inset), (v, y + 1.0 - inset)], c.filled());
        let whisker = |a: f64, b: f64, c: RGBColor, dy: f64| {
            PathElement::new(vec![(a, y + 0.5 + dy), (b, y + 0.5 + dy)], c.stroke_width(t.upx(4.0)))
        };
        if let Some(v) = m.value {
            chart.draw_series(std::iter::once(bar(v, 0.2, c_main)))?;
        }
        if let Some(v) = s.and_then(|s| s.value) {
            chart.draw_series(std::iter::once(bar(v, 0.36, c_second)))?;
        }
        if let (Some(a), Some(b)) = (m.ci95_low, m.ci95_high) {
            chart.draw_series(std::iter::once(whisker(a, b, INK, 0.1)))?;
        }
        if let Some((Some(a), Some(b))) = s.map(|s| (s.ci95_low, s.ci95_high)) {
            chart.draw_series(std::iter::once(whisker(a, b, MUTED, -0.1)))?;
        }
        // The key's name, right-aligned left of the axis.
        let (x0, yc) = chart.backend_coord(&(lo, y + 0.5));
        text(root, &fitted[i], &t.tick(), &MUTED, (x0 - t.px(12.0), yc), (HPos::Right, VPos::Center))?;
    }
    if lo < 0.0 {
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(0.0, 0.0), (0.0, k as f64)],
            AXIS.stroke_width(t.upx(2.0)),
        )))?;
    }
    Ok(())
}
