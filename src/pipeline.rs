//! A run, from a built world to the results contract: seeds for every
//! strategy (and budget point), the no-campaign baseline, the strategies'
//! replicates, and the numbers of `summary.json`, `timeseries.csv`,
//! `replicates.csv`, `seeds.csv` and `budgets.csv`.
//!
//! The pipeline is pure (no files, no printing): a caller builds the world
//! ([`crate::world`]), picks every cell's seeds ([`plan`]) and runs them
//! ([`execute`]), which hands back the results after each part so that the
//! caller (the `womsim` binary) can save them as they finish and show
//! progress ([`Progress`]). Tests and other programs call the same functions.
//!
//! ## Honest comparison
//! * **Baseline.** The world without any campaign (no seeds) is simulated
//!   with the same dynamics streams as every strategy, replicate by
//!   replicate, so each strategy's **lift** — its final value minus the
//!   baseline's, per replicate — is a paired difference with common random
//!   numbers. `acted_beyond_seeds` also removes the seeds' own actions: in
//!   replicate r it is `(acted − |S_r|) − (baseline acted − |S_r ∩ A_r|)`,
//!   where `A_r` is who acted in the baseline, i.e. the difference in action
//!   among people who are not the strategy's seeds.
//! * **Seed-draw luck.** A strategy with `reseed = "per_replicate"` draws
//!   replicate r's seeds from the stream `(seed, "seeding", [key(name), r])`
//!   ([`crate::seeding::SeedingContext::draw`]), so its confidence intervals
//!   and paired differences include the variance of the draw.
//! * **Many comparisons.** Every paired difference's `significant` is
//!   decided on Holm–Bonferroni adjusted p-values over all the differences
//!   in the run ([`adjust_for_multiplicity`]).

use rayon::prelude::*;

use crate::graph::Graph;
use crate::metrics::{Metric, Row, Trajectory};
use crate::models::{self, ModelSpec};
use crate::population::Population;
use crate::results::{
    Baseline, BudgetPoint, Diff, FinalMetrics, FinalStat, Lift, PairedDiffs, PerMetric, SeedRow, Stat, StrategySeries,
    StrategySummary,
};
use crate::runner::{self, RunConfig};
use crate::seeding::{self, Budget, Reseed, SeedingContext, SeedingError, Selection, StrategyKind, StrategySpec};
use crate::stats;

/// Name of the no-campaign world in `timeseries.csv` and `replicates.csv`.
pub const BASELINE: &str = "(no campaign)";

/// The family-wise error rate the `significant` marks control.
pub const ALPHA: f64 = 0.05;

/// What a run simulates on: the network, the population and the model.
#[derive(Debug, Clone, Copy)]
pub struct World<'a> {
    pub graph: &'a Graph,
    pub population: &'a Population,
    pub model: &'a ModelSpec,
    pub cfg: RunConfig,
    /// Progress of strategies that choose their seeds by simulation
    /// (`greedy`), if the caller shows it.
    pub seeding_progress: Option<seeding::SimulationProgress<'a>>,
    /// `[uncertain]`: each draw's model; replicate r (of `cfg.replicates`
    /// = draws × replicates per draw) runs draw r / (replicates per draw).
    /// Empty: every replicate runs `model`. Seeds are picked with `model`
    /// (the scenario's own values) for every draw.
    pub draws: &'a [ModelSpec],
}

impl World<'_> {
    /// Replicates per draw of `[uncertain]`, or `None` without it.
    pub fn per_draw(&self) -> Option<u32> {
        (!self.draws.is_empty()).then(|| (self.cfg.replicates / self.draws.len() as u32).max(1))
    }

    /// The model replicate `r` runs.
    pub fn model_of(&self, r: u32) -> &ModelSpec {
        match self.per_draw() {
            None => self.model,
            Some(per) => &self.draws[((r / per) as usize).min(self.draws.len() - 1)],
        }
    }
}

/// The seeds one strategy (at one budget) uses in each replicate.
#[derive(Debug, Clone, PartialEq)]
pub enum Seeds {
    /// One seed set for every replicate.
    Once(Selection),
    /// Replicate r's own set at index r.
    PerReplicate(Vec<Selection>),
}

impl Seeds {
    /// The selection of replicate `r`.
    pub fn of(&self, r: u32) -> &Selection {
        match self {
            Seeds::Once(s) => s,
            Seeds::PerReplicate(v) => &v[r as usize],
        }
    }

    /// Whether the replicates have their own sets.
    pub fn vary(&self) -> bool {
        matches!(self, Seeds::PerReplicate(_))
    }

