//! `report.html`: one self-contained page per run — the scenario in a
//! sentence, the summary table with paired differences, every chart inlined
//! as SVG and the resolved scenario. No scripts, stylesheets, fonts or images
//! are loaded from anywhere, so it opens from disk and prints to PDF cleanly.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Context;

use crate::charts::style::{fmt_num, strategy_color, value_decimals};
use crate::charts::{chart_title, CATALOGUE};
use crate::results::{Diff, RunResults, Stat, StrategySummary};

/// Escape text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
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

const CSS: &str = r#"
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: #222;
  font: 16px/1.5 "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 32px 28px 56px; }
h1 { font-size: 2.1em; margin: 0 0 .2em; }
h2 { font-size: 1.35em; margin: 1.8em 0 .6em; border-bottom: 2px solid #e3e3e3; padding-bottom: .2em; }
.lede { font-size: 1.12em; color: #444; margin: .3em 0 1em; }
.facts { color: #555; }
table { border-collapse: collapse; width: 100%; font-size: .92em; }
th, td { padding: 6px 8px; border-bottom: 1px solid #e3e3e3; text-align: right; vertical-align: top; }
th { background: #f4f4f4; font-weight: 600; }
th:first-child, td:first-child, td.kind { text-align: left; }
td.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
.sw { display: inline-block; width: .9em; height: .9em; border-radius: 2px; margin-right: .45em;
  vertical-align: -.1em; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.sig { font-weight: 700; }
.ci { color: #666; font-size: .88em; }
.note { color: #666; font-size: .9em; }
ul.verdict li { margin: .25em 0; }
figure { margin: 1.2em 0 2em; }
figure svg { width: 100%; height: auto; display: block; border: 1px solid #eee; }
figcaption { font-weight: 600; margin-bottom: .4em; }
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
}
"#;

fn hex(i: usize) -> String {
    let c = strategy_color(i);
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// `mean ± half`, with enough decimals that the half-width never rounds
/// to zero (`9,971.9 ± 0.9`, `1,334 ± 32`), at most three.
fn pm(mean: f64, half: f64, unit: &str) -> String {
    let d_half = if half >= 2.0 {
        0
    } else if half >= 0.2 {
        1
    } else if half >= 0.02 {
        2
    } else {
        3
    };
    let d = value_decimals(mean).max(d_half);
    if half.is_finite() && half > 0.0 {
        format!("{}{unit} ± {}{unit}", fmt_num(mean, d), fmt_num(half, d))
    } else {
        format!("{}{unit}", fmt_num(mean, value_decimals(mean)))
    }
}

/// `mean ± half-width of the 95% CI`.
fn mean_ci(s: &Stat) -> String {
    pm(s.mean, (s.ci95_high - s.ci95_low) / 2.0, "")
}

fn signed(v: f64, d: usize) -> String {
    if v > 0.0 && fmt_num(v, d) != fmt_num(0.0, d) {
        format!("+{}", fmt_num(v, d))
    } else {
        fmt_num(v, d)
    }
}

/// A paired difference cell: `+12 [+4, +20]*`.
fn diff_cell(d: &Diff) -> String {
    let dec = value_decimals(d.mean.abs().max(d.ci95_high.abs()).max(d.ci95_low.abs()));
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
    let unit = if s.budget_unit == "cost" { "cost units" } else { "people" };
    let dec = if s.budget.fract() == 0.0 { 0 } else { value_decimals(s.budget).min(2) };
    let mut out = format!("{} {unit}", fmt_num(s.budget, dec));
    if s.budget_unit == "cost" {
        let _ = write!(out, "<br><span class=\"ci\">{} seeds</span>", s.seeds.len());
    }
    out
}

/// One sentence per non-reference strategy and metric: a ranking where the
/// paired CI excludes zero, "no clear difference" otherwise.
fn verdicts(r: &RunResults) -> Vec<String> {
    let mut out = Vec::new();
    let Some(first) = r.summary.strategies.first() else { return out };
    for st in r.summary.strategies.iter().skip(1) {
        let Some(p) = &st.paired else { continue };
        for (what, d, more, fewer) in [
            ("reach", &p.reached, "reached more people than", "reached fewer people than"),
            ("action", &p.acted, "got more people to act than", "got fewer people to act than"),
        ] {
            let dec = value_decimals(d.mean.abs().max(d.ci95_high.abs()).max(d.ci95_low.abs()));
            let ci = format!("95% CI {} to {}", signed(d.ci95_low, dec), signed(d.ci95_high, dec));
            let s = if d.significant {
                format!(
                    "<strong>{}</strong> {} <strong>{}</strong>: {} people ({ci}).",
                    escape(&st.name),
                    if d.mean > 0.0 { more } else { fewer },
                    escape(&p.against),
                    signed(d.mean, dec)
                )
            } else {
                format!(
                    "<strong>{}</strong> vs <strong>{}</strong>: no clear difference in {what} ({} people, {ci}; not significant family-wise).",
                    escape(&st.name),
                    escape(&p.against),
                    signed(d.mean, dec)
                )
            };
            out.push(s);
        }
    }
    if out.is_empty() && r.summary.strategies.len() == 1 {
        out.push(format!("Only one strategy (<strong>{}</strong>): nothing to compare.", escape(&first.name)));
    }
    out
}

/// Make a chart SVG fit for inlining in HTML: drop any XML prolog and the
/// namespace attribute (HTML parsers add it), keep the viewBox so it scales
/// to the page width, and label it for screen readers.
fn inline_svg(svg: &str, title: &str) -> anyhow::Result<String> {
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
        escape(title),
        &svg[end + 1..]
    ))
}

/// The report as a string. Reads `<charts_dir>/<stem>.svg` for every chart
/// of the catalogue that exists (missing charts are simply not shown).
pub fn render_report(results: &RunResults, charts_dir: &Path) -> anyhow::Result<String> {
    let s = &results.summary;
    let mut h = String::with_capacity(256 * 1024);
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(h, "<title>{} — womsim report</title>", escape(&s.scenario));
    let _ = writeln!(h, "<style>{CSS}</style>\n</head>\n<body>\n<main>");
    let _ = writeln!(h, "<h1>{}</h1>", escape(&s.scenario));
    if !s.description.trim().is_empty() {
        let _ = writeln!(h, "<p class=\"lede\">{}</p>", escape(s.description.trim()));
    }
    let _ = writeln!(
        h,
        "<p class=\"facts\">{} seeding {} compared with the <strong>{}</strong> model on a {} network of {} nodes and {} {} \
         edges, over {} replicates of {} steps each (seed {}). All strategies share each replicate's randomness, so \
         differences against <strong>{}</strong> are paired.</p>",
        s.strategies.len(),
        if s.strategies.len() == 1 { "strategy" } else { "strategies" },
        escape(&s.model),
        escape(&s.network.kind),
        fmt_num(s.network.nodes as f64, 0),
        fmt_num(s.network.edges as f64, 0),
        if s.network.directed { "directed" } else { "undirected" },
        fmt_num(s.replicates as f64, 0),
        fmt_num(s.steps as f64, 0),
        s.seed,
        s.strategies.first().map(|f| escape(&f.name)).unwrap_or_default()
    );

    // What lift means, in one sentence, and the world without a campaign.
    let b = &s.baseline.final_;
    let _ = writeln!(
        h,
        "<p class=\"lift\"><strong>Lift</strong> is what a strategy adds to what would happen anyway: the same world, \
         replicate by replicate, with no campaign at all. Without any campaign {} people hear about it ({} of them \
         bad news) and {} act; the table credits each strategy only with the difference it makes, and \
         <em>action caused</em> also leaves out the seeds' own actions.</p>",
        fmt_num(b.reached.mean, value_decimals(b.reached.mean)),
        fmt_num(b.reached_bad.mean, value_decimals(b.reached_bad.mean)),
        fmt_num(b.acted.mean, value_decimals(b.acted.mean)),
    );

    // Summary table.
    h.push_str("<h2>Summary</h2>\n<table>\n<thead><tr><th>Strategy</th><th>Kind</th><th>Budget</th>");
    // Influencers cost more than the magic middle: the fair comparison is per unit spent.
    h.push_str("<th>Cost<br><span class=\"ci\">of the seeds</span></th>");
    h.push_str("<th>Extra reach<br><span class=\"ci\">lift, mean ± 95% CI</span></th>");
    h.push_str("<th>Action caused<br><span class=\"ci\">beyond the seeds, ± 95% CI</span></th>");
    h.push_str("<th>Action caused / cost<br><span class=\"ci\">mean ± 95% CI</span></th>");
    h.push_str("<th>Reach<br><span class=\"ci\">total, mean ± 95% CI</span></th>");
    h.push_str("<th>Action<br><span class=\"ci\">total, mean ± 95% CI</span></th>");
    let against = s.strategies.first().map(|f| escape(&f.name)).unwrap_or_default();
    let _ = write!(h, "<th>Reach vs {against}<br><span class=\"ci\">paired, [95% CI]</span></th>");
    let _ =
        write!(h, "<th>Action vs {against}<br><span class=\"ci\">paired, [95% CI]</span></th></tr></thead>\n<tbody>\n");
    for (i, st) in s.strategies.iter().enumerate() {
        let _ = write!(
            h,
            "<tr><td><span class=\"sw\" style=\"background:{}\"></span>{}</td><td class=\"kind\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>",
            hex(i),
            escape(&st.name),
            escape(&st.kind),
            budget_cell(st),
            fmt_num(st.cost, if st.cost.fract() == 0.0 { 0 } else { 2 }),
            mean_ci(&st.lift.reached),
            mean_ci(&st.lift.acted_beyond_seeds),
            mean_ci(&st.action_per_cost),
            mean_ci(&st.final_.reached.stat()),
            mean_ci(&st.final_.acted.stat()),
        );
        match &st.paired {
            Some(p) => {
                let _ = write!(
                    h,
                    "<td class=\"num\">{}</td><td class=\"num\">{}</td>",
                    diff_cell(&p.reached),
                    diff_cell(&p.acted)
                );
            }
            None => h.push_str("<td class=\"num\">reference</td><td class=\"num\">reference</td>"),
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table>\n");
    let comparisons = 4 * s.strategies.iter().filter(|st| st.paired.is_some()).count();
    let vary: Vec<String> = s.strategies.iter().filter(|st| st.seeds_vary).map(|st| escape(&st.name)).collect();
    let _ = writeln!(
        h,
        "<p class=\"note\">Counts of people at the end of the run; totals include the seeds and what happens without \
         a campaign. <span class=\"sig\">*</span> the paired difference is significant at 5% family-wise: \
         Holm–Bonferroni over all {comparisons} comparisons in this run (the confidence intervals shown are \
         unadjusted); strategies are ranked below only where it is.{}</p>",
        if vary.is_empty() {
            String::new()
        } else {
            format!(
                " Seeds drawn afresh in every replicate, so the intervals include the luck of the draw: {}.",
                vary.join(", ")
            )
        }
    );
    let v = verdicts(results);
    if !v.is_empty() {
        h.push_str("<ul class=\"verdict\">\n");
        for line in v {
            let _ = writeln!(h, "<li>{line}</li>");
        }
        h.push_str("</ul>\n");
    }

    // Charts.
    let mut charts = String::new();
    for stem in CATALOGUE {
        let p = charts_dir.join(format!("{stem}.svg"));
        if !p.exists() {
            continue;
        }
        let svg = std::fs::read_to_string(&p).with_context(|| format!("reading {}", p.display()))?;
        let title = chart_title(stem);
        let body = inline_svg(&svg, title).with_context(|| format!("inlining {}", p.display()))?;
        let _ = writeln!(
            charts,
            "<figure id=\"chart-{stem}\">\n<figcaption>{}</figcaption>\n{body}\n</figure>",
            escape(title)
        );
    }
    if !charts.is_empty() {
        h.push_str("<h2>Charts</h2>\n");
        h.push_str(&charts);
    }

    h.push_str("<h2>Resolved scenario</h2>\n<p class=\"note\">Every default filled in: running this file repeats the run exactly.</p>\n");
    let _ = writeln!(h, "<pre>{}</pre>", escape(&results.resolved_toml));
    let _ = writeln!(h, "<footer>Generated by womsim {}.</footer>", escape(&s.womsim_version));
    h.push_str("</main>\n</body>\n</html>\n");
    Ok(h)
}

/// Write `report.html` to `path` (through a temporary file and a rename).
pub fn write_report(results: &RunResults, charts_dir: &Path, path: &Path) -> anyhow::Result<()> {
    let html = render_report(results, charts_dir)?;
    crate::charts::write_atomic(path, html.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(escape(r#"<a href="x">&'</a>"#), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
    }

    #[test]
    fn half_width_never_rounds_to_zero() {
        assert_eq!(pm(9971.9, 0.9, ""), "9,971.9 ± 0.9");
        assert_eq!(pm(1333.93, 31.8, ""), "1,334 ± 32");
        assert_eq!(pm(1.41, 0.03, "%"), "1.41% ± 0.03%");
        assert_eq!(pm(5.0, 0.0, ""), "5.00");
    }

    #[test]
    fn inline_svg_drops_namespace_and_sizes() {
        let svg =
            r#"<svg width="960" height="540" viewBox="0 0 960 540" xmlns="http://www.w3.org/2000/svg"><rect/></svg>"#;
        let out = inline_svg(svg, "T").unwrap();
        assert_eq!(out, r#"<svg viewBox="0 0 960 540" role="img" aria-label="T"><rect/></svg>"#);
    }
}
