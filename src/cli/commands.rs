//! `womsim validate | list | new | plot`.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use anyhow::Context;
use womsim::export;
use womsim::pipeline::{self, World};
use womsim::runner::RunConfig;
use womsim::scenario::{self, OutputSpec};
use womsim::seeding::StrategyKind;

use super::args::Category;
use super::{invalid, load_scenario, network, render_error, seeding_error, sweep_error, CliError};

/// Validate one scenario completely: the file, the network it names and
/// every strategy's seeds (except `greedy`, whose selection is a simulation
/// in itself). Returns the text to print.
fn validate_one(path: &Path) -> anyhow::Result<String> {
    let s = load_scenario(path)?;
    // What a run needs, checked before the network is built (a network too
    // large for this machine is refused, not allocated).
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    super::resources::check(&s, threads, None)?;
    let needs = super::resources::describe(&super::resources::estimate(&s, threads));
    let (g, stats) = network::build_with_stats(&s)?;
    if g.is_empty() {
        anyhow::bail!("scenario {:?}: the network has no nodes", s.name);
    }
    let pop = network::population(&s, &g);
    let mut out = String::new();
    let _ = writeln!(out, "# {}: valid — scenario {:?}", path.display(), s.name);
    let _ = writeln!(out, "{}", s.to_resolved_toml().trim_end());
    let _ = writeln!(out);
    out.push_str(&network::describe(&s, &g, &stats, &pop));
    let _ = writeln!(out, "resources ({threads} threads): {needs}");
    let _ = writeln!(out, "strategies:");
    for (i, st) in s.strategies.iter().enumerate() {
        if matches!(st.kind, StrategyKind::Greedy { .. }) {
            let _ = writeln!(out, "  {:?} (greedy): seeds are chosen by simulation at run time", st.name);
            continue;
        }
        let world = World {
            graph: &g,
            population: &pop,
            model: &s.model,
            cfg: RunConfig { steps: s.steps, replicates: s.replicates, seed: s.seed },
        };
        // Every replicate's draw must succeed, as in `run`; shown: the first.
        let seeds = pipeline::pick_seeds(&world, st).map_err(|e| seeding_error(i, st, e))?;
        let sel = seeds.of(0);
        let f: Vec<u32> = sel.seeds.iter().map(|&u| g.followers(u)).collect();
        let _ = writeln!(
            out,
            "  {:?} ({}): {} seeds, cost {}, followers {}–{}{}",
            st.name,
            st.kind.name(),
            sel.seeds.len(),
            fmt_cost(sel.cost),
            f.iter().min().copied().unwrap_or(0),
            f.iter().max().copied().unwrap_or(0),
            if seeds.vary() { " (replicate 0's draw; redrawn every replicate)" } else { "" }
        );
        // Every point of a budget sweep must be satisfiable too, as in `run`.
        if !matches!(st.kind, StrategyKind::Explicit { .. } | StrategyKind::None) {
            for &b in &s.budgets {
                let spec = womsim::seeding::StrategySpec { budget: pipeline::sweep_budget(st, b), ..st.clone() };
                pipeline::pick_seeds(&world, &spec).map_err(|e| sweep_error(i, st, b, e))?;
            }
        }
    }
    Ok(out)
}

/// A cost for people to read: whole numbers as such, others to 2 decimals
/// (sums of per-follower costs carry float noise like `641.5500000000001`).
fn fmt_cost(c: f64) -> String {
    if c.fract() == 0.0 && c.abs() < 1e15 {
        format!("{c:.0}")
    } else {
        format!("{c:.2}")
    }
}

/// `womsim validate`: every file is checked; every problem is reported.
pub fn validate(paths: &[std::path::PathBuf]) -> Result<(), CliError> {
    if let [one] = paths {
        print!("{}", validate_one(one).map_err(invalid)?);
        return Ok(());
    }
    let mut failed = 0;
    for (k, p) in paths.iter().enumerate() {
        match validate_one(p) {
            Ok(text) => {
                if k > 0 {
                    println!();
                }
                print!("{text}");
            }
            Err(e) => {
                failed += 1;
                eprintln!("{}", render_error(&e));
            }
        }
    }
    if failed > 0 {
        return Err(invalid(anyhow::anyhow!("{failed} of {} scenario files are invalid", paths.len())));
    }
    Ok(())
}