    /// Cost per replicate.
    pub fn costs(&self, replicates: u32) -> Vec<f64> {
        (0..replicates).map(|r| self.of(r).cost).collect()
    }
}

/// One strategy at one budget: what is simulated as a unit.
#[derive(Debug, Clone)]
pub struct Cell {
    /// Index of the strategy in the scenario.
    pub strategy: usize,
    /// The strategy, with the budget of this cell.
    pub spec: StrategySpec,
    /// `Some(b)`: a point of the budget sweep; `None`: the strategy as given.
    pub sweep_budget: Option<f64>,
    pub seeds: Seeds,
    /// `magic_middle`: its follower-count band, resolved.
    pub band: Option<[u32; 2]>,
}

impl Cell {
    /// The budget amount as reported (`budget` in summary.json and
    /// seeds.csv).
    pub fn budget_amount(&self) -> f64 {
        budget_parts(&self.spec.budget).0
    }
}

/// `(amount, unit)` of a budget.
pub fn budget_parts(b: &Budget) -> (f64, &'static str) {
    match *b {
        Budget::People(n) => (f64::from(n), "people"),
        Budget::Cost(c) => (c, "cost"),
    }
}

/// The budget of a sweep point, in the strategy's own unit.
pub fn sweep_budget(spec: &StrategySpec, b: f64) -> Budget {
    match spec.budget {
        Budget::Cost(_) => Budget::Cost(b),
        Budget::People(_) => Budget::People(b.round() as u32),
    }
}

/// The seeding context of `spec` in `world`, for one draw.
pub fn seeding_context<'a>(world: &World<'a>, spec: &StrategySpec, draw: Option<u32>) -> SeedingContext<'a> {
    SeedingContext {
        graph: world.graph,
        population: world.population,
        model: world.model,
        steps: world.cfg.steps,
        seed: world.cfg.seed,
        strategy_key: seeding::strategy_key(&spec.name),
        draw,
        progress: world.seeding_progress,
    }
}

/// Pick the seeds of `spec`: one set, or one per replicate (in parallel on
/// the caller's rayon pool; each draw depends only on its replicate index,
/// so the result does not depend on the number of threads). The first
/// failing draw's error is returned.
///
/// Cost: one [`seeding::select`] per draw.
pub fn pick_seeds(world: &World<'_>, spec: &StrategySpec) -> Result<Seeds, SeedingError> {
    match spec.reseed {
        Reseed::PerReplicate if spec.kind.is_chance_based() => {
            let sets: Result<Vec<Selection>, SeedingError> = (0..world.cfg.replicates)
                .into_par_iter()
                .map(|r| seeding::select(spec, &seeding_context(world, spec, Some(r))))
                .collect();
            Ok(Seeds::PerReplicate(sets?))
        }
        _ => Ok(Seeds::Once(seeding::select(spec, &seeding_context(world, spec, None))?)),
    }
}

/// Why seeds could not be picked for a cell.
#[derive(Debug)]
pub struct PlanError {
    /// Index of the strategy in the scenario.
    pub strategy: usize,
    /// The sweep point, if the failing cell is one.
    pub sweep_budget: Option<f64>,
    pub error: SeedingError,
}

/// Every cell of a run: each strategy as given (in scenario order), then,
/// with a budget sweep, each strategy (except `explicit` and `none`, which
/// have no budget to vary) at each budget. All seeds are picked here,
/// before anything is simulated, so an unsatisfiable strategy stops the run
/// as invalid input.
pub fn plan(world: &World<'_>, strategies: &[StrategySpec], budgets: &[f64]) -> Result<Vec<Cell>, PlanError> {
    let mut cells = Vec::new();
    for (i, spec) in strategies.iter().enumerate() {
        let seeds = pick_seeds(world, spec).map_err(|error| PlanError { strategy: i, sweep_budget: None, error })?;
        let band = seeding::band_followers(spec, &seeding_context(world, spec, None));
        cells.push(Cell { strategy: i, spec: spec.clone(), sweep_budget: None, seeds, band });
    }
    for (i, st) in strategies.iter().enumerate() {
        if matches!(st.kind, StrategyKind::Explicit { .. } | StrategyKind::None) {
            continue;
        }
        for &b in budgets {
            let spec = StrategySpec { budget: sweep_budget(st, b), ..st.clone() };
            let seeds =
                pick_seeds(world, &spec).map_err(|error| PlanError { strategy: i, sweep_budget: Some(b), error })?;
            let band = seeding::band_followers(&spec, &seeding_context(world, &spec, None));
            cells.push(Cell { strategy: i, spec, sweep_budget: Some(b), seeds, band });
        }
    }
    Ok(cells)
}

