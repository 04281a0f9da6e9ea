//! Strategies with a fixed preference order or simple randomness: `random`,
//! `top_degree`, `magic_middle`, `friends_of_random`, `explicit`, and the
//! ranked order behind `pagerank` and `kcore`.

use std::collections::HashMap;

use super::{Band, Budget, Pick, Picker, SeedingContext, SeedingError};
use crate::graph::{Graph, Labels};
use crate::rng::{self, purpose, Rng64};

/// The seeding stream of the strategy: `(seed, "seeding", [strategy_key])`
/// for its one seed set, `(seed, "seeding", [strategy_key, r])` for the set
/// of replicate `r`. Budgets of the same strategy share it, so with `random`
/// the seeds for a budget of 5 are the first 5 of those for 10 (nested
/// comparisons), replicate by replicate.
pub(super) fn rng_for(ctx: &SeedingContext<'_>) -> Rng64 {
    match ctx.draw {
        None => rng::stream(ctx.seed, purpose::SEEDING, &[ctx.strategy_key]),
        Some(r) => rng::stream(ctx.seed, purpose::SEEDING, &[ctx.strategy_key, u64::from(r)]),
    }
}

/// A fixed order, walked once.
pub(super) struct Order {
    order: Vec<u32>,
    pos: usize,
}

impl Order {
    pub(super) fn new(order: Vec<u32>) -> Self {
        Order { order, pos: 0 }
    }
}

impl Picker for Order {
    fn next(&mut self, fits: &dyn Fn(u32) -> bool) -> Result<Option<u32>, SeedingError> {
        while self.pos < self.order.len() {
            let u = self.order[self.pos];
            self.pos += 1;
            if fits(u) {
                return Ok(Some(u));
            }
        }
        Ok(None)
    }
}

/// Uniform random order, drawn lazily by a partial Fisher–Yates shuffle with
/// [`rng::below`]: O(1) per candidate looked at.
pub(super) struct Shuffle {
    items: Vec<u32>,
    pos: usize,
    rng: Rng64,
}

impl Shuffle {
    pub(super) fn new(items: Vec<u32>, rng: Rng64) -> Self {
        Shuffle { items, pos: 0, rng }
    }
}

impl Picker for Shuffle {
    fn next(&mut self, fits: &dyn Fn(u32) -> bool) -> Result<Option<u32>, SeedingError> {
        let n = self.items.len();
        while self.pos < n {
            let j = self.pos + rng::below(&mut self.rng, (n - self.pos) as u64) as usize;
            self.items.swap(self.pos, j);
            let u = self.items[self.pos];
            self.pos += 1;
            if fits(u) {
                return Ok(Some(u));
            }
        }
        Ok(None)
    }
}

/// Pool sorted by `key` descending, ties by id ascending. O(P log P).
pub(super) fn ranked_by<K: PartialOrd, F: Fn(u32) -> K>(mut pool: Vec<u32>, key: F) -> Order {
    pool.sort_unstable_by(|&a, &b| key(b).partial_cmp(&key(a)).unwrap_or(std::cmp::Ordering::Equal).then(a.cmp(&b)));
    Order::new(pool)
}

/// `top_degree`: most followers (out-degree; the degree in undirected
/// graphs) first.
pub(super) fn top_degree(g: &Graph, pool: Vec<u32>) -> Order {
    ranked_by(pool, |u| g.followers(u))
}

/// The follower count at percentile `q` (0–100) of `sorted` (ascending), by
/// the nearest-rank method: the smallest value with at least q% of the pool
/// at or below it (q = 0 gives the minimum, q = 100 the maximum).
fn nearest_rank(sorted: &[u32], q: f64) -> u32 {
    let n = sorted.len();
    let rank = (q / 100.0 * n as f64).ceil() as usize;
    sorted[rank.clamp(1, n) - 1]
}

