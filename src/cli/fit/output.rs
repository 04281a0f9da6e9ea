//! The fit folder: `posterior.csv`, `charts/`, `fit.html`, `fit.toml` (the
//! fit file as run) and `fit.json` — each written atomically, `fit.json`
//! last so that its presence means the folder is complete.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Serialize;
use serde_json::{json, Map, Value};
use womsim::charts::fit::{render_chart, FitChart, PosteriorChart};
use womsim::export::{atomic_write, sha256_file};
use womsim::report::{escape, inline_svg, CSS};

use super::spec::{DataKind, DataSource, FitSpec};
use super::Outcome;

/// File names of the contract.
pub const FIT_JSON: &str = "fit.json";
pub const POSTERIOR_CSV: &str = "posterior.csv";
pub const FIT_HTML: &str = "fit.html";
pub const FIT_TOML: &str = "fit.toml";
pub const CHARTS_DIR: &str = "charts";

/// One generation of ABC's tolerance schedule.
#[derive(Debug, Clone, Serialize)]
pub struct GenerationRow {
    pub tolerance: f64,
    pub acceptance: f64,
    pub simulations: u64,
    pub ess: f64,
}

/// What ABC did (fit.json top-level fields).
#[derive(Debug, Clone, Serialize)]
pub struct AbcRun {
    pub tolerance_schedule: Vec<GenerationRow>,
    pub acceptance: f64,
    pub simulations: u64,
    pub ess: f64,
    pub stop: String,
}

/// A key as a safe file-name part (`model.share.bad` stays readable).
fn stem_of(key: &str) -> String {
    key.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') { c } else { '_' }).collect()
}

/// Shortest text of a float that reads back to the same value (`{}` of an f64).
fn num(v: f64) -> String {
    format!("{v}")
}

/// Whether a fitted key is a scenario key (a dotted path such as
/// `model.p`). Bass's `m`, the aggregate market size, is not: a network
/// scenario takes its market from its population, and `[uncertain]
/// samples = "posterior.csv"` refuses columns that are not scenario keys.
pub fn is_scenario_key(key: &str) -> bool {
    key.contains('.')
}

/// `posterior.csv`: one column per fitted scenario key (dotted path), then
/// `weight`; the rows are the joint draws (so a column subset is a draw from
/// the marginal posterior of those keys).
pub fn posterior_csv(o: &Outcome) -> String {
    let cols: Vec<usize> = (0..o.estimates.len()).filter(|&k| is_scenario_key(&o.estimates[k].0)).collect();
    let mut s = String::new();
    for &k in &cols {
        s.push_str(&o.estimates[k].0);
        s.push(',');
    }
    s.push_str("weight\n");
    for (row, w) in o.draws.iter().zip(&o.weights) {
        for &k in &cols {
            s.push_str(&num(row[k]));
            s.push(',');
        }
        s.push_str(&num(*w));
        s.push('\n');
    }
    s
}

/// The `fit.json` document.
pub fn fit_json(spec: &FitSpec, o: &Outcome) -> anyhow::Result<Value> {
    let mut estimates = Map::new();
    for (k, e) in &o.estimates {
        let mut m = Map::new();
        m.insert("estimate".into(), json!(e.estimate));
        if let Some(se) = e.se {
            m.insert("se".into(), json!(se));
        }
        m.insert("ci95_low".into(), json!(e.ci95_low));
        m.insert("ci95_high".into(), json!(e.ci95_high));
        estimates.insert(k.clone(), Value::Object(m));
    }
    let mut data = Map::new();
    data.insert("kind".into(), json!(if spec.data.kind == DataKind::Curve { "curve" } else { "cascades" }));
    match &spec.data.source {
        DataSource::File(f) => {
            data.insert("file".into(), json!(f.display().to_string()));
            data.insert("sha256".into(), json!(sha256_file(f)?));
        }
        DataSource::Inline(_) => {
            data.insert("file".into(), Value::Null);
            data.insert("sha256".into(), Value::Null);
        }
    }
    data.extend(o.data_facts.clone());
    let mut doc = Map::new();
    doc.insert("womsim_version".into(), json!(env!("CARGO_PKG_VERSION")));
    doc.insert("name".into(), json!(spec.name));
    doc.insert("method".into(), json!(spec.method.name()));
    doc.insert("seed".into(), json!(spec.seed));
    doc.insert("data".into(), Value::Object(data));
    doc.insert("estimates".into(), Value::Object(estimates));
    doc.insert("posterior".into(), json!({ "file": POSTERIOR_CSV, "draws": o.draws.len(), "what": o.draws_note }));
    // ABC's run facts at the top level; null / empty for the other methods
    // (they simulate nothing), so every fit.json has the same fields.
    match &o.abc {
        Some(a) => {
            doc.insert("tolerance_schedule".into(), serde_json::to_value(&a.tolerance_schedule)?);
            doc.insert("acceptance".into(), json!(a.acceptance));
            doc.insert("simulations".into(), json!(a.simulations));
            doc.insert("ess".into(), json!(a.ess));
            doc.insert("stop".into(), json!(a.stop));
        }
        None => {
            doc.insert("tolerance_schedule".into(), json!([]));
            doc.insert("acceptance".into(), Value::Null);
            doc.insert("simulations".into(), json!(0));
            doc.insert("ess".into(), Value::Null);
            doc.insert("stop".into(), Value::Null);
        }
    }
    doc.extend(o.details.clone());
    Ok(Value::Object(doc))
}

