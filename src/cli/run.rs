//! `womsim run`: scenario → network → population → seeds → replicates →
//! results folder, one strategy at a time.
//!
//! Order of work, chosen so that invalid input stops the run before any
//! simulation and a finished strategy is never lost:
//! 1. load every scenario and resolve flags (all problems reported at once);
//! 2. check every results folder (existing and non-empty ⇒ exit 2 without
//!    `--force`);
//! 3. per scenario: build the network and population, pick the seeds of
//!    every strategy (and budget point; every replicate's for strategies
//!    drawn per replicate), simulate the no-campaign baseline, then
//!    strategy by strategy ([`womsim::pipeline`]), rewriting `summary.json`,
//!    `timeseries.csv` and `replicates.csv` atomically after each one;
//!    `manifest.json` says `complete: false` until the very end.

use std::fs;
use std::io::IsTerminal;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use indicatif::{ProgressBar, ProgressStyle};
use womsim::export::{self, InputFile, Manifest, ReplicateFinals};
use womsim::graph::Graph;
use womsim::models::{EdgeProb, ModelSpec};
use womsim::pipeline::{self, Cell, Stage, World};
use womsim::population::Population;
use womsim::results::{Baseline, SeedRow, SummaryFile, SweepRow};
use womsim::runner::RunConfig;
use womsim::scenario::{NetworkSource, Scenario, Sweep};

use super::args::RunArgs;
use super::config::{self, RunPlan, RunSettings};
use super::lock::{DirLock, LOCK_FILE};
use super::{invalid, load_all, network, seeding_error, summary, sweep_error, CliError};

/// Entry point of `womsim run`.
pub fn run_command(args: &RunArgs) -> Result<(), CliError> {
    let scenarios = load_all(&args.scenarios)?;
    let settings = config::resolve_run(args, scenarios, std::io::stderr().is_terminal()).map_err(invalid)?;
    // A scenario with a [sweep] table: its points (validated when loaded).
    let sweeps: Vec<Option<SweepPlan>> =
        settings.plans.iter().map(SweepPlan::of).collect::<Result<_, _>>().map_err(invalid)?;
    if args.shard.is_some() && settings.plans.len() != 1 {
        return Err(invalid(anyhow::anyhow!("--shard runs one scenario; give one scenario file")));
    }
    // Every folder is locked for the whole run before it is checked, so two
    // runs can never write one folder (the second exits 2 naming the first).
    // Refuse up front what cannot fit in memory (before any allocation).
    if let Some(bytes) = args.max_memory {
        super::resources::set_override(bytes);
    }
    for (plan, sweep) in settings.plans.iter().zip(&sweeps) {
        match sweep {
            None => super::resources::check(&plan.scenario, settings.threads, args.max_memory).map_err(invalid)?,
            Some(sw) => {
                for i in 0..sw.sweep.points.len() {
                    let p = sw.point_plan(plan, i);
                    super::resources::check(&p.scenario, settings.threads, args.max_memory).map_err(invalid)?;
                }
            }
        }
    }
    let mut locks = Vec::with_capacity(settings.plans.len());
    for plan in &settings.plans {
        locks.push(DirLock::acquire(&plan.out_dir).map_err(invalid)?);
        check_out_dir(&plan.out_dir, settings.force).map_err(invalid)?;
    }
    // A local pool: the library never touches rayon's global pool, and the
    // results do not depend on the thread count.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(settings.threads)
        .thread_name(|i| format!("womsim-{i}"))
        .build()
        .context("cannot start the worker threads")?;
    // All or nothing: every scenario's network, population and seeds are
    // built before any folder is written, so a scenario that fails there
    // stops the run before the first one is written. A sweep prepares its
    // first network group here (all of a sweep over model or strategy keys),
    // the others when it reaches them.
    let mut prepared: Vec<Option<Prepared>> = Vec::with_capacity(settings.plans.len());
    let mut first_groups: Vec<Option<Group>> = Vec::with_capacity(settings.plans.len());
    for (plan, sweep) in settings.plans.iter().zip(&sweeps) {
        match sweep {
            None => {
                prepared.push(Some(prepare(plan, &settings, &pool, &plan.scenario.name)?));
                first_groups.push(None);
            }
            Some(sw) => {
                prepared.push(None);
                first_groups.push(Some(sw.prepare_group(0, plan, &settings, &pool)?));
            }
        }
    }
    if let Some(shard) = args.shard {
        let plan = &settings.plans[0];
        return match (&prepared[0], &sweeps[0], first_groups.into_iter().next().flatten()) {
            (Some(prep), None, _) => super::shard::run_shard(plan, prep, &settings, &pool, shard),
            (_, Some(sw), first) => super::shard::run_sweep_shard(plan, sw, first, &settings, &pool, shard),
            _ => unreachable!("a scenario is prepared or a sweep"),
        };
    }
    let mut summaries = Vec::with_capacity(settings.plans.len());
    for (((plan, sweep), prep), first) in settings.plans.iter().zip(&sweeps).zip(&prepared).zip(first_groups) {
        match (sweep, prep) {
            (Some(sw), _) => {
                summaries.push(run_sweep(plan, sw, first, &settings, &pool, &|_| Ok(Box::new(pipeline::Simulate)))?)
            }
            (None, Some(prep)) => {
                let world = (&prep.graph, &prep.population, prep.cells.as_slice());
                let summary = run_plan(plan, world, &settings, &pool, &plan.scenario.name, &pipeline::Simulate)?;
                print!("{}", super::exports::stdout_text(&summary, args.exports.format)?);
                summaries.push(summary);
            }
            (None, None) => unreachable!("a plain scenario is prepared"),
        }
        // With --format json stdout is the JSON alone.
        if args.exports.format == super::args::Format::Table {
            println!("results: {}", plan.out_dir.display());
        }
        if settings.plans.len() > 1 {
            println!();
        }
    }
    super::exports::write_exports(&args.exports, &summaries)?;
    drop(locks);
    Ok(())
}

