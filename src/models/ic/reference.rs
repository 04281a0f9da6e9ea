//! Independent cascade written to be read: the reference the fast engine
//! (`ic::simulate`, `ic::final_reach`) is tested against, trajectory for
//! trajectory (`tests/equivalence.rs`). Plain state (one `bool` per node),
//! the frontier talker by talker, each talker's row listener by listener.

use super::{EdgeProb, IcParams};
use crate::graph::Graph;
use crate::metrics::Trajectory;
use crate::models::kernel::{PlainShare, Tally};
use crate::models::ReplicateInput;
use crate::rng::{node_stream, tag, uniform};

/// Run one replicate of IC (rules in the `ic` module docs), writing every
/// row of `out` exactly as `ic::simulate` does.
pub fn simulate(p: &IcParams, input: &ReplicateInput<'_>, out: &mut Trajectory) {
    let g = input.graph;
    let mut active = vec![false; g.len()];
    // Step 0: the seeds (a repeated id counts once) are active.
    let mut frontier = Vec::new();
    for &u in input.seeds {
        if !active[u as usize] {
            active[u as usize] = true;
            frontier.push(u);
        }
    }
    let seeded = frontier.len() as u64;
    let mut tally = Tally::seeded(out, seeded, 0);
    if seeded == 0 {
        return;
    }
    for t in 1..=out.steps() {
        tally.begin_step();
        // Every node activated at step t - 1 tries each of its listeners once.
        let mut next = Vec::new();
        let mut messages = 0;
        for &u in &frontier {
            for v in successes(p.prob, g, input.dynamics_key, u, t) {
                messages += 1;
                if !active[v as usize] {
                    active[v as usize] = true;
                    next.push(v);
                }
            }
        }
        if tally.end_cascade_step(out, t, messages, next.len() as u64) {
            return;
        }
        frontier = next;
    }
}

/// The listeners `u` succeeds on during step `t`, from
/// `node_stream(key, SHARE, u, t)`: the SHARE protocol for a uniform `p`,
/// else one `uniform < p(u, v)` per listener in ascending order.
fn successes(prob: EdgeProb, g: &Graph, key: u64, u: u32, t: u32) -> Vec<u32> {
    let listeners = g.listeners(u);
    let mut r = node_stream(key, tag::SHARE, u, t);
    match prob {
        EdgeProb::Uniform(p) => {
            PlainShare::new(p).successes(&mut r, listeners.len()).iter().map(|&i| listeners[i]).collect()
        }
        EdgeProb::Weights | EdgeProb::InverseInDegree => {
            let weights = g.listener_weights(u);
            let mut out = Vec::new();
            for (i, &v) in listeners.iter().enumerate() {
                let p_uv = match prob {
                    EdgeProb::Weights => weights.map_or(1.0, |w| f64::from(w[i])),
                    _ => 1.0 / f64::from(g.in_degree(v)),
                };
                if uniform(&mut r) < p_uv {
                    out.push(v);
                }
            }
            out
        }
    }
}