/// `womsim list`.
pub fn list(category: Option<Category>) -> Result<(), CliError> {
    print!("{}", scenario::list_text(category.map(Category::as_str)));
    Ok(())
}

/// `womsim new`: never overwrites an existing file without `--force`.
pub fn new(file: &Path, force: bool) -> Result<(), CliError> {
    if file.exists() && !force {
        return Err(invalid(anyhow::anyhow!("{} already exists; use --force to overwrite it", file.display())));
    }
    if file.is_dir() {
        return Err(invalid(anyhow::anyhow!("{} is a folder", file.display())));
    }
    if let Some(parent) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.is_dir() {
            return Err(invalid(anyhow::anyhow!("the folder {} does not exist", parent.display())));
        }
    }
    export::atomic_write(file, scenario::starter_toml().as_bytes())?;
    println!("wrote {}; edit it, then: womsim run {}", file.display(), file.display());
    Ok(())
}

/// The `[output]` table of a resolved scenario, read leniently: charts
/// options only, defaults for anything absent. (`plot` must not need the
/// scenario's inputs, which may not exist where the results folder is now.)
pub fn output_spec_from_toml(text: &str) -> anyhow::Result<OutputSpec> {
    let table: toml::Table = text.parse().context("scenario.resolved.toml is not valid TOML")?;
    let mut spec = OutputSpec::default();
    let Some(out) = table.get("output").and_then(|v| v.as_table()) else { return Ok(spec) };
    if let Some(charts) = out.get("charts").and_then(|v| v.as_array()) {
        spec.charts = charts.iter().filter_map(|c| c.as_str().map(str::to_string)).collect();
    }
    match out.get("size") {
        Some(toml::Value::Array(a)) if a.len() == 2 => {
            let dim = |v: &toml::Value| v.as_integer().and_then(|x| u32::try_from(x).ok());
            if let (Some(w), Some(h)) = (dim(&a[0]), dim(&a[1])) {
                spec.size = (w, h);
            }
        }
        Some(toml::Value::Table(t)) => {
            let dim = |k: &str| t.get(k).and_then(|v| v.as_integer()).and_then(|x| u32::try_from(x).ok());
            if let (Some(w), Some(h)) = (dim("width"), dim("height")) {
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

/// `womsim plot`: charts and report from a results folder, no simulation.
pub fn plot(dir: &Path) -> Result<(), CliError> {
    let results = export::read_results(dir)
        .with_context(|| format!("cannot read the results folder {}", dir.display()))
        .map_err(invalid)?;
    let output = output_spec_from_toml(&results.resolved_toml).map_err(invalid)?;
    let charts_dir = dir.join(export::CHARTS_DIR);
    fs::create_dir_all(&charts_dir).with_context(|| format!("cannot create {}", charts_dir.display()))?;
    let files = womsim::charts::render_all(&results, &charts_dir, &output).context("cannot draw the charts")?;
    for f in &files {
        println!("{}", f.display());
    }
    if output.report {
        let report = dir.join(export::REPORT);
        womsim::report::write_report(&results, &charts_dir, &report).context("cannot write the report")?;
        println!("{}", report.display());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_table_is_read_leniently() {
        let s =
            output_spec_from_toml("name = \"x\"\n[output]\ncharts = [\"reach\"]\nsize = [800, 600]\nreport = false\n")
                .unwrap();
        assert_eq!(s.charts, vec!["reach"]);
        assert_eq!(s.size, (800, 600));
        assert!(!s.report);
        assert_eq!(output_spec_from_toml("name = \"x\"\n").unwrap(), OutputSpec::default());
        let t = output_spec_from_toml("[output]\nsize = { width = 10, height = 20 }\n").unwrap();
        assert_eq!(t.size, (10, 20));
    }
}
