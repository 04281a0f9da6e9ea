//! Network Bass written to be read: the reference the fast engine
//! (`bass::simulate`) is tested against, trajectory for trajectory
//! (`tests/equivalence.rs`). Every non-adopter is visited every step and its
//! adopted sources are counted afresh.

use super::BassParams;
use crate::metrics::Trajectory;
use crate::models::kernel::Tally;
use crate::models::ReplicateInput;
use crate::rng::{geometric_gap, node_stream, tag, uniform};

/// Run one replicate of Bass (rules in the `bass` module docs), writing
/// every row of `out` exactly as `bass::simulate` does.
pub fn simulate(p: &BassParams, input: &ReplicateInput<'_>, out: &mut Trajectory) {
    let (g, key, n) = (input.graph, input.dynamics_key, input.graph.len());
    let mut adopted = vec![false; n];
    for &u in input.seeds {
        adopted[u as usize] = true;
    }
    // A_v: how many of v's sources have adopted.
    let count_adopted_sources = |adopted: &[bool]| -> Vec<u32> {
        (0..n).map(|v| g.sources(v as u32).iter().filter(|&&s| adopted[s as usize]).count() as u32).collect()
    };
    let mut a = count_adopted_sources(&adopted);
    let seeded = adopted.iter().filter(|&&x| x).count() as u64;
    let mut tally = Tally { ambassadors: seeded, talkers: seeded, ..Tally::default() };
    tally.reach(seeded, false);
    tally.write(out, 0);
    let (pdt, qdt) = ((p.p * p.dt).max(0.0), (p.q * p.dt).max(0.0));
    let stop = |adopters: u64, exposed: bool| adopters == n as u64 || (pdt == 0.0 && (qdt == 0.0 || !exposed));
    if stop(seeded, (0..n).any(|v| !adopted[v] && a[v] > 0)) {
        out.quiesce(0);
        return;
    }
    for t in 1..=out.steps() {
        tally.begin_step();
        let (adopted_before, a_before) = (adopted.clone(), a.clone());
        let mut new = Vec::new();
        // Exposed non-adopters: one coin for innovation and imitation.
        for v in (0..n).filter(|&v| !adopted[v] && a[v] > 0) {
            let k = f64::from(g.in_degree(v as u32));
            let prob = -(-(pdt + qdt * f64::from(a[v]) / k)).exp_m1();
            if uniform(&mut node_stream(key, tag::ACT, v as u32, t)) < prob {
                new.push(v);
            }
        }
        // Unexposed non-adopters innovate: skip sampling over all ids.
        if pdt > 0.0 {
            let mut r = node_stream(key, tag::ACT, u32::MAX, t);
            let mut i = geometric_gap(&mut r, -pdt);
            while i < n as u64 {
                let v = i as usize;
                if !adopted[v] && a[v] == 0 {
                    new.push(v);
                }
                i = i.saturating_add(1).saturating_add(geometric_gap(&mut r, -pdt));
            }
        }
        for &v in &new {
            adopted[v] = true;
        }
        a = count_adopted_sources(&adopted);
        tally.reach(new.len() as u64, false);
        tally.talkers = adopted.iter().filter(|&&x| x).count() as u64;
        tally.write(out, t);
        // Exposed, read as the fast path's lazily pruned list does (module
        // docs): non-adopters of the start of the step exposed at its start,
        // or newly exposed and still non-adopters at its end.
        let exposed = (0..n).any(|v| !adopted_before[v] && (a_before[v] > 0 || (a[v] > 0 && !adopted[v])));
        if stop(tally.talkers, exposed) {
            out.quiesce(t);
            return;
        }
    }
}
