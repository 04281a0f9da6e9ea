//! `ris`: influence maximization with reverse-reachable (RR) sets, IMM
//! (Tang, Shi & Xiao, SIGMOD 2015).
//!
//! **RR sets.** Pick a uniform root `v`; the RR set is every node that would
//! reach `v` in a random live-edge graph of the model. For the independent
//! cascade an arc `u → w` is live with its probability, so the set is a
//! reverse BFS from `v` over `sources` flipping one coin per arc (for a
//! uniform probability, and for `1 / in_degree`, coins are skipped with
//! geometric gaps, so a node with d sources costs O(1 + d·p), not O(d)). For
//! the linear threshold model each node keeps at most one incoming live arc
//! (arc `u → w` with probability b(u, w)), so the set is a reverse random
//! walk (Kempe et al. 2003). For a seed set `S`, `n · Pr[S meets an RR set]`
//! is its expected spread.
//!
//! **Time horizon.** Models run for `steps` synchronous steps; a node at
//! live-edge distance `d` from the seeds activates at step `d`. The reverse
//! search therefore stops at depth `steps`, which makes the estimate that of
//! the reach after `steps` steps (not of the unbounded cascade).
//!
//! **Models.** `independent_cascade` (every `EdgeProb`), `ic_n` (activation
//! in IC-N is an IC with probability `p`; reach counts positive and negative
//! nodes alike), `linear_threshold`. Other models have no live-edge
//! representation, so `ris` refuses them with [`SeedingError::Invalid`]
//! (use `greedy`, which runs the model itself).
//!
//! **IMM.** With `ε' = √2·ε` and `ℓ' = ℓ·(1 + ln 2 / ln n)`:
//! the sampling phase doubles a guess `x = n/2^i` of OPT, drawing
//! `θ_i = λ'/x` RR sets with `λ' = (2 + 2ε'/3)(ln C(n,k) + ℓ' ln n + ln log₂ n)·n/ε'²`,
//! until the greedy cover `S_i` satisfies `n·F(S_i) ≥ (1 + ε')x`, then
//! `LB = n·F(S_i)/(1 + ε')`. The final phase draws
//! `θ = λ*/LB` sets with `λ* = 2n((1 − 1/e)α + β)²/ε²`,
//! `α = √(ℓ' ln n + ln 2)`, `β = √((1 − 1/e)(ln C(n,k) + ℓ' ln n + ln 2))`,
//! and greedy max coverage on them returns a `(1 − 1/e − ε)`-approximation
//! with probability at least `1 − 1/n^ℓ`. Following Chen's correction
//! ("An issue in the martingale analysis of IMM", 2018), the final sets are
//! drawn **afresh** rather than reusing the sampling phase's.
//! Seeds are restricted to the pool; the guarantee is then relative to the
//! best seed set within the pool. With a cost budget, `k` is the number of
//! cheapest pool members the budget can buy.
//!
//! **Implementation.** RR sets are stored flat (`Vec<u32>` + offsets). Set
//! `i` is drawn from its own substream `(key, i)`, so sets are generated in
//! parallel blocks and concatenated in index order — identical at any thread
//! count. Visited marks use epoch stamps (O(1) reset). Max coverage builds an
//! inverted index node → RR ids once (counting sort, O(Σ|R|)) and uses a
//! lazy max-heap on coverage counts (ties by id): O(Σ|R| + P log P) per
//! selection.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rayon::prelude::*;

use super::{Picker, SeedingContext, SeedingError};
use crate::graph::Graph;
use crate::models::{EdgeProb, ModelSpec};
use crate::rng::{self, purpose, Rng64};

/// The live-edge process RR sets are drawn from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RrModel {
    /// Independent cascade with these arc probabilities.
    Ic(EdgeProb),
    /// Linear threshold with these arc weights.
    Lt(EdgeProb),
}

impl RrModel {
    /// The live-edge process of `spec` on `g`, or why there is none.
    pub fn of(spec: &ModelSpec, g: &Graph) -> Result<RrModel, SeedingError> {
        let m = match spec {
            ModelSpec::IndependentCascade(p) => RrModel::Ic(p.prob),
            ModelSpec::IcN(p) => RrModel::Ic(EdgeProb::Uniform(p.p)),
            ModelSpec::LinearThreshold(p) => RrModel::Lt(p.weights),
            other => {
                return Err(SeedingError::Invalid(format!(
                    "ris needs an IC-like model (independent_cascade, ic_n or linear_threshold), not {}; use \
                     greedy, which simulates the model itself",
                    other.kind()
                )))
            }
        };
        match m {
            RrModel::Ic(EdgeProb::Weights) | RrModel::Lt(EdgeProb::Weights) if !g.has_weights() => {
                Err(SeedingError::Invalid(
                    "ris: the model takes arc probabilities from the network's weights, but the network has none"
                        .to_string(),
                ))
            }
            RrModel::Ic(EdgeProb::Uniform(p)) | RrModel::Lt(EdgeProb::Uniform(p)) if !(0.0..=1.0).contains(&p) => {
                Err(SeedingError::Invalid(format!("ris: arc probability {p} is not in [0, 1]")))
            }
            m => Ok(m),
        }
    }
}