/// The no-campaign world, replicate by replicate.
#[derive(Debug, Clone)]
pub struct BaselineRun {
    /// Final row of each replicate.
    pub finals: Vec<Row>,
    /// Reach per step of each replicate, as stored (later steps repeat the
    /// last value), for the lift's trajectory.
    pub reached: Vec<Vec<f64>>,
    /// Per cell, per replicate: how many of the cell's seeds acted in the
    /// baseline (they would have acted without the campaign).
    pub seeds_acted: Vec<Vec<u32>>,
    /// Per-step aggregates (`timeseries.csv`).
    pub series: stats::SeriesStats,
}

/// Simulate the world without seeds, and note which of every cell's seeds
/// act in it. Cost: one simulation per replicate plus O(Σ seeds) lookups.
pub fn simulate_baseline(world: &World<'_>, cells: &[Cell], progress: &(dyn Fn() + Sync)) -> BaselineRun {
    let all: Vec<u32> = (0..world.cfg.replicates).collect();
    let (trajs, seeds_acted) = baseline_of(world, cells, &all, progress);
    BaselineRun::from_parts(&trajs, seeds_acted)
}

/// The baseline's trajectories of `reps` (in that order) and, per cell, how
/// many of its seeds acted in each.
fn baseline_of(
    world: &World<'_>,
    cells: &[Cell],
    reps: &[u32],
    progress: &(dyn Fn() + Sync),
) -> (Vec<Trajectory>, Vec<Vec<u32>>) {
    let runs = runner::run_replicate_list(
        &|r| world.model_of(r),
        world.graph,
        world.population,
        &|_| &[],
        &world.cfg,
        reps,
        progress,
        &|r, scratch| {
            cells
                .iter()
                .map(|c| {
                    let model = world.model_of(r);
                    c.seeds.of(r).seeds.iter().filter(|&&u| models::has_acted(model, scratch, u)).count() as u32
                })
                .collect::<Vec<u32>>()
        },
    );
    let mut seeds_acted = vec![Vec::with_capacity(reps.len()); cells.len()];
    let mut trajs = Vec::with_capacity(runs.len());
    for (t, per_cell) in runs {
        for (c, k) in per_cell.into_iter().enumerate() {
            seeds_acted[c].push(k);
        }
        trajs.push(t);
    }
    (trajs, seeds_acted)
}

impl BaselineRun {
    /// From the baseline's trajectories (replicate order) and, per cell, per
    /// replicate, how many of the cell's seeds acted in it.
    pub fn from_parts(trajs: &[Trajectory], seeds_acted: Vec<Vec<u32>>) -> Self {
        let series = stats::series(trajs);
        let finals = trajs.iter().map(Trajectory::last).collect();
        let reached = trajs.iter().map(|t| t.stored().iter().map(|row| row[Metric::Reached.idx()]).collect()).collect();
        BaselineRun { finals, reached, seeds_acted, series }
    }
}

/// One cell's replicates, reduced to what the results need.
#[derive(Debug, Clone)]
pub struct CellRun {
    /// Final row of each replicate.
    pub finals: Vec<Row>,
    /// First step at which the lift in reach reaches half its final value,
    /// per replicate.
    pub half_lift: Vec<f64>,
    /// Per-step aggregates (`timeseries.csv`).
    pub series: stats::SeriesStats,
}

impl CellRun {
    /// From a cell's trajectories (replicate order) and the baseline.
    pub fn from_trajectories(trajs: &[Trajectory], base: &BaselineRun) -> Self {
        let half_lift = trajs.iter().zip(&base.reached).map(|(t, b)| f64::from(steps_to_half_lift(t, b))).collect();
        CellRun { finals: trajs.iter().map(Trajectory::last).collect(), half_lift, series: stats::series(trajs) }
    }
}

/// Simulate one cell. Memory: the cell's trajectories (stored rows only)
/// until they are aggregated.
pub fn simulate_cell(world: &World<'_>, cell: &Cell, base: &BaselineRun, progress: &(dyn Fn() + Sync)) -> CellRun {
    let all: Vec<u32> = (0..world.cfg.replicates).collect();
    CellRun::from_trajectories(&cell_of(world, cell, &all, progress), base)
}

/// A cell's trajectories of `reps`, in that order.
fn cell_of(world: &World<'_>, cell: &Cell, reps: &[u32], progress: &(dyn Fn() + Sync)) -> Vec<Trajectory> {
    let runs = runner::run_replicate_list(
        &|r| world.model_of(r),
        world.graph,
        world.population,
        &|r| cell.seeds.of(r).seeds.as_slice(),
        &world.cfg,
        reps,
        progress,
        &|_, _| (),
    );
    runs.into_iter().map(|(t, ())| t).collect()
}

