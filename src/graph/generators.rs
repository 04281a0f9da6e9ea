//! Network generators, each driven by an explicit seeded RNG.
//!
//! [`generate`] draws every random number from
//! `rng::stream(seed, purpose::NETWORK, &[kind id])`, so a network depends
//! only on the scenario seed and its parameters: the same spec and seed give
//! the same graph on every machine and at every thread count, and changing a
//! seeding strategy or the dynamics never changes the network.
//!
//! Complexities (n nodes, m edges): Erdős–Rényi and SBM O(n + m) by geometric
//! skip sampling (never a coin per pair); Barabási–Albert and the follower
//! graph O(n·m); Watts–Strogatz O(n·k²); configuration model O(n + Σk);
//! random regular O(n·d + d³) expected (pairing, then switchings that remove
//! loops and multi-edges); complete O(n²); ring O(n). Every graph is then
//! built by [`Graph::from_edges`] (O(V + E) plus row sorts).
//!
//! Invalid parameters give [`GraphError::InvalidParameter`] naming every
//! offending key (`network.m = 0: must be at least 1`), never a panic.

use super::{Graph, GraphError, Labels};
use crate::rng::{self, purpose, Rng64};

/// A generated network and its parameters (scenario `[network] kind = …`).
#[derive(Debug, Clone, PartialEq)]
pub enum GeneratorSpec {
    /// `erdos_renyi`: G(n, p) with p = mean_degree / (n - 1); undirected.
    ErdosRenyi { nodes: u32, mean_degree: f64 },
    /// `barabasi_albert`: preferential attachment, `m` edges per new node; undirected.
    BarabasiAlbert { nodes: u32, m: u32 },
    /// `watts_strogatz`: ring lattice of even degree `k`, rewired with probability `beta`; undirected.
    WattsStrogatz { nodes: u32, k: u32, beta: f64 },
    /// `sbm`: stochastic block model with `sizes` blocks; undirected.
    Sbm { sizes: Vec<u32>, p_in: f64, p_out: f64 },
    /// `follower`: directed; each node follows about `follows` accounts chosen
    /// preferentially by follower count (heavy-tailed follower counts), and a
    /// followed account follows back with probability `reciprocity`.
    Follower { nodes: u32, follows: u32, reciprocity: f64 },
    /// `configuration`: power-law degree sequence P(k) ∝ k^-exponent on
    /// [min_degree, max_degree], stubs matched at random; loops and multi-edges
    /// dropped; undirected.
    Configuration { nodes: u32, exponent: f64, min_degree: u32, max_degree: u32 },
    /// `random_regular`: every node has exactly `degree` neighbours; undirected.
    RandomRegular { nodes: u32, degree: u32 },
    /// `complete`: every pair connected; undirected.
    Complete { nodes: u32 },
    /// `ring`: cycle, each node linked to its two neighbours; undirected.
    Ring { nodes: u32 },
}