/// The follower-count bounds `[lo, hi]` (inclusive) of `band` over `pool`,
/// and a description for messages. An empty pool gives the empty band
/// `(1, 0)`.
pub(super) fn band_followers(g: &Graph, pool: &[u32], band: Band) -> (u32, u32, String) {
    match band {
        Band::Degree(lo, hi) => (lo, hi, format!("{lo}–{hi} followers")),
        Band::Percentile(plo, phi) => {
            let mut f: Vec<u32> = pool.iter().map(|&u| g.followers(u)).collect();
            f.sort_unstable();
            if f.is_empty() {
                (1, 0, format!("percentiles {plo}–{phi} (empty pool)"))
            } else {
                let (lo, hi) = (nearest_rank(&f, plo), nearest_rank(&f, phi));
                (lo, hi, format!("percentiles {plo}–{phi} ({lo}–{hi} followers)"))
            }
        }
    }
}

/// `magic_middle`: pool members whose follower count is in the band.
///
/// `Band::Degree(lo, hi)` is inclusive. `Band::Percentile(lo, hi)` is turned
/// into follower bounds over the *pool's* follower counts with the
/// nearest-rank method ([`nearest_rank`]), then applied inclusively, so nodes
/// with equal follower counts are always all in or all out.
///
/// With a people budget the band must hold at least that many nodes
/// ([`SeedingError::BandTooSmall`] otherwise).
pub(super) fn magic_middle(
    ctx: &SeedingContext<'_>,
    pool: Vec<u32>,
    band: Band,
    pick: Pick,
    budget: Budget,
) -> Result<Box<dyn Picker>, SeedingError> {
    let g = ctx.graph;
    let (lo, hi, desc) = band_followers(g, &pool, band);
    let in_band: Vec<u32> = pool.into_iter().filter(|&u| (lo..=hi).contains(&g.followers(u))).collect();
    if let Budget::People(k) = budget {
        if in_band.len() < k as usize {
            return Err(SeedingError::BandTooSmall { band: desc, available: in_band.len(), budget: u64::from(k) });
        }
    }
    Ok(match pick {
        Pick::Random => Box::new(Shuffle::new(in_band, rng_for(ctx))),
        Pick::Highest => Box::new(top_degree(g, in_band)),
    })
}

/// `friends_of_random` (friendship paradox; Kim et al., Lancet 2015):
/// repeatedly draw a uniform pool member `u`, then a uniform node among
/// those `u` hears (`sources(u)`; any neighbour in an undirected graph) that
/// is in the pool, not yet chosen and not yet rejected by the budget. If `u`
/// hears no such node, draw another `u`.
///
/// Drawing among `u`'s *available* sources (rather than rejecting an
/// unavailable one and starting over) keeps the friendship-paradox bias —
/// a node is nominated in proportion to how many pool members hear it — and
/// avoids most wasted draws. A node heard by no pool member can never be
/// nominated; with a people budget larger than the number of nominable nodes
/// the strategy fails up front. As a guard against pathological inputs a pick
/// gives up after `64·P + 1000` fruitless draws (each fruitless draw has
/// probability at most `1 − 1/P`, so a spurious failure has probability
/// below e⁻⁶⁴).
pub(super) struct FriendsOfRandom<'a> {
    g: &'a Graph,
    pool: Vec<u32>,
    /// 1 = nominable and still available.
    avail: Vec<bool>,
    remaining: usize,
    rng: Rng64,
}

impl<'a> FriendsOfRandom<'a> {
    pub(super) fn new(ctx: &SeedingContext<'a>, pool: Vec<u32>, budget: Budget) -> Result<Self, SeedingError> {
        let g = ctx.graph;
        let mut in_pool = vec![false; g.len()];
        for &u in &pool {
            in_pool[u as usize] = true;
        }
        let mut avail = vec![false; g.len()];
        let mut remaining = 0usize;
        for &u in &pool {
            for &v in g.sources(u) {
                if in_pool[v as usize] && !avail[v as usize] {
                    avail[v as usize] = true;
                    remaining += 1;
                }
            }
        }
        if let Budget::People(k) = budget {
            if remaining < k as usize {
                return Err(SeedingError::Invalid(format!(
                    "friends_of_random: only {remaining} pool members are heard by another pool member (a \
                     friend of someone in the pool), fewer than the budget {k}"
                )));
            }
        }
        Ok(FriendsOfRandom { g, pool, avail, remaining, rng: rng_for(ctx) })
    }
}

