//! Network statistics: size, degrees, weakly connected components.
//!
//! Everything here is O(V + E) and allocation-light (a few `u32` arrays of
//! length n); it runs once per network, never inside the dynamics.

use std::fmt;

use super::edgelist::EdgeListInfo;
use super::Graph;

/// Summary of a network, as shown by `womsim` before a run.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkStats {
    pub nodes: u32,
    /// Edges as the user counts them: arcs if directed, undirected edges otherwise.
    pub edges: u64,
    pub directed: bool,
    /// Mean number of listeners per node (= mean degree when undirected).
    pub mean_out_degree: f64,
    /// Largest audience (follower count).
    pub max_out_degree: u32,
    /// Largest number of sources a node hears.
    pub max_in_degree: u32,
    /// Nodes with no arc in or out.
    pub isolated: u32,
    /// Weakly connected components (arcs taken both ways; isolated nodes count).
    pub components: u32,
    /// Nodes in the largest weakly connected component.
    pub largest_component: u32,
    /// Self-loop lines dropped while loading an edge list (`None` when the
    /// network was not loaded, see [`compute_loaded`]).
    pub self_loops_dropped: Option<u64>,
    /// Edge lines merged into an edge already read (e.g. an undirected edge
    /// listed in both directions); `None` when not loaded.
    pub duplicates_merged: Option<u64>,
    /// Whether the edge list's first line was taken as a column header and
    /// skipped (said by `validate`: a typo in a first edge would be lost).
    pub header_skipped: bool,
}

/// Compute [`NetworkStats`] in O(V + E α(V)) with union–find.
pub fn compute(g: &Graph) -> NetworkStats {
    let n = g.n();
    let mut max_out = 0;
    let mut max_in = 0;
    let mut isolated = 0;
    for u in 0..n {
        let (o, i) = (g.out_degree(u), g.in_degree(u));
        max_out = max_out.max(o);
        max_in = max_in.max(i);
        if o == 0 && i == 0 {
            isolated += 1;
        }
    }
    let (components, largest_component) = weak_components(g);
    NetworkStats {
        nodes: n,
        edges: g.num_edges() as u64,
        directed: g.is_directed(),
        mean_out_degree: if n == 0 { 0.0 } else { g.num_arcs() as f64 / f64::from(n) },
        max_out_degree: max_out,
        max_in_degree: max_in,
        isolated,
        components,
        largest_component,
        self_loops_dropped: None,
        duplicates_merged: None,
        header_skipped: false,
    }
}

/// [`compute`] for a loaded edge list, adding what the loader dropped.
pub fn compute_loaded(g: &Graph, info: &EdgeListInfo) -> NetworkStats {
    let mut s = compute(g);
    s.self_loops_dropped = Some(info.self_loops);
    s.duplicates_merged = Some(info.edge_lines.saturating_sub(info.self_loops).saturating_sub(s.edges));
    s.header_skipped = info.header_skipped;
    s
}

/// Weakly connected components of `g`: each node's component id (dense,
/// numbered in order of their smallest node) and the component sizes.
pub fn component_ids(g: &Graph) -> (Vec<u32>, Vec<u32>) {
    let n = g.len();
    let mut parent: Vec<u32> = (0..n as u32).collect();
    for u in 0..g.n() {
        for &v in g.listeners(u) {
            // Each undirected edge is stored twice; one union suffices.
            if g.is_directed() || u < v {
                union(&mut parent, u, v);
            }
        }
    }
    let mut id = vec![u32::MAX; n];
    let mut sizes: Vec<u32> = Vec::new();
    let mut out = vec![0u32; n];
    for u in 0..n as u32 {
        let r = find(&mut parent, u) as usize;
        if id[r] == u32::MAX {
            id[r] = sizes.len() as u32;
            sizes.push(0);
        }
        out[u as usize] = id[r];
        sizes[id[r] as usize] += 1;
    }
    (out, sizes)
}

fn weak_components(g: &Graph) -> (u32, u32) {
    let (_, sizes) = component_ids(g);
    (sizes.len() as u32, sizes.iter().copied().max().unwrap_or(0))
}

/// Root of `x`, halving the path on the way (amortized near O(1)).
fn find(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        let gp = parent[parent[x as usize] as usize];
        parent[x as usize] = gp;
        x = gp;
    }
    x
}