impl GeneratorSpec {
    /// Scenario name of the generator.
    pub fn kind(&self) -> &'static str {
        match self {
            GeneratorSpec::ErdosRenyi { .. } => "erdos_renyi",
            GeneratorSpec::BarabasiAlbert { .. } => "barabasi_albert",
            GeneratorSpec::WattsStrogatz { .. } => "watts_strogatz",
            GeneratorSpec::Sbm { .. } => "sbm",
            GeneratorSpec::Follower { .. } => "follower",
            GeneratorSpec::Configuration { .. } => "configuration",
            GeneratorSpec::RandomRegular { .. } => "random_regular",
            GeneratorSpec::Complete { .. } => "complete",
            GeneratorSpec::Ring { .. } => "ring",
        }
    }

    /// Stable numeric id of the kind, a part of the RNG stream key (so two
    /// kinds with the same seed do not share draws).
    fn kind_id(&self) -> u64 {
        match self {
            GeneratorSpec::ErdosRenyi { .. } => 1,
            GeneratorSpec::BarabasiAlbert { .. } => 2,
            GeneratorSpec::WattsStrogatz { .. } => 3,
            GeneratorSpec::Sbm { .. } => 4,
            GeneratorSpec::Follower { .. } => 5,
            GeneratorSpec::Configuration { .. } => 6,
            GeneratorSpec::RandomRegular { .. } => 7,
            GeneratorSpec::Complete { .. } => 8,
            GeneratorSpec::Ring { .. } => 9,
        }
    }

    /// Check the parameters; every problem is reported, one per line.
    pub fn validate(&self) -> Result<(), GraphError> {
        let mut p = Problems::default();
        match self {
            GeneratorSpec::ErdosRenyi { nodes, mean_degree } => {
                p.nodes(*nodes, 2);
                let max = f64::from(nodes.saturating_sub(1));
                if !(mean_degree.is_finite() && *mean_degree >= 0.0 && *mean_degree <= max) {
                    p.push(format!("network.mean_degree = {mean_degree}: must be in [0, nodes - 1 = {max}]"));
                }
            }
            GeneratorSpec::BarabasiAlbert { nodes, m } => {
                p.nodes(*nodes, 2);
                if *m == 0 || m >= nodes {
                    p.push(format!("network.m = {m}: must be at least 1 and less than nodes = {nodes}"));
                }
            }
            GeneratorSpec::WattsStrogatz { nodes, k, beta } => {
                p.nodes(*nodes, 3);
                if *k < 2 || k % 2 == 1 || k >= nodes {
                    p.push(format!("network.k = {k}: must be even, at least 2 and less than nodes = {nodes}"));
                }
                p.probability("network.beta", *beta);
            }
            GeneratorSpec::Sbm { sizes, p_in, p_out } => {
                if sizes.is_empty() {
                    p.push("network.sizes = []: needs at least one block".to_string());
                }
                if let Some(i) = sizes.iter().position(|&s| s == 0) {
                    p.push(format!("network.sizes[{i}] = 0: every block needs at least 1 node"));
                }
                let total: u64 = sizes.iter().map(|&s| u64::from(s)).sum();
                if total >= u64::from(u32::MAX) {
                    p.push(format!("network.sizes: {total} nodes in total, at most 4,294,967,294 are supported"));
                }
                p.probability("network.p_in", *p_in);
                p.probability("network.p_out", *p_out);
            }
            GeneratorSpec::Follower { nodes, follows, reciprocity } => {
                p.nodes(*nodes, 2);
                if *follows == 0 || follows >= nodes {
                    p.push(format!("network.follows = {follows}: must be at least 1 and less than nodes = {nodes}"));
                }
                p.probability("network.reciprocity", *reciprocity);
            }
            GeneratorSpec::Configuration { nodes, exponent, min_degree, max_degree } => {
                p.nodes(*nodes, 2);
                if !exponent.is_finite() {
                    p.push(format!("network.exponent = {exponent}: must be a finite number"));
                }
                if *min_degree == 0 {
                    p.push("network.min_degree = 0: must be at least 1".to_string());
                }
                if min_degree > max_degree {
                    p.push(format!("network.max_degree = {max_degree}: must be at least min_degree = {min_degree}"));
                } else if max_degree >= nodes {
                    p.push(format!("network.max_degree = {max_degree}: must be less than nodes = {nodes}"));
                }
                if min_degree == max_degree && (u64::from(*nodes) * u64::from(*min_degree)) % 2 == 1 {
                    p.push(format!(
                        "network.min_degree = network.max_degree = {min_degree}: nodes × degree must be even"
                    ));
                }
            }
            GeneratorSpec::RandomRegular { nodes, degree } => {
                p.nodes(*nodes, 1);
                if degree >= nodes {
                    p.push(format!("network.degree = {degree}: must be less than nodes = {nodes}"));
                } else if (u64::from(*nodes) * u64::from(*degree)) % 2 == 1 {
                    p.push(format!("network.degree = {degree}: nodes × degree must be even (nodes = {nodes})"));
                }
            }
            GeneratorSpec::Complete { nodes } => p.nodes(*nodes, 1),
            GeneratorSpec::Ring { nodes } => p.nodes(*nodes, 3),
        }
        p.finish()
    }
}

/// Collects every parameter problem so the user sees them all at once.
#[derive(Default)]
struct Problems(Vec<String>);

impl Problems {
    fn push(&mut self, s: String) {
        self.0.push(s);
    }
    fn nodes(&mut self, n: u32, min: u32) {
        if n < min {
            self.push(format!("network.nodes = {n}: must be at least {min}"));
        } else if n == u32::MAX {
            self.push(format!("network.nodes = {n}: at most 4,294,967,294 are supported"));
        }
    }
    fn probability(&mut self, key: &str, x: f64) {
        if !(0.0..=1.0).contains(&x) {
            self.push(format!("{key} = {x}: must be a probability in [0, 1]"));
        }
    }
    fn finish(self) -> Result<(), GraphError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(GraphError::InvalidParameter(self.0.join("\n")))
        }
    }
}

/// Generate the network from the `network` stream of `seed`.
///
/// The stream is `rng::stream(seed, purpose::NETWORK, &[kind id])`. Node ids
/// are dense (`Labels::Dense`).
pub fn generate(spec: &GeneratorSpec, seed: u64) -> Result<Graph, GraphError> {
    spec.validate()?;
    let mut rng = rng::stream(seed, purpose::NETWORK, &[spec.kind_id()]);
    let r = &mut rng;
    match spec {
        GeneratorSpec::ErdosRenyi { nodes, mean_degree } => {
            let n = *nodes;
            let p = mean_degree / f64::from(n - 1);
            let mut edges = Vec::with_capacity(expected_edges(u64::from(n) * u64::from(n - 1) / 2, p)?);
            skip_triangle(r, p, 0, n, &mut edges);
            undirected(n, &edges)
        }
        GeneratorSpec::BarabasiAlbert { nodes, m } => barabasi_albert(r, *nodes, *m),
        GeneratorSpec::WattsStrogatz { nodes, k, beta } => watts_strogatz(r, *nodes, *k, *beta),
        GeneratorSpec::Sbm { sizes, p_in, p_out } => sbm(r, sizes, *p_in, *p_out),
        GeneratorSpec::Follower { nodes, follows, reciprocity } => follower(r, *nodes, *follows, *reciprocity),
        GeneratorSpec::Configuration { nodes, exponent, min_degree, max_degree } => {
            configuration(r, *nodes, *exponent, *min_degree, *max_degree)
        }
        GeneratorSpec::RandomRegular { nodes, degree } => random_regular(r, *nodes, *degree),
        GeneratorSpec::Complete { nodes } => {
            let n = *nodes;
            check_arcs(u64::from(n) * u64::from(n - 1))?;
            let mut edges = Vec::with_capacity(n as usize * (n as usize - 1) / 2);
            for u in 0..n {
                for v in u + 1..n {
                    edges.push((u, v));
                }
            }
            undirected(n, &edges)
        }
        GeneratorSpec::Ring { nodes } => {
            let n = *nodes;
            let edges: Vec<(u32, u32)> = (0..n).map(|u| (u, (u + 1) % n)).collect();
            undirected(n, &edges)
        }
    }
}