/// Where [`execute_from`] gets each part's replicates: simulated here
/// ([`Simulate`]), or reassembled from shards ([`Shards`]).
pub trait Replicates: Sync {
    /// The no-campaign world's replicates.
    fn baseline(&self, world: &World<'_>, cells: &[Cell], tick: &(dyn Fn() + Sync)) -> BaselineRun;
    /// Cell `index`'s replicates.
    fn cell(
        &self,
        world: &World<'_>,
        index: usize,
        cell: &Cell,
        base: &BaselineRun,
        tick: &(dyn Fn() + Sync),
    ) -> CellRun;
}

/// Simulate every replicate.
pub struct Simulate;

impl Replicates for Simulate {
    fn baseline(&self, world: &World<'_>, cells: &[Cell], tick: &(dyn Fn() + Sync)) -> BaselineRun {
        simulate_baseline(world, cells, tick)
    }

    fn cell(&self, world: &World<'_>, _: usize, cell: &Cell, base: &BaselineRun, tick: &(dyn Fn() + Sync)) -> CellRun {
        simulate_cell(world, cell, base, tick)
    }
}

/// The replicates of shard `k` of `n` (1-based): those with `r mod n = k − 1`.
/// Every shard gets every cell and every n-th replicate, so shards cost
/// about the same whatever the cells, and the slicing depends only on
/// (replicates, k, n): the same on every machine.
pub fn shard_replicates(replicates: u32, k: u32, n: u32) -> Vec<u32> {
    (k.saturating_sub(1)..replicates).step_by(n.max(1) as usize).collect()
}

/// What one shard simulated: every part's trajectories of its replicates.
#[derive(Debug, Clone, PartialEq)]
pub struct ShardData {
    /// 1-based shard index and the number of shards.
    pub k: u32,
    pub n: u32,
    /// The shard's replicates, ascending ([`shard_replicates`]).
    pub replicates: Vec<u32>,
    /// The baseline's trajectories, aligned with `replicates`.
    pub baseline: Vec<Trajectory>,
    /// Per cell, per replicate of the shard: seeds that acted in the baseline.
    pub seeds_acted: Vec<Vec<u32>>,
    /// Per cell, its trajectories, aligned with `replicates`.
    pub cells: Vec<Vec<Trajectory>>,
}

/// Simulate shard `k` of `n`: the baseline and every cell, for the shard's
/// replicates only (each with its own streams, exactly as in a whole run).
pub fn simulate_shard(world: &World<'_>, cells: &[Cell], k: u32, n: u32, tick: &(dyn Fn() + Sync)) -> ShardData {
    let reps = shard_replicates(world.cfg.replicates, k, n);
    let (baseline, seeds_acted) = baseline_of(world, cells, &reps, tick);
    let cell_trajs = cells.iter().map(|c| cell_of(world, c, &reps, tick)).collect();
    ShardData { k, n, replicates: reps, baseline, seeds_acted, cells: cell_trajs }
}

/// One replicate of every part: the baseline's trajectory, per cell how
/// many of its seeds acted in it, and per cell its trajectory.
type Replicate = (Trajectory, Vec<u32>, Vec<Trajectory>);

/// Every replicate of a run, reassembled from all its shards.
pub struct Shards {
    baseline: Vec<Trajectory>,
    seeds_acted: Vec<Vec<u32>>,
    cells: Vec<Vec<Trajectory>>,
}

impl Shards {
    /// Reassemble `shards` (each of `1..=n` exactly once, all of the same
    /// run) into replicate order. Errors name what is missing or repeated.
    pub fn assemble(shards: Vec<ShardData>, replicates: u32, cells: usize) -> Result<Shards, String> {
        let n = shards.first().map_or(0, |s| s.n);
        let mut seen = vec![false; n as usize];
        for s in &shards {
            if s.n != n {
                return Err(format!("shard {}/{} is from a run split into {} shards, not {n}", s.k, s.n, s.n));
            }
            if s.k == 0 || s.k > n || std::mem::replace(&mut seen[(s.k - 1) as usize], true) {
                return Err(format!("shard {}/{n} is given twice (or is out of range)", s.k));
            }
            if s.replicates != shard_replicates(replicates, s.k, n) || s.cells.len() != cells {
                return Err(format!("shard {}/{n} does not hold the replicates or cells of this run", s.k));
            }
        }
        if let Some(missing) = seen.iter().position(|&x| !x) {
            return Err(format!("shard {}/{n} is missing", missing + 1));
        }
        let mut slots: Vec<Option<Replicate>> = vec![None; replicates as usize];
        for s in shards {
            let mut cell_iters: Vec<_> = s.cells.into_iter().map(Vec::into_iter).collect();
            for (i, (r, b)) in s.replicates.iter().zip(s.baseline).enumerate() {
                let acted = s.seeds_acted.iter().map(|c| c[i]).collect();
                let trajs = cell_iters.iter_mut().map(|it| it.next().expect("aligned")).collect();
                slots[*r as usize] = Some((b, acted, trajs));
            }
        }
        let mut out = Shards {
            baseline: Vec::with_capacity(replicates as usize),
            seeds_acted: vec![Vec::with_capacity(replicates as usize); cells],
            cells: vec![Vec::with_capacity(replicates as usize); cells],
        };
        for slot in slots {
            let (b, acted, trajs) = slot.expect("every replicate is in exactly one shard");
            out.baseline.push(b);
            for (c, k) in acted.into_iter().enumerate() {
                out.seeds_acted[c].push(k);
            }
            for (c, t) in trajs.into_iter().enumerate() {
                out.cells[c].push(t);
            }
        }
        Ok(out)
    }
}

impl Replicates for Shards {
    fn baseline(&self, _: &World<'_>, _: &[Cell], _: &(dyn Fn() + Sync)) -> BaselineRun {
        BaselineRun::from_parts(&self.baseline, self.seeds_acted.clone())
    }

