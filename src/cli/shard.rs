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
use super::run::{check_out_dir, prepare, run_plan, run_sweep, Group, Prepared, PreparedRef, SweepPlan};
use super::{invalid, summary, CliError};

/// The SHA-256 of a scenario's resolved text: what identifies a run.
fn scenario_digest(resolved: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(resolved.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// A run of `s.replicates` replicates splits into at most that many shards.
fn check_split(s: &womsim::scenario::Scenario, sh: Shard) -> Result<(), CliError> {
    if sh.n > s.replicates {
        return Err(invalid(anyhow::anyhow!(
            "--shard {}/{}: {} replicates cannot be split into {} shards",
            sh.k,
            sh.n,
            s.replicates,
            sh.n
        )));
    }
    Ok(())
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
    check_split(s, sh)?;
    if settings.chatty {
        eprintln!("{}: shard {}/{}", s.name, sh.k, sh.n);
    }
    write_partial(plan, (&prep.graph, &prep.population, &prep.cells), pool, sh)?;
    println!("shard {}/{} of {:?}: {}", sh.k, sh.n, s.name, dir.display());
    Ok(())
}

/// The manifest of a partial folder for `s` on a network of `nodes` nodes
/// (incomplete, and without data digests, until written).
fn manifest_for(
    s: &womsim::scenario::Scenario,
    resolved: &str,
    (cells, nodes): (usize, u64),
    sh: Shard,
) -> shard::ShardManifest {
    shard::ShardManifest {
        womsim_version: env!("CARGO_PKG_VERSION").to_string(),
        scenario_sha256: scenario_digest(resolved),
        scenario: s.name.clone(),
        seed: s.seed,
        replicates: s.replicates,
        steps: s.steps,
        shard: [sh.k, sh.n],
        cells,
        nodes,
        data_sha256: Default::default(),
        complete: false,
    }
}

/// Simulate shard `sh` of one scenario (or sweep point) on its prepared
/// world and write its partial folder at `plan.out_dir`.
fn write_partial(
    plan: &RunPlan,
    (graph, population, cells): PreparedRef<'_>,
    pool: &rayon::ThreadPool,
    sh: Shard,
) -> Result<(), CliError> {
    let s = &plan.scenario;
    let dir = &plan.out_dir;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let resolved = s.to_resolved_toml();
    let mut manifest = manifest_for(s, &resolved, (cells.len(), graph.len() as u64), sh);
    shard::write_manifest(dir, &manifest)?;
    export::write_resolved(dir, &resolved)?;
    let cfg = RunConfig { steps: s.steps, replicates: s.replicates, seed: s.seed };
    let world = World { graph, population, model: &s.model, cfg, seeding_progress: None };
    let data = pool.install(|| pipeline::simulate_shard(&world, cells, sh.k, sh.n, &|| {}));
    manifest.data_sha256 = shard::write_data(dir, &data)?;
    manifest.complete = true;
    shard::write_manifest(dir, &manifest)?;
    Ok(())
}

/// Shard `sh` of a sweep: the folder gets the sweep's resolved text and a
/// top-level manifest (its `cells` = the number of points), and each point
/// its own partial folder under `points/<k>/`; the top-level manifest says
/// complete only after every point.
pub(super) fn run_sweep_shard(
    plan: &RunPlan,
    sw: &SweepPlan,
    first: Option<Group>,
    settings: &RunSettings,
    pool: &rayon::ThreadPool,
    sh: Shard,
) -> Result<(), CliError> {
    let s = &plan.scenario;
    let dir = &plan.out_dir;
    check_split(s, sh)?;
    let resolved = format!("{}{}", s.to_resolved_toml(), sw.sweep.to_toml());
    // (Each point's own manifest has its network's nodes and data digests.)
    let mut manifest = manifest_for(s, &resolved, (sw.sweep.points.len(), 0), sh);
    shard::write_manifest(dir, &manifest)?;
    export::atomic_write(&dir.join(export::SWEEP_RESOLVED), resolved.as_bytes())?;
    sw.each_point(plan, first, settings, pool, &mut |i, p, world| {
        if settings.chatty {
            eprintln!("{}: shard {}/{}", sw.label(plan, i), sh.k, sh.n);
        }
        write_partial(p, world, pool, sh)
    })?;
    manifest.complete = true;
    shard::write_manifest(dir, &manifest)?;
    println!("shard {}/{} of the sweep {:?} ({} points): {}", sh.k, sh.n, s.name, sw.sweep.points.len(), dir.display());
    Ok(())
}

/// The top-level manifest of a sweep shard's folder, checked complete.
fn read_sweep_manifest(d: &std::path::Path) -> Result<shard::ShardManifest, CliError> {
    let text = export::read_text(&d.join(shard::SHARD_MANIFEST))
        .map_err(|e| invalid(anyhow::anyhow!("{} is not a shard's folder: {e:#}", d.display())))?;
    let m: shard::ShardManifest = serde_json::from_str(&text)
        .map_err(|e| invalid(anyhow::anyhow!("{} holds no valid shard manifest: {e}", d.display())))?;
    if !m.complete {
        return Err(invalid(anyhow::anyhow!(
            "{}: shard {}/{} was interrupted (its manifest says incomplete); run it again",
            d.display(),
            m.shard[0],
            m.shard[1]
        )));
    }
    Ok(m)
}

/// `merge` of a sharded sweep: every shard's points reassembled point by
/// point into the sweep's results, through the sweep's own code.
fn merge_sweep(args: &MergeArgs) -> Result<(), CliError> {
    let manifests: Vec<shard::ShardManifest> =
        args.shards.iter().map(|d| read_sweep_manifest(d)).collect::<Result<_, _>>()?;
    let first = &manifests[0];
    for (m, d) in manifests.iter().zip(&args.shards) {
        if m.scenario_sha256 != first.scenario_sha256 || m.seed != first.seed || m.shard[1] != first.shard[1] {
            return Err(invalid(anyhow::anyhow!(
                "{} is a shard of another run than {}",
                d.display(),
                args.shards[0].display()
            )));
        }
        if m.womsim_version != env!("CARGO_PKG_VERSION") {
            return Err(invalid(anyhow::anyhow!("{} was written by womsim {}", d.display(), m.womsim_version)));
        }
    }
    let n = first.shard[1];
    let mut seen = vec![false; n as usize];
    for m in &manifests {
        let k = m.shard[0];
        if k == 0 || k > n || std::mem::replace(&mut seen[(k - 1) as usize], true) {
            return Err(invalid(anyhow::anyhow!("cannot merge: shard {k}/{n} is given twice (or is out of range)")));
        }
    }
    if let Some(k) = seen.iter().position(|&x| !x) {
        return Err(invalid(anyhow::anyhow!("cannot merge: shard {}/{n} is missing", k + 1)));
    }
    let (s, _) = scenario::load_with_sweep(&args.shards[0].join(export::SWEEP_RESOLVED))
        .map_err(|e| invalid(anyhow::anyhow!("the shards' sweep does not parse: {e}")))?;
    let settings = merge_settings(args, s);
    let plan = &settings.plans[0];
    let sw =
        SweepPlan::of(plan).map_err(invalid)?.ok_or_else(|| invalid(anyhow::anyhow!("the shards hold no sweep")))?;
    let _lock = DirLock::acquire(&plan.out_dir).map_err(invalid)?;
    check_out_dir(&plan.out_dir, settings.force).map_err(invalid)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(settings.threads)
        .build()
        .context("cannot start the worker threads")?;
    let first_group = sw.prepare_group(0, plan, &settings, &pool)?;
    // Point i's replicates: its partial folder in every shard, reassembled.
    let replicates = plan.scenario.replicates;
    let source_of = |i: usize| -> Result<Box<dyn pipeline::Replicates>, CliError> {
        let mut parts = Vec::with_capacity(args.shards.len());
        let mut cells = 0;
        for d in &args.shards {
            let p = shard::read(&d.join(export::POINTS_DIR).join((i + 1).to_string())).map_err(invalid)?;
            cells = p.manifest.cells;
            parts.push(p.data);
        }
        let shards = Shards::assemble(parts, replicates, cells)
            .map_err(|e| invalid(anyhow::anyhow!("cannot merge point {}: {e}", i + 1)))?;
        Ok(Box::new(shards))
    };
    // The sweep prints its own tables; its first point's summary is not needed here.
    run_sweep(plan, &sw, Some(first_group), &settings, &pool, &source_of)?;
    println!("results: {}", plan.out_dir.display());
    Ok(())
}

/// Settings of a merge writing `s`'s results to `--out`.
fn merge_settings(args: &MergeArgs, s: womsim::scenario::Scenario) -> RunSettings {
    let threads =
        args.threads.map_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()), |t| t as usize);
    RunSettings {
        plans: vec![RunPlan { scenario: s, out_dir: args.out.clone() }],
        threads,
        force: args.force,
        chatty: !args.quiet,
        progress_bars: !args.quiet && std::io::stderr().is_terminal(),
    }
}

