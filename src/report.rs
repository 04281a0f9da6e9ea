//! `report.html`: one self-contained page per run — a verdict paragraph,
//! the summary table with paired differences, the budget table of a sweep,
//! every chart inlined as SVG (rendered in this process from the data, never
//! read from a file found in `charts/`) with a description that states its
//! key numbers, and the resolved scenario in an appendix. No scripts,
//! stylesheets, fonts or images are loaded from anywhere, so it opens from
//! disk and prints to PDF cleanly.

use std::fmt::Write as _;
use std::path::Path;

use crate::charts::style::{display_name, escape_controls, fmt_num, hex};
use crate::charts::{chart_title, run_colors, shows_cost, wants_log};
use crate::metrics::Metric;
use crate::results::{BudgetPoint, Diff, RunResults, Stat, StrategySummary};

/// Escape text for HTML element content and attribute values; control
/// characters (invalid in HTML) become visible escapes (`\u{1b}`).
pub fn escape(s: &str) -> String {
    let s = escape_controls(s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

pub const CSS: &str = r#"
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: #222;
  font: 16px/1.5 "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 32px 28px 56px; }
h1 { font-size: 2.1em; margin: 0 0 .2em; }
h2 { font-size: 1.35em; margin: 1.8em 0 .6em; border-bottom: 2px solid #e3e3e3; padding-bottom: .2em; }
.lede { font-size: 1.12em; color: #444; margin: .3em 0 1em; }
.facts { color: #555; }
.table-wrap { max-width: 100%; overflow-x: auto; margin: 0 0 .6em; }
table { border-collapse: collapse; min-width: 100%; font-size: .92em; }
th, td { padding: 6px 8px; border-bottom: 1px solid #e3e3e3; text-align: right; vertical-align: top; }
th { background: #f4f4f4; font-weight: 600; white-space: nowrap; }
th:first-child, td:first-child, td.kind { text-align: left; }
td.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
.sw { display: inline-block; width: .9em; height: .9em; border-radius: 2px; margin-right: .45em;
  vertical-align: -.1em; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.sig { font-weight: 700; }
.ci { color: #666; font-size: .88em; }
.note { color: #666; font-size: .9em; }
.verdict { font-size: 1.08em; background: #f6f8fa; border-left: 4px solid #0072B2; padding: .7em 1em; }
.warn { background: #fff4e5; border-left: 4px solid #D55E00; padding: .7em 1em; }
figure { margin: 1.2em 0 2em; }
figure svg { width: 100%; height: auto; display: block; border: 1px solid #eee; }
figcaption { color: #444; margin-top: .4em; font-size: .95em; }
h1, h2, p, li, figcaption { overflow-wrap: anywhere; }
td, th { overflow-wrap: break-word; }
td:first-child { min-width: 10em; }
pre { background: #f7f7f7; border: 1px solid #e3e3e3; padding: 12px; overflow-x: auto; font-size: .85em;
  white-space: pre-wrap; word-break: break-word; }
footer { margin-top: 3em; color: #777; font-size: .85em; }
@media print {
  @page { margin: 14mm; }
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; page-break-after: avoid; }
  table, tr, figure { break-inside: avoid; page-break-inside: avoid; }
  figure { page-break-before: auto; }
  figure svg { border: none; }
  pre { font-size: 8pt; background: none; }
  .appendix { break-before: page; page-break-before: always; }
  .table-wrap { overflow: visible; }
}
"#;

/// Decimals for a column of `mean ± half` values: two significant figures
/// of the widest half-width in the column, and enough that the narrowest
/// does not round to zero (at most three), so every row of a column shows
/// the same precision (`4,886 ± 106` beside `345 ± 2`).
fn col_decimals(halves: impl IntoIterator<Item = f64>) -> usize {
    let hs: Vec<f64> = halves.into_iter().filter(|h| h.is_finite() && *h > 0.0).collect();
    let (Some(lo), Some(hi)) = (hs.iter().copied().reduce(f64::min), hs.iter().copied().reduce(f64::max)) else {
        return 0;
    };
    let d_max = (1.0 - hi.log10().floor()).clamp(0.0, 3.0) as usize;
    let d_nonzero = (0..=3).find(|&d| (lo * 10f64.powi(d as i32)).round() >= 1.0).unwrap_or(3);
    d_max.max(d_nonzero)
}

fn half(s: &Stat) -> f64 {
    (s.ci95_high - s.ci95_low) / 2.0
}

/// `mean ± half` with `d` decimals (just the mean when the interval is empty).
fn pm_d(s: &Stat, d: usize) -> String {
    let h = half(s);
    if h.is_finite() && h > 0.0 {
        format!("{} ± {}", fmt_num(s.mean, d), fmt_num(h, d))
    } else {
        fmt_num(s.mean, d)
    }
}

fn signed(v: f64, d: usize) -> String {
    if v > 0.0 && fmt_num(v, d) != fmt_num(0.0, d) {
        format!("+{}", fmt_num(v, d))
    } else {
        fmt_num(v, d)
    }
}

/// A paired difference cell: `+12 [+4, +20]*`, `d` decimals.
fn diff_cell(d: &Diff, dec: usize) -> String {
    let mark = if d.significant {
        "<span class=\"sig\" title=\"significant at 5% family-wise (Holm–Bonferroni)\">*</span>"
    } else {
        ""
    };
    format!(
        "{}{mark}<br><span class=\"ci\">[{}, {}]</span>",
        signed(d.mean, dec),
        signed(d.ci95_low, dec),
        signed(d.ci95_high, dec)
    )
}

fn budget_cell(s: &StrategySummary) -> String {
    let unit = if s.budget_unit == "cost" { "cost" } else { "people" };
    let dec = if s.budget.fract() == 0.0 { 0 } else { 2 };
    let mut out = format!("{} {unit}", fmt_num(s.budget, dec));
    if s.budget_unit == "cost" {
        let _ = write!(out, " <span class=\"ci\">({} seeds)</span>", s.seeds.len());
    }
    out
}

/// The strategies whose mean reach was still growing over the last 10% of
/// the steps (by more than 1% of its final value): their "final" numbers
/// are not where the process settles.
pub fn still_rising(r: &RunResults) -> Vec<String> {
    let m = Metric::Reached.idx();
    r.series
        .iter()
        .filter(|s| {
            let n = s.mean.len();
            if n < 2 {
                return false;
            }
            let back = ((n - 1) as f64 * 0.1).ceil().max(1.0) as usize;
            let (then, last) = (s.mean[n - 1 - back][m], s.mean[n - 1][m]);
            last.is_finite() && then.is_finite() && last - then > 0.01 * last.abs().max(1.0)
        })
        .map(|s| s.strategy.clone())
        .collect()
}

/// One line for stderr when some strategy's reach is still rising at the
/// last step (see [`still_rising`]); `None` otherwise.
pub fn still_rising_warning(r: &RunResults) -> Option<String> {
    let names = still_rising(r);
    if names.is_empty() {
        return None;
    }
    let list: Vec<String> = names.iter().map(|n| format!("\"{}\"", display_name(n))).collect();
    Some(format!(
        "warning: {}: reach is still rising at the last step (step {}) for {}; the final values are not where the \
         spread settles — consider more steps",
        display_name(&r.summary.scenario),
        r.summary.steps,
        list.join(", ")
    ))
}

/// What a report says about the folder beyond its data.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReportNotes {
    /// The run was interrupted: `(strategies in summary.json, strategies in
    /// the scenario)`.
    pub interrupted: Option<(usize, usize)>,
}

/// The number of strategies a resolved scenario lists (`[[strategy]]`), if
/// it can tell.
pub fn planned_strategies(resolved_toml: &str) -> Option<usize> {
    let t: toml::Table = resolved_toml.parse().ok()?;
    t.get("strategy").and_then(|v| v.as_array()).map(Vec::len)
}

/// The verdict on one metric: the best strategy by mean, and whether the
/// evidence supports it over every other (its Holm-adjusted paired
/// difference against the reference is significant and every other
/// strategy's is significantly on the other side, or their 95% CIs do not
/// overlap).
fn best_on(
    r: &RunResults,
    lift: fn(&StrategySummary) -> Stat,
    diff: fn(&StrategySummary) -> Option<Diff>,
) -> Option<(usize, bool)> {
    let st = &r.summary.strategies;
    let k = (0..st.len())
        .filter(|&i| lift(&st[i]).mean.is_finite())
        .max_by(|&a, &b| lift(&st[a]).mean.total_cmp(&lift(&st[b]).mean).then(b.cmp(&a)))?;
    let above = |i: usize| diff(&st[i]).is_some_and(|d| d.significant && d.mean > 0.0);
    let below = |i: usize| diff(&st[i]).is_some_and(|d| d.significant && d.mean < 0.0);
    let clear = (0..st.len()).filter(|&j| j != k).all(|j| {
        let by_pairs = if k == 0 {
            below(j)
        } else if j == 0 {
            above(k)
        } else {
            above(k) && below(j)
        };
        by_pairs || lift(&st[k]).ci95_low > lift(&st[j]).ci95_high
    });
    Some((k, clear && st.len() > 1))
}

/// The verdict paragraph (HTML).
fn verdict(r: &RunResults) -> String {
    let st = &r.summary.strategies;
    match st.len() {
        0 => return "No strategy has finished in this results folder: there is nothing to compare yet.".to_string(),
        1 => {
            return format!(
                "Only one strategy, <strong>{}</strong>: it adds {} people reached and causes {} actions beyond its \
                 seeds, against no campaign; there is nothing to compare it with.",
                escape(&st[0].name),
                signed(st[0].lift.reached.mean, 0),
                signed(st[0].lift.acted_beyond_seeds.mean, 0)
            )
        }
        _ => {}
    }
    let mut parts = Vec::new();
    for (what, lift, diff) in [
        (
            "extra reach",
            (|s: &StrategySummary| s.lift.reached) as fn(&StrategySummary) -> Stat,
            (|s: &StrategySummary| s.paired.as_ref().map(|p| p.reached)) as fn(&StrategySummary) -> Option<Diff>,
        ),
        ("action caused", |s| s.lift.acted_beyond_seeds, |s| s.paired.as_ref().map(|p| p.acted)),
    ] {
        match best_on(r, lift, diff) {
            Some((k, true)) => {
                let second =
                    (0..st.len()).filter(|&j| j != k).map(|j| lift(&st[j]).mean).fold(f64::NEG_INFINITY, f64::max);
                let best = lift(&st[k]).mean;
                let ratio = if second > 0.0 && best / second >= 1.5 {
                    format!(
                        ", about {}× the next best",
                        fmt_num(best / second, if best / second >= 10.0 { 0 } else { 1 })
                    )
                } else {
                    String::new()
                };
                parts.push(format!(
                    "On <em>{what}</em>, <strong>{}</strong> is best: {} people{ratio}.",
                    escape(&st[k].name),
                    fmt_num(best, 0)
                ));
            }
            Some((k, false)) => parts.push(format!(
                "On <em>{what}</em>, no clear winner: <strong>{}</strong> has the highest mean ({} people), but the \
                 evidence does not separate it from every other strategy.",
                escape(&st[k].name),
                fmt_num(lift(&st[k]).mean, 0)
            )),
            None => parts.push(format!("On <em>{what}</em>, no clear winner.")),
        }
    }
    if shows_cost(r) {
        if let Some((k, clear)) = best_on(r, |s| s.action_per_cost, |_| None) {
            parts.push(format!(
                "Per unit of cost, {} <strong>{}</strong> ({} actions caused per cost unit).",
                if clear { "the most action comes from" } else { "the highest mean (no clear winner) is" },
                escape(&st[k].name),
                fmt_num(st[k].action_per_cost.mean, 2)
            ));
        }
    }
    // With [uncertain]: who is best in what share of plausible worlds.
    let m = crate::uncertainty::verdict_metric(&r.summary);
    if let Some(v) = crate::uncertainty::verdict(&r.summary, m, &|n| format!("<strong>{}</strong>", escape(n))) {
        parts.push(v);
    }
    parts.join(" ")
}

/// `mean (low to high)`, whole people.
fn mean_and_ci(s: &Stat) -> String {
    format!("{} ({} to {})", fmt_num(s.mean, 0), fmt_num(s.ci95_low, 0), fmt_num(s.ci95_high, 0))
}

/// What a chart shows, in words with its key numbers (for the figure
/// caption and screen readers).
fn describe_chart(r: &RunResults, stem: &str) -> String {
    let st = &r.summary.strategies;
    let per = |f: &dyn Fn(&StrategySummary) -> String| -> String {
        st.iter().map(|s| format!("{} {}", display_name(&s.name), f(s))).collect::<Vec<_>>().join("; ")
    };
    let last = |name: &str, m: Metric| -> f64 {
        r.series.iter().find(|s| s.strategy == name).and_then(|s| s.mean.last()).map_or(f64::NAN, |row| row[m.idx()])
    };
    let base_last = |m: Metric| r.baseline.mean.last().map_or(f64::NAN, |row| row[m.idx()]);
    let log = |ms: &[Metric]| {
        if wants_log(r, ms) {
            " The y axis is logarithmic: the strategies differ by more than 10×."
        } else {
            ""
        }
    };
    match stem {
        "reach" | "action" => {
            let m = if stem == "reach" { Metric::Reached } else { Metric::Acted };
            format!(
                "Mean people {} by step {}: {}; no campaign {}.{}",
                if stem == "reach" { "reached" } else { "who acted" },
                r.summary.steps,
                per(&|s| fmt_num(last(&s.name, m), 0)),
                fmt_num(base_last(m), 0),
                log(&[m])
            )
        }
        "comparison" => format!(
            "Extra reach over no campaign (mean, 95% CI): {}. Action caused beyond the seeds: {}.{}",
            per(&|s| mean_and_ci(&s.lift.reached)),
            per(&|s| mean_and_ci(&s.lift.acted_beyond_seeds)),
            if shows_cost(r) {
                format!(" Action caused per unit of cost: {}.", per(&|s| fmt_num(s.action_per_cost.mean, 2)))
            } else {
                String::new()
            }
        ),
        "distribution" => format!(
            "Final reach, 5% to 95% of replicates (median): {}.",
            per(&|s| format!(
                "{} to {} ({})",
                fmt_num(s.final_.reached.q05, 0),
                fmt_num(s.final_.reached.q95, 0),
                fmt_num(s.final_.reached.q50, 0)
            ))
        ),
        "sentiment" => format!(
            "Mean people reached with a good opinion / a bad opinion at step {}: {}; no campaign {} / {}.",
            r.summary.steps,
            per(&|s| format!(
                "{} / {}",
                fmt_num(last(&s.name, Metric::ReachedGood), 0),
                fmt_num(last(&s.name, Metric::ReachedBad), 0)
            )),
            fmt_num(base_last(Metric::ReachedGood), 0),
            fmt_num(base_last(Metric::ReachedBad), 0)
        ),
        "layers" => format!(
            "At step {}, mean reached / friends / ambassadors: {}.",
            r.summary.steps,
            per(&|s| format!(
                "{} / {} / {}",
                fmt_num(last(&s.name, Metric::Reached), 0),
                fmt_num(last(&s.name, Metric::Friends), 0),
                fmt_num(last(&s.name, Metric::Ambassadors), 0)
            ))
        ),
        "network" => {
            let max_deg = r.degrees.iter().map(|d| d.degree).max().unwrap_or(0);
            format!(
                "Follower counts of the {} nodes range up to {}. Seeds' follower counts (min–max): {}.",
                fmt_num(r.summary.network.nodes as f64, 0),
                fmt_num(f64::from(max_deg), 0),
                per(&|s| {
                    let lo = s.seed_followers.iter().min().copied().unwrap_or(0);
                    let hi = s.seed_followers.iter().max().copied().unwrap_or(0);
                    format!("{}–{}", fmt_num(f64::from(lo), 0), fmt_num(f64::from(hi), 0))
                })
            )
        }
        "budget" => {
            let at_max: Vec<String> = st
                .iter()
                .filter_map(|s| {
                    let b = r
                        .budgets
                        .iter()
                        .filter(|b| b.strategy == s.name)
                        .max_by(|a, b| a.budget.total_cmp(&b.budget))?;
                    Some(format!(
                        "{} at {}: reach {}, action {}",
                        display_name(&s.name),
                        fmt_num(b.budget, 0),
                        fmt_num(b.reached_mean, 0),
                        fmt_num(b.acted_mean, 0)
                    ))
                })
                .collect();
            format!("Reach and action against the budget. At the largest budget: {}.", at_max.join("; "))
        }
        "draws" => format!(
            "Each strategy's mean action caused in a draw of the uncertain parameters, 5% / 50% / 95% over the draws: {}.",
            per(&|s| s.uncertain.as_ref().map_or(String::new(), |u| {
                let o = u.lift_over_draws.acted_beyond_seeds;
                format!("{} / {} / {}", fmt_num(o.q05, 1), fmt_num(o.q50, 1), fmt_num(o.q95, 1))
            }))
        ),
        "p_best" => format!(
            "Share of draws in which each strategy causes the most action (and the most per unit of cost): {}.",
            per(&|s| s.uncertain.as_ref().map_or(String::new(), |u| {
                format!("{:.0}% ({:.0}%)", 100.0 * u.p_best.acted_beyond_seeds, 100.0 * u.p_best.action_per_cost)
            }))
        ),
        "tornado" => r.summary.sensitivity.as_ref().map_or(String::new(), sensitivity_caption),
        _ => String::new(),
    }
}

/// The tornado's caption: what the margin is, and each key's index on it
/// (Sobol total or Morris μ*) with its CI, largest first.
fn sensitivity_caption(info: &crate::results::SensitivityInfo) -> String {
    let Some(m) = &info.margin else { return String::new() };
    let index = if info.method == "sobol" { "total" } else { "mu_star" };
    let mut rows: Vec<&crate::results::SensitivityRow> =
        info.indices.iter().filter(|r| r.strategy == crate::sensitivity::study::MARGIN && r.index == index).collect();
    rows.sort_by(|a, b| b.value.unwrap_or(f64::NEG_INFINITY).total_cmp(&a.value.unwrap_or(f64::NEG_INFINITY)));
    let f = |x: Option<f64>| x.map_or("–".to_string(), |x| fmt_num(x, 2));
    let keys: Vec<String> = rows
        .iter()
        .map(|r| format!("{} {} (95% CI {} to {})", escape(&r.key), f(r.value), f(r.ci95_low), f(r.ci95_high)))
        .collect();
    format!(
        "Which guess the verdict hinges on: the {} of the margin — {} minus {} in {}, per parameter draw — for each \
         uncertain key, largest first: {}. A key whose interval covers 0 does not move the verdict.",
        if info.method == "sobol" { "total Sobol index" } else { "Morris μ*" },
        escape(&m.best),
        escape(&m.second),
        escape(&m.metric),
        keys.join("; ")
    )
}

/// Make a chart SVG fit for inlining in HTML: drop any XML prolog and the
/// namespace attribute (HTML parsers add it), keep the viewBox so it scales
/// to the page width, and label it for screen readers.
pub fn inline_svg(svg: &str, label: &str) -> anyhow::Result<String> {
    use anyhow::Context;
    let start = svg.find("<svg").context("not an SVG file")?;
    let end = start + svg[start..].find('>').context("unterminated <svg> tag")?;
    let tag = &svg[start..end];
    let view_box = tag
        .split("viewBox=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .context("SVG without viewBox")?
        .to_string();
    Ok(format!(
        "<svg viewBox=\"{}\" role=\"img\" aria-label=\"{}\">{}",
        escape(&view_box),
        escape(label),
        &svg[end + 1..]
    ))
}

/// The budget table of a sweep: per strategy and budget, the seeds' cost,
/// the extra reach and the action caused (mean ± 95% CI half-width).
fn budget_table(h: &mut String, r: &RunResults) {
    if r.budgets.is_empty() {
        return;
    }
    let st = |b: &BudgetPoint| Stat {
        mean: b.lift_reached_mean,
        sd: f64::NAN,
        ci95_low: b.lift_reached_ci95_low,
        ci95_high: b.lift_reached_ci95_high,
    };
    let sa = |b: &BudgetPoint| Stat {
        mean: b.lift_acted_beyond_seeds_mean,
        sd: f64::NAN,
        ci95_low: b.lift_acted_beyond_seeds_ci95_low,
        ci95_high: b.lift_acted_beyond_seeds_ci95_high,
    };
    let dr = col_decimals(r.budgets.iter().map(|b| half(&st(b))));
    let da = col_decimals(r.budgets.iter().map(|b| half(&sa(b))));
    h.push_str(
        "<h2>Budget sweep</h2>\n<div class=\"table-wrap\"><table>\n<thead><tr><th>Strategy</th><th>Budget</th>\
                <th>Cost</th><th>Extra reach ± CI</th><th>Action caused ± CI</th></tr></thead>\n<tbody>\n",
    );
    for b in &r.budgets {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            escape(&b.strategy),
            fmt_num(b.budget, if b.budget.fract() == 0.0 { 0 } else { 2 }),
            fmt_num(b.cost, if b.cost.fract() == 0.0 { 0 } else { 2 }),
            pm_d(&st(b), dr),
            pm_d(&sa(b), da)
        );
    }
    h.push_str(
        "</tbody>\n</table></div>\n<p class=\"note\">Lift over no campaign at each budget; action caused \
                excludes the seeds' own actions; ± is the 95% confidence interval's half-width.</p>\n",
    );
}

/// The report as a string, with every chart rendered now from `results`.
pub fn render_report(results: &RunResults, notes: &ReportNotes) -> anyhow::Result<String> {
    let output = crate::charts::output_spec_from_toml(&results.resolved_toml)?;
    let svgs = crate::charts::render_svgs(results, &output)?;
    Ok(render_report_with(results, notes, &svgs))
}

/// The report as a string, inlining the given chart SVGs (stem, SVG text).
pub fn render_report_with(results: &RunResults, notes: &ReportNotes, svgs: &[(&str, String)]) -> String {
    let s = &results.summary;
    let colors = run_colors(results);
    let mut h = String::with_capacity(256 * 1024);
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(h, "<title>{} — womsim report</title>", escape(&s.scenario));
    let _ = writeln!(h, "<style>{CSS}</style>\n</head>\n<body>\n<main>");
    let _ = writeln!(h, "<h1>{}</h1>", escape(&s.scenario));
    if let Some((done, total)) = notes.interrupted {
        let _ = writeln!(
            h,
            "<p class=\"warn\"><strong>This run was interrupted: {done} of {total} strategies finished.</strong> \
             Only they are shown; run the scenario again for the rest.</p>"
        );
    }
    if !s.description.trim().is_empty() {
        let _ = writeln!(h, "<p class=\"lede\">{}</p>", escape(s.description.trim()));
    }
    let _ = writeln!(
        h,
        "<p class=\"facts\">{} seeding {} compared with the {} on a {} ({} {} connections), over {} replicates of {} \
         steps each (seed {}).</p>",
        s.strategies.len(),
        if s.strategies.len() == 1 { "strategy" } else { "strategies" },
        escape(&crate::charts::model_words(&s.model)),
        escape(&crate::charts::network_words(&s.network)),
        fmt_num(s.network.edges as f64, 0),
        if s.network.directed { "directed" } else { "undirected" },
        fmt_num(s.replicates as f64, 0),
        fmt_num(s.steps as f64, 0),
        s.seed,
    );
    let _ = writeln!(h, "<p class=\"verdict\">{}</p>", verdict(results));
    let rising = still_rising(results);
    if !rising.is_empty() {
        let list: Vec<String> = rising.iter().map(|n| format!("<strong>{}</strong>", escape(n))).collect();
        let _ = writeln!(
            h,
            "<p class=\"warn\">Still rising at the last step: the mean reach of {} grew during the last 10% of the \
             {} steps, so the \"final\" values below are not where the spread settles. Run more steps to see it.</p>",
            list.join(", "),
            s.steps
        );
    }

    // What lift means, in one sentence, and the world without a campaign.
    let b = &s.baseline.final_;
    let _ = writeln!(
        h,
        "<p class=\"lift\"><strong>Lift</strong> is what a strategy adds to what would happen anyway: the same world, \
         replicate by replicate, with no campaign at all. Without any campaign {} people hear about it ({} of them \
         bad news) and {} act.</p>",
        fmt_num(b.reached.mean, 0),
        fmt_num(b.reached_bad.mean, 0),
        fmt_num(b.acted.mean, 0),
    );

    // Summary table: one precision per column.
    let st = &s.strategies;
    if !st.is_empty() {
        let with_cost = shows_cost(results);
        let d_reach = col_decimals(st.iter().map(|x| half(&x.lift.reached)));
        let d_act = col_decimals(st.iter().map(|x| half(&x.lift.acted_beyond_seeds)));
        let d_cost = col_decimals(st.iter().map(|x| half(&x.action_per_cost)));
        let diffs = |f: fn(&crate::results::PairedDiffs) -> Diff| -> usize {
            col_decimals(st.iter().filter_map(|x| x.paired.as_ref().map(|p| (f(p).ci95_high - f(p).ci95_low) / 2.0)))
        };
        let (d_dr, d_da) = (diffs(|p| p.reached), diffs(|p| p.acted));
        // One precision for the cost column: whole units when costs are
        // whole or large, else cents.
        let max_cost = st.iter().map(|x| x.cost).fold(0.0, f64::max);
        let d_cost_col = if st.iter().all(|x| x.cost.fract() == 0.0) || max_cost >= 100.0 { 0 } else { 2 };
        let against = escape(&st[0].name);
        h.push_str("<h2>Summary</h2>\n<div class=\"table-wrap\"><table>\n<thead><tr><th>Strategy</th><th>Budget</th><th>Cost</th>");
        h.push_str("<th>Extra reach ± CI</th><th>Action caused ± CI</th>");
        if with_cost {
            h.push_str("<th>Action per cost ± CI</th>");
        }
        let _ = write!(
            h,
            "<th>Δ reach<br><span class=\"ci\">vs {against}</span></th><th>Δ action<br><span class=\"ci\">vs {against}</span></th></tr></thead>\n<tbody>\n"
        );
        for (i, x) in st.iter().enumerate() {
            let _ = write!(
                h,
                "<tr><td><span class=\"sw\" style=\"background:{}\"></span>{} <span class=\"ci\">{}</span></td>\
                 <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>",
                hex(colors[i]),
                escape(&x.name),
                escape(&x.kind),
                budget_cell(x),
                fmt_num(x.cost, d_cost_col),
                pm_d(&x.lift.reached, d_reach),
                pm_d(&x.lift.acted_beyond_seeds, d_act),
            );
            if with_cost {
                let _ = write!(h, "<td class=\"num\">{}</td>", pm_d(&x.action_per_cost, d_cost));
            }
            match &x.paired {
                Some(p) => {
                    let _ = write!(
                        h,
                        "<td class=\"num\">{}</td><td class=\"num\">{}</td>",
                        diff_cell(&p.reached, d_dr),
                        diff_cell(&p.acted, d_da)
                    );
                }
                None => h.push_str("<td class=\"num\">reference</td><td class=\"num\">reference</td>"),
            }
            h.push_str("</tr>\n");
        }
        h.push_str("</tbody>\n</table></div>\n");
        let comparisons = 4 * st.iter().filter(|x| x.paired.is_some()).count();
        let vary: Vec<String> = st.iter().filter(|x| x.seeds_vary).map(|x| escape(&x.name)).collect();
        let _ = writeln!(
            h,
            "<p class=\"note\">People at the end of the run. <em>Extra reach</em> and <em>action caused</em> are lift \
             over no campaign (action caused leaves out the seeds' own actions); ± is the half-width of the 95% \
             confidence interval. Δ columns: paired difference in total reach and action against {against}, with its \
             unadjusted 95% CI in brackets; <span class=\"sig\">*</span> significant at 5% family-wise \
             (Holm–Bonferroni over all {comparisons} comparisons of this run).{}</p>",
            if vary.is_empty() {
                String::new()
            } else {
                format!(
                    " Seeds drawn afresh in every replicate (intervals include the luck of the draw): {}.",
                    vary.join(", ")
                )
            }
        );
    }
    budget_table(&mut h, results);

    // Charts: each chart carries its own title, so the caption describes it.
    let mut charts = String::new();
    for (stem, svg) in svgs {
        let desc = describe_chart(results, stem);
        let label = format!("{}. {desc}", chart_title(stem));
        let body = match inline_svg(svg, &label) {
            Ok(b) => b,
            Err(_) => continue,
        };
        let _ = writeln!(
            charts,
            "<figure id=\"chart-{stem}\">\n{body}\n<figcaption>{}</figcaption>\n</figure>",
            escape(&desc)
        );
    }
    if !charts.is_empty() {
        h.push_str("<h2>Charts</h2>\n");
        h.push_str(&charts);
    } else if st.is_empty() {
        h.push_str("<p class=\"note\">No charts: no strategy has results yet.</p>\n");
    }

    h.push_str(
        "<section class=\"appendix\">\n<h2>Appendix: resolved scenario</h2>\n<p class=\"note\">Every default \
                filled in: running this file repeats the run exactly.</p>\n",
    );
    let _ = writeln!(h, "<pre>{}</pre>\n</section>", escape(&results.resolved_toml));
    let _ = writeln!(h, "<footer>Generated by womsim {}.</footer>", escape(&s.womsim_version));
    h.push_str("</main>\n</body>\n</html>\n");
    h
}

/// Write `report.html` to `path` (through a temporary file and a rename).
/// The charts are rendered again in memory from `results`; `_charts_dir`
/// is not read (a planted file there never reaches the report).
pub fn write_report(results: &RunResults, _charts_dir: &Path, path: &Path) -> anyhow::Result<()> {
    write_report_with(results, &ReportNotes::default(), path)
}

/// [`write_report`] with notes (an interrupted run).
pub fn write_report_with(results: &RunResults, notes: &ReportNotes, path: &Path) -> anyhow::Result<()> {
    let html = render_report(results, notes)?;
    crate::charts::write_atomic(path, html.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_controls() {
        assert_eq!(escape(r#"<a href="x">&'</a>"#), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
        assert_eq!(escape("a\u{1b}b"), "a\\u{1b}b");
    }

    #[test]
    fn one_precision_per_column() {
        assert_eq!(col_decimals([106.0, 1.7]), 0);
        assert_eq!(col_decimals([105.8, 0.3]), 1);
        assert_eq!(col_decimals([32.0, 50.0]), 0);
        assert_eq!(col_decimals([0.03]), 3);
        assert_eq!(col_decimals([0.0, f64::NAN]), 0);
        let s = Stat { mean: 4886.0, sd: 1.0, ci95_low: 4780.0, ci95_high: 4992.0 };
        assert_eq!(pm_d(&s, 1), "4,886.0 ± 106.0");
    }

    #[test]
    fn inline_svg_drops_namespace_and_sizes() {
        let svg =
            r#"<svg width="960" height="540" viewBox="0 0 960 540" xmlns="http://www.w3.org/2000/svg"><rect/></svg>"#;
        let out = inline_svg(svg, "T").unwrap();
        assert_eq!(out, r#"<svg viewBox="0 0 960 540" role="img" aria-label="T"><rect/></svg>"#);
    }
}
