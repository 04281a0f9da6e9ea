//! Networks as compressed sparse rows (CSR) with `u32` node ids.
//!
//! **Direction.** An arc `u → v` means *v hears u* (v follows u): a message
//! spoken by `u` can reach `v`. [`Graph::listeners`] (`out`) gives whom a node
//! talks to; [`Graph::sources`] (`in`) gives whom a node listens to. For an
//! undirected graph every edge is stored as two arcs and both views are the
//! same arrays (no second copy is kept).
//!
//! A graph is immutable once built and is shared read-only (`&Graph`) by every
//! replicate and thread.
//!
//! Building is O(V + E) plus sorting each adjacency row (O(E log d_max)):
//! counting sort by source, then each row is sorted and de-duplicated in place.
//! Self-loops are dropped and duplicate arcs merged (the first weight wins).

pub mod edgelist;
pub mod formats;
pub mod generators;
pub mod stats;

use std::fmt;

/// Errors while building a graph.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum GraphError {
    #[error("node id {id} is out of range for a graph of {n} nodes")]
    NodeOutOfRange { id: u64, n: u64 },
    #[error("the network has {arcs} arcs; at most {max} fit the u32 CSR")]
    TooManyArcs { arcs: u64, max: u64 },
    #[error("the network has {0} nodes; at most 4,294,967,294 are supported")]
    TooManyNodes(u64),
    #[error("weights must have one entry per edge ({edges}), got {weights}")]
    WeightCount { edges: usize, weights: usize },
    #[error("labels must have one entry per node ({n}), got {labels}")]
    LabelCount { n: usize, labels: usize },
    /// A generator parameter is out of range (the message names it).
    #[error("{0}")]
    InvalidParameter(String),
}

/// The original ids of nodes, as the user knows them.
#[derive(Debug, Clone, PartialEq)]
pub enum Labels {
    /// Node `i` is called `i` (generated networks).
    Dense,
    /// Node `i` was called `ids[i]` in the input (numeric, possibly sparse).
    Numeric(Vec<u64>),
    /// Node `i` was called `names[i]` in the input (non-numeric ids).
    Names(Vec<String>),
}

/// One adjacency direction in CSR form.
#[derive(Debug, Clone, Default, PartialEq)]
struct Csr {
    /// `offsets[u]..offsets[u + 1]` indexes `targets` (len n + 1).
    offsets: Vec<u32>,
    targets: Vec<u32>,
    /// Per-arc weight (e.g. an IC probability), aligned with `targets`.
    weights: Option<Vec<f32>>,
}

impl Csr {
    #[inline]
    fn row(&self, u: u32) -> std::ops::Range<usize> {
        self.offsets[u as usize] as usize..self.offsets[u as usize + 1] as usize
    }
}

/// An immutable directed or undirected network.
#[derive(Debug, Clone, PartialEq)]
pub struct Graph {
    n: u32,
    directed: bool,
    out: Csr,
    /// Reverse arcs; empty when `directed == false` (then `out` serves both).
    inc: Csr,
    labels: Labels,
}

impl Graph {
    /// Build from a list of edges `(u, v)` over nodes `0..n`.
    ///
    /// For a directed graph each pair is the arc `u → v` (v hears u); for an
    /// undirected one it is an edge usable both ways. Self-loops are dropped,
    /// duplicates merged (an undirected `(u,v)` and `(v,u)` are the same edge).
    /// `weights`, when given, has one entry per input pair.
    pub fn from_edges(
        n: usize,
        directed: bool,
        edges: &[(u32, u32)],
        weights: Option<&[f32]>,
        labels: Labels,
    ) -> Result<Graph, GraphError> {
        if n >= u32::MAX as usize {
            return Err(GraphError::TooManyNodes(n as u64));
        }
        if let Some(w) = weights {
            if w.len() != edges.len() {
                return Err(GraphError::WeightCount { edges: edges.len(), weights: w.len() });
            }
        }
        match &labels {
            Labels::Numeric(v) if v.len() != n => return Err(GraphError::LabelCount { n, labels: v.len() }),
            Labels::Names(v) if v.len() != n => return Err(GraphError::LabelCount { n, labels: v.len() }),
            _ => {}
        }
        for &(u, v) in edges {
            let m = u.max(v);
            if m as usize >= n {
                return Err(GraphError::NodeOutOfRange { id: u64::from(m), n: n as u64 });
            }
        }
        let out = build_csr(n, edges, weights, directed, false)?;
        let inc = if directed { build_csr(n, edges, weights, true, true)? } else { Csr::default() };
        Ok(Graph { n: n as u32, directed, out, inc, labels })
    }

    /// Number of nodes.
    #[inline]
    pub fn n(&self) -> u32 {
        self.n
    }

    /// Number of nodes as `usize`.
    #[inline]
    pub fn len(&self) -> usize {
        self.n as usize
    }