/// `womsim merge SHARD_DIR... --out DIR`.
pub fn merge(args: &MergeArgs) -> Result<(), CliError> {
    // A sharded sweep: a sweep's resolved text beside the top-level manifest.
    if args.shards[0].join(export::SWEEP_RESOLVED).is_file() {
        return merge_sweep(args);
    }
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
    // The manifest's numbers bound what was read back: they must be the
    // scenario's (whose text the digest vouches for).
    if (replicates, first.manifest.steps) != (s.replicates, s.steps) {
        return Err(invalid(anyhow::anyhow!(
            "{}: {} says {replicates} replicates of {} steps, its scenario {} × {}",
            args.shards[0].display(),
            shard::SHARD_MANIFEST,
            first.manifest.steps,
            s.replicates,
            s.steps
        )));
    }
    let nodes = first.manifest.nodes;
    let shards = Shards::assemble(parts.into_iter().map(|p| p.data).collect(), replicates, cells)
        .map_err(|e| invalid(anyhow::anyhow!("cannot merge: {e}")))?;

    let settings = merge_settings(args, s);
    let plan = &settings.plans[0];
    let _lock = DirLock::acquire(&plan.out_dir).map_err(invalid)?;
    check_out_dir(&plan.out_dir, settings.force).map_err(invalid)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(settings.threads)
        .build()
        .context("cannot start the worker threads")?;
    let prep = prepare(plan, &settings, &pool, &plan.scenario.name)?;
    if prep.graph.len() as u64 != nodes {
        return Err(invalid(anyhow::anyhow!(
            "the shards' {} says the network has {nodes} nodes; the scenario's network has {}",
            shard::SHARD_MANIFEST,
            prep.graph.len()
        )));
    }
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
