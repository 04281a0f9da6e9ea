//! SIR written to be read: the reference the fast engine (`sir::simulate`)
//! is tested against, trajectory for trajectory (`tests/equivalence.rs`).
//! One state per node, scanned in ascending id every step.

use super::SirParams;
use crate::metrics::Trajectory;
use crate::models::kernel::Tally;
use crate::models::ReplicateInput;
use crate::rng::{geometric_gap, node_stream, tag, uniform};

#[derive(Clone, Copy, PartialEq)]
enum State {
    Susceptible,
    Infected,
    Recovered,
}

/// Run one replicate of SIR (rules in the `sir` module docs), writing every
/// row of `out` exactly as `sir::simulate` does.
pub fn simulate(p: &SirParams, input: &ReplicateInput<'_>, out: &mut Trajectory) {
    let (g, key) = (input.graph, input.dynamics_key);
    let mut state = vec![State::Susceptible; g.len()];
    for &u in input.seeds {
        state[u as usize] = State::Infected;
    }
    let seeded = state.iter().filter(|&&s| s == State::Infected).count() as u64;
    let mut tally = Tally::seeded(out, seeded, 0);
    if seeded == 0 {
        return;
    }
    // ln(1 - beta) for the skip sampling (0: no transmission at all).
    let ln_q = if p.beta >= 1.0 { f64::NEG_INFINITY } else { (-p.beta.max(0.0)).ln_1p() };
    for t in 1..=out.steps() {
        tally.begin_step();
        let infected: Vec<usize> = (0..g.len()).filter(|&u| state[u] == State::Infected).collect();
        // 1. Every infected node transmits to each listener with probability
        // beta; susceptible listeners hit are infected at the end of the step.
        let mut newly = Vec::new();
        let mut messages = 0;
        for &u in &infected {
            let listeners = g.listeners(u as u32);
            if ln_q == 0.0 || listeners.is_empty() {
                continue;
            }
            let mut r = node_stream(key, tag::SHARE, u as u32, t);
            let mut i = geometric_gap(&mut r, ln_q);
            while i < listeners.len() as u64 {
                let v = listeners[i as usize] as usize;
                messages += 1;
                if state[v] == State::Susceptible && !newly.contains(&v) {
                    newly.push(v);
                }
                i = i.saturating_add(1).saturating_add(geometric_gap(&mut r, ln_q));
            }
        }
        // 2. Those infected at the start of the step recover with
        // probability gamma.
        for &u in &infected {
            if uniform(&mut node_stream(key, tag::RECOVER, u as u32, t)) < p.gamma {
                state[u] = State::Recovered;
            }
        }
        for &v in &newly {
            state[v] = State::Infected;
        }
        tally.messages(messages, false);
        tally.reach(newly.len() as u64, false);
        tally.talkers = state.iter().filter(|&&s| s == State::Infected).count() as u64;
        tally.write(out, t);
        if tally.talkers == 0 {
            out.quiesce(t);
            return;
        }
    }
}