/// An existing, non-empty results folder is never overwritten without
/// `--force` (this run's own lock file does not count).
pub fn check_out_dir(dir: &Path, force: bool) -> anyhow::Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    if !dir.is_dir() {
        bail!("the results path {} exists and is not a folder", dir.display());
    }
    let non_empty = fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(Result::ok)
        .any(|e| e.file_name() != LOCK_FILE);
    if non_empty && !force {
        bail!(
            "the results folder {} already exists and is not empty; use --force to overwrite it or --out to choose another folder",
            dir.display()
        );
    }
    Ok(())
}

/// Whether `name` in a results folder is one of womsim's temporary files
/// (`.<name>.tmp-<pid>` from [`export::atomic_write`], `.<stem>.tmp.png` and
/// `.<name>.tmp` from the charts), left behind by a killed run.
fn is_womsim_temporary(name: &str) -> bool {
    name.starts_with('.') && (name.contains(".tmp-") || name.ends_with(".tmp.png") || name.ends_with(".tmp"))
}

/// Remove what an earlier run wrote: only the names of the results contract
/// (and womsim's own temporaries); anything else in the folder, including a
/// user's own files under `charts/`, is left alone. A contract name that is
/// not a regular file (or, for `charts`, a folder) is refused rather than
/// removed.
fn clear_previous_results(dir: &Path) -> anyhow::Result<()> {
    let remove = |p: &Path| fs::remove_file(p).with_context(|| format!("cannot remove the previous {}", p.display()));
    for name in export::ALL_OUTPUTS {
        let p = dir.join(name);
        let Ok(meta) = fs::symlink_metadata(&p) else { continue };
        if name == export::CHARTS_DIR && meta.is_dir() {
            let charts = &p;
            for entry in fs::read_dir(charts).with_context(|| format!("cannot read {}", charts.display()))? {
                let entry = entry?;
                let file = entry.file_name().to_string_lossy().into_owned();
                let ours = womsim::charts::CATALOGUE
                    .iter()
                    .any(|stem| file == format!("{stem}.png") || file == format!("{stem}.svg"))
                    || is_womsim_temporary(&file);
                if ours && entry.file_type()?.is_file() {
                    remove(&entry.path())?;
                }
            }
            // Gone if it held only our charts; kept with the user's files.
            let _ = fs::remove_dir(charts);
        } else if meta.is_file() || meta.file_type().is_symlink() {
            remove(&p)?;
        } else {
            bail!(
                "{} is not a regular file; womsim does not replace it (move it away or choose another folder with --out)",
                p.display()
            );
        }
    }
    for entry in fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let entry = entry?;
        if is_womsim_temporary(&entry.file_name().to_string_lossy()) && entry.file_type()?.is_file() {
            remove(&entry.path())?;
        }
    }
    Ok(())
}

