//! Linear threshold model (Granovetter 1978; Kempe, Kleinberg & Tardos 2003).
//!
//! # Semantics
//!
//! * Every node `v` has a threshold `θ_v ~ U[0, 1)`, drawn lazily as the
//!   first draw of `node_stream(key, tag::THRESHOLD, v, 0)` the first time an
//!   active source pushes weight onto `v` in the replicate (so untouched nodes
//!   cost nothing, and `θ_v` is the same whichever strategy runs).
//! * Arc `u → v` has weight `b(u, v)`: [`EdgeProb::InverseInDegree`] gives
//!   `1 / in_degree(v)`, [`EdgeProb::Weights`] the graph's weights (1 if the
//!   graph has none), [`EdgeProb::Uniform`]`(w)` gives `w`. Incoming weights
//!   should sum to at most 1 per node (validated by the scenario layer).
//! * Step 0: the seeds are active. During step `t + 1` each node activated at
//!   step `t` adds `b(u, v)` to the accumulated weight of each inactive
//!   listener `v`; `v` becomes active at the end of step `t + 1` once its
//!   accumulated active weight is `≥ θ_v` (synchronous: it adds its own
//!   weight only in step `t + 2`). Activation is monotone, so pushing each
//!   node's weight once, when it activates, is exact.
//! * The process stops when a step activates nobody.
//! * Order: within a step the nodes activated in the previous step push in
//!   the order they were activated (seeds in list order, then in the order
//!   of the pushes that activated them), each over its listeners in
//!   ascending order, and a listener activated by an earlier push of the
//!   same step receives no further pushes. This order fixes the last bits
//!   of the accumulated weights (floating-point sums) and which pushes count
//!   as messages; it is the fast path's own order, with no plainer one to
//!   test it against (hence no `lt::reference`).
//!
//! On a graph where every node has in-degree ≤ 1 (an out-tree), or from a
//! single seed on an in-tree, LT's activated set has the same distribution as
//! IC's with `p = b` (Kempe et al. 2003, live-edge equivalence).
//!
//! Metrics: reached = acted = active; `reached_good = reached`;
//! `talkers` at row `t` = nodes activated at step `t` (they push weight in
//! step `t + 1`); `messages_good` = arcs along which weight was pushed onto a
//! not-yet-active listener; `friends = 0`, `ambassadors` = number of seeds.
//!
//! # Complexity
//!
//! O(|seeds| + Σ over activated u of out-degree(u)) per replicate, one stream
//! creation per touched node, plus O(steps) trajectory writes. Accumulators
//! are epoch-stamped (O(1) reset); no allocation after warm-up.

use super::kernel::{Stamps, Tally};
pub use super::params::LtParams;
use super::{EdgeProb, ReplicateInput};
use crate::metrics::Trajectory;
use crate::rng::{self, tag};

/// Reusable per-worker state.
pub struct Scratch {
    active: Stamps,
    /// Nodes whose threshold and accumulator are live this replicate.
    touched: Stamps,
    theta: Vec<f64>,
    acc: Vec<f64>,
    frontier: Vec<u32>,
    next: Vec<u32>,
}

impl Scratch {
    /// Whether `v` has acted (is or was active) at the end of the last
    /// replicate simulated with this scratch.
    pub fn has_acted(&self, v: u32) -> bool {
        self.active.contains(v)
    }

    pub fn new(n: usize) -> Self {
        Scratch {
            active: Stamps::new(n),
            touched: Stamps::new(n),
            theta: vec![0.0; n],
            acc: vec![0.0; n],
            frontier: Vec::new(),
            next: Vec::new(),
        }
    }
}