/// RR sets stored flat: set `i` is `nodes[offs[i]..offs[i + 1]]`, root first.
#[derive(Debug, Clone, PartialEq)]
pub struct RrSets {
    nodes: Vec<u32>,
    offs: Vec<usize>,
}

impl Default for RrSets {
    fn default() -> Self {
        RrSets { nodes: Vec::new(), offs: vec![0] }
    }
}

impl RrSets {
    /// Number of sets.
    pub fn len(&self) -> usize {
        self.offs.len() - 1
    }

    /// Whether there are no sets.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Set `i`.
    pub fn set(&self, i: usize) -> &[u32] {
        &self.nodes[self.offs[i]..self.offs[i + 1]]
    }

    /// Total stored node entries.
    pub fn total_size(&self) -> usize {
        self.nodes.len()
    }

    /// Draw sets until there are `target` of them. Set `i` uses the stream
    /// `substream(key, i)`; `depth` bounds the reverse search (time horizon).
    pub fn extend_to(&mut self, g: &Graph, model: RrModel, depth: u32, key: u64, target: usize) {
        let start = self.len();
        if target <= start || g.is_empty() {
            return;
        }
        let count = target - start;
        let blocks = (rayon::current_num_threads() * 4).min(count.div_ceil(64)).max(1);
        let per = count.div_ceil(blocks);
        let parts: Vec<(Vec<u32>, Vec<u32>)> = (0..blocks)
            .into_par_iter()
            .map(|b| {
                let lo = start + b * per;
                let hi = (lo + per).min(target);
                let mut w = Walker::new(g.len());
                let mut nodes = Vec::new();
                let mut lens = Vec::with_capacity(hi.saturating_sub(lo));
                for i in lo..hi {
                    let before = nodes.len();
                    let mut rng = rng::substream(key, i as u64);
                    w.sample(g, model, depth, &mut rng, &mut nodes);
                    lens.push((nodes.len() - before) as u32);
                }
                (nodes, lens)
            })
            .collect();
        for (nodes, lens) in parts {
            let mut at = self.nodes.len();
            self.nodes.extend_from_slice(&nodes);
            for l in lens {
                at += l as usize;
                self.offs.push(at);
            }
        }
    }
}

/// Reusable state for drawing RR sets.
struct Walker {
    stamp: Vec<u32>,
    epoch: u32,
}

impl Walker {
    fn new(n: usize) -> Self {
        Walker { stamp: vec![0; n], epoch: 0 }
    }

    /// Mark `u` visited; false if it already was.
    #[inline]
    fn mark(&mut self, u: u32) -> bool {
        let s = &mut self.stamp[u as usize];
        if *s == self.epoch {
            false
        } else {
            *s = self.epoch;
            true
        }
    }