/// Files the results depend on, with their digests: every input the
/// scenario read ([`Scenario::inputs`]), each with its role.
fn input_files(s: &Scenario) -> anyhow::Result<Vec<InputFile>> {
    s.inputs
        .iter()
        .map(|path| {
            let role = if s.source.as_ref() == Some(path) {
                "scenario"
            } else if matches!(&s.network, NetworkSource::EdgeList { path: p, .. } if p == path) {
                "edge_list"
            } else {
                "strategy_nodes"
            };
            Ok(InputFile { role: role.into(), sha256: export::sha256_file(path)?, path: path.display().to_string() })
        })
        .collect()
}

fn progress_bar(show: bool, len: u64, label: &str, unit: &str) -> ProgressBar {
    if !show {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new(len);
    pb.set_style(
        ProgressStyle::with_template(&format!("{{prefix:>16}} [{{wide_bar}}] {{pos}}/{{len}} {unit}, eta {{eta}}"))
            .expect("valid template")
            .progress_chars("=> "),
    );
    pb.set_prefix(label.to_string());
    pb
}

/// A scenario ready to simulate: its network, population and every cell's
/// seeds.
pub(super) struct Prepared {
    pub(super) graph: Graph,
    pub(super) population: Population,
    pub(super) cells: Vec<Cell>,
}

/// Build one scenario's network and population and pick every seed set
/// (each replicate's, for strategies drawn per replicate), before any
/// simulation, so a strategy that cannot be satisfied (band too small,
/// unknown id) stops the run as invalid input instead of after minutes of
/// work. `label` names the scenario (or sweep point) in progress messages.
pub(super) fn prepare(
    plan: &RunPlan,
    settings: &RunSettings,
    pool: &rayon::ThreadPool,
    label: &str,
) -> Result<Prepared, CliError> {
    let (graph, population) = build_world(&plan.scenario, settings, pool, label)?;
    let cells = plan_cells(&plan.scenario, &graph, &population, settings, pool, label)?;
    Ok(Prepared { graph, population, cells })
}

/// The network and population of `s`.
fn build_world(
    s: &Scenario,
    settings: &RunSettings,
    pool: &rayon::ThreadPool,
    label: &str,
) -> Result<(Graph, Population), CliError> {
    if settings.chatty {
        eprintln!("{label}: building the network");
    }
    let graph = pool.install(|| network::build(s)).map_err(invalid)?;
    if graph.is_empty() {
        return Err(invalid(anyhow::anyhow!("scenario {:?}: the network has no nodes", s.name)));
    }
    let population = network::population(s, &graph);
    Ok((graph, population))
}

/// Every cell of `s` (strategies and budget points) with its seeds, on a
/// built network and population.
fn plan_cells(
    s: &Scenario,
    graph: &Graph,
    population: &Population,
    settings: &RunSettings,
    pool: &rayon::ThreadPool,
    label: &str,
) -> Result<Vec<Cell>, CliError> {
    let say = |msg: String| {
        if settings.chatty {
            eprintln!("{msg}");
        }
    };
    say(format!("{label}: picking seeds for {} strategies", s.strategies.len()));
    let greedy = super::resources::estimate(s, settings.threads).greedy_simulations;
    if greedy > 0 {
        // Greedy chooses by simulation: say up front how much work that is.
        say(format!("{label}: greedy needs up to {greedy} simulations to choose its seeds"));
    }
    let cfg = RunConfig { steps: s.steps, replicates: s.replicates, seed: s.seed };
    // Greedy's simulations on a bar (its length is the estimate's bound).
    let pb = progress_bar(settings.progress_bars && greedy > 0, greedy, "greedy seeds", "simulations");
    let tick = |n: u64| pb.inc(n);
    let seeding_progress = (greedy > 0).then_some(womsim::seeding::SimulationProgress(&tick));
    let world = World { graph, population, model: &s.model, cfg, seeding_progress };
    let cells = pool.install(|| pipeline::plan(&world, &s.strategies, &s.budgets));
    pb.finish_and_clear();
    cells.map_err(|e| {
        let spec = &s.strategies[e.strategy];
        invalid(match e.sweep_budget {
            Some(b) => sweep_error(e.strategy, spec, b, e.error),
            None => seeding_error(e.strategy, spec, e.error),
        })
    })
}

/// The folder: created, cleared of a previous run's files under --force,
/// then marked incomplete by its `manifest.json` (returned, to be completed
/// at the end) before results come in.
fn open_results_dir(s: &Scenario, dir: &Path, settings: &RunSettings) -> Result<Manifest, CliError> {
    fs::create_dir_all(dir).with_context(|| format!("cannot create the results folder {}", dir.display()))?;
    if settings.force {
        clear_previous_results(dir).map_err(invalid)?;
        clear_previous_points(dir).map_err(invalid)?;
    }
    let manifest = Manifest {
        womsim_version: env!("CARGO_PKG_VERSION").to_string(),
        scenario: s.name.clone(),
        seed: s.seed,
        replicates: s.replicates,
        threads: settings.threads,
        wall_time_seconds: 0.0,
        complete: false,
        inputs: input_files(s)?,
    };
    export::write_manifest(dir, &manifest)?;
    Ok(manifest)
}

/// A prepared world: the network, the population and the cells' seeds.
pub(super) type PreparedRef<'a> = (&'a Graph, &'a Population, &'a [Cell]);