/// The charts (PNG + SVG in `charts/`), with their SVG text and caption.
/// A chart drawn for fit.html: stem, caption, SVG text.
pub type DrawnChart = (String, String, String);

fn charts(dir: &Path, spec: &FitSpec, o: &Outcome) -> anyhow::Result<(Vec<PathBuf>, Vec<DrawnChart>)> {
    let cdir = dir.join(CHARTS_DIR);
    fs::create_dir_all(&cdir).with_context(|| format!("cannot create {}", cdir.display()))?;
    remove_stale_charts(&cdir)?;
    let mut files = Vec::new();
    let mut svgs = Vec::new();
    let mut add = |stem: String, caption: String, chart: FitChart<'_>| -> anyhow::Result<()> {
        let svg = render_chart(&cdir, &stem, spec.size, chart)?;
        files.push(cdir.join(format!("{stem}.png")));
        files.push(cdir.join(format!("{stem}.svg")));
        svgs.push((stem, caption, svg));
        Ok(())
    };
    if let Some(c) = &o.curve {
        add("curve".into(), format!("{} {}", c.title, c.notes.join(" ")), FitChart::Curve(c))?;
    }
    let post = PosteriorChart {
        subtitle: format!("{}: {}", spec.name, o.draws_note),
        keys: o.estimates.iter().map(|(k, _)| k.clone()).collect(),
        rows: o.draws.clone(),
        weights: o.weights.clone(),
        estimates: o.estimates.iter().map(|(_, e)| (e.estimate, e.ci95_low, e.ci95_high)).collect(),
    };
    if o.draws.len() > 1 {
        for (k, (key, e)) in o.estimates.iter().enumerate() {
            let caption =
                format!("Posterior of {key}: estimate {}, 95% interval {} to {}.", e.estimate, e.ci95_low, e.ci95_high);
            add(format!("marginal_{}", stem_of(key)), caption, FitChart::Marginal(&post, k))?;
        }
        if (2..=4).contains(&o.estimates.len()) {
            add("pairs".into(), "Posterior draws, two keys at a time.".into(), FitChart::Pairs(&post))?;
        }
    }
    Ok((files, svgs))
}

/// Remove the charts an earlier fit wrote here (`--force`), so the folder
/// never shows a marginal of a key this fit does not have; other files are
/// left alone, and only regular files are removed.
fn remove_stale_charts(cdir: &Path) -> anyhow::Result<()> {
    for entry in fs::read_dir(cdir).with_context(|| format!("cannot read {}", cdir.display()))? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = ["curve.", "pairs.", "marginal_"].iter().any(|p| name.starts_with(p))
            && (name.ends_with(".png") || name.ends_with(".svg"));
        if ours && entry.file_type()?.is_file() {
            fs::remove_file(entry.path()).with_context(|| format!("cannot remove the stale chart {name}"))?;
        }
    }
    Ok(())
}