    /// True when the graph has no nodes.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// Whether arcs are one-way.
    #[inline]
    pub fn is_directed(&self) -> bool {
        self.directed
    }

    /// Stored arcs (an undirected edge counts twice).
    #[inline]
    pub fn num_arcs(&self) -> usize {
        self.out.targets.len()
    }

    /// Edges as the user counts them: arcs if directed, arcs / 2 if not.
    pub fn num_edges(&self) -> usize {
        if self.directed {
            self.num_arcs()
        } else {
            self.num_arcs() / 2
        }
    }

    /// Nodes that hear `u` (out-neighbours), sorted ascending. O(1).
    #[inline]
    pub fn listeners(&self, u: u32) -> &[u32] {
        &self.out.targets[self.out.row(u)]
    }

    /// Nodes that `v` hears (in-neighbours), sorted ascending. O(1).
    #[inline]
    pub fn sources(&self, v: u32) -> &[u32] {
        if self.directed {
            &self.inc.targets[self.inc.row(v)]
        } else {
            self.listeners(v)
        }
    }

    /// Weights aligned with [`Graph::listeners`], if the graph has weights.
    #[inline]
    pub fn listener_weights(&self, u: u32) -> Option<&[f32]> {
        self.out.weights.as_ref().map(|w| &w[self.out.row(u)])
    }

    /// Weights aligned with [`Graph::sources`], if the graph has weights.
    #[inline]
    pub fn source_weights(&self, v: u32) -> Option<&[f32]> {
        if self.directed {
            self.inc.weights.as_ref().map(|w| &w[self.inc.row(v)])
        } else {
            self.listener_weights(v)
        }
    }

    /// Whether per-arc weights are present.
    pub fn has_weights(&self) -> bool {
        self.out.weights.is_some()
    }

    /// Out-degree: how many nodes hear `u` (its followers).
    #[inline]
    pub fn out_degree(&self, u: u32) -> u32 {
        self.out.offsets[u as usize + 1] - self.out.offsets[u as usize]
    }

    /// In-degree: how many nodes `v` hears.
    #[inline]
    pub fn in_degree(&self, v: u32) -> u32 {
        if self.directed {
            self.inc.offsets[v as usize + 1] - self.inc.offsets[v as usize]
        } else {
            self.out_degree(v)
        }
    }

    /// Follower count of `u` = its audience = out-degree (arcs point from
    /// speaker to listener). Used by "influencer" style seeding and costs.
    #[inline]
    pub fn followers(&self, u: u32) -> u32 {
        self.out_degree(u)
    }

    /// Raw CSR of the listener view: `(offsets, targets)`.
    pub fn listener_csr(&self) -> (&[u32], &[u32]) {
        (&self.out.offsets, &self.out.targets)
    }

    /// Raw CSR of the source view: `(offsets, targets)`.
    pub fn source_csr(&self) -> (&[u32], &[u32]) {
        if self.directed {
            (&self.inc.offsets, &self.inc.targets)
        } else {
            self.listener_csr()
        }
    }

    /// Original ids.
    pub fn labels(&self) -> &Labels {
        &self.labels
    }

    /// The original id of node `u`, as text.
    pub fn label(&self, u: u32) -> NodeLabel<'_> {
        NodeLabel { g: self, u }
    }

    /// Find the node whose original id is `name`. O(n) for loaded graphs
    /// (only used when resolving user-given ids, never in a hot loop).
    pub fn find_label(&self, name: &str) -> Option<u32> {
        match &self.labels {
            Labels::Dense => name.parse::<u32>().ok().filter(|&u| u < self.n),
            Labels::Numeric(ids) => {
                let x: u64 = name.parse().ok()?;
                ids.iter().position(|&i| i == x).map(|i| i as u32)
            }
            Labels::Names(names) => names.iter().position(|s| s == name).map(|i| i as u32),
        }
    }

    /// Approximate heap memory used, in bytes.
    pub fn memory_bytes(&self) -> usize {
        let csr = |c: &Csr| {
            c.offsets.capacity() * 4 + c.targets.capacity() * 4 + c.weights.as_ref().map_or(0, |w| w.capacity() * 4)
        };
        let labels = match &self.labels {
            Labels::Dense => 0,
            Labels::Numeric(v) => v.capacity() * 8,
            Labels::Names(v) => v.iter().map(|s| s.capacity() + 24).sum(),
        };
        csr(&self.out) + csr(&self.inc) + labels
    }
}

/// Display adapter for a node's original id.
pub struct NodeLabel<'a> {
    g: &'a Graph,
    u: u32,
}

impl fmt::Display for NodeLabel<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.g.labels {
            Labels::Dense => write!(f, "{}", self.u),
            Labels::Numeric(ids) => write!(f, "{}", ids[self.u as usize]),
            Labels::Names(names) => f.write_str(&names[self.u as usize]),
        }
    }
}