/// Link the roots of `a` and `b` (the smaller root wins, which keeps the
/// result independent of edge order).
fn union(parent: &mut [u32], a: u32, b: u32) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
        parent[hi as usize] = lo;
    }
}

/// Degree distribution: `(degree, number of nodes)` for every degree that
/// occurs, ascending. `out = true` counts listeners (followers), `false`
/// sources. O(V + max degree).
pub fn degree_histogram(g: &Graph, out: bool) -> Vec<(u32, u64)> {
    let deg = |u: u32| if out { g.out_degree(u) } else { g.in_degree(u) };
    let max = (0..g.n()).map(deg).max().unwrap_or(0);
    let mut counts = vec![0u64; max as usize + 1];
    for u in 0..g.n() {
        counts[deg(u) as usize] += 1;
    }
    counts.into_iter().enumerate().filter(|&(_, c)| c > 0).map(|(d, c)| (d as u32, c)).collect()
}

impl fmt::Display for NetworkStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = if self.directed { "directed arcs" } else { "undirected edges" };
        writeln!(f, "{} nodes, {} {kind}", self.nodes, self.edges)?;
        if self.directed {
            writeln!(
                f,
                "mean audience {:.2}, largest audience (followers) {}, most sources heard {}",
                self.mean_out_degree, self.max_out_degree, self.max_in_degree
            )?;
        } else {
            writeln!(f, "mean degree {:.2}, max degree {}", self.mean_out_degree, self.max_out_degree)?;
        }
        let share =
            if self.nodes == 0 { 0.0 } else { 100.0 * f64::from(self.largest_component) / f64::from(self.nodes) };
        write!(
            f,
            "{} {}connected component{}, largest {} nodes ({share:.1}%), {} isolated",
            self.components,
            if self.directed { "weakly " } else { "" },
            if self.components == 1 { "" } else { "s" },
            self.largest_component,
            self.isolated
        )?;
        if let (Some(loops), Some(dups)) = (self.self_loops_dropped, self.duplicates_merged) {
            write!(f, "\nwhile loading: {loops} self-loops dropped, {dups} repeated edges merged")?;
        }
        if self.header_skipped {
            write!(
                f,
                "\nthe first line is not numeric and was taken as a column header, skipped \
                 (if it is an edge, fix its ids; comment it out with `#` to say it is a header)"
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Labels;

    #[test]
    fn stats_of_a_small_directed_graph() {
        // 0→1, 0→2, 3→2 form one weak component; 4–5 another; 6 alone.
        let g = Graph::from_edges(7, true, &[(0, 1), (0, 2), (3, 2), (4, 5)], None, Labels::Dense).unwrap();
        let s = compute(&g);
        assert_eq!(
            s,
            NetworkStats {
                nodes: 7,
                edges: 4,
                directed: true,
                mean_out_degree: 4.0 / 7.0,
                max_out_degree: 2,
                max_in_degree: 2,
                isolated: 1,
                components: 3,
                largest_component: 4,
                self_loops_dropped: None,
                duplicates_merged: None,
                header_skipped: false,
            }
        );
        assert_eq!(degree_histogram(&g, true), vec![(0, 4), (1, 2), (2, 1)]);
        // In-degrees: node 1 and 5 hear one source, node 2 hears two.
        assert_eq!(degree_histogram(&g, false), vec![(0, 4), (1, 2), (2, 1)]);
        assert_eq!(g.in_degree(2), 2);
        let (ids, sizes) = component_ids(&g);
        assert_eq!(ids, vec![0, 0, 0, 0, 1, 1, 2]);
        assert_eq!(sizes, vec![4, 2, 1]);
        let text = s.to_string();
        assert!(text.contains("7 nodes, 4 directed arcs"), "{text}");
        assert!(text.contains("3 weakly connected components, largest 4 nodes (57.1%), 1 isolated"), "{text}");
    }

    #[test]
    fn stats_of_an_undirected_ring() {
        let edges: Vec<(u32, u32)> = (0..10).map(|u| (u, (u + 1) % 10)).collect();
        let g = Graph::from_edges(10, false, &edges, None, Labels::Dense).unwrap();
        let s = compute(&g);
        assert_eq!((s.edges, s.components, s.largest_component, s.max_in_degree), (10, 1, 10, 2));
        assert_eq!(s.mean_out_degree, 2.0);
        assert_eq!(degree_histogram(&g, true), vec![(2, 10)]);
        assert!(s.to_string().contains("1 connected component, largest 10 nodes (100.0%)"));
    }
}