/// Run one replicate, writing rows `0..=out.steps()`. See the module docs.
pub fn simulate(p: &LtParams, input: &ReplicateInput<'_>, s: &mut Scratch, out: &mut Trajectory) {
    let g = input.graph;
    let n = g.len();
    let key = input.dynamics_key;
    s.active.reset(n);
    s.touched.reset(n);
    if s.theta.len() < n {
        s.theta.resize(n, 0.0);
        s.acc.resize(n, 0.0);
    }
    s.frontier.clear();
    for &u in input.seeds {
        if s.active.insert(u) {
            s.frontier.push(u);
        }
    }
    let seeded = s.frontier.len() as u64;
    let mut tally = Tally::seeded(out, seeded, 0);
    if seeded == 0 {
        return;
    }
    for t in 1..=out.steps() {
        tally.begin_step();
        s.next.clear();
        let mut pushed = 0u64;
        for &u in &s.frontier {
            let ls = g.listeners(u);
            let ws = g.listener_weights(u);
            for (i, &v) in ls.iter().enumerate() {
                if s.active.contains(v) {
                    continue;
                }
                let vi = v as usize;
                if s.touched.insert(v) {
                    let mut r = rng::node_stream(key, tag::THRESHOLD, v, 0);
                    s.theta[vi] = rng::uniform(&mut r);
                    s.acc[vi] = 0.0;
                }
                let b = match p.weights {
                    EdgeProb::Uniform(w) => w,
                    EdgeProb::Weights => ws.map_or(1.0, |w| f64::from(w[i])),
                    EdgeProb::InverseInDegree => 1.0 / f64::from(g.in_degree(v)),
                };
                s.acc[vi] += b;
                pushed += 1;
                if s.acc[vi] >= s.theta[vi] {
                    // Marked active now so later pushes this step skip it;
                    // it pushes its own weight only next step.
                    s.active.insert(v);
                    s.next.push(v);
                }
            }
        }
        std::mem::swap(&mut s.frontier, &mut s.next);
        if tally.end_cascade_step(out, t, pushed, s.frontier.len() as u64) {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{Graph, Labels};
    use crate::metrics::Metric;
    use crate::population::Population;

    fn run(p: &LtParams, g: &Graph, seeds: &[u32], key: u64, s: &mut Scratch) -> Trajectory {
        let pop = Population::community(g.len());
        let input = ReplicateInput { graph: g, population: &pop, seeds, dynamics_key: key };
        let mut out = Trajectory::new(60);
        simulate(p, &input, s, &mut out);
        out
    }

    #[test]
    fn same_key_same_trajectory() {
        let n = 500u32;
        let e: Vec<(u32, u32)> =
            (0..n).flat_map(|i| [(i, (i + 1) % n), (i, (i + 13) % n), (i, (i * 7 + 3) % n)]).collect();
        let g = Graph::from_edges(n as usize, false, &e, None, Labels::Dense).unwrap();
        let p = LtParams::default();
        let mut s = Scratch::new(g.len());
        let a = run(&p, &g, &[1, 2, 3, 250, 251], 5, &mut s);
        // Reused scratch, other key in between: no leaked state.
        let c = run(&p, &g, &[1, 2, 3, 250, 251], 6, &mut s);
        let b = run(&p, &g, &[1, 2, 3, 250, 251], 5, &mut s);
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert!(a.last()[Metric::Reached.idx()] > 5.0);
    }

    #[test]
    fn full_weight_activates_everyone_reachable() {
        // Path 0 → 1 → 2 → 3 with weight 1: every threshold (< 1) is met.
        let g = Graph::from_edges(4, true, &[(0, 1), (1, 2), (2, 3)], None, Labels::Dense).unwrap();
        let mut s = Scratch::new(4);
        let t = run(&LtParams { weights: EdgeProb::Uniform(1.0) }, &g, &[0], 3, &mut s);
        assert_eq!(t.get(3, Metric::Reached), 4.0);
        assert_eq!(t.get(2, Metric::Reached), 3.0);
        let t = run(&LtParams { weights: EdgeProb::Uniform(0.0) }, &g, &[0], 3, &mut s);
        assert_eq!(t.last()[Metric::Reached.idx()], 1.0);
    }
}