/// `fit.html`: self-contained (charts inlined as SVG, no external resource).
pub fn fit_html(spec: &FitSpec, o: &Outcome, svgs: &[DrawnChart]) -> anyhow::Result<String> {
    let mut h = String::new();
    let title = format!("womsim fit: {}", spec.name);
    let _ = writeln!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>",
        escape(&title)
    );
    let _ = writeln!(h, "<h1>{}</h1>", escape(&title));
    if let Some(d) = &spec.description {
        let _ = writeln!(h, "<p class=\"lede\">{}</p>", escape(d));
    }
    let _ = writeln!(
        h,
        "<p class=\"facts\">Method <b>{}</b>, seed {}, womsim {}.</p>",
        escape(spec.method.name()),
        spec.seed,
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(h, "<h2>Estimates</h2>\n<div class=\"table-wrap\"><table>");
    let _ = writeln!(
        h,
        "<tr><th>key</th><th>estimate</th><th>standard error{}</th><th>95% interval</th></tr>",
        if o.abc.is_some() { " (posterior sd)" } else { "" }
    );
    for (k, e) in &o.estimates {
        let se = e.se.map_or("–".to_string(), sig6);
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{} to {}</td></tr>",
            escape(k),
            sig6(e.estimate),
            escape(&se),
            sig6(e.ci95_low),
            sig6(e.ci95_high)
        );
    }
    let _ = writeln!(h, "</table></div>");
    if let Some(a) = &o.abc {
        let _ = writeln!(h, "<h2>Tolerance schedule</h2>\n<div class=\"table-wrap\"><table>");
        let _ = writeln!(
            h,
            "<tr><th>generation</th><th>tolerance</th><th>acceptance</th><th>simulations</th><th>ESS</th></tr>"
        );
        for (g, r) in a.tolerance_schedule.iter().enumerate() {
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{:.3}</td><td class=\"num\">{}</td><td class=\"num\">{:.1}</td></tr>",
                g + 1,
                sig6(r.tolerance),
                r.acceptance,
                r.simulations,
                r.ess
            );
        }
        let _ = writeln!(h, "</table></div>");
        let _ = writeln!(
            h,
            "<p class=\"note\">{} simulations in all; final acceptance {:.3}; effective sample size {:.1}; stopped: {}.</p>",
            a.simulations,
            a.acceptance,
            a.ess,
            escape(&a.stop)
        );
    }
    let _ = writeln!(h, "<h2>What the method did</h2>");
    for w in &o.words {
        let _ = writeln!(h, "<p>{}</p>", escape(w));
    }
    if !svgs.is_empty() {
        let _ = writeln!(h, "<h2>Charts</h2>");
    }
    for (stem, caption, svg) in svgs {
        let body = inline_svg(svg, caption).unwrap_or_else(|_| format!("<p>(chart {} unavailable)</p>", escape(stem)));
        let _ = writeln!(h, "<figure>{body}<figcaption>{}</figcaption></figure>", escape(caption));
    }
    let _ = writeln!(h, "<h2>Appendix: the fit file</h2>\n<pre>{}</pre>", escape(&spec.text));
    let _ = writeln!(h, "</main>\n</body>\n</html>");
    Ok(h)
}

/// Six significant digits.
fn sig6(v: f64) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    format!("{}", format!("{v:.5e}").parse::<f64>().unwrap_or(v))
}

/// Write the whole folder; returns the files written.
pub fn write_all(dir: &Path, spec: &FitSpec, o: &Outcome) -> anyhow::Result<Vec<PathBuf>> {
    // A stale fit.json from an earlier run goes first, so an interrupted
    // rewrite never leaves an old fit.json beside new files.
    let json_path = dir.join(FIT_JSON);
    if json_path.symlink_metadata().is_ok_and(|m| m.is_file()) {
        fs::remove_file(&json_path).with_context(|| format!("cannot remove {}", json_path.display()))?;
    }
    let mut files = Vec::new();
    let post = dir.join(POSTERIOR_CSV);
    atomic_write(&post, posterior_csv(o).as_bytes())?;
    files.push(post);
    let toml_path = dir.join(FIT_TOML);
    atomic_write(&toml_path, spec.text.as_bytes())?;
    files.push(toml_path);
    let (chart_files, svgs) = charts(dir, spec, o)?;
    files.extend(chart_files);
    let html = dir.join(FIT_HTML);
    atomic_write(&html, fit_html(spec, o, &svgs)?.as_bytes())?;
    files.push(html);
    let mut bytes = serde_json::to_vec_pretty(&fit_json(spec, o)?)?;
    bytes.push(b'\n');
    atomic_write(&json_path, &bytes)?;
    files.push(json_path);
    Ok(files)
}

/// The table printed on stdout.
pub fn summary_text(spec: &FitSpec, o: &Outcome) -> String {
    let mut s = format!("{} ({})\n", spec.name, spec.method.name());
    let width = o.estimates.iter().map(|(k, _)| k.len()).max().unwrap_or(3).max(3);
    let _ = writeln!(s, "{:<width$}  {:>14}  {:>30}", "key", "estimate", "95% interval");
    for (k, e) in &o.estimates {
        let _ = writeln!(
            s,
            "{:<width$}  {:>14}  {:>30}",
            k,
            sig6(e.estimate),
            format!("{} to {}", sig6(e.ci95_low), sig6(e.ci95_high))
        );
    }
    s
}