/// Run one prepared scenario into its folder, its replicates simulated or
/// (for `merge`) taken from `source`; returns its summary. `label` names the
/// scenario (or sweep point) in progress messages.
pub(super) fn run_plan(
    plan: &RunPlan,
    (graph, population, cells): PreparedRef<'_>,
    settings: &RunSettings,
    pool: &rayon::ThreadPool,
    label: &str,
    source: &dyn pipeline::Replicates,
) -> Result<SummaryFile, CliError> {
    let started = Instant::now();
    let s = &plan.scenario;
    let dir = &plan.out_dir;
    let cfg = RunConfig { steps: s.steps, replicates: s.replicates, seed: s.seed };
    let world = World { graph, population, model: &s.model, cfg, seeding_progress: None };

    let mut manifest = open_results_dir(s, dir, settings)?;
    export::write_resolved(dir, &s.to_resolved_toml())?;
    export::write_degrees(dir, &network::follower_histogram(graph))?;
    let seed_rows: Vec<SeedRow> = cells.iter().flat_map(|c| pipeline::seed_rows(graph, c, s.replicates)).collect();
    export::write_seeds(dir, &seed_rows)?;

    let mut summary = SummaryFile {
        womsim_version: env!("CARGO_PKG_VERSION").to_string(),
        scenario: s.name.clone(),
        description: s.description.clone(),
        seed: s.seed,
        replicates: s.replicates,
        steps: s.steps,
        model: s.model.kind().to_string(),
        network: network::info(s, graph),
        baseline: Baseline { final_: pipeline::final_metrics(&[]) },
        strategies: Vec::new(),
    };
    // The world without a campaign first, then each strategy and budget
    // point; each part's results are saved as soon as it finishes:
    // timeseries.csv and replicates.csv, then summary.json, the index of the
    // folder, last, so it never names a strategy whose series is not on
    // disk yet.
    let shown = Shown::new(s, settings, label);
    let mut save = |stage: Stage, ex: &pipeline::Execution| -> anyhow::Result<()> {
        match stage {
            Stage::Baseline => summary.baseline = ex.baseline.clone(),
            Stage::Strategy(_) => {
                summary.strategies = ex.strategies.clone();
                export::write_timeseries(dir, s.steps, &ex.baseline_series, &ex.series)?;
                let finals: Vec<ReplicateFinals> = ex
                    .finals
                    .iter()
                    .map(|(name, rows)| ReplicateFinals { strategy: name.clone(), finals: rows.clone() })
                    .collect();
                export::write_replicates(dir, &finals)?;
                export::write_summary(dir, &summary)?;
            }
            Stage::BudgetPoint(_) => export::write_budgets(dir, &ex.budgets)?,
        }
        Ok(())
    };
    pool.install(|| pipeline::execute_from(source, &world, cells, &shown, &mut save))?;

    // Charts are drawn from the folder as written, so `womsim plot` on it
    // later draws exactly the same pictures.
    let results = export::read_results(dir).context("cannot read back the results just written")?;
    let charts_dir = dir.join(export::CHARTS_DIR);
    fs::create_dir_all(&charts_dir).with_context(|| format!("cannot create {}", charts_dir.display()))?;
    womsim::charts::render_all(&results, &charts_dir, &s.output).context("cannot draw the charts")?;
    export::formats::write_results_csv(dir, &results)?;
    if let Some(w) = womsim::report::still_rising_warning(&results) {
        eprintln!("{w}");
    }
    if s.output.report {
        womsim::report::write_report(&results, &charts_dir, &dir.join(export::REPORT))
            .context("cannot write the report")?;
    }

    manifest.wall_time_seconds = started.elapsed().as_secs_f64();
    manifest.complete = true;
    export::write_manifest(dir, &manifest)?;
    if settings.chatty {
        eprintln!("{label}: finished in {}", secs(started.elapsed()));
    }
    Ok(summary)
}