    fn cell(&self, _: &World<'_>, index: usize, _: &Cell, base: &BaselineRun, _: &(dyn Fn() + Sync)) -> CellRun {
        CellRun::from_trajectories(&self.cells[index], base)
    }
}

/// First step at which `t`'s reach minus the baseline's (`base`, stored
/// rows; later steps repeat its last value) is at least half its final
/// value; 0 when the final lift is not positive.
pub fn steps_to_half_lift(t: &Trajectory, base: &[f64]) -> u32 {
    let b = |s: usize| base.get(s).or(base.last()).copied().unwrap_or(0.0);
    let horizon = t.steps() as usize;
    let last_needed = t.stored().len().max(base.len()).min(horizon + 1);
    let lift = |s: usize| t.get(s as u32, Metric::Reached) - b(s);
    let fin = lift(horizon);
    if fin <= 0.0 {
        return 0;
    }
    (0..last_needed).find(|&s| lift(s) >= fin / 2.0).unwrap_or(last_needed.min(horizon)) as u32
}

/// Metric `m` of every row.
pub fn column(rows: &[Row], m: Metric) -> Vec<f64> {
    rows.iter().map(|r| r[m.idx()]).collect()
}

fn stat(xs: &[f64]) -> Stat {
    stats::summarize(xs).into()
}

/// Mean, CI and quantiles of a final value.
pub fn final_stat(xs: &[f64]) -> FinalStat {
    let s = stats::summarize(xs);
    let mut sorted = xs.to_vec();
    sorted.sort_unstable_by(f64::total_cmp);
    FinalStat {
        mean: s.mean,
        sd: s.sd,
        ci95_low: s.ci95_low,
        ci95_high: s.ci95_high,
        q05: stats::quantile_sorted(&sorted, 0.05),
        q50: stats::quantile_sorted(&sorted, 0.5),
        q95: stats::quantile_sorted(&sorted, 0.95),
    }
}

/// Final metrics over replicates.
pub fn final_metrics(rows: &[Row]) -> FinalMetrics {
    let bad_wins = rows.iter().filter(|r| r[Metric::ReachedBad.idx()] > r[Metric::ReachedGood.idx()]).count();
    FinalMetrics {
        reached: final_stat(&column(rows, Metric::Reached)),
        reached_good: final_stat(&column(rows, Metric::ReachedGood)),
        reached_bad: final_stat(&column(rows, Metric::ReachedBad)),
        acted: final_stat(&column(rows, Metric::Acted)),
        p_bad_exceeds_good: if rows.is_empty() { 0.0 } else { bad_wins as f64 / rows.len() as f64 },
    }
}

/// The baseline's block of `summary.json`.
pub fn baseline_summary(base: &BaselineRun) -> Baseline {
    Baseline { final_: final_metrics(&base.finals) }
}

/// Per replicate: action among people who are not the cell's seeds, minus
/// the same in the baseline.
pub fn acted_beyond_seeds(cell: &Cell, cell_index: usize, run: &CellRun, base: &BaselineRun) -> Vec<f64> {
    run.finals
        .iter()
        .zip(&base.finals)
        .enumerate()
        .map(|(r, (row, b))| {
            let k = cell.seeds.of(r as u32).seeds.len() as f64;
            let own_base = f64::from(base.seeds_acted[cell_index][r]);
            (row[Metric::Acted.idx()] - k) - (b[Metric::Acted.idx()] - own_base)
        })
        .collect()
}

/// Paired difference `a − b` with its unadjusted 95% CI and p-value;
/// `p_adjusted` and `significant` are provisional (the unadjusted p) until
/// [`adjust_for_multiplicity`] runs over the whole family.
pub fn diff(a: &[f64], b: &[f64]) -> Diff {
    let s = stats::paired_diff(a, b);
    let p = stats::p_value(&s);
    Diff {
        mean: s.mean,
        ci95_low: s.ci95_low,
        ci95_high: s.ci95_high,
        p_value: p,
        p_adjusted: p,
        significant: p < ALPHA,
    }
}

/// Action beyond the seeds per unit of cost, per replicate. A zero-cost
/// selection has no meaningful action per cost; it counts 0 rather than
/// infinity (JSON has no infinity).
pub fn per_cost(beyond: &[f64], costs: &[f64]) -> Vec<f64> {
    beyond.iter().zip(costs).map(|(&a, &c)| if c > 0.0 { a / c } else { 0.0 }).collect()
}

/// acted / reached per replicate (0 when nobody is reached).
pub fn per_reach(rows: &[Row]) -> Vec<f64> {
    rows.iter()
        .map(|r| if r[Metric::Reached.idx()] > 0.0 { r[Metric::Acted.idx()] / r[Metric::Reached.idx()] } else { 0.0 })
        .collect()
}

/// Everything `summary.json` says about one cell. `reference` is the first
/// strategy's name and final rows (`None` for the first strategy).
pub fn strategy_summary(
    graph: &Graph,
    cell: &Cell,
    cell_index: usize,
    run: &CellRun,
    base: &BaselineRun,
    reference: Option<(&str, &[Row])>,
) -> StrategySummary {
    let rows = &run.finals;
    let n = rows.len() as u32;
    let lift_of = |m: Metric| stats::paired_diff(&column(rows, m), &column(&base.finals, m)).into();
    let beyond = acted_beyond_seeds(cell, cell_index, run, base);
    let costs = cell.seeds.costs(n);
    let per_cost = per_cost(&beyond, &costs);
    let per_reach = per_reach(rows);
    let (budget, unit) = budget_parts(&cell.spec.budget);
    let paired = reference.map(|(against, refr)| PairedDiffs {
        against: against.to_string(),
        reached: diff(&column(rows, Metric::Reached), &column(refr, Metric::Reached)),
        reached_good: diff(&column(rows, Metric::ReachedGood), &column(refr, Metric::ReachedGood)),
        reached_bad: diff(&column(rows, Metric::ReachedBad), &column(refr, Metric::ReachedBad)),
        acted: diff(&column(rows, Metric::Acted), &column(refr, Metric::Acted)),
    });
    let first = cell.seeds.of(0);
    StrategySummary {
        name: cell.spec.name.clone(),
        kind: cell.spec.kind.name().to_string(),
        budget,
        budget_unit: unit.to_string(),
        cost: if cell.seeds.vary() { stats::summarize(&costs).mean } else { first.cost },
        seeds_vary: cell.seeds.vary(),
        seeds: first.seeds.iter().map(|&u| graph.label(u).to_string()).collect(),
        seed_followers: first.seeds.iter().map(|&u| graph.followers(u)).collect(),
        band: cell.band,
        final_: final_metrics(rows),
        lift: Lift {
            reached: lift_of(Metric::Reached),
            reached_good: lift_of(Metric::ReachedGood),
            reached_bad: lift_of(Metric::ReachedBad),
            acted: lift_of(Metric::Acted),
            acted_beyond_seeds: stat(&beyond),
        },
        action_per_reach: stat(&per_reach),
        action_per_cost: stat(&per_cost),
        steps_to_half_reach: stat(&run.half_lift),
        paired,
        uncertain: None,
    }
}

/// Holm–Bonferroni over every paired difference in `strategies` (all
/// strategies × the four metrics): sets each `p_adjusted` and decides
/// `significant` at [`ALPHA`] family-wise.
pub fn adjust_for_multiplicity(strategies: &mut [StrategySummary]) {
    let ps: Vec<f64> =
        strategies.iter_mut().filter_map(|s| s.paired.as_mut()).flat_map(|p| p.all_mut().map(|d| d.p_value)).collect();
    let adj = stats::holm(&ps);
    let mut it = adj.into_iter();
    for p in strategies.iter_mut().filter_map(|s| s.paired.as_mut()) {
        for d in p.all_mut() {
            d.p_adjusted = it.next().expect("one adjusted p per difference");
            d.significant = d.p_adjusted < ALPHA;
        }
    }
}

/// A cell's series under its strategy's name.
pub fn strategy_series(name: &str, s: &stats::SeriesStats) -> StrategySeries {
    StrategySeries { strategy: name.to_string(), mean: s.mean.clone(), q05: s.q05.clone(), q95: s.q95.clone() }
}

/// One row of `budgets.csv`.
pub fn budget_point(cell: &Cell, cell_index: usize, run: &CellRun, base: &BaselineRun) -> BudgetPoint {
    let reached = stats::summarize(&column(&run.finals, Metric::Reached));
    let acted = stats::summarize(&column(&run.finals, Metric::Acted));
    let lift = stats::paired_diff(&column(&run.finals, Metric::Reached), &column(&base.finals, Metric::Reached));
    let beyond = stats::summarize(&acted_beyond_seeds(cell, cell_index, run, base));
    let costs = cell.seeds.costs(run.finals.len() as u32);
    BudgetPoint {
        strategy: cell.spec.name.clone(),
        budget: cell.sweep_budget.unwrap_or_else(|| cell.budget_amount()),
        cost: stats::summarize(&costs).mean,
        reached_mean: reached.mean,
        reached_ci95_low: reached.ci95_low,
        reached_ci95_high: reached.ci95_high,
        acted_mean: acted.mean,
        acted_ci95_low: acted.ci95_low,
        acted_ci95_high: acted.ci95_high,
        lift_reached_mean: lift.mean,
        lift_reached_ci95_low: lift.ci95_low,
        lift_reached_ci95_high: lift.ci95_high,
        lift_acted_beyond_seeds_mean: beyond.mean,
        lift_acted_beyond_seeds_ci95_low: beyond.ci95_low,
        lift_acted_beyond_seeds_ci95_high: beyond.ci95_high,
    }
}

/// The rows of `seeds.csv` for one cell: one per replicate when its seeds
/// are drawn per replicate, none otherwise (its one set is `seeds` in
/// summary.json; repeating it on every replicate's row would make the file
/// grow with replicates for nothing).
pub fn seed_rows(graph: &Graph, cell: &Cell, replicates: u32) -> Vec<SeedRow> {
    if !cell.seeds.vary() {
        return Vec::new();
    }
    let budget = cell.sweep_budget.unwrap_or_else(|| cell.budget_amount());
    (0..replicates)
        .map(|r| SeedRow {
            strategy: cell.spec.name.clone(),
            budget,
            replicate: r,
            seeds: cell.seeds.of(r).seeds.iter().map(|&u| graph.label(u).to_string()).collect(),
        })
        .collect()
}

/// The results of a run as they accumulate: what `summary.json`,
/// `timeseries.csv`, `replicates.csv` and `budgets.csv` hold (the caller adds
/// the scenario's own facts to the summary).
#[derive(Debug, Clone)]
pub struct Execution {
    /// The no-campaign world's block of `summary.json`.
    pub baseline: Baseline,
    /// Its series (`strategy = "(no campaign)"`).
    pub baseline_series: StrategySeries,
    /// Finished strategies, in scenario order, Holm applied over them.
    pub strategies: Vec<StrategySummary>,
    pub series: Vec<StrategySeries>,
    /// Final rows per replicate: the baseline first, then each strategy.
    pub finals: Vec<(String, Vec<Row>)>,
    /// Finished budget-sweep points.
    pub budgets: Vec<BudgetPoint>,
    /// `[uncertain]` only: per finished strategy, its draw-mean lifts
    /// (`draws.csv`), and the parameters' share of each lift's variance.
    pub draw_means: Vec<PerMetric<Vec<f64>>>,
    pub parameter_shares: Vec<PerMetric<Option<f64>>>,
    /// `[uncertain]` only: per finished strategy, its lifts per replicate
    /// (sensitivity indices need their spread within a draw).
    pub lifts: Vec<PerMetric<Vec<f64>>>,
}

/// Which part of a run just finished ([`execute`]'s `save` callback).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The no-campaign baseline.
    Baseline,
    /// The strategy with this index among the strategies.
    Strategy(usize),
    /// The budget-sweep point with this index among the points.
    BudgetPoint(usize),
}