fn undirected(n: u32, edges: &[(u32, u32)]) -> Result<Graph, GraphError> {
    Graph::from_edges(n as usize, false, edges, None, Labels::Dense)
}

/// Refuse before allocating when the CSR could not hold the arcs.
fn check_arcs(arcs: u64) -> Result<(), GraphError> {
    if arcs >= u64::from(u32::MAX) {
        Err(GraphError::TooManyArcs { arcs, max: u64::from(u32::MAX) - 1 })
    } else {
        Ok(())
    }
}

/// Capacity for ~`pairs · p` edges (mean + 5 sd), refusing impossible sizes.
fn expected_edges(pairs: u64, p: f64) -> Result<usize, GraphError> {
    let mean = pairs as f64 * p;
    let cap = mean + 5.0 * mean.sqrt() + 16.0;
    if 2.0 * mean > u64::from(u32::MAX) as f64 {
        return Err(GraphError::TooManyArcs { arcs: (2.0 * mean) as u64, max: u64::from(u32::MAX) - 1 });
    }
    Ok(cap.min(pairs as f64) as usize)
}

/// Each pair `{v, w}` of nodes in `offset..offset + n` independently with
/// probability `p`, by geometric skip sampling over the lower triangle
/// (Batagelj & Brandes 2005): O(n + edges), one draw per edge.
fn skip_triangle(r: &mut Rng64, p: f64, offset: u32, n: u32, edges: &mut Vec<(u32, u32)>) {
    if p <= 0.0 || n < 2 {
        return;
    }
    let ln_q = (1.0 - p).ln();
    let n = i128::from(n);
    let (mut v, mut w): (i128, i128) = (1, -1);
    while v < n {
        w += 1 + i128::from(rng::geometric_gap(r, ln_q));
        while w >= v && v < n {
            w -= v;
            v += 1;
        }
        if v < n {
            edges.push((offset + v as u32, offset + w as u32));
        }
    }
}

/// Each pair `(a + i, b + j)`, `i < sa`, `j < sb`, with probability `p`, by
/// skip sampling over the `sa × sb` rectangle: O(edges + 1).
fn skip_rectangle(r: &mut Rng64, p: f64, (a, sa): (u32, u32), (b, sb): (u32, u32), edges: &mut Vec<(u32, u32)>) {
    if p <= 0.0 {
        return;
    }
    let ln_q = (1.0 - p).ln();
    let total = u128::from(sa) * u128::from(sb);
    let mut idx: u128 = 0;
    loop {
        idx += u128::from(rng::geometric_gap(r, ln_q));
        if idx >= total {
            break;
        }
        let (i, j) = ((idx / u128::from(sb)) as u32, (idx % u128::from(sb)) as u32);
        edges.push((a + i, b + j));
        idx += 1;
    }
}

/// Pick `k` distinct entries of `pool` uniformly at random (entries may
/// repeat in the pool, so this is preferential when the pool lists a node
/// once per link). `stamp[x] == epoch` marks "already picked"; the caller
/// guarantees the pool holds at least `k` distinct values.
fn pick_distinct(r: &mut Rng64, pool: &[u32], k: usize, stamp: &mut [u32], epoch: u32, out: &mut Vec<u32>) {
    out.clear();
    while out.len() < k {
        let x = pool[rng::below(r, pool.len() as u64) as usize];
        if stamp[x as usize] != epoch {
            stamp[x as usize] = epoch;
            out.push(x);
        }
    }
}