/// Progress of a run on stderr: a bar per part (hidden when not a terminal
/// or `--quiet`) and a line when it finishes (hidden with `--quiet`).
struct Shown<'a> {
    scenario: &'a Scenario,
    settings: &'a RunSettings,
    label: &'a str,
    bar: std::sync::Mutex<(ProgressBar, Instant)>,
}

impl<'a> Shown<'a> {
    fn new(scenario: &'a Scenario, settings: &'a RunSettings, label: &'a str) -> Self {
        Shown { scenario, settings, label, bar: std::sync::Mutex::new((ProgressBar::hidden(), Instant::now())) }
    }
}

impl pipeline::Progress for Shown<'_> {
    fn start(&self, part: &str, replicates: u32) {
        let pb = progress_bar(self.settings.progress_bars, u64::from(replicates), part, "replicates");
        *self.bar.lock().expect("progress bar lock") = (pb, Instant::now());
    }

    fn tick(&self) {
        // ProgressBar is a cheap handle; clone it out so the lock is not held
        // while drawing.
        let pb = self.bar.lock().expect("progress bar lock").0.clone();
        pb.inc(1);
    }

    fn finish(&self, stage: Stage, part: &str) {
        let (pb, t0) = self.bar.lock().expect("progress bar lock").clone();
        pb.finish_and_clear();
        if !self.settings.chatty {
            return;
        }
        let (label, took) = (self.label, secs(t0.elapsed()));
        match stage {
            Stage::Baseline => eprintln!("{label}: the no-campaign baseline done in {took}"),
            Stage::Strategy(i) => {
                eprintln!("{label}: strategy {}/{} {part:?} done in {took}", i + 1, self.scenario.strategies.len())
            }
            Stage::BudgetPoint(_) => eprintln!("{label}: budget point {part} done in {took}"),
        }
    }
}

// ---------------------------------------------------------------- sweeps

/// A scenario's `[sweep]` and its points grouped by the world they run on.
pub(super) struct SweepPlan {
    pub(super) sweep: Sweep,
    /// Point indices (0-based) sharing one network and population, in order
    /// of first appearance; points within a group in grid order.
    pub(super) groups: Vec<Vec<usize>>,
}

/// One group's network, population and each member point's cells.
pub(super) struct Group {
    pub(super) graph: Graph,
    pub(super) population: Population,
    pub(super) cells: Vec<Vec<Cell>>,
}

impl SweepPlan {
    /// The sweep of `plan`'s scenario, read again from its file (the loader
    /// validated every point already), or `None` without `[sweep]`.
    pub(super) fn of(plan: &RunPlan) -> anyhow::Result<Option<SweepPlan>> {
        let Some(path) = &plan.scenario.source else { return Ok(None) };
        let (_, sweep) = womsim::scenario::load_with_sweep(path)?;
        let Some(sweep) = sweep else { return Ok(None) };
        // The network and population depend on these (and the seed, which
        // a sweep cannot vary); everything else only on the point.
        // Whether the model reads edge weights is part of the key too: the
        // network's build checks that an edge list has them.
        let world_of = |s: &Scenario| {
            let weights = match &s.model {
                ModelSpec::IndependentCascade(p) => p.prob == EdgeProb::Weights,
                ModelSpec::LinearThreshold(p) => p.weights == EdgeProb::Weights,
                _ => false,
            };
            (s.network.clone(), s.model.has_roles().then(|| s.population.clone()), weights)
        };
        let mut keys: Vec<_> = Vec::new();
        let mut groups: Vec<Vec<usize>> = Vec::new();
        for (i, p) in sweep.points.iter().enumerate() {
            let k = world_of(&p.scenario);
            match keys.iter().position(|x| *x == k) {
                Some(g) => groups[g].push(i),
                None => {
                    keys.push(k);
                    groups.push(vec![i]);
                }
            }
        }
        Ok(Some(SweepPlan { sweep, groups }))
    }

