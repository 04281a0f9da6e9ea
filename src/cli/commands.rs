//! `womsim validate | list | new | plot`.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use anyhow::Context;
use womsim::export;
use womsim::pipeline::{self, World};
use womsim::runner::RunConfig;
use womsim::scenario;
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
            seeding_progress: None,
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

/// The starter scenario for `file`: named after the file's stem (so two new
/// scenarios do not share a results folder), letters, digits, `-`, `_` and
/// `.` kept, anything else `_`.
pub fn starter_for(file: &Path) -> String {
    let text = scenario::starter_toml();
    let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let name: String = stem
        .chars()
        .take(64)
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' })
        .collect();
    if name.is_empty() || name.chars().all(|c| c == '.' || c == '_') {
        return text.to_string();
    }
    text.replacen("name = \"my_scenario\"", &format!("name = \"{name}\""), 1).replacen(
        "output/my_scenario/",
        &format!("output/{name}/"),
        1,
    )
}

/// `womsim completions SHELL`: the completion script on stdout.
pub fn completions(shell: clap_complete::Shell) -> Result<(), CliError> {
    use clap::CommandFactory;
    let mut cmd = super::args::Cli::command();
    clap_complete::generate(shell, &mut cmd, "womsim", &mut std::io::stdout());
    Ok(())
}

/// `womsim man`: the manual page (roff) on stdout.
pub fn man() -> Result<(), CliError> {
    use clap::CommandFactory;
    let cmd = super::args::Cli::command();
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut out).context("cannot render the manual page")?;
    std::io::Write::write_all(&mut std::io::stdout(), &out).context("cannot write the manual page")?;
    Ok(())
}

/// `womsim new`: never overwrites an existing file without `--force`.
pub fn new(file: &Path, force: bool) -> Result<(), CliError> {
    if let Ok(meta) = fs::symlink_metadata(file) {
        // --force replaces a scenario file, never a folder, device or FIFO
        // (`new /dev/null --force` as root would replace the device).
        if !meta.is_file() {
            let what = if meta.is_dir() { "a folder" } else { "not a regular file" };
            return Err(invalid(anyhow::anyhow!("{} is {what}; womsim new writes only regular files", file.display())));
        }
        if !force {
            return Err(invalid(anyhow::anyhow!("{} already exists; use --force to overwrite it", file.display())));
        }
    }
    if let Some(parent) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.is_dir() {
            return Err(invalid(anyhow::anyhow!("the folder {} does not exist", parent.display())));
        }
    }
    let text = starter_for(file);
    export::atomic_write(file, text.as_bytes())?;
    println!("wrote {}; edit it, then: womsim run {}", file.display(), file.display());
    Ok(())
}

pub use womsim::charts::output_spec_from_toml;

pub use womsim::export::manifest_incomplete;

/// Make `charts/` a real folder inside the results folder before drawing
/// into it. A symbolic link there (to a folder anywhere) is replaced by a
/// folder, as a link in place of a single results file is replaced by the
/// file's atomic rename, so nothing is written outside the results folder;
/// anything else that is not a folder (a file, FIFO, device) is refused.
fn charts_folder(charts_dir: &Path) -> Result<(), CliError> {
    match fs::symlink_metadata(charts_dir) {
        Ok(meta) if meta.file_type().is_symlink() => {
            fs::remove_file(charts_dir)
                .with_context(|| format!("cannot replace the symbolic link {}", charts_dir.display()))?;
        }
        Ok(meta) if !meta.is_dir() => {
            return Err(invalid(anyhow::anyhow!(
                "{} is not a folder; move it away so that womsim plot can write the charts there",
                charts_dir.display()
            )));
        }
        _ => {}
    }
    fs::create_dir_all(charts_dir).with_context(|| format!("cannot create {}", charts_dir.display()))?;
    Ok(())
}

/// `womsim plot`: charts and report from a results folder, no simulation.
/// Every value read back is range-checked (exit 2 naming the file and
/// field); the charts are drawn again from the data and the report inlines
/// only those; an interrupted run is announced on stderr and in the report.
pub fn plot(dir: &Path) -> Result<(), CliError> {
    let results = export::read_results(dir)
        .with_context(|| format!("cannot read the results folder {}", dir.display()))
        .map_err(invalid)?;
    let output = output_spec_from_toml(&results.resolved_toml).map_err(invalid)?;
    womsim::charts::check_size(output.size)
        .with_context(|| format!("{} asks for charts of an impossible size", export::RESOLVED))
        .map_err(invalid)?;
    let mut notes = womsim::report::ReportNotes::default();
    if manifest_incomplete(dir) {
        let done = results.summary.strategies.len();
        let total = womsim::report::planned_strategies(&results.resolved_toml).unwrap_or(done).max(done);
        eprintln!(
            "warning: THIS RUN WAS INTERRUPTED: {done} of {total} strategies finished ({} says \"complete\": false); \
             the charts and report show only those",
            export::MANIFEST
        );
        notes.interrupted = Some((done, total));
    }
    if let Some(w) = womsim::report::still_rising_warning(&results) {
        eprintln!("{w}");
    }
    export::formats::write_results_csv(dir, &results)?;
    println!("{}", dir.join(export::formats::RESULTS_CSV).display());
    let charts_dir = dir.join(export::CHARTS_DIR);
    charts_folder(&charts_dir)?;
    let files = womsim::charts::render_all(&results, &charts_dir, &output).context("cannot draw the charts")?;
    for f in &files {
        println!("{}", f.display());
    }
    if output.report {
        let report = dir.join(export::REPORT);
        womsim::report::write_report_with(&results, &notes, &report).context("cannot write the report")?;
        println!("{}", report.display());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use womsim::scenario::OutputSpec;

    #[test]
    fn new_names_the_scenario_after_the_file() {
        let t = starter_for(Path::new("dir/launch plan.toml"));
        assert!(t.contains("name = \"launch_plan\""), "{t}");
        assert!(!t.contains("my_scenario"));
        let s = scenario::parse_str(&t, None).expect("the named starter validates");
        assert_eq!(s.name, "launch_plan");
        assert!(starter_for(Path::new("...toml")).contains("my_scenario"));
    }

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