    /// Append one RR set (uniform root) to `out`.
    fn sample(&mut self, g: &Graph, model: RrModel, depth: u32, rng: &mut Rng64, out: &mut Vec<u32>) {
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            self.stamp.fill(0);
            self.epoch = 1;
        }
        let root = rng::below(rng, u64::from(g.n())) as u32;
        let start = out.len();
        self.mark(root);
        out.push(root);
        match model {
            RrModel::Ic(prob) => {
                let ln_q_uniform = match prob {
                    EdgeProb::Uniform(p) => (1.0 - p).ln(),
                    _ => 0.0,
                };
                let mut lo = start;
                let mut d = 0;
                while lo < out.len() && d < depth {
                    let hi = out.len();
                    for i in lo..hi {
                        let w = out[i];
                        let src = g.sources(w);
                        match prob {
                            EdgeProb::Weights => {
                                let ws = g.source_weights(w).expect("checked: the graph has weights");
                                for (&u, &pw) in src.iter().zip(ws) {
                                    if rng::coin(rng, f64::from(pw)) && self.mark(u) {
                                        out.push(u);
                                    }
                                }
                            }
                            EdgeProb::Uniform(_) | EdgeProb::InverseInDegree => {
                                if src.is_empty() {
                                    continue;
                                }
                                let ln_q = match prob {
                                    EdgeProb::Uniform(_) => ln_q_uniform,
                                    _ => (1.0 - 1.0 / src.len() as f64).ln(),
                                };
                                // Geometric skipping: the gap to the next live arc.
                                let mut j = rng::geometric_gap(rng, ln_q);
                                while j < src.len() as u64 {
                                    let u = src[j as usize];
                                    if self.mark(u) {
                                        out.push(u);
                                    }
                                    j = j.saturating_add(1).saturating_add(rng::geometric_gap(rng, ln_q));
                                }
                            }
                        }
                    }
                    lo = hi;
                    d += 1;
                }
            }
            RrModel::Lt(weights) => {
                let mut cur = root;
                let mut d = 0;
                while d < depth {
                    let src = g.sources(cur);
                    if src.is_empty() {
                        break;
                    }
                    let pick = match weights {
                        EdgeProb::InverseInDegree => Some(src[rng::below(rng, src.len() as u64) as usize]),
                        EdgeProb::Uniform(b) => {
                            let x = rng::uniform(rng);
                            let j = if b > 0.0 { (x / b) as usize } else { usize::MAX };
                            src.get(j).copied()
                        }
                        EdgeProb::Weights => {
                            let ws = g.source_weights(cur).expect("checked: the graph has weights");
                            let x = rng::uniform(rng);
                            let mut acc = 0.0;
                            let mut found = None;
                            for (&u, &b) in src.iter().zip(ws) {
                                acc += f64::from(b);
                                if x < acc {
                                    found = Some(u);
                                    break;
                                }
                            }
                            found
                        }
                    };
                    match pick {
                        Some(u) if self.mark(u) => {
                            out.push(u);
                            cur = u;
                            d += 1;
                        }
                        _ => break,
                    }
                }
            }
        }
    }
}

/// Greedy maximum coverage over RR sets, restricted to a pool, as a
/// `Picker`: each pick is the pool node in the most not-yet-covered sets
/// (ties by id). Building is O(Σ|R| + n); all picks together cost
/// O(Σ|R| + P log P + re-pushes).
pub struct Coverage {
    sets: RrSets,
    n: usize,
    idx_off: Vec<usize>,
    idx: Vec<u32>,
    cov: Vec<u32>,
    covered: Vec<bool>,
    ncovered: usize,
    open: Vec<bool>,
    heap: BinaryHeap<(u32, Reverse<u32>)>,
    /// RR sets drawn in IMM's final phase (θ).
    pub theta: usize,
    /// IMM's lower bound on the optimum spread.
    pub lower_bound: f64,
}

impl Coverage {
    /// Index `sets` for picks among `pool` (nodes of a graph with `n` nodes).
    pub fn new(sets: RrSets, n: usize, pool: &[u32]) -> Self {
        let mut open = vec![false; n];
        for &u in pool {
            open[u as usize] = true;
        }
        let mut cov = vec![0u32; n];
        for &v in &sets.nodes {
            if open[v as usize] {
                cov[v as usize] += 1;
            }
        }
        let mut idx_off = vec![0usize; n + 1];
        for v in 0..n {
            idx_off[v + 1] = idx_off[v] + cov[v] as usize;
        }
        let mut fill = idx_off[..n].to_vec();
        let mut idx = vec![0u32; idx_off[n]];
        for r in 0..sets.len() {
            for &v in sets.set(r) {
                if open[v as usize] {
                    idx[fill[v as usize]] = r as u32;
                    fill[v as usize] += 1;
                }
            }
        }
        let heap = pool.iter().map(|&u| (cov[u as usize], Reverse(u))).collect();
        let covered = vec![false; sets.len()];
        let theta = sets.len();
        Coverage { sets, n, idx_off, idx, cov, covered, ncovered: 0, open, heap, theta, lower_bound: 0.0 }
    }

    /// Fraction of RR sets covered by the picks so far.
    pub fn covered_fraction(&self) -> f64 {
        if self.sets.is_empty() {
            0.0
        } else {
            self.ncovered as f64 / self.sets.len() as f64
        }
    }

    /// Estimated spread of the picks so far: `n · covered fraction`.
    pub fn estimated_spread(&self) -> f64 {
        self.n as f64 * self.covered_fraction()
    }

    /// Give the sets back (to draw more of them).
    pub fn into_sets(self) -> RrSets {
        self.sets
    }