    /// Point `i` (0-based) as a plain run: its scenario with the run's
    /// command-line overrides, into `points/<i+1>/`.
    pub(super) fn point_plan(&self, plan: &RunPlan, i: usize) -> RunPlan {
        let base = &plan.scenario;
        let scenario =
            Scenario { seed: base.seed, replicates: base.replicates, ..self.sweep.points[i].scenario.clone() };
        RunPlan { scenario, out_dir: plan.out_dir.join(export::POINTS_DIR).join((i + 1).to_string()) }
    }

    /// `name point k/N` for progress messages.
    pub(super) fn label(&self, plan: &RunPlan, i: usize) -> String {
        format!("{} point {}/{}", plan.scenario.name, i + 1, self.sweep.points.len())
    }

    /// Visit every point, group by group (each group's network, population
    /// and seeds built once; `first` is group 0 if already prepared), with
    /// its plan and prepared world.
    pub(super) fn each_point(
        &self,
        plan: &RunPlan,
        first: Option<Group>,
        settings: &RunSettings,
        pool: &rayon::ThreadPool,
        f: &mut dyn FnMut(usize, &RunPlan, PreparedRef<'_>) -> Result<(), CliError>,
    ) -> Result<(), CliError> {
        let mut first = first;
        for g in 0..self.groups.len() {
            let group = match first.take() {
                Some(gr) if g == 0 => gr,
                _ => self.prepare_group(g, plan, settings, pool)?,
            };
            for (m, &i) in self.groups[g].iter().enumerate() {
                let p = self.point_plan(plan, i);
                f(i, &p, (&group.graph, &group.population, group.cells[m].as_slice()))?;
            }
        }
        Ok(())
    }

    /// Build group `g`'s network and population once and pick every member
    /// point's seeds.
    pub(super) fn prepare_group(
        &self,
        g: usize,
        plan: &RunPlan,
        settings: &RunSettings,
        pool: &rayon::ThreadPool,
    ) -> Result<Group, CliError> {
        let members = &self.groups[g];
        let at_point = |i: usize| {
            move |e: CliError| CliError {
                error: e.error.context(format!("sweep point {} ({})", i + 1, self.sweep.label(i))),
                ..e
            }
        };
        let first = self.point_plan(plan, members[0]);
        let (graph, population) = build_world(&first.scenario, settings, pool, &self.label(plan, members[0]))
            .map_err(at_point(members[0]))?;
        let cells = members
            .iter()
            .map(|&i| {
                let p = self.point_plan(plan, i);
                plan_cells(&p.scenario, &graph, &population, settings, pool, &self.label(plan, i)).map_err(at_point(i))
            })
            .collect::<Result<_, _>>()?;
        Ok(Group { graph, population, cells })
    }
}

/// The text of a swept value in `sweep.csv` (strings without quotes).
fn value_cell(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        other => womsim::scenario::schema::value_text(other),
    }
}

/// Remove a previous sweep's `points/<k>/` folders (`--force`): in each, only
/// the results contract, as in [`clear_previous_results`].
fn clear_previous_points(dir: &Path) -> anyhow::Result<()> {
    let points = dir.join(export::POINTS_DIR);
    let Ok(meta) = fs::symlink_metadata(&points) else { return Ok(()) };
    if !meta.is_dir() {
        bail!(
            "{} is not a folder; womsim does not replace it (move it away or choose another folder with --out)",
            points.display()
        );
    }
    for entry in fs::read_dir(&points).with_context(|| format!("cannot read {}", points.display()))? {
        let entry = entry?;
        let numbered = entry.file_name().to_string_lossy().parse::<u64>().is_ok();
        if numbered && entry.file_type()?.is_dir() {
            clear_previous_results(&entry.path())?;
            let _ = fs::remove_dir(entry.path());
        }
    }
    let _ = fs::remove_dir(&points);
    Ok(())
}

