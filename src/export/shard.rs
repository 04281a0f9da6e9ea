//! A shard's partial results folder (`womsim run --shard K/N`): what a merge
//! needs to rebuild exactly the results of the unsharded run.
//!
//! Files: `shard.json` ([`ShardManifest`]: which run, which shard, complete
//! or not), `scenario.resolved.toml` (the run's scenario, which the merge
//! re-plans), `trajectories.csv` (`part,replicate,step,<metric>…`: every
//! stored row of every replicate of the shard, `part` = `baseline` or the
//! cell's index; floats in shortest round-trip form, so they read back
//! bit for bit) and `seeds_acted.csv` (`cell,replicate,count`: how many of
//! a cell's seeds acted in the baseline). The folder is written like a
//! results folder: each file atomically, the manifest last says complete.

use std::path::Path;

use anyhow::{bail, Context};
use serde::{Deserialize, Serialize};

use super::{atomic_write, csv_bytes, num, open_csv, parse_f64, read_text, RESOLVED};
use crate::metrics::{Metric, Row, Trajectory, NUM_METRICS};
use crate::pipeline::ShardData;

/// `shard.json`
pub const SHARD_MANIFEST: &str = "shard.json";
/// `trajectories.csv`
pub const TRAJECTORIES: &str = "trajectories.csv";
/// `seeds_acted.csv`
pub const SEEDS_ACTED: &str = "seeds_acted.csv";

/// `shard.json`: which run a partial folder belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShardManifest {
    pub womsim_version: String,
    /// SHA-256 of `scenario.resolved.toml` (what ran, overrides included).
    pub scenario_sha256: String,
    pub scenario: String,
    pub seed: u64,
    pub replicates: u32,
    pub steps: u32,
    /// `[k, n]`: shard k (1-based) of n.
    pub shard: [u32; 2],
    /// Cells of the run (strategies and budget points).
    pub cells: usize,
    /// False until every file is written.
    pub complete: bool,
}

/// Write the manifest (atomically).
pub fn write_manifest(dir: &Path, m: &ShardManifest) -> anyhow::Result<()> {
    atomic_write(&dir.join(SHARD_MANIFEST), &serde_json::to_vec_pretty(m)?)
}

/// Write a shard's data files (the manifest is written by the caller, last).
pub fn write_data(dir: &Path, data: &ShardData) -> anyhow::Result<()> {
    let mut header = vec!["part".to_string(), "replicate".to_string(), "step".to_string()];
    header.extend(Metric::ALL.iter().map(|m| m.name().to_string()));
    let parts = std::iter::once(("baseline".to_string(), &data.baseline))
        .chain(data.cells.iter().enumerate().map(|(c, t)| (c.to_string(), t)));
    let rows = parts.flat_map(|(part, trajs)| {
        trajs.iter().zip(&data.replicates).flat_map(move |(t, r)| {
            let part = part.clone();
            t.stored().iter().enumerate().map(move |(step, row)| {
                let mut v = vec![part.clone(), r.to_string(), step.to_string()];
                v.extend(row.iter().map(|&x| num(x)));
                v
            })
        })
    });
    atomic_write(&dir.join(TRAJECTORIES), &csv_bytes(&header, rows)?)?;
    let header = ["cell", "replicate", "count"].map(String::from);
    let rows = data.seeds_acted.iter().enumerate().flat_map(|(c, counts)| {
        counts.iter().zip(&data.replicates).map(move |(k, r)| vec![c.to_string(), r.to_string(), k.to_string()])
    });
    atomic_write(&dir.join(SEEDS_ACTED), &csv_bytes(&header, rows)?)
}

/// A partial folder read back: its manifest, the run's scenario text and
/// its data.
pub struct Partial {
    pub manifest: ShardManifest,
    pub resolved_toml: String,
    pub data: ShardData,
}