/// How a run shows progress (called from worker threads: `Sync`).
pub trait Progress: Sync {
    /// A part starts: `label` names it (`"(no campaign)"`, a strategy, or
    /// `"<strategy> @ <budget>"`); `replicates` ticks follow.
    fn start(&self, _label: &str, _replicates: u32) {}
    /// One replicate of the current part finished.
    fn tick(&self) {}
    /// The current part finished.
    fn finish(&self, _stage: Stage, _label: &str) {}
}

/// No progress shown.
pub struct Quiet;

impl Progress for Quiet {}

/// A whole run over prepared `cells` ([`plan`]): the baseline, each
/// strategy in scenario order (the first is the reference of the paired
/// differences), then each budget point. After each part `save` gets the
/// results so far, so a caller can write them as soon as they exist; an
/// error from `save` stops the run and is returned.
///
/// Cost: (cells + 1) × replicates simulations plus the aggregation of each
/// cell's stored rows; memory: one cell's trajectories at a time, plus the
/// baseline's reach per step.
pub fn execute<E>(
    world: &World<'_>,
    cells: &[Cell],
    progress: &dyn Progress,
    save: &mut dyn FnMut(Stage, &Execution) -> Result<(), E>,
) -> Result<Execution, E> {
    execute_from(&Simulate, world, cells, progress, save)
}