/// Barabási–Albert with the repeated-nodes list: node `t ≥ m` links to `m`
/// distinct earlier nodes chosen with probability ∝ degree (the list holds
/// each node once per edge end). Nodes `0..m` start unlinked and node `m`
/// links to all of them, so there are exactly `(n - m)·m` edges. O(n·m).
fn barabasi_albert(r: &mut Rng64, n: u32, m: u32) -> Result<Graph, GraphError> {
    let edges_n = u64::from(n - m) * u64::from(m);
    check_arcs(2 * edges_n)?;
    let mut edges = Vec::with_capacity(edges_n as usize);
    let mut repeated: Vec<u32> = Vec::with_capacity(2 * edges_n as usize);
    let mut targets: Vec<u32> = (0..m).collect();
    let mut stamp = vec![0u32; n as usize];
    for t in m..n {
        for &v in &targets {
            edges.push((t, v));
        }
        repeated.extend_from_slice(&targets);
        repeated.extend(std::iter::repeat_n(t, m as usize));
        if t + 1 < n {
            pick_distinct(r, &repeated, m as usize, &mut stamp, t + 1, &mut targets);
        }
    }
    undirected(n, &edges)
}

/// Watts–Strogatz (as in networkx): a ring lattice where each node links to
/// its `k/2` nearest neighbours on each side; then, for each lattice edge
/// `(u, u + j)` in order of `j` and `u`, with probability `beta` the far end is
/// replaced by a uniform node that is neither `u` nor already a neighbour.
/// The edge count stays `n·k/2`. O(n·k²).
fn watts_strogatz(r: &mut Rng64, n: u32, k: u32, beta: f64) -> Result<Graph, GraphError> {
    check_arcs(u64::from(n) * u64::from(k))?;
    let half = k / 2;
    let mut adj: Vec<Vec<u32>> =
        (0..n).map(|u| (1..=half).flat_map(|j| [(u + j) % n, (u + n - j) % n]).collect()).collect();
    for j in 1..=half {
        for u in 0..n {
            let v = (u + j) % n;
            if !rng::coin(r, beta) || adj[u as usize].len() as u32 >= n - 1 {
                continue;
            }
            // The lattice edge may already have been rewired away from `u`.
            if !adj[u as usize].contains(&v) {
                continue;
            }
            let w = loop {
                let w = rng::below(r, u64::from(n)) as u32;
                if w != u && !adj[u as usize].contains(&w) {
                    break w;
                }
            };
            remove_one(&mut adj[u as usize], v);
            remove_one(&mut adj[v as usize], u);
            adj[u as usize].push(w);
            adj[w as usize].push(u);
        }
    }
    let mut edges = Vec::with_capacity((u64::from(n) * u64::from(half)) as usize);
    for (u, row) in adj.iter().enumerate() {
        edges.extend(row.iter().filter(|&&v| v > u as u32).map(|&v| (u as u32, v)));
    }
    undirected(n, &edges)
}

fn remove_one(row: &mut Vec<u32>, x: u32) {
    if let Some(i) = row.iter().position(|&y| y == x) {
        row.swap_remove(i);
    }
}

/// Stochastic block model: pairs inside a block linked with `p_in`, across
/// blocks with `p_out`, each block pair skip-sampled: O(blocks² + n + m).
fn sbm(r: &mut Rng64, sizes: &[u32], p_in: f64, p_out: f64) -> Result<Graph, GraphError> {
    let n: u32 = sizes.iter().sum();
    let mut starts = Vec::with_capacity(sizes.len());
    let mut acc = 0u32;
    for &s in sizes {
        starts.push(acc);
        acc += s;
    }
    let pairs_in: u64 = sizes.iter().map(|&s| u64::from(s) * u64::from(s.saturating_sub(1)) / 2).sum();
    let nn = u64::from(n);
    let pairs_out = nn * nn.saturating_sub(1) / 2 - pairs_in;
    let cap = expected_edges(pairs_in, p_in)?.saturating_add(expected_edges(pairs_out, p_out)?);
    check_arcs(2 * cap as u64)?;
    let mut edges = Vec::with_capacity(cap);
    for (a, &sa) in sizes.iter().enumerate() {
        skip_triangle(r, p_in, starts[a], sa, &mut edges);
        for (b, &sb) in sizes.iter().enumerate().skip(a + 1) {
            skip_rectangle(r, p_out, (starts[a], sa), (starts[b], sb), &mut edges);
        }
    }
    undirected(n, &edges)
}

/// Directed follower graph (Price's model with reciprocity). Nodes arrive in
/// order; node `t` follows `min(follows, t)` distinct earlier accounts, each
/// picked with probability ∝ (its follower count + 1). Following `a` is the
/// arc `a → t` (t hears a), so follower count = out-degree. With probability
/// `reciprocity` the followed account follows back (arc `t → a`). Follower
/// counts get a power-law tail (exponent ≈ 2 + 1/follows). O(n·follows).
fn follower(r: &mut Rng64, n: u32, follows: u32, reciprocity: f64) -> Result<Graph, GraphError> {
    let base = u64::from(n) * u64::from(follows);
    check_arcs(base + (base as f64 * reciprocity) as u64)?;
    let mut edges: Vec<(u32, u32)> = Vec::with_capacity((base as f64 * (1.0 + reciprocity)) as usize + 16);
    // Each node once (the +1) and once more per follower gained.
    let mut pool: Vec<u32> = Vec::with_capacity(n as usize + edges.capacity());
    let mut stamp = vec![0u32; n as usize];
    let mut picked = Vec::with_capacity(follows as usize);
    for t in 0..n {
        let k = follows.min(t) as usize;
        pick_distinct(r, &pool, k, &mut stamp, t + 1, &mut picked);
        for &a in &picked {
            edges.push((a, t));
            pool.push(a);
            if rng::coin(r, reciprocity) {
                edges.push((t, a));
                pool.push(t);
            }
        }
        pool.push(t);
    }
    Graph::from_edges(n as usize, true, &edges, None, Labels::Dense)
}

