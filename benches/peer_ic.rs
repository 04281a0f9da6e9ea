//! womsim's side of the peer comparison (`benches/peers/`): independent
//! cascade from a fixed seed list on an edge-list graph, timed like the peer
//! script times CyNetDiff (R simulations as one block, block repeated, median
//! and best reported; per-simulation reset included, loading excluded).
//!
//! Run: `cargo bench --bench peer_ic -- --graph G --seeds S --p 0.05 --reps 1000`
//! Prints one JSON object per `p` on stdout.
//!
//! `--model` picks what is timed per simulation (same graph, seeds, keys):
//! * `ic` (default): `ic::final_reach`, run to quiescence (the peers' job);
//! * `ic-traj`: `ic::simulate` writing a `--steps`-row trajectory (what a
//!   scenario run does);
//! * `rc-ic`: the relationship-chain model configured to reduce to IC at `p`
//!   (share = p, talk 1, act 1, neutral roles, no defence/trickle, openness
//!   0, quality 1), all-community population, `--steps` rows: the chain
//!   model's overhead on the *same cascade law* as IC;
//! * `rc`: the relationship-chain model with its default parameters
//!   (`--p` is ignored except as a label), all-community population.

use std::path::PathBuf;
use std::time::Instant;

use rayon::prelude::*;
use womsim::graph::{edgelist, formats};
use womsim::metrics::{Metric, Trajectory};
use womsim::models::ic::{self, EdgeProb, IcParams};
use womsim::models::rc::{self, RcParams, RoleTable, Trickle, Valenced};
use womsim::models::ReplicateInput;
use womsim::population::Population;
use womsim::runner::dynamics_key;

/// Per-worker scratch of whichever model is timed.
struct Work {
    ic: ic::Scratch,
    rc: Option<rc::Scratch>,
    traj: Trajectory,
}

/// The chain model's parameters under which it is IC at `p` (see the rc
/// module docs, "Reduction to IC-N", with quality 1).
fn rc_as_ic(p: f64) -> RcParams {
    RcParams {
        share: Valenced { good: p, bad: p },
        talk: Valenced { good: 1, bad: 1 },
        act: 1.0,
        quality: 1.0,
        negativity_bias: 2.0,
        ask: 1.0,
        defense: 0.0,
        trickle: Trickle { conversion: 0.0, recruit_rate: 0.0, recruit_cap: 0 },
        roles: RoleTable::neutral(),
        openness: 0.0,
        dilution: Default::default(),
    }
}

struct Args {
    graph: PathBuf,
    seeds: PathBuf,
    ps: Vec<f64>,
    reps: u32,
    repeats: u32,
    seed: u64,
    threads: usize,
    directed: bool,
    load_only: bool,
    model: String,
    steps: u32,
}

