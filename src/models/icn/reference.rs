//! IC-N written to be read: the reference the fast engine (`icn::simulate`)
//! is tested against, trajectory for trajectory (`tests/equivalence.rs`).
//! Plain state (one field per node), talker by talker, listener by listener.

use std::collections::BTreeMap;

use super::IcnParams;
use crate::metrics::Trajectory;
use crate::models::kernel::{PlainShare, Tally};
use crate::models::ReplicateInput;
use crate::rng::{node_stream, tag, uniform};

/// Run one replicate of IC-N (rules in the `icn` module docs), writing every
/// row of `out` exactly as `icn::simulate` does.
pub fn simulate(p: &IcnParams, input: &ReplicateInput<'_>, out: &mut Trajectory) {
    let (g, key) = (input.graph, input.dynamics_key);
    let share = PlainShare::new(p.p);
    // A node's own experience decides its valence unless a negative node
    // activated it.
    let positive_by_experience = |v: u32| uniform(&mut node_stream(key, tag::EXPERIENCE, v, 0)) < p.quality;
    let mut active = vec![false; g.len()];
    let mut negative = vec![false; g.len()];
    // Step 0: the seeds (a repeated id counts once), valence by experience.
    let mut frontier = Vec::new();
    for &u in input.seeds {
        if !active[u as usize] {
            active[u as usize] = true;
            negative[u as usize] = !positive_by_experience(u);
            frontier.push(u);
        }
    }
    let bad = frontier.iter().filter(|&&u| negative[u as usize]).count() as u64;
    let mut tally = Tally::seeded(out, frontier.len() as u64, bad);
    if frontier.is_empty() {
        return;
    }
    for t in 1..=out.steps() {
        tally.begin_step();
        // Listeners inactive at the start of the step that some talker
        // reached, and whether a negative one did.
        let mut newly: BTreeMap<u32, bool> = BTreeMap::new();
        for &u in &frontier {
            let listeners = g.listeners(u);
            let mut r = node_stream(key, tag::SHARE, u, t);
            let hits = share.successes(&mut r, listeners.len());
            tally.messages(hits.len() as u64, negative[u as usize]);
            for i in hits {
                let v = listeners[i];
                if !active[v as usize] {
                    *newly.entry(v).or_default() |= negative[u as usize];
                }
            }
        }
        frontier.clear();
        for (v, by_negative) in newly {
            active[v as usize] = true;
            negative[v as usize] = by_negative || !positive_by_experience(v);
            tally.reach(1, negative[v as usize]);
            frontier.push(v);
        }
        tally.talkers = frontier.len() as u64;
        tally.write(out, t);
        if frontier.is_empty() {
            out.quiesce(t);
            return;
        }
    }
}