/// Copy point 1's results to the sweep's own folder (so that tools reading
/// one results folder, and `womsim plot`, work on it): every contract file
/// but the manifest, `summary.json` last.
fn copy_first_point(from: &Path, to: &Path) -> anyhow::Result<()> {
    let copy = |name: &str| -> anyhow::Result<()> {
        let src = from.join(name);
        if src.is_file() {
            let bytes = fs::read(&src).with_context(|| format!("cannot read {}", src.display()))?;
            export::atomic_write(&to.join(name), &bytes)?;
        }
        Ok(())
    };
    for name in [
        export::TIMESERIES,
        export::REPLICATES,
        export::SEEDS,
        export::DEGREES,
        export::BUDGETS,
        export::formats::RESULTS_CSV,
    ] {
        copy(name)?;
    }
    copy(export::RESOLVED)?;
    let charts = from.join(export::CHARTS_DIR);
    if charts.is_dir() {
        fs::create_dir_all(to.join(export::CHARTS_DIR))?;
        for entry in fs::read_dir(&charts)? {
            let name = entry?.file_name().to_string_lossy().into_owned();
            copy(&format!("{}/{name}", export::CHARTS_DIR))?;
        }
    }
    copy(export::REPORT)?;
    copy(export::SUMMARY)
}

/// Run every point of a sweep, each into `points/<k>/` as a plain results
/// folder, writing `sweep.csv` after each; the sweep's own folder holds
/// `sweep.csv`, `sweep.resolved.toml`, its `manifest.json` and a copy of
/// point 1's results.
/// Where a sweep point's replicates come from (simulated, or a merge's
/// shards of that point).
pub(super) type PointSource<'a> = &'a dyn Fn(usize) -> Result<Box<dyn pipeline::Replicates>, CliError>;

pub(super) fn run_sweep(
    plan: &RunPlan,
    sw: &SweepPlan,
    first: Option<Group>,
    settings: &RunSettings,
    pool: &rayon::ThreadPool,
    source_of: PointSource<'_>,
) -> Result<SummaryFile, CliError> {
    let started = Instant::now();
    let s = &plan.scenario;
    let dir = &plan.out_dir;
    let n = sw.sweep.points.len();
    let mut manifest = open_results_dir(s, dir, settings)?;
    let resolved = format!("{}{}", s.to_resolved_toml(), sw.sweep.to_toml());
    export::atomic_write(&dir.join(export::SWEEP_RESOLVED), resolved.as_bytes())?;
    if settings.chatty {
        eprintln!("{}: sweep of {n} points over {}", s.name, sw.sweep.keys.join(", "));
    }

    let mut rows: Vec<SweepRow> = Vec::new();
    let mut tables: Vec<(usize, String)> = Vec::new();
    let mut first_summary: Option<SummaryFile> = None;
    sw.each_point(plan, first, settings, pool, &mut |i, p, world| {
        let source = source_of(i)?;
        let summary = run_plan(p, world, settings, pool, &sw.label(plan, i), source.as_ref())?;
        let values: Vec<String> = sw.sweep.points[i].values.iter().map(value_cell).collect();
        rows.push(SweepRow::baseline(i + 1, &values, pipeline::BASELINE, &summary.baseline));
        rows.extend(summary.strategies.iter().map(|st| SweepRow::of(i + 1, &values, st)));
        rows.sort_by_key(|r| r.point);
        export::write_sweep(dir, &sw.sweep.keys, &rows)?;
        tables.push((i, summary::table(&summary)));
        if i == 0 {
            copy_first_point(&p.out_dir, dir)?;
            first_summary = Some(summary);
        }
        Ok(())
    })?;

    manifest.wall_time_seconds = started.elapsed().as_secs_f64();
    manifest.complete = true;
    export::write_manifest(dir, &manifest)?;
    if settings.chatty {
        eprintln!("{}: sweep of {n} points finished in {}", s.name, secs(started.elapsed()));
    }
    tables.sort_by_key(|(i, _)| *i);
    const SHOWN: usize = 12;
    for (i, table) in tables.iter().take(SHOWN) {
        println!("point {}/{n}: {}", i + 1, sw.sweep.label(*i));
        print!("{table}");
    }
    if n > SHOWN {
        println!("... and {} more points: see {}", n - SHOWN, export::SWEEP);
    }
    Ok(first_summary.expect("a sweep has at least one point"))
}