/// Counting-sort CSR builder. `reverse` builds the in-view of a directed graph.
fn build_csr(
    n: usize,
    edges: &[(u32, u32)],
    weights: Option<&[f32]>,
    directed: bool,
    reverse: bool,
) -> Result<Csr, GraphError> {
    let mut counts = vec![0u64; n + 1];
    let mut arcs: u64 = 0;
    for &(u, v) in edges {
        if u == v {
            continue;
        }
        let (s, t) = if reverse { (v, u) } else { (u, v) };
        counts[s as usize] += 1;
        arcs += 1;
        if !directed {
            counts[t as usize] += 1;
            arcs += 1;
        }
    }
    if arcs >= u64::from(u32::MAX) {
        return Err(GraphError::TooManyArcs { arcs, max: u64::from(u32::MAX) - 1 });
    }
    // Prefix sums: offsets[u] = start of row u.
    let mut offsets = vec![0u32; n + 1];
    let mut acc = 0u32;
    for u in 0..n {
        offsets[u] = acc;
        acc += counts[u] as u32;
    }
    offsets[n] = acc;
    drop(counts);
    let mut fill: Vec<u32> = offsets[..n].to_vec();
    let mut targets = vec![0u32; arcs as usize];
    let mut w_out = weights.map(|_| vec![0f32; arcs as usize]);
    for (i, &(u, v)) in edges.iter().enumerate() {
        if u == v {
            continue;
        }
        let (s, t) = if reverse { (v, u) } else { (u, v) };
        let w = weights.map(|w| w[i]);
        let mut put = |a: u32, b: u32| {
            let k = fill[a as usize] as usize;
            targets[k] = b;
            if let (Some(wo), Some(w)) = (w_out.as_mut(), w) {
                wo[k] = w;
            }
            fill[a as usize] += 1;
        };
        put(s, t);
        if !directed {
            put(t, s);
        }
    }
    drop(fill);
    // Sort each row and drop duplicates, compacting in place.
    let mut write = 0usize;
    let mut new_offsets = vec![0u32; n + 1];
    let mut perm: Vec<u32> = Vec::new();
    for u in 0..n {
        let (lo, hi) = (offsets[u] as usize, offsets[u + 1] as usize);
        new_offsets[u] = write as u32;
        match w_out.as_mut() {
            None => {
                let row = &mut targets[lo..hi];
                row.sort_unstable();
                let mut last = u32::MAX;
                for k in lo..hi {
                    let t = targets[k];
                    if t != last {
                        targets[write] = t;
                        write += 1;
                        last = t;
                    }
                }
            }
            Some(ws) => {
                // Stable sort by target keeps the first weight of duplicates.
                perm.clear();
                perm.extend((lo..hi).map(|k| k as u32));
                perm.sort_by_key(|&k| targets[k as usize]);
                let row_t: Vec<u32> = perm.iter().map(|&k| targets[k as usize]).collect();
                let row_w: Vec<f32> = perm.iter().map(|&k| ws[k as usize]).collect();
                let mut last = u32::MAX;
                for (t, w) in row_t.into_iter().zip(row_w) {
                    if t != last {
                        targets[write] = t;
                        ws[write] = w;
                        write += 1;
                        last = t;
                    }
                }
            }
        }
    }
    new_offsets[n] = write as u32;
    targets.truncate(write);
    targets.shrink_to_fit();
    if let Some(ws) = w_out.as_mut() {
        ws.truncate(write);
        ws.shrink_to_fit();
    }
    Ok(Csr { offsets: new_offsets, targets, weights: w_out })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undirected_build_drops_loops_and_duplicates() {
        let g = Graph::from_edges(4, false, &[(0, 1), (1, 0), (1, 1), (2, 1), (0, 1)], None, Labels::Dense).unwrap();
        assert_eq!(g.num_edges(), 2);
        assert_eq!(g.listeners(1), &[0, 2]);
        assert_eq!(g.sources(1), &[0, 2]);
        assert_eq!(g.listeners(3), &[] as &[u32]);
    }

    #[test]
    fn directed_build_has_both_views() {
        let g =
            Graph::from_edges(3, true, &[(0, 1), (0, 2), (2, 1), (0, 1)], Some(&[0.5, 0.25, 0.75, 0.9]), Labels::Dense)
                .unwrap();
        assert_eq!(g.num_edges(), 3);
        assert_eq!(g.listeners(0), &[1, 2]);
        assert_eq!(g.listener_weights(0).unwrap(), &[0.5, 0.25]);
        assert_eq!(g.sources(1), &[0, 2]);
        assert_eq!(g.source_weights(1).unwrap(), &[0.5, 0.75]);
        assert_eq!(g.followers(0), 2);
        assert_eq!(g.in_degree(1), 2);
    }

    #[test]
    fn out_of_range_is_an_error() {
        assert!(Graph::from_edges(2, false, &[(0, 2)], None, Labels::Dense).is_err());
    }
}