/// Configuration model: degrees drawn i.i.d. from P(k) ∝ k^-exponent on
/// `[min, max]` (inverse CDF by binary search), one degree nudged by ±1 if the
/// sum is odd, stubs shuffled and paired; self-loops and repeated pairs are
/// dropped by the CSR build, so realized degrees can be slightly below the
/// drawn ones. O(n log(max - min) + Σk).
fn configuration(r: &mut Rng64, n: u32, exponent: f64, min: u32, max: u32) -> Result<Graph, GraphError> {
    let mut cdf = Vec::with_capacity((max - min + 1) as usize);
    let mut acc = 0.0;
    for k in min..=max {
        // Relative to k = min, so the weights cannot all underflow to 0.
        acc += (f64::from(k) / f64::from(min)).powf(-exponent);
        cdf.push(acc);
    }
    let total = acc;
    let mut deg: Vec<u32> = (0..n)
        .map(|_| {
            let u = rng::uniform(r) * total;
            let i = cdf.partition_point(|&c| c <= u).min(cdf.len() - 1);
            min + i as u32
        })
        .collect();
    let sum: u64 = deg.iter().map(|&d| u64::from(d)).sum();
    if sum % 2 == 1 {
        // min < max here (validation rejects an odd fixed-degree sum).
        let u = rng::below(r, u64::from(n)) as usize;
        if deg[u] < max {
            deg[u] += 1;
        } else {
            deg[u] -= 1;
        }
    }
    let sum: u64 = deg.iter().map(|&d| u64::from(d)).sum();
    check_arcs(sum)?;
    let mut stubs: Vec<u32> = Vec::with_capacity(sum as usize);
    for (u, &d) in deg.iter().enumerate() {
        stubs.extend(std::iter::repeat_n(u as u32, d as usize));
    }
    shuffle(r, &mut stubs);
    let edges: Vec<(u32, u32)> = stubs.chunks_exact(2).map(|c| (c[0], c[1])).collect();
    undirected(n, &edges)
}

/// Fisher–Yates shuffle.
fn shuffle(r: &mut Rng64, xs: &mut [u32]) {
    for i in (1..xs.len()).rev() {
        let j = rng::below(r, i as u64 + 1) as usize;
        xs.swap(i, j);
    }
}

/// Random `d`-regular simple graph. For `d > (n - 1) / 2` the complement of a
/// random `(n - 1 - d)`-regular graph is returned (the complement of a uniform
/// regular graph is uniform, and sparse graphs are easier to make simple).
fn random_regular(r: &mut Rng64, n: u32, d: u32) -> Result<Graph, GraphError> {
    check_arcs(u64::from(n) * u64::from(d))?;
    if d == n - 1 {
        let edges: Vec<(u32, u32)> = (0..n).flat_map(|u| (u + 1..n).map(move |v| (u, v))).collect();
        return undirected(n, &edges);
    }
    if 2 * d > n - 1 {
        let dc = n - 1 - d;
        let slots = regular_slots(r, n, dc)?;
        let mut mark = vec![u32::MAX; n as usize];
        let mut edges = Vec::with_capacity((u64::from(n) * u64::from(d) / 2) as usize);
        for u in 0..n {
            for &v in &slots[(u * dc) as usize..((u + 1) * dc) as usize] {
                mark[v as usize] = u;
            }
            edges.extend((u + 1..n).filter(|&v| mark[v as usize] != u).map(|v| (u, v)));
        }
        return undirected(n, &edges);
    }
    let slots = regular_slots(r, n, d)?;
    let mut edges = Vec::with_capacity((u64::from(n) * u64::from(d) / 2) as usize);
    for u in 0..n {
        for &v in &slots[(u * d) as usize..((u + 1) * d) as usize] {
            if v > u {
                edges.push((u, v));
            }
        }
    }
    undirected(n, &edges)
}