impl Picker for FriendsOfRandom<'_> {
    fn next(&mut self, fits: &dyn Fn(u32) -> bool) -> Result<Option<u32>, SeedingError> {
        let cap = 64 * self.pool.len() as u64 + 1000;
        let mut fruitless = 0u64;
        while self.remaining > 0 {
            let u = self.pool[rng::below(&mut self.rng, self.pool.len() as u64) as usize];
            let src = self.g.sources(u);
            let count = src.iter().filter(|&&v| self.avail[v as usize]).count();
            if count == 0 {
                fruitless += 1;
                if fruitless > cap {
                    return Err(SeedingError::Invalid(format!(
                        "friends_of_random: no available neighbour found after {cap} random draws ({} nominable \
                         nodes left)",
                        self.remaining
                    )));
                }
                continue;
            }
            let j = rng::below(&mut self.rng, count as u64) as usize;
            let v = *src.iter().filter(|&&v| self.avail[v as usize]).nth(j).expect("j < count");
            self.avail[v as usize] = false;
            self.remaining -= 1;
            if fits(v) {
                return Ok(Some(v));
            }
        }
        Ok(None)
    }
}

/// `explicit`: resolve original ids to dense ids with one hash map built for
/// the list (O(n + list)), in the order given. Unknown ids and duplicates
/// are errors (all of them are named). When `restrict` is set (the strategy
/// named a pool), every node must be in `pool`.
pub(super) fn explicit(g: &Graph, pool: &[u32], nodes: &[String], restrict: bool) -> Result<Order, SeedingError> {
    let mut resolved: Vec<Option<u32>> = Vec::with_capacity(nodes.len());
    match g.labels() {
        Labels::Dense => {
            resolved.extend(nodes.iter().map(|s| s.trim().parse::<u32>().ok().filter(|&u| u < g.n())));
        }
        Labels::Numeric(ids) => {
            let map: HashMap<u64, u32> = ids.iter().enumerate().map(|(i, &x)| (x, i as u32)).collect();
            resolved.extend(nodes.iter().map(|s| s.trim().parse::<u64>().ok().and_then(|x| map.get(&x).copied())));
        }
        Labels::Names(names) => {
            let map: HashMap<&str, u32> = names.iter().enumerate().map(|(i, s)| (s.as_str(), i as u32)).collect();
            resolved.extend(nodes.iter().map(|s| map.get(s.as_str()).or_else(|| map.get(s.trim())).copied()));
        }
    }
    let unknown: Vec<&String> = nodes.iter().zip(&resolved).filter(|(_, r)| r.is_none()).map(|(s, _)| s).collect();
    match unknown.len() {
        0 => {}
        1 => return Err(SeedingError::UnknownNode(unknown[0].clone())),
        m => {
            let shown: Vec<String> = unknown.iter().take(10).map(|s| format!("{s:?}")).collect();
            let more = if m > 10 { format!(" and {} more", m - 10) } else { String::new() };
            return Err(SeedingError::Invalid(format!(
                "explicit: {m} node ids are not in the network: {}{more}",
                shown.join(", ")
            )));
        }
    }
    let order: Vec<u32> = resolved.into_iter().map(|r| r.expect("checked")).collect();
    let mut seen: HashMap<u32, usize> = HashMap::with_capacity(order.len());
    let mut dups: Vec<String> = Vec::new();
    for (i, &u) in order.iter().enumerate() {
        if let Some(&first) = seen.get(&u) {
            dups.push(format!("{:?} (entries {} and {})", nodes[i], first + 1, i + 1));
        } else {
            seen.insert(u, i);
        }
    }
    if !dups.is_empty() {
        return Err(SeedingError::Invalid(format!("explicit: duplicate node ids: {}", dups.join(", "))));
    }
    if restrict {
        let mut in_pool = vec![false; g.len()];
        for &u in pool {
            in_pool[u as usize] = true;
        }
        let outside: Vec<String> =
            nodes.iter().zip(&order).filter(|(_, &u)| !in_pool[u as usize]).map(|(s, _)| format!("{s:?}")).collect();
        if !outside.is_empty() {
            return Err(SeedingError::Invalid(format!(
                "explicit: node ids outside the strategy's pool: {}",
                outside.join(", ")
            )));
        }
    }
    Ok(Order::new(order))
}