    /// Next pick among nodes passing `fits` (others are dropped for good).
    pub fn pick(&mut self, fits: &dyn Fn(u32) -> bool) -> Option<u32> {
        while let Some((c, Reverse(u))) = self.heap.pop() {
            let ui = u as usize;
            if !self.open[ui] {
                continue;
            }
            if c != self.cov[ui] {
                // Stale (coverage only decreases): re-file with the true count.
                self.heap.push((self.cov[ui], Reverse(u)));
                continue;
            }
            self.open[ui] = false;
            if !fits(u) {
                continue;
            }
            for k in self.idx_off[ui]..self.idx_off[ui + 1] {
                let r = self.idx[k] as usize;
                if self.covered[r] {
                    continue;
                }
                self.covered[r] = true;
                self.ncovered += 1;
                for &w in self.sets.set(r) {
                    // Only pool nodes are counted (others stay at 0), and a
                    // pool node in an uncovered set has a count of at least 1.
                    if self.cov[w as usize] > 0 {
                        self.cov[w as usize] -= 1;
                    }
                }
            }
            return Some(u);
        }
        None
    }
}

impl Picker for Coverage {
    fn next(&mut self, fits: &dyn Fn(u32) -> bool) -> Result<Option<u32>, SeedingError> {
        Ok(self.pick(fits))
    }
}

/// ln C(n, k), O(k).
fn ln_choose(n: usize, k: usize) -> f64 {
    (0..k.min(n)).map(|i| ((n - i) as f64 / (i + 1) as f64).ln()).sum()
}

/// IMM for `k` seeds from `pool` (see the module docs).
pub fn imm(ctx: &SeedingContext<'_>, pool: &[u32], k: usize, epsilon: f64, ell: f64) -> Result<Coverage, SeedingError> {
    let g = ctx.graph;
    let model = RrModel::of(ctx.model, g)?;
    let n = g.len();
    let k = k.min(pool.len());
    if k == 0 || n == 0 {
        return Ok(Coverage::new(RrSets::default(), n, pool));
    }
    let depth = ctx.steps;
    let nf = n as f64;
    let ln2 = std::f64::consts::LN_2;
    let ln_n = nf.ln().max(ln2);
    let ell2 = ell * (1.0 + ln2 / ln_n);
    let lnc = ln_choose(n, k);
    let eps2 = std::f64::consts::SQRT_2 * epsilon;
    let lambda_p = (2.0 + 2.0 / 3.0 * eps2) * (lnc + ell2 * ln_n + nf.log2().ln().max(0.0)) * nf / (eps2 * eps2);
    let key = |phase: u64| rng::derive_key(ctx.seed, purpose::SEEDING, &[ctx.strategy_key, u64::MAX, phase]);
    let max_sets = u32::MAX as f64 / 2.0;
    let too_many = |theta: f64| {
        SeedingError::Invalid(format!(
            "ris: IMM would need {theta:.0} RR sets for k = {k} on {n} nodes; raise epsilon or lower the budget"
        ))
    };

    // Sampling phase: estimate a lower bound of OPT.
    let mut sets = RrSets::default();
    let mut lb = 1.0f64;
    let imax = (nf.log2().ceil() as i64 - 1).max(0) as i32;
    for i in 1..=imax {
        let x = nf / 2f64.powi(i);
        let theta_i = (lambda_p / x).ceil();
        if theta_i > max_sets {
            return Err(too_many(theta_i));
        }
        sets.extend_to(g, model, depth, key(0), theta_i as usize);
        let mut cov = Coverage::new(sets, n, pool);
        for _ in 0..k {
            if cov.pick(&|_| true).is_none() {
                break;
            }
        }
        let est = cov.estimated_spread();
        sets = cov.into_sets();
        if est >= (1.0 + eps2) * x {
            lb = est / (1.0 + eps2);
            break;
        }
    }
    drop(sets);

    // Final phase, on fresh sets.
    let e1 = 1.0 - std::f64::consts::E.recip();
    let alpha = (ell2 * ln_n + ln2).sqrt();
    let beta = (e1 * (lnc + ell2 * ln_n + ln2)).sqrt();
    let lambda_star = 2.0 * nf * (e1 * alpha + beta).powi(2) / (epsilon * epsilon);
    let theta = (lambda_star / lb).ceil();
    if theta > max_sets {
        return Err(too_many(theta));
    }
    let mut sets = RrSets::default();
    sets.extend_to(g, model, depth, key(1), theta as usize);
    let mut cov = Coverage::new(sets, n, pool);
    cov.lower_bound = lb;
    Ok(cov)
}