/// Adjacency of a simple `d`-regular graph as `n·d` slots (node `u` owns
/// `slots[u·d .. (u+1)·d]`), for `2d ≤ n - 1`.
///
/// Pairing model: `n·d` stubs shuffled and matched. Then every loop or
/// repeated edge `{a, b}` is removed by a switching with a uniformly chosen
/// edge `{c, d}`: `{a,b}, {c,d} → {a,c}, {b,d}`, accepted only when both new
/// edges are non-loops not already present. Each accepted switch lowers the
/// number of bad edges and never creates one, so the result is simple and
/// still exactly `d`-regular. (Switching makes the result close to, not
/// exactly, uniform — McKay & Wormald 1990 — which is fine for a test bed.)
/// A pairing has about d²/4 bad edges whatever n is, and each check scans a
/// row of d slots: expected O(n·d + d³) (n = 10⁶, d = 10: ~2 s; n = 2000,
/// d = 999: ~5 s with the test profile).
fn regular_slots(r: &mut Rng64, n: u32, d: u32) -> Result<Vec<u32>, GraphError> {
    let nd = (n as usize) * (d as usize);
    let du = d as usize;
    for _attempt in 0..20 {
        let mut stubs: Vec<u32> = (0..n).flat_map(|u| std::iter::repeat_n(u, du)).collect();
        shuffle(r, &mut stubs);
        let mut edges: Vec<(u32, u32)> = stubs.chunks_exact(2).map(|c| (c[0], c[1])).collect();
        drop(stubs);
        let mut slots = vec![0u32; nd];
        let mut fill = vec![0usize; n as usize];
        for &(a, b) in &edges {
            slots[a as usize * du + fill[a as usize]] = b;
            fill[a as usize] += 1;
            slots[b as usize * du + fill[b as usize]] = a;
            fill[b as usize] += 1;
        }
        drop(fill);
        let row = |u: u32| -> std::ops::Range<usize> { u as usize * du..(u as usize + 1) * du };
        let count = |s: &[u32], u: u32, v: u32| s[row(u)].iter().filter(|&&x| x == v).count();
        // Candidates: loops and all copies of repeated edges (re-checked when
        // their turn comes, since earlier switches may have fixed them).
        let mut bad: Vec<usize> = (0..edges.len())
            .filter(|&i| {
                let (a, b) = edges[i];
                a == b || count(&slots, a, b) > 1
            })
            .collect();
        let budget = 100 * edges.len() as u64 + 10_000;
        let mut tries = 0u64;
        let m = edges.len() as u64;
        'fix: while let Some(&i) = bad.last() {
            let (a, b) = edges[i];
            if a != b && count(&slots, a, b) <= 1 {
                bad.pop();
                continue;
            }
            loop {
                tries += 1;
                if tries > budget {
                    break 'fix;
                }
                let j = rng::below(r, m) as usize;
                if j == i {
                    continue;
                }
                let (mut c, mut e) = edges[j];
                if rng::below(r, 2) == 1 {
                    std::mem::swap(&mut c, &mut e);
                }
                // New edges {a,c} and {b,e}: no loops, not each other, and
                // absent once {a,b} and {c,e} are taken out.
                if a == c || b == e || (a == e && b == c) {
                    continue;
                }
                let ac = count(&slots, a, c) - usize::from(c == b) - usize::from(a == e);
                let be = count(&slots, b, e) - usize::from(e == a) - usize::from(b == c);
                if ac != 0 || be != 0 {
                    continue;
                }
                replace_one(&mut slots[row(a)], b, c);
                replace_one(&mut slots[row(b)], a, e);
                replace_one(&mut slots[row(c)], e, a);
                replace_one(&mut slots[row(e)], c, b);
                edges[i] = (a, c);
                edges[j] = (b, e);
                break;
            }
        }
        if bad.is_empty() {
            return Ok(slots);
        }
    }
    Err(GraphError::InvalidParameter(format!(
        "network.degree = {d}: could not build a simple {d}-regular graph on {n} nodes"
    )))
}

