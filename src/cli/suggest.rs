//! `womsim run --suggest K [--suggest-for NAME]`: whom to recruit next
//! ([`womsim::seeding::suggest`]), written to `suggestions.csv` and printed.

use std::fmt::Write as _;
use std::path::Path;

use womsim::export;
use womsim::pipeline::{self, World};
use womsim::runner::RunConfig;
use womsim::scenario::Scenario;
use womsim::seeding::suggest::{self, Suggestion};

use super::run::PreparedRef;
use super::{invalid, CliError};

/// Index (among the cells) of the strategy `--suggest` adds to: `name`, or
/// the first. Checked before anything is simulated or written: the name
/// must exist and its seeds must be one set (not redrawn per replicate).
pub fn target(s: &Scenario, cells: &[pipeline::Cell], name: Option<&str>) -> Result<usize, CliError> {
    let names: Vec<&str> = s.strategies.iter().map(|st| st.name.as_str()).collect();
    let i = match name {
        None => 0,
        Some(n) => names.iter().position(|x| *x == n).ok_or_else(|| {
            invalid(anyhow::anyhow!("--suggest-for {n:?}: no such strategy; the strategies are {names:?}"))
        })?,
    };
    let cell = cells
        .iter()
        .position(|c| c.strategy == i && c.sweep_budget.is_none())
        .ok_or_else(|| invalid(anyhow::anyhow!("--suggest: the scenario has no strategies")))?;
    if cells[cell].seeds.vary() {
        return Err(invalid(anyhow::anyhow!(
            "--suggest: strategy {:?} draws new seeds every replicate, so it has no one seed set to add to; \
             choose a strategy with fixed seeds (--suggest-for NAME) or set reseed = \"once\" on it",
            names[i]
        )));
    }
    Ok(cell)
}

/// Compute the suggestions, write `suggestions.csv` into `dir` and return
/// the table printed to stdout.
pub fn run(
    s: &Scenario,
    (graph, population, cells): PreparedRef<'_>,
    cell: usize,
    k: u32,
    dir: &Path,
    pool: &rayon::ThreadPool,
) -> anyhow::Result<String> {
    let cfg = RunConfig { steps: s.steps, replicates: s.total_replicates(), seed: s.seed };
    let world = World { graph, population, model: &s.model, cfg, seeding_progress: None, draws: &[] };
    let c = &cells[cell];
    let ctx = pipeline::seeding_context(&world, &c.spec, None);
    let list = pool.install(|| suggest::suggest(&ctx, &c.spec, &c.seeds.of(0).seeds, k as usize));
    write(dir, graph, &list)?;
    let (objective, replicates) = suggest::estimate_of(&c.spec);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "who to recruit next for {:?} (marginal {} over {replicates} replicates, ± 1.96 standard errors):",
        c.spec.name,
        objective.name()
    );
    let _ = writeln!(out, "{:>4}  {:<20} {:>16} {:>10}", "rank", "id", "marginal lift", "cost");
    for x in &list {
        let lift = format!("{:.3} ± {:.3}", x.marginal_lift, 1.96 * x.marginal_lift_se);
        let _ = writeln!(out, "{:>4}  {:<20} {:>16} {:>10}", x.rank, graph.label(x.node).to_string(), lift, x.cost);
    }
    if list.is_empty() {
        out.push_str("(nobody left in the strategy's pool)\n");
    }
    Ok(out)
}

/// `suggestions.csv`: `id,rank,marginal_lift,marginal_lift_se,cost`.
fn write(dir: &Path, graph: &womsim::graph::Graph, list: &[Suggestion]) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["id", "rank", "marginal_lift", "marginal_lift_se", "cost"])?;
    for x in list {
        w.write_record([
            graph.label(x.node).to_string(),
            x.rank.to_string(),
            format!("{}", x.marginal_lift),
            format!("{}", x.marginal_lift_se),
            format!("{}", x.cost),
        ])?;
    }
    let bytes = w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
    export::atomic_write(&dir.join(export::SUGGESTIONS), &bytes)
}
