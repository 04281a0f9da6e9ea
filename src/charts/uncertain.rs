//! The two charts of a run with `[uncertain]` parameters
//! ([`crate::uncertainty`]), drawn from `summary.json` alone:
//! `draws` (each strategy's mean lift over the parameter draws: 5–95%
//! range, median, mean) and `p_best` (the share of draws in which each
//! strategy is best, with ±1.96 Monte Carlo errors).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::chart_title;
use super::layout::{frame, Frame};
use super::plots::{bar_panels, range_panel_of, shows_cost, subtitle, BarSpec};
use super::style::{fmt_num, Theme};
use crate::results::{FinalStat, OverDraws, RunResults, Stat, StrategySummary};

/// Draw counts for the notes.
fn draws_words(r: &RunResults) -> String {
    r.summary.uncertain.as_ref().map_or(String::new(), |u| {
        format!(
            "{} draws of the uncertain parameters, {} replicates each",
            fmt_num(f64::from(u.draws), 0),
            u.replicates_per_draw
        )
    })
}

/// A draw-mean spread as a range (`range_panel_of` reads mean and quantiles).
fn range(o: Option<OverDraws>) -> FinalStat {
    let o = o.unwrap_or(OverDraws { mean: f64::NAN, q05: f64::NAN, q50: f64::NAN, q95: f64::NAN });
    FinalStat {
        mean: o.mean,
        sd: f64::NAN,
        ci95_low: f64::NAN,
        ci95_high: f64::NAN,
        q05: o.q05,
        q50: o.q50,
        q95: o.q95,
    }
}

/// `draws`: per strategy, the spread over draws of its mean lift in a draw.
pub fn draw_over_draws<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    t: &Theme,
    r: &RunResults,
) -> anyhow::Result<()>
where
    DB::ErrorType: 'static,
{
    let sub = subtitle(r);
    let notes = vec![
        format!("Bars: 5–95% over {} of each strategy's mean lift in a draw; line: median; dot: mean.", draws_words(r)),
        "The spread is what the parameters' uncertainty does to the expected lift (chance averages out within a draw)."
            .to_string(),
        "Panels have their own scales.".to_string(),
    ];
    let legend = super::plots::strategy_legend(r, super::layout::Swatch::Box);
    let plot = frame(
        root,
        t,
        &Frame { title: chart_title("draws"), subtitle: &sub, legend_title: "Strategy", legend, notes },
    )?;
    type Pick = fn(&StrategySummary) -> Option<OverDraws>;
    let mut spec: Vec<(&str, Pick)> = vec![
        ("Extra reach", |s| s.uncertain.as_ref().map(|u| u.lift_over_draws.reached)),
        ("Action caused", |s| s.uncertain.as_ref().map(|u| u.lift_over_draws.acted_beyond_seeds)),
    ];
    if shows_cost(r) {
        spec.push(("Action per unit of cost", |s| s.uncertain.as_ref().map(|u| u.lift_over_draws.action_per_cost)));
    }
    let panels = plot.split_evenly((1, spec.len()));
    for (k, (p, (title, pick))) in panels.iter().zip(spec).enumerate() {
        let p = if k > 0 { p.margin(0, 0, t.px(16.0), 0) } else { p.clone() };
        let stats: Vec<FinalStat> = r.summary.strategies.iter().map(|s| range(pick(s))).collect();
        range_panel_of(&p, t, r, title, &stats)?;
    }
    Ok(())
}

/// `p_best` as a percentage with a ±1.96 se whisker, kept in [0, 100].
fn pct(p: f64, se: f64) -> Stat {
    let (p, se) = (100.0 * p, 100.0 * se);
    Stat { mean: p, sd: se, ci95_low: (p - 1.96 * se).max(0.0), ci95_high: (p + 1.96 * se).min(100.0) }
}

/// `p_best`: per strategy, the share of draws in which it is best.
pub fn draw_p_best<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, t: &Theme, r: &RunResults) -> anyhow::Result<()>
where
    DB::ErrorType: 'static,
{
    let sub = subtitle(r);
    let notes = vec![
        format!("Bars: in what % of the {} each strategy has the highest mean lift (ties shared).", draws_words(r)),
        "Whiskers: ± 1.96 Monte Carlo standard errors, √(p(1 − p)/draws).".to_string(),
    ];
    let plot = frame(
        root,
        t,
        &Frame { title: chart_title("p_best"), subtitle: &sub, legend_title: "", legend: vec![], notes },
    )?;
    let mut panels: Vec<BarSpec> = vec![
        ("Most extra reach", "% of draws", |s| {
            s.uncertain.as_ref().map_or(none_stat(), |u| pct(u.p_best.reached, u.p_best_se.reached))
        }),
        ("Most action caused", "% of draws", |s| {
            s.uncertain
                .as_ref()
                .map_or(none_stat(), |u| pct(u.p_best.acted_beyond_seeds, u.p_best_se.acted_beyond_seeds))
        }),
    ];
    if shows_cost(r) {
        panels.push(("Most action per cost", "% of draws", |s| {
            s.uncertain.as_ref().map_or(none_stat(), |u| pct(u.p_best.action_per_cost, u.p_best_se.action_per_cost))
        }));
    }
    bar_panels(root, &plot, t, r, &panels)
}

fn none_stat() -> Stat {
    Stat { mean: f64::NAN, sd: f64::NAN, ci95_low: f64::NAN, ci95_high: f64::NAN }
}