fn parse_args() -> Args {
    let mut a = Args {
        graph: PathBuf::new(),
        seeds: PathBuf::new(),
        ps: vec![],
        reps: 1000,
        repeats: 5,
        seed: 12345,
        threads: 1,
        directed: false,
        load_only: false,
        model: "ic".into(),
        steps: 200,
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let mut v = || it.next().unwrap_or_else(|| panic!("{k} needs a value"));
        match k.as_str() {
            "--graph" => a.graph = v().into(),
            "--seeds" => a.seeds = v().into(),
            "--p" => a.ps.push(v().parse().expect("--p takes a probability")),
            "--reps" => a.reps = v().parse().expect("--reps takes a count"),
            "--repeats" => a.repeats = v().parse().expect("--repeats takes a count"),
            "--seed" => a.seed = v().parse().expect("--seed takes an integer"),
            "--threads" => a.threads = v().parse().expect("--threads takes a count"),
            "--directed" => a.directed = true,
            "--load-only" => a.load_only = true,
            "--model" => a.model = v(),
            "--steps" => a.steps = v().parse().expect("--steps takes a count"),
            "--bench" => {}
            other => panic!("unknown argument {other}"),
        }
    }
    assert!(a.load_only || !a.ps.is_empty(), "give at least one --p");
    a
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
    let a = parse_args();
    let t0 = Instant::now();
    // Other formats (GraphML, GEXF, …: by extension) through the format
    // readers, to time them against the edge list (issue 24).
    let g = match formats::Format::from_path(&a.graph) {
        formats::Format::EdgeList => edgelist::load(&a.graph, a.directed).expect("load graph"),
        _ => {
            formats::load(&a.graph, &formats::FileOptions::new(edgelist::Options::new(a.directed)))
                .expect("load graph")
                .0
        }
    };
    let load_s = t0.elapsed().as_secs_f64();
    if a.load_only {
        println!(
            "{{\"peer\":\"womsim\",\"load_s\":{load_s},\"nodes\":{},\"arcs\":{},\"max_rss_kib\":{}}}",
            g.n(),
            g.num_arcs(),
            rss_kib()
        );
        return;
    }
    // Seeds are original ids; a seed absent from the edge list is an isolated
    // node: it is active (counts 1) and spreads nowhere.
    let text = std::fs::read_to_string(&a.seeds).expect("read seeds");
    let mut isolated = 0u32;
    let mut seeds = Vec::new();
    // `find_label` is O(1) for dense ids and O(n) otherwise: fine for 50
    // seeds, and it keeps a label index out of the peak-RSS measurement.
    for tok in text.split_whitespace() {
        match g.find_label(tok) {
            Some(u) => seeds.push(u),
            None => isolated += 1,
        }
    }
    let pool = rayon::ThreadPoolBuilder::new().num_threads(a.threads).build().expect("thread pool");
    let pop = Population::community(g.len());
    let model = a.model.as_str();
    assert!(matches!(model, "ic" | "ic-traj" | "rc-ic" | "rc"), "--model is one of ic, ic-traj, rc-ic, rc");
    for &p in &a.ps {
        let params = IcParams { prob: EdgeProb::Uniform(p) };
        let rcp = if model == "rc" { RcParams::default() } else { rc_as_ic(p) };
        let one = |w: &mut Work, r: u32| -> u32 {
            let key = dynamics_key(a.seed, r);
            let input = ReplicateInput { graph: &g, population: &pop, seeds: &seeds, dynamics_key: key };
            match model {
                "ic" => ic::final_reach(&params, &g, &seeds, key, &mut w.ic),
                "ic-traj" => {
                    ic::simulate(&params, &input, &mut w.ic, &mut w.traj);
                    w.traj.last()[Metric::Reached.idx()] as u32
                }
                _ => {
                    let s = w.rc.get_or_insert_with(|| rc::Scratch::new(g.len()));
                    rc::simulate(&rcp, &input, s, &mut w.traj);
                    w.traj.last()[Metric::Reached.idx()] as u32
                }
            }
        };
        let run_block = || -> Vec<u32> {
            pool.install(|| {
                (0..a.reps)
                    .into_par_iter()
                    .map_init(
                        || Work { ic: ic::Scratch::new(g.len()), rc: None, traj: Trajectory::new(a.steps) },
                        |w, r| one(w, r) + isolated,
                    )
                    .collect()
            })
        };
        let _ = run_block(); // warm-up: page in the graph, size the scratch
        let mut blocks = Vec::new();
        let mut spreads = Vec::new();
        for _ in 0..a.repeats {
            let t = Instant::now();
            spreads = run_block();
            blocks.push(t.elapsed().as_secs_f64());
        }
        let n = spreads.len() as f64;
        let mean = spreads.iter().map(|&x| f64::from(x)).sum::<f64>() / n;
        let var = spreads.iter().map(|&x| (f64::from(x) - mean).powi(2)).sum::<f64>() / (n - 1.0);
        // Canonical IC work E = Σ over activated nodes of degree (as the peer script counts it) is not
        // tracked per run here; spreads and times are what the comparison needs.
        let mut sorted = blocks.clone();
        sorted.sort_by(f64::total_cmp);
        let median = sorted[sorted.len() / 2];
        println!(
            "{{\"peer\":\"womsim\",\"model\":\"{model}\",\"p\":{p},\"R\":{},\"threads\":{},\"spread_mean\":{mean},\"spread_sd\":{},\"spread_stderr\":{},\"s_per_sim\":{},\"s_per_sim_best\":{},\"timed_blocks_s\":{:?},\"load_s\":{load_s},\"nodes\":{},\"arcs\":{},\"graph_bytes\":{},\"max_rss_kib\":{}}}",
            a.reps,
            a.threads,
            var.sqrt(),
            var.sqrt() / n.sqrt(),
            median / f64::from(a.reps),
            sorted[0] / f64::from(a.reps),
            blocks,
            g.n(),
            g.num_arcs(),
            g.memory_bytes(),
            rss_kib()
        );
    }
}