fn replace_one(row: &mut [u32], from: u32, to: u32) {
    if let Some(x) = row.iter_mut().find(|x| **x == from) {
        *x = to;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gen(spec: GeneratorSpec, seed: u64) -> Graph {
        generate(&spec, seed).unwrap_or_else(|e| panic!("{spec:?}: {e}"))
    }

    fn degrees(g: &Graph) -> Vec<u32> {
        (0..g.n()).map(|u| g.out_degree(u)).collect()
    }

    #[test]
    fn erdos_renyi_mean_degree_within_4_se() {
        let (n, c) = (20_000u32, 8.0);
        let g = gen(GeneratorSpec::ErdosRenyi { nodes: n, mean_degree: c }, 11);
        // Edge count ~ Binomial(N, p), N = n(n-1)/2; mean degree = 2M/n.
        let nn = f64::from(n);
        let pairs = nn * (nn - 1.0) / 2.0;
        let p = c / (nn - 1.0);
        let se = 2.0 * (pairs * p * (1.0 - p)).sqrt() / nn;
        let mean = 2.0 * g.num_edges() as f64 / nn;
        assert!((mean - c).abs() < 4.0 * se, "mean degree {mean}, expected {c} ± {}", 4.0 * se);
        // Isolated fraction ≈ e^-c (Poisson degrees); sd of the count ≈ sqrt(n e^-c).
        let iso = degrees(&g).iter().filter(|&&d| d == 0).count() as f64;
        let expect = nn * (-c).exp();
        assert!((iso - expect).abs() < 4.0 * expect.sqrt() + 2.0, "isolated {iso}, expected {expect}");
    }

    #[test]
    fn erdos_renyi_extremes() {
        let g = gen(GeneratorSpec::ErdosRenyi { nodes: 50, mean_degree: 49.0 }, 1);
        assert_eq!(g.num_edges(), 50 * 49 / 2);
        let g = gen(GeneratorSpec::ErdosRenyi { nodes: 50, mean_degree: 0.0 }, 1);
        assert_eq!(g.num_edges(), 0);
        assert_eq!(g.n(), 50);
    }

    #[test]
    fn barabasi_albert_counts_and_heavy_tail() {
        let (n, m) = (20_000u32, 3u32);
        let g = gen(GeneratorSpec::BarabasiAlbert { nodes: n, m }, 5);
        assert_eq!(g.n(), n);
        assert_eq!(g.num_edges() as u64, u64::from(n - m) * u64::from(m));
        let d = degrees(&g);
        assert!(d[m as usize..].iter().all(|&x| x >= m), "every later node has at least m links");
        let max = *d.iter().max().unwrap();
        // Mean 6; a Poisson graph of the same mean would top out near 20,
        // BA's largest hub grows like m·sqrt(n) ≈ 400.
        assert!(max > 100, "max degree {max}");
        let hubs = d.iter().filter(|&&x| x >= 50).count();
        assert!(hubs >= 20, "only {hubs} nodes with degree ≥ 50");
    }

    #[test]
    fn watts_strogatz_keeps_edge_count() {
        let g = gen(GeneratorSpec::WattsStrogatz { nodes: 1000, k: 6, beta: 0.0 }, 2);
        assert!(degrees(&g).iter().all(|&x| x == 6));
        assert_eq!(g.listeners(0), &[1, 2, 3, 997, 998, 999]);
        let g = gen(GeneratorSpec::WattsStrogatz { nodes: 1000, k: 6, beta: 0.3 }, 2);
        assert_eq!(g.num_edges(), 3000);
        // About Binomial(3000, 0.3) = 900 ± 25 lattice edges move, and a moved
        // edge lands within 3 hops with probability < 1%: count long edges.
        let long = (0..1000u32)
            .flat_map(|u| g.listeners(u).iter().map(move |&v| (u, v)))
            .filter(|&(u, v)| u < v && (v - u).min(1000 - (v - u)) > 3)
            .count();
        assert!((800..1000).contains(&long), "{long} rewired edges");
    }

    #[test]
    fn sbm_edge_counts_within_4_se() {
        let sizes = vec![500, 300, 200];
        let (p_in, p_out) = (0.05, 0.002);
        let g = gen(GeneratorSpec::Sbm { sizes: sizes.clone(), p_in, p_out }, 3);
        assert_eq!(g.n(), 1000);
        let block = |u: u32| {
            if u < 500 {
                0
            } else if u < 800 {
                1
            } else {
                2
            }
        };
        let (mut inside, mut across) = (0f64, 0f64);
        for u in 0..1000 {
            for &v in g.listeners(u) {
                if u < v {
                    if block(u) == block(v) {
                        inside += 1.0
                    } else {
                        across += 1.0
                    }
                }
            }
        }
        let pin: f64 = sizes.iter().map(|&s| f64::from(s) * f64::from(s - 1) / 2.0).sum();
        let pout = 1000.0 * 999.0 / 2.0 - pin;
        for (got, pairs, p) in [(inside, pin, p_in), (across, pout, p_out)] {
            let (mean, sd) = (pairs * p, (pairs * p * (1.0 - p)).sqrt());
            assert!((got - mean).abs() < 4.0 * sd, "got {got}, expected {mean} ± {}", 4.0 * sd);
        }
    }

    #[test]
    fn follower_graph_is_directed_with_heavy_tailed_followers() {
        let (n, f, rec) = (20_000u32, 5u32, 0.2);
        let g = gen(GeneratorSpec::Follower { nodes: n, follows: f, reciprocity: rec }, 9);
        assert!(g.is_directed());
        // Follows: sum over t of min(f, t); each reciprocated with prob rec.
        let follows: f64 = (0..n).map(|t| f64::from(f.min(t))).sum();
        let back = g.num_arcs() as f64 - follows;
        let sd = (follows * rec * (1.0 - rec)).sqrt();
        assert!((back - follows * rec).abs() < 4.0 * sd, "{back} follow-backs");
        // Everyone (after the first f) follows at least f accounts.
        assert!((f..n).all(|u| g.in_degree(u) >= f));
        let max_followers = (0..n).map(|u| g.followers(u)).max().unwrap();
        let mean = g.num_arcs() as f64 / f64::from(n);
        assert!(f64::from(max_followers) > 30.0 * mean, "max followers {max_followers}, mean {mean}");
    }

    #[test]
    fn configuration_model_degrees_follow_the_power_law() {
        let (n, exponent, min, max) = (20_000u32, 2.5, 2u32, 200u32);
        let g = gen(GeneratorSpec::Configuration { nodes: n, exponent, min_degree: min, max_degree: max }, 4);
        let d = degrees(&g);
        assert!(d.iter().all(|&x| x <= max));
        let w: Vec<f64> = (min..=max).map(|k| f64::from(k).powf(-exponent)).collect();
        let z: f64 = w.iter().sum();
        let mean: f64 = (min..=max).zip(&w).map(|(k, w)| f64::from(k) * w / z).sum();
        let got = 2.0 * g.num_edges() as f64 / f64::from(n);
        // Dropped loops/multi-edges only remove a small fraction.
        assert!(got <= mean * 1.02 && got > mean * 0.95, "mean degree {got}, drawn mean {mean}");
        // P(k = min) ≈ w[0] / z (a few edges lost can only lower degrees).
        let share = d.iter().filter(|&&x| x <= min).count() as f64 / f64::from(n);
        assert!((share - w[0] / z).abs() < 0.03, "share at min {share}, expected {}", w[0] / z);
        assert!(*d.iter().max().unwrap() > 50);
    }

    #[test]
    fn random_regular_is_exactly_regular_and_simple() {
        for (n, d) in [(1000u32, 3u32), (200, 10), (30, 20), (10, 9), (11, 6), (7, 0)] {
            let g = gen(GeneratorSpec::RandomRegular { nodes: n, degree: d }, 8);
            // from_edges merges duplicates and drops loops, so exact degrees
            // prove the graph is simple.
            assert!(degrees(&g).iter().all(|&x| x == d), "n={n} d={d}");
            assert_eq!(g.num_edges() as u64, u64::from(n) * u64::from(d) / 2);
        }
    }

    #[test]
    fn complete_and_ring() {
        let g = gen(GeneratorSpec::Complete { nodes: 40 }, 0);
        assert_eq!(g.num_edges(), 780);
        assert!(degrees(&g).iter().all(|&x| x == 39));
        let g = gen(GeneratorSpec::Ring { nodes: 5 }, 0);
        assert_eq!(g.num_edges(), 5);
        assert_eq!(g.listeners(0), &[1, 4]);
        assert!(degrees(&g).iter().all(|&x| x == 2));
    }

    #[test]
    fn same_seed_same_graph() {
        let specs = [
            GeneratorSpec::ErdosRenyi { nodes: 2000, mean_degree: 5.0 },
            GeneratorSpec::BarabasiAlbert { nodes: 2000, m: 2 },
            GeneratorSpec::WattsStrogatz { nodes: 2000, k: 4, beta: 0.1 },
            GeneratorSpec::Sbm { sizes: vec![1000, 1000], p_in: 0.01, p_out: 0.001 },
            GeneratorSpec::Follower { nodes: 2000, follows: 3, reciprocity: 0.3 },
            GeneratorSpec::Configuration { nodes: 2000, exponent: 2.2, min_degree: 1, max_degree: 100 },
            GeneratorSpec::RandomRegular { nodes: 2000, degree: 4 },
        ];
        for s in specs {
            let a = gen(s.clone(), 42);
            assert_eq!(a, gen(s.clone(), 42), "{}", s.kind());
            assert_ne!(a, gen(s.clone(), 43), "{}", s.kind());
        }
    }

    #[test]
    fn invalid_parameters_are_errors_naming_every_key() {
        let bad = [
            GeneratorSpec::ErdosRenyi { nodes: 10, mean_degree: 12.0 },
            GeneratorSpec::ErdosRenyi { nodes: 10, mean_degree: f64::NAN },
            GeneratorSpec::BarabasiAlbert { nodes: 10, m: 0 },
            GeneratorSpec::BarabasiAlbert { nodes: 10, m: 10 },
            GeneratorSpec::WattsStrogatz { nodes: 10, k: 3, beta: 0.1 },
            GeneratorSpec::Sbm { sizes: vec![], p_in: 0.1, p_out: 0.1 },
            GeneratorSpec::Sbm { sizes: vec![3, 0], p_in: 0.1, p_out: 0.1 },
            GeneratorSpec::Follower { nodes: 10, follows: 0, reciprocity: 0.5 },
            GeneratorSpec::Configuration { nodes: 10, exponent: 2.0, min_degree: 3, max_degree: 2 },
            GeneratorSpec::Configuration { nodes: 10, exponent: 2.0, min_degree: 0, max_degree: 20 },
            GeneratorSpec::Configuration { nodes: 5, exponent: 2.0, min_degree: 3, max_degree: 3 },
            GeneratorSpec::RandomRegular { nodes: 5, degree: 3 },
            GeneratorSpec::RandomRegular { nodes: 5, degree: 5 },
            GeneratorSpec::Complete { nodes: 0 },
            GeneratorSpec::Ring { nodes: 2 },
        ];
        for s in bad {
            match generate(&s, 1) {
                Err(GraphError::InvalidParameter(msg)) => assert!(msg.starts_with("network."), "{msg}"),
                other => panic!("{s:?} gave {other:?}"),
            }
        }
        let e = generate(&GeneratorSpec::WattsStrogatz { nodes: 2, k: 3, beta: 1.5 }, 1).unwrap_err().to_string();
        assert_eq!(e.lines().count(), 3, "{e}");
        assert!(e.contains("network.beta = 1.5: must be a probability in [0, 1]"), "{e}");
        assert!(matches!(
            generate(&GeneratorSpec::Complete { nodes: 100_000 }, 1),
            Err(GraphError::TooManyArcs { .. })
        ));
    }
}