/// Read a partial folder, checking it is one and is complete.
pub fn read(dir: &Path) -> anyhow::Result<Partial> {
    let mp = dir.join(SHARD_MANIFEST);
    if !mp.is_file() {
        bail!("{} is not a shard's folder (no {SHARD_MANIFEST})", dir.display());
    }
    let manifest: ShardManifest = serde_json::from_str(&read_text(&mp)?)
        .with_context(|| format!("{} is not a valid shard manifest", mp.display()))?;
    if !manifest.complete {
        bail!(
            "{}: shard {}/{} was interrupted (its manifest says incomplete); run it again",
            dir.display(),
            manifest.shard[0],
            manifest.shard[1]
        );
    }
    let resolved_toml = read_text(&dir.join(RESOLVED))?;
    let [k, n] = manifest.shard;
    let reps = crate::pipeline::shard_replicates(manifest.replicates, k, n);
    let index = |r: u32| reps.binary_search(&r).ok();
    let cells = manifest.cells;
    let mut rows: Vec<Vec<Vec<Row>>> = vec![vec![Vec::new(); reps.len()]; cells + 1];
    let tp = dir.join(TRAJECTORIES);
    let mut rdr = open_csv(&tp)?;
    for (i, rec) in rdr.records().enumerate() {
        let line = i as u64 + 2;
        let rec = rec.with_context(|| format!("{}: line {line}", tp.display()))?;
        if rec.len() != 3 + NUM_METRICS {
            bail!("{}: line {line}: expected {} columns", tp.display(), 3 + NUM_METRICS);
        }
        let part = match &rec[0] {
            "baseline" => 0,
            c => match c.parse::<usize>() {
                Ok(c) if c < cells => c + 1,
                _ => bail!("{}: line {line}: unknown part {c:?}", tp.display()),
            },
        };
        let r: u32 = rec[1].parse().with_context(|| format!("{}: line {line}: bad replicate", tp.display()))?;
        let Some(slot) = index(r) else { bail!("{}: line {line}: replicate {r} is not in this shard", tp.display()) };
        let step: usize = rec[2].parse().with_context(|| format!("{}: line {line}: bad step", tp.display()))?;
        let stored = &mut rows[part][slot];
        if step != stored.len() || step > manifest.steps as usize {
            bail!("{}: line {line}: expected step {} of replicate {r}", tp.display(), stored.len());
        }
        let mut row = [0.0; NUM_METRICS];
        for (m, x) in row.iter_mut().enumerate() {
            *x = parse_f64(&tp, line, Metric::ALL[m].name(), &rec[3 + m])?;
        }
        stored.push(row);
    }
    let mut trajs: Vec<Vec<Trajectory>> = Vec::with_capacity(cells + 1);
    for (part, per_rep) in rows.into_iter().enumerate() {
        let mut v = Vec::with_capacity(per_rep.len());
        for (slot, stored) in per_rep.into_iter().enumerate() {
            if stored.is_empty() {
                bail!("{}: part {part} has no rows for replicate {}", tp.display(), reps[slot]);
            }
            v.push(Trajectory::from_rows(manifest.steps, stored));
        }
        trajs.push(v);
    }
    let sp = dir.join(SEEDS_ACTED);
    let mut seeds_acted = vec![vec![0u32; reps.len()]; cells];
    let mut rdr = open_csv(&sp)?;
    for (i, rec) in rdr.records().enumerate() {
        let line = i as u64 + 2;
        let rec = rec.with_context(|| format!("{}: line {line}", sp.display()))?;
        let parsed = (rec.get(0).and_then(|c| c.parse::<usize>().ok()), rec.get(1).and_then(|r| r.parse::<u32>().ok()));
        let (Some(c), Some(r)) = parsed else { bail!("{}: line {line}: expected cell,replicate,count", sp.display()) };
        let (Some(slot), true) = (index(r), c < cells) else {
            bail!("{}: line {line}: cell {c} / replicate {r} is not in this shard", sp.display())
        };
        seeds_acted[c][slot] = rec
            .get(2)
            .and_then(|k| k.parse().ok())
            .with_context(|| format!("{}: line {line}: bad count", sp.display()))?;
    }
    let mut trajs = trajs.into_iter();
    let baseline = trajs.next().expect("the baseline part");
    let data = ShardData { k, n, replicates: reps, baseline, seeds_acted, cells: trajs.collect() };
    Ok(Partial { manifest, resolved_toml, data })
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    #[test]
    fn a_shard_round_trips_bit_for_bit() {
        let traj = |k: f64, len: usize| {
            let rows: Vec<Row> = (0..len).map(|t| std::array::from_fn(|m| k / 3.0 + (t * m) as f64 * 0.1)).collect();
            Trajectory::from_rows(5, rows)
        };
        let data = ShardData {
            k: 2,
            n: 3,
            replicates: vec![1, 4],
            baseline: vec![traj(1.0, 2), traj(2.0, 6)],
            seeds_acted: vec![vec![0, 3]],
            cells: vec![vec![traj(7.0, 3), traj(8.0, 1)]],
        };
        let d = tempfile::tempdir().unwrap();
        write_data(d.path(), &data).unwrap();
        fs::write(d.path().join(RESOLVED), "name = \"x\"\n").unwrap();
        let mut m = ShardManifest {
            womsim_version: "0".into(),
            scenario_sha256: "ab".into(),
            scenario: "x".into(),
            seed: 1,
            replicates: 6,
            steps: 5,
            shard: [2, 3],
            cells: 1,
            complete: false,
        };
        write_manifest(d.path(), &m).unwrap();
        assert!(read(d.path()).err().unwrap().to_string().contains("interrupted"));
        m.complete = true;
        write_manifest(d.path(), &m).unwrap();
        let back = read(d.path()).unwrap();
        assert_eq!(back.data, data);
        assert_eq!(back.manifest, m);
    }
}