/// [`execute`] with the replicates taken from `source` (e.g. [`Shards`]:
/// a merged run gives exactly the results of the run it was split from).
pub fn execute_from<E>(
    source: &dyn Replicates,
    world: &World<'_>,
    cells: &[Cell],
    progress: &dyn Progress,
    save: &mut dyn FnMut(Stage, &Execution) -> Result<(), E>,
) -> Result<Execution, E> {
    let tick = || progress.tick();
    progress.start(BASELINE, world.cfg.replicates);
    let base = source.baseline(world, cells, &tick);
    let mut baseline = baseline_summary(&base);
    if let Some(per) = world.per_draw() {
        crate::uncertainty::cluster_finals(&mut baseline.final_, &base.finals, per);
    }
    let mut ex = Execution {
        baseline,
        baseline_series: strategy_series(BASELINE, &base.series),
        strategies: Vec::new(),
        series: Vec::new(),
        finals: vec![(BASELINE.to_string(), base.finals.clone())],
        budgets: Vec::new(),
        draw_means: Vec::new(),
        parameter_shares: Vec::new(),
        lifts: Vec::new(),
    };
    progress.finish(Stage::Baseline, BASELINE);
    save(Stage::Baseline, &ex)?;
    let mut reference: Option<(String, Vec<Row>)> = None;
    for (ci, cell) in cells.iter().enumerate().filter(|(_, c)| c.sweep_budget.is_none()) {
        progress.start(&cell.spec.name, world.cfg.replicates);
        let run = source.cell(world, ci, cell, &base, &tick);
        let refr = reference.as_ref().map(|(name, rows)| (name.as_str(), rows.as_slice()));
        let mut st = strategy_summary(world.graph, cell, ci, &run, &base, refr);
        if let Some(per) = world.per_draw() {
            let lifts = crate::uncertainty::per_replicate(cell, ci, &run, &base);
            crate::uncertainty::cluster(&mut st, &run, &lifts, refr.map(|(_, rows)| rows), per);
            ex.draw_means.push(PerMetric::from_fn(|m| crate::uncertainty::draw_means(lifts.get(m), per)));
            ex.parameter_shares.push(PerMetric::from_fn(|m| crate::uncertainty::parameter_share(lifts.get(m), per)));
            ex.lifts.push(lifts);
        }
        ex.series.push(strategy_series(&cell.spec.name, &run.series));
        ex.finals.push((cell.spec.name.clone(), run.finals.clone()));
        if reference.is_none() {
            reference = Some((cell.spec.name.clone(), run.finals));
        }
        ex.strategies.push(st);
        adjust_for_multiplicity(&mut ex.strategies);
        if world.per_draw().is_some() {
            crate::uncertainty::rank(&mut ex.strategies, &ex.draw_means, &ex.parameter_shares);
        }
        let stage = Stage::Strategy(ex.strategies.len() - 1);
        progress.finish(stage, &cell.spec.name);
        save(stage, &ex)?;
    }
    for (ci, cell) in cells.iter().enumerate().filter(|(_, c)| c.sweep_budget.is_some()) {
        let label = format!("{} @ {}", cell.spec.name, cell.sweep_budget.unwrap_or_default());
        progress.start(&label, world.cfg.replicates);
        let run = source.cell(world, ci, cell, &base, &tick);
        ex.budgets.push(budget_point(cell, ci, &run, &base));
        let stage = Stage::BudgetPoint(ex.budgets.len() - 1);
        progress.finish(stage, &label);
        save(stage, &ex)?;
    }
    Ok(ex)
}
