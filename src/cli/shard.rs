//! `womsim run --shard K/N` and `womsim merge`: a run split over machines and
//! put back together exactly.
//!
//! A shard simulates the no-campaign baseline and every cell for its
//! replicates only (replicate r belongs to shard `r mod N + 1`; each
//! replicate has its own streams, so it is the same simulation wherever it
//! runs) and writes a partial folder ([`womsim::export::shard`]). `merge`
//! checks that it has every shard of one run, rebuilds the run's network and
//! seeds from the scenario (deterministic), puts the replicates back in
//! order and writes the results folder through the same code as `run`, so
//! every results file is byte for byte what the unsharded run writes.

use std::io::IsTerminal;

use anyhow::Context;
use womsim::export::{self, shard};
use womsim::pipeline::{self, Shards, World};
use womsim::runner::RunConfig;
use womsim::scenario;

use super::args::{MergeArgs, Shard};
use super::config::{RunPlan, RunSettings};
use super::lock::DirLock;
use super::run::{check_out_dir, prepare, run_plan, Prepared};
use super::{invalid, summary, CliError};

/// The SHA-256 of a scenario's resolved text: what identifies a run.
fn scenario_digest(resolved: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(resolved.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// Run shard `sh` of a prepared scenario into its partial folder (locked and
/// checked by the caller).
pub(super) fn run_shard(
    plan: &RunPlan,
    prep: &Prepared,
    settings: &RunSettings,
    pool: &rayon::ThreadPool,
    sh: Shard,
) -> Result<(), CliError> {
    let s = &plan.scenario;
    let dir = &plan.out_dir;
    if sh.n > s.replicates {
        return Err(invalid(anyhow::anyhow!(
            "--shard {}/{}: {} replicates cannot be split into {} shards",
            sh.k,
            sh.n,
            s.replicates,
            sh.n
        )));
    }
    let resolved = s.to_resolved_toml();
    let mut manifest = shard::ShardManifest {
        womsim_version: env!("CARGO_PKG_VERSION").to_string(),
        scenario_sha256: scenario_digest(&resolved),
        scenario: s.name.clone(),
        seed: s.seed,
        replicates: s.replicates,
        steps: s.steps,
        shard: [sh.k, sh.n],
        cells: prep.cells.len(),
        complete: false,
    };
    shard::write_manifest(dir, &manifest)?;
    export::write_resolved(dir, &resolved)?;
    let cfg = RunConfig { steps: s.steps, replicates: s.replicates, seed: s.seed };
    let world =
        World { graph: &prep.graph, population: &prep.population, model: &s.model, cfg, seeding_progress: None };
    if settings.chatty {
        eprintln!("{}: shard {}/{}", s.name, sh.k, sh.n);
    }
    let data = pool.install(|| pipeline::simulate_shard(&world, &prep.cells, sh.k, sh.n, &|| {}));
    shard::write_data(dir, &data)?;
    manifest.complete = true;
    shard::write_manifest(dir, &manifest)?;
    println!("shard {}/{} of {:?}: {}", sh.k, sh.n, s.name, dir.display());
    Ok(())
}

/// `womsim merge SHARD_DIR... --out DIR`.
pub fn merge(args: &MergeArgs) -> Result<(), CliError> {
    // Every folder is read and checked before anything is written.
    let mut parts = Vec::with_capacity(args.shards.len());
    for d in &args.shards {
        parts.push(shard::read(d).map_err(invalid)?);
    }
    let first = &parts[0];
    let version = env!("CARGO_PKG_VERSION");
    for (p, d) in parts.iter().zip(&args.shards) {
        let m = &p.manifest;
        let same = m.scenario_sha256 == first.manifest.scenario_sha256
            && m.seed == first.manifest.seed
            && m.shard[1] == first.manifest.shard[1];
        if !same {
            return Err(invalid(anyhow::anyhow!(
                "{} is a shard of another run (scenario {:?}, seed {}, {} shards) than {} (scenario {:?}, seed {}, {} shards)",
                d.display(),
                m.scenario,
                m.seed,
                m.shard[1],
                args.shards[0].display(),
                first.manifest.scenario,
                first.manifest.seed,
                first.manifest.shard[1]
            )));
        }
        if m.womsim_version != version {
            return Err(invalid(anyhow::anyhow!(
                "{} was written by womsim {}; this is {version}: run the shards and the merge with one version",
                d.display(),
                m.womsim_version
            )));
        }
    }
    let s = scenario::parse_str(&first.resolved_toml, None)
        .map_err(|e| invalid(anyhow::anyhow!("the shards' scenario does not parse: {e}")))?;
    let replicates = first.manifest.replicates;
    let cells = first.manifest.cells;
    let shards = Shards::assemble(parts.into_iter().map(|p| p.data).collect(), replicates, cells)
        .map_err(|e| invalid(anyhow::anyhow!("cannot merge: {e}")))?;

    let threads =
        args.threads.map_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()), |t| t as usize);
    let settings = RunSettings {
        plans: vec![RunPlan { scenario: s, out_dir: args.out.clone() }],
        threads,
        force: args.force,
        chatty: !args.quiet,
        progress_bars: !args.quiet && std::io::stderr().is_terminal(),
    };
    let plan = &settings.plans[0];
    let _lock = DirLock::acquire(&plan.out_dir).map_err(invalid)?;
    check_out_dir(&plan.out_dir, settings.force).map_err(invalid)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(settings.threads)
        .build()
        .context("cannot start the worker threads")?;
    let prep = prepare(plan, &settings, &pool, &plan.scenario.name)?;
    if prep.cells.len() != cells {
        return Err(invalid(anyhow::anyhow!(
            "the shards hold {cells} strategies and budget points; the scenario has {}",
            prep.cells.len()
        )));
    }
    let world = (&prep.graph, &prep.population, prep.cells.as_slice());
    let summary = run_plan(plan, world, &settings, &pool, &plan.scenario.name, &shards)?;
    print!("{}", summary::table(&summary));
    println!("results: {}", plan.out_dir.display());
    Ok(())
}
