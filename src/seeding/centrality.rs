//! Centralities used for seeding: degree discount (adaptive), PageRank and
//! k-core numbers.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::{OrdF64, Picker, SeedingError};
use crate::graph::Graph;

/// Degree discount heuristic of Chen, Wang & Yang (KDD 2009, "DegreeDiscountIC").
///
/// With `d_v` the degree of `v` and `t_v` the number of already chosen
/// neighbours, the discounted degree is
///
/// ```text
/// dd_v = d_v − 2 t_v − (d_v − t_v) · t_v · p
/// ```
///
/// and the node with the highest `dd_v` (ties by id) is chosen next; then
/// every unchosen neighbour's `t` goes up by one. On directed graphs we use
/// the direction of influence: `d_v` is `v`'s follower count (out-degree,
/// who hears `v`) and `t_v` counts chosen nodes that `v` hears (chosen
/// sources of `v`), since those are the ones that may already have activated
/// `v`; on undirected graphs both are the paper's degree and neighbours.
/// Degrees count the whole network; only pool members are candidates.
///
/// A lazy max-heap holds `(dd, id)` entries stamped with the `t` they were
/// computed with; an entry whose stamp differs from the current `t_v` is
/// stale and skipped on pop. No monotonicity of `dd` in `t` is assumed.
/// Time O(P + (k + Σ_{chosen u} followers(u)) · log P), memory O(n).
pub struct DegreeDiscount<'a> {
    g: &'a Graph,
    p: f64,
    t: Vec<u32>,
    /// Candidate that is still open (in the pool, not chosen, not dropped).
    open: Vec<bool>,
    heap: BinaryHeap<(OrdF64, Reverse<u32>, u32)>,
}

impl<'a> DegreeDiscount<'a> {
    /// Set up over `pool` with propagation probability `p`.
    pub fn new(g: &'a Graph, pool: &[u32], p: f64) -> Self {
        let mut open = vec![false; g.len()];
        let mut entries = Vec::with_capacity(pool.len());
        for &u in pool {
            open[u as usize] = true;
            entries.push((OrdF64(f64::from(g.followers(u))), Reverse(u), 0u32));
        }
        DegreeDiscount { g, p, t: vec![0; g.len()], open, heap: BinaryHeap::from(entries) }
    }

    /// Discounted degree of `v` with its current `t_v`.
    pub fn discounted(&self, v: u32) -> f64 {
        dd(f64::from(self.g.followers(v)), f64::from(self.t[v as usize]), self.p)
    }
}

/// `d − 2t − (d − t)·t·p`.
#[inline]
fn dd(d: f64, t: f64, p: f64) -> f64 {
    d - 2.0 * t - (d - t) * t * p
}

impl Picker for DegreeDiscount<'_> {
    fn next(&mut self, fits: &dyn Fn(u32) -> bool) -> Result<Option<u32>, SeedingError> {
        while let Some((_, Reverse(u), stamp)) = self.heap.pop() {
            if !self.open[u as usize] || stamp != self.t[u as usize] {
                continue;
            }
            self.open[u as usize] = false;
            if !fits(u) {
                continue;
            }
            for &w in self.g.listeners(u) {
                if self.open[w as usize] {
                    self.t[w as usize] += 1;
                    let score = self.discounted(w);
                    self.heap.push((OrdF64(score), Reverse(w), self.t[w as usize]));
                }
            }
            return Ok(Some(u));
        }
        Ok(None)
    }
}