fn secs(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::FileTypeExt;

    use super::*;

    #[test]
    fn existing_results_need_force() {
        let d = tempfile::tempdir().unwrap();
        assert!(check_out_dir(&d.path().join("new"), false).is_ok());
        assert!(check_out_dir(d.path(), false).is_ok(), "an empty folder is fine");
        fs::write(d.path().join("summary.json"), "{}").unwrap();
        let e = check_out_dir(d.path(), false).unwrap_err().to_string();
        assert!(e.contains("--force"), "{e}");
        assert!(check_out_dir(d.path(), true).is_ok());
        assert!(check_out_dir(&d.path().join("summary.json"), true).is_err());
    }

    #[test]
    fn force_clears_only_contract_files() {
        let d = tempfile::tempdir().unwrap();
        fs::write(d.path().join("budgets.csv"), "old").unwrap();
        fs::create_dir(d.path().join("charts")).unwrap();
        fs::write(d.path().join("charts/reach.png"), "old").unwrap();
        fs::write(d.path().join("notes.txt"), "mine").unwrap();
        clear_previous_results(d.path()).unwrap();
        let left: Vec<_> = fs::read_dir(d.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(left, vec![std::ffi::OsString::from("notes.txt")]);
    }

    #[test]
    fn force_keeps_the_users_files_in_charts_and_removes_stale_temporaries() {
        let d = tempfile::tempdir().unwrap();
        fs::create_dir(d.path().join("charts")).unwrap();
        fs::write(d.path().join("charts/reach.svg"), "old").unwrap();
        fs::write(d.path().join("charts/.reach.tmp.png"), "half").unwrap();
        fs::write(d.path().join("charts/my_notes.md"), "mine").unwrap();
        fs::write(d.path().join(".summary.json.tmp-4242"), "half").unwrap();
        fs::write(d.path().join("summary.json"), "{}").unwrap();
        clear_previous_results(d.path()).unwrap();
        let mut left: Vec<String> = walk(d.path());
        left.sort();
        assert_eq!(left, ["charts/my_notes.md"]);
    }

    #[test]
    fn force_never_replaces_a_special_file() {
        let d = tempfile::tempdir().unwrap();
        let fifo = d.path().join("summary.json");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path; mkfifo only creates a node.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        let e = clear_previous_results(d.path()).unwrap_err().to_string();
        assert!(e.contains("not a regular file"), "{e}");
        assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    }

    fn walk(dir: &Path) -> Vec<String> {
        let mut out = Vec::new();
        for e in fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            if e.file_type().unwrap().is_dir() {
                out.extend(walk(&e.path()).into_iter().map(|x| format!("{name}/{x}")));
            } else {
                out.push(name);
            }
        }
        out
    }

    #[test]
    fn the_lock_file_alone_does_not_make_a_folder_non_empty() {
        let d = tempfile::tempdir().unwrap();
        fs::write(d.path().join(LOCK_FILE), "1\n").unwrap();
        assert!(check_out_dir(d.path(), false).is_ok());
    }

    #[test]
    fn manifest_inputs_are_the_files_the_scenario_read() {
        let d = tempfile::tempdir().unwrap();
        fs::write(d.path().join("net.edges"), "1 2\n2 3\n3 4\n").unwrap();
        fs::write(d.path().join("seeds.txt"), "1\n3\n").unwrap();
        let sc = d.path().join("s.toml");
        fs::write(
            &sc,
            "name = \"x\"\n[network]\nkind = \"edge_list\"\npath = \"net.edges\"\n\
             [model]\nkind = \"independent_cascade\"\n\
             [[strategy]]\nname = \"a\"\nkind = \"explicit\"\nfile = \"seeds.txt\"\n\
             [[strategy]]\nname = \"b\"\nkind = \"explicit\"\nfile = \"seeds.txt\"\nbudget = 1\n\
             [[strategy]]\nname = \"c\"\nkind = \"random\"\nbudget = 1\n",
        )
        .unwrap();
        let s = womsim::scenario::load(&sc).unwrap();
        let files = input_files(&s).unwrap();
        let roles: Vec<&str> = files.iter().map(|f| f.role.as_str()).collect();
        assert_eq!(roles, ["scenario", "edge_list", "strategy_nodes"], "{files:?}");
        assert!(files[1].path.ends_with("net.edges") && files[2].path.ends_with("seeds.txt"), "{files:?}");
        let seeds_digest = export::sha256_file(&d.path().join("seeds.txt")).unwrap();
        assert_eq!(files[2].sha256, seeds_digest);
        assert_eq!(files[0].sha256, export::sha256_file(&sc).unwrap());
    }
}
