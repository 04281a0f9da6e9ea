//! Raw arguments + loaded scenarios → resolved run settings, in one place.
//!
//! Precedence: command-line flags override the scenario file, which overrides
//! built-in defaults. Overrides are applied to the [`Scenario`] itself, so
//! `scenario.resolved.toml` records what actually ran.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::bail;
use womsim::scenario::Scenario;

use super::args::RunArgs;

/// One scenario to run and where its results go.
#[derive(Debug, Clone)]
pub struct RunPlan {
    /// Scenario with command-line overrides applied.
    pub scenario: Scenario,
    pub out_dir: PathBuf,
}

/// Everything `womsim run` needs, resolved.
#[derive(Debug, Clone)]
pub struct RunSettings {
    pub plans: Vec<RunPlan>,
    /// Worker threads of the local rayon pool.
    pub threads: usize,
    pub force: bool,
    /// Progress messages on stderr (not `--quiet`).
    pub chatty: bool,
    /// Progress bars (not `--quiet` and stderr is a terminal).
    pub progress_bars: bool,
}

/// A scenario name as a single, safe path component.
pub fn folder_name(name: &str) -> String {
    let s: String =
        name.chars().map(|c| if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' }).collect();
    if s.is_empty() || s.chars().all(|c| c == '.') {
        "scenario".to_string()
    } else {
        s
    }
}

/// Results folder of one scenario.
fn out_dir(args_out: Option<&Path>, several: bool, scenario: &Scenario) -> PathBuf {
    let name = folder_name(&scenario.name);
    match (args_out, several) {
        (Some(o), false) => o.to_path_buf(),
        (Some(o), true) => o.join(name),
        (None, _) => scenario.output.dir.clone().unwrap_or_else(|| Path::new("output").join(name)),
    }
}

/// Resolve `womsim run` arguments against the loaded scenarios (same order
/// as `args.scenarios`). Errors are invalid input (exit 2).
pub fn resolve_run(args: &RunArgs, scenarios: Vec<Scenario>, stderr_is_terminal: bool) -> anyhow::Result<RunSettings> {
    let several = scenarios.len() > 1;
    let mut plans = Vec::with_capacity(scenarios.len());
    for mut s in scenarios {
        if let Some(r) = args.replicates {
            s.replicates = r;
        }
        if let Some(seed) = args.seed {
            s.seed = seed;
            if s.uncertain.is_some() {
                // [uncertain]'s draws come from the seed: draw them again
                // (the resolved text's paths are absolute).
                let source = s.source.clone();
                s = womsim::scenario::parse_str(&s.to_resolved_toml(), source.as_deref())
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
            }
        }
        let dir = out_dir(args.out.as_deref(), several, &s);
        plans.push(RunPlan { scenario: s, out_dir: dir });
    }
    // Two scenarios writing one folder would overwrite each other.
    let mut seen: BTreeMap<PathBuf, &str> = BTreeMap::new();
    for p in &plans {
        if let Some(other) = seen.insert(p.out_dir.clone(), &p.scenario.name) {
            bail!(
                "scenarios {other:?} and {:?} would both write to {}; give them different names or [output] dir",
                p.scenario.name,
                p.out_dir.display()
            );
        }
    }
    let threads = match args.threads {
        Some(t) => t as usize,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    Ok(RunSettings {
        plans,
        threads,
        force: args.force,
        chatty: !args.quiet,
        progress_bars: !args.quiet && stderr_is_terminal,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use womsim::graph::generators::GeneratorSpec;
    use womsim::models::{IcParams, ModelSpec};
    use womsim::population::PopulationSpec;
    use womsim::scenario::{NetworkSource, OutputSpec};

    fn scenario(name: &str) -> Scenario {
        Scenario {
            name: name.into(),
            description: String::new(),
            seed: 1,
            replicates: 100,
            steps: 10,
            network: NetworkSource::Generated(GeneratorSpec::Complete { nodes: 5 }),
            population: PopulationSpec::default(),
            model: ModelSpec::IndependentCascade(IcParams::default()),
            strategies: vec![],
            budgets: vec![],
            output: OutputSpec::default(),
            source: None,
            inputs: vec![],
            uncertain: None,
        }
    }

    fn args(out: Option<&str>) -> RunArgs {
        RunArgs {
            scenarios: vec![],
            replicates: Some(7),
            seed: None,
            threads: Some(3),
            out: out.map(PathBuf::from),
            force: false,
            quiet: false,
            shard: None,
            max_memory: None,
            suggest: None,
            suggest_for: None,
            exports: Default::default(),
        }
    }

    #[test]
    fn flags_override_the_scenario() {
        let s = resolve_run(&args(None), vec![scenario("a")], false).unwrap();
        assert_eq!(s.plans[0].scenario.replicates, 7);
        assert_eq!(s.plans[0].scenario.seed, 1);
        assert_eq!(s.plans[0].out_dir, Path::new("output/a"));
        assert_eq!(s.threads, 3);
        assert!(s.chatty && !s.progress_bars);
    }

    #[test]
    fn progress_bars_only_on_a_terminal_and_not_quiet() {
        for (terminal, quiet, shown) in
            [(true, false, true), (true, true, false), (false, false, false), (false, true, false)]
        {
            let a = RunArgs { quiet, ..args(None) };
            let s = resolve_run(&a, vec![scenario("a")], terminal).unwrap();
            assert_eq!(s.progress_bars, shown, "terminal {terminal}, quiet {quiet}");
        }
    }

    #[test]
    fn out_with_several_scenarios_gets_subfolders() {
        let s = resolve_run(&args(Some("o")), vec![scenario("a"), scenario("b/c")], true).unwrap();
        assert_eq!(s.plans[0].out_dir, Path::new("o/a"));
        assert_eq!(s.plans[1].out_dir, Path::new("o/b_c"));
        let one = resolve_run(&args(Some("o")), vec![scenario("a")], true).unwrap();
        assert_eq!(one.plans[0].out_dir, Path::new("o"));
    }

    #[test]
    fn two_scenarios_into_one_folder_is_an_error() {
        let e = resolve_run(&args(None), vec![scenario("a"), scenario("a")], false).unwrap_err();
        assert!(e.to_string().contains("both write"), "{e}");
    }
}