/// PageRank of the **who-hears-whom** direction: a node is important when
/// (important) nodes hear it. Arcs `u → v` mean *v hears u*, so influence
/// flows along them; PageRank's "votes" must flow the other way (a listener
/// votes for the speakers it hears), i.e. this is classic PageRank on the
/// reversed graph, where `v` links to each node it hears. Hence
///
/// ```text
/// PR(u) = (1 − d)/n + d · ( Σ_{v hears u} PR(v) / |sources(v)| + D/n )
/// ```
///
/// with `D` the total rank of *dangling* nodes (who hear nobody), spread
/// uniformly. Power iteration pulls over the listener CSR (`listeners(u)` =
/// those who hear `u`): O(V + E) per iteration, no O(V²) matrix. Starts from
/// the uniform vector and stops when the L1 change of an iteration is below
/// `tolerance` or after `max_iter` iterations. Sequential, so results do not
/// depend on the thread count. Ranks sum to 1. Undirected graphs give
/// ordinary PageRank.
pub fn pagerank(g: &Graph, damping: f64, tolerance: f64, max_iter: u32) -> Vec<f64> {
    let n = g.len();
    if n == 0 {
        return Vec::new();
    }
    let nf = n as f64;
    let mut pr = vec![1.0 / nf; n];
    let mut next = vec![0.0; n];
    let mut contrib = vec![0.0; n];
    let inv_out: Vec<f64> = (0..g.n()).map(|v| (g.in_degree(v) as f64).recip()).collect();
    for _ in 0..max_iter {
        let mut dangling = 0.0;
        for v in 0..n {
            if g.in_degree(v as u32) == 0 {
                dangling += pr[v];
                contrib[v] = 0.0;
            } else {
                contrib[v] = pr[v] * inv_out[v];
            }
        }
        let base = (1.0 - damping) / nf + damping * dangling / nf;
        let mut delta = 0.0;
        for u in 0..n {
            let s: f64 = g.listeners(u as u32).iter().map(|&v| contrib[v as usize]).sum();
            let x = base + damping * s;
            delta += (x - pr[u]).abs();
            next[u] = x;
        }
        std::mem::swap(&mut pr, &mut next);
        if delta < tolerance {
            break;
        }
    }
    pr
}

/// Core numbers of the undirected view (an arc either way is an edge), by
/// Batagelj & Zaversnik's bucket peeling (2003): O(V + E). For a directed
/// graph the neighbour sets `listeners ∪ sources` are merged into a
/// temporary CSR first (O(V + E) time and memory).
pub fn core_numbers(g: &Graph) -> Vec<u32> {
    let n = g.len();
    // Undirected neighbour rows.
    let (offs, adj): (Vec<u32>, Vec<u32>) = if g.is_directed() {
        let mut offs = Vec::with_capacity(n + 1);
        let mut adj = Vec::with_capacity(g.num_arcs() * 2);
        offs.push(0u32);
        for v in 0..g.n() {
            let (a, b) = (g.listeners(v), g.sources(v));
            let (mut i, mut j) = (0, 0);
            while i < a.len() || j < b.len() {
                let x = if j == b.len() || (i < a.len() && a[i] <= b[j]) { a[i] } else { b[j] };
                if i < a.len() && a[i] == x {
                    i += 1;
                }
                if j < b.len() && b[j] == x {
                    j += 1;
                }
                adj.push(x);
            }
            offs.push(adj.len() as u32);
        }
        (offs, adj)
    } else {
        let (o, t) = g.listener_csr();
        (o.to_vec(), t.to_vec())
    };
    let row = |v: usize| &adj[offs[v] as usize..offs[v + 1] as usize];
    let mut deg: Vec<u32> = (0..n).map(|v| offs[v + 1] - offs[v]).collect();
    let md = deg.iter().copied().max().unwrap_or(0) as usize;
    // bin[d] = start of the block of nodes with current degree d in `vert`.
    let mut bin = vec![0u32; md + 2];
    for &d in &deg {
        bin[d as usize] += 1;
    }
    let mut start = 0u32;
    for b in bin.iter_mut() {
        let c = *b;
        *b = start;
        start += c;
    }
    let mut pos = vec![0u32; n];
    let mut vert = vec![0u32; n];
    {
        let mut fill = bin.clone();
        for v in 0..n {
            let d = deg[v] as usize;
            pos[v] = fill[d];
            vert[fill[d] as usize] = v as u32;
            fill[d] += 1;
        }
    }
    for i in 0..n {
        let v = vert[i] as usize;
        for &u in row(v) {
            let u = u as usize;
            if deg[u] > deg[v] {
                let du = deg[u] as usize;
                let pu = pos[u];
                let pw = bin[du];
                let w = vert[pw as usize] as usize;
                if u != w {
                    pos[u] = pw;
                    vert[pu as usize] = w as u32;
                    pos[w] = pu;
                    vert[pw as usize] = u as u32;
                }
                bin[du] += 1;
                deg[u] -= 1;
            }
        }
    }
    deg
}
