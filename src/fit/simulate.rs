//! The adapter from womsim's models to [`super::abc`]: a scenario, the keys
//! to fit, observed data, and θ ↦ a distance.
//!
//! **World and keys.** The fitted keys are `model.*` keys of the scenario,
//! named by their dotted path as in a `[sweep]` (`"model.share.good"`,
//! `"model.p"`); θ's values are put into the scenario and validated by the
//! normal parser ([`crate::scenario::Resolver`], the sweep's own code). The
//! network and population are built **once** ([`FitWorld::new`]) and every
//! proposal reuses them, so network and population keys are refused for now
//! (each proposal would rebuild a world). Each key's prior support is checked
//! up front: its ends must be valid values of the key, so no proposal can be
//! invalid. (A proposal that still fails validation — a cross-check between
//! keys — gets an infinite distance: never accepted.)
//!
//! **Curves** ([`CurveFit`]): observed cumulative counts at given steps for
//! one or more metrics (reached, reached_good, reached_bad, acted). A
//! proposal runs `replicates` replicates from the seeds of one strategy of
//! the scenario (the first by default, picked once; a random strategy's one
//! draw is kept for every proposal), averages their curves, multiplies by
//! `scale` (the observed population as a share of the simulated one) and
//! compares:
//!
//! `d = sqrt( mean over metrics m and observed steps t of ((scale · sim_m(t) − obs_m(t)) / obs_m(T))² )`
//!
//! with `obs_m(T)` the observed final value (1 if it is 0). Dividing by the
//! final value makes the distance scale-free (a curve of 50 and one of 50,000
//! adopters are fitted alike, and the tolerance schedule needs no units), and
//! one common divisor per metric makes every step weigh the same (dividing
//! each step by its own value would let the noisy first steps, where counts
//! are small, dominate). Several metrics are pooled on equal terms.
//!
//! **Cascades** ([`CascadeFit`]): observed cascades on the scenario's network,
//! each as its nodes' activation steps; its seeds are its earliest nodes.
//! A proposal simulates once from each cascade's seeds for as many steps as
//! the cascade lasted, and compares two summaries:
//!
//! * the **size distribution**: the Wasserstein-1 distance between the
//!   observed and simulated `ln(size)` (sizes sorted, mean absolute
//!   difference of order statistics: the cascades are equally many). Log
//!   sizes because cascade sizes are heavy-tailed: one giant cascade must not
//!   outweigh the shape of the rest, and a factor of 2 counts the same at any
//!   size;
//! * the **growth**: the mean cumulative size by step since the seeds (a
//!   cascade's size carried forward after its last step), as the root mean
//!   square of the error per step divided by the observed mean final size —
//!   the curve distance above, for the same reasons.
//!
//! `d = W1(ln sizes) + growth error`: both are relative (a log ratio and a
//! share of the final size), so they are added on equal terms.
//!
//! **Streams.** Replicate r (r ≥ 1) of a curve proposal with simulation key
//! `k` uses `derive_key(k, "abc-sim", [r])` (r = 0 uses `k`); cascade c uses
//! `derive_key(k, "abc-sim", [c])`. Scratch space is pooled (its state is
//! reset by each simulation), so results never depend on which thread ran.

use std::sync::Mutex;

use toml::Value;

use crate::graph::Graph;
use crate::metrics::{Metric, Trajectory};
use crate::models::{self, ModelSpec, ReplicateInput, Scratch};
use crate::population::Population;
use crate::prior::Prior;
use crate::rng::{self, purpose};
use crate::scenario::{Resolver, Scenario};

/// Metrics a curve may hold (`step,<metric>…` columns).
pub const CURVE_METRICS: [Metric; 4] = [Metric::Reached, Metric::ReachedGood, Metric::ReachedBad, Metric::Acted];

/// The curve metric called `name`, if it is one.
pub fn curve_metric(name: &str) -> Option<Metric> {
    CURVE_METRICS.iter().copied().find(|m| m.name() == name)
}

/// A scenario's world built once, and the means to set the fitted keys.
pub struct FitWorld {
    resolver: Resolver,
    keys: Vec<String>,
    /// Whether each key holds a whole number (θ is rounded).
    integer: Vec<bool>,
    scenario: Scenario,
    graph: Graph,
    population: Population,
    scratch: Mutex<Vec<Scratch>>,
}

impl FitWorld {
    /// Check the keys and priors (every problem at once) and build the
    /// scenario's network and population.
    pub fn new(scenario: &Scenario, keys: &[String], priors: &[Prior]) -> Result<FitWorld, Vec<String>> {
        let resolver = Resolver::new(scenario).map_err(|e| vec![e])?;
        let mut problems = Vec::new();
        if keys.is_empty() {
            problems.push("no key to fit: name at least one `model.*` key with its prior".to_string());
        }
        if keys.len() != priors.len() {
            problems.push(format!("{} keys but {} priors: give one prior per key", keys.len(), priors.len()));
        }
        let mut integer = Vec::with_capacity(keys.len());
        for (i, k) in keys.iter().enumerate() {
            if keys[..i].contains(k) {
                problems.push(format!("\"{k}\": named twice; fit each key once"));
            }
            if !k.starts_with("model.") {
                problems.push(format!(
                    "\"{k}\": only [model] keys can be fitted for now (\"model.<key>\"); the network and population \
                     are built once for the whole fit, so their keys cannot vary between proposals"
                ));
                integer.push(false);
                continue;
            }
            if let Some(why) = resolver.key_problem(k) {
                problems.push(format!("\"{k}\": {why}"));
                integer.push(false);
                continue;
            }
            match resolver.value(k) {
                Some(Value::Integer(_)) => integer.push(true),
                Some(Value::Float(_)) => integer.push(false),
                Some(v) => {
                    problems.push(format!("\"{k}\": holds {v}, not a number; only numeric keys can be fitted"));
                    integer.push(false);
                }
                None => {
                    problems.push(format!(
                        "\"{k}\": not a key of the scenario's model ({}); see `womsim list model`",
                        scenario.model.kind()
                    ));
                    integer.push(false);
                }
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        // Every prior's support ends must be valid values of their key.
        for (k, p) in keys.iter().zip(priors) {
            let (lo, hi) = p.support();
            for end in [lo, hi] {
                let v = if end.is_finite() { Value::Float(end) } else { Value::String(format!("{end}")) };
                if let Err(ps) = resolver.at(std::slice::from_ref(k), &[v]) {
                    let why: Vec<String> = ps.iter().map(ToString::to_string).collect();
                    problems.push(format!(
                        "\"{k}\": the prior {} reaches {end}, which the key does not allow: {}",
                        p.to_toml(),
                        why.join("; ")
                    ));
                    break;
                }
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let graph = crate::world::build(scenario).map_err(|e| vec![format!("{e:#}")])?;
        let population = crate::world::population(scenario, &graph).map_err(|e| vec![format!("{e:#}")])?;
        Ok(FitWorld {
            resolver,
            keys: keys.to_vec(),
            integer,
            scenario: scenario.clone(),
            graph,
            population,
            scratch: Mutex::new(Vec::new()),
        })
    }

    /// The network.
    pub fn graph(&self) -> &Graph {
        &self.graph
    }

    /// The scenario as given (the fitted keys at their base values).
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The model with the fitted keys set to θ (in key order).
    pub fn model_at(&self, theta: &[f64]) -> Result<ModelSpec, String> {
        let values: Vec<Value> = theta
            .iter()
            .zip(&self.integer)
            .map(|(&x, &int)| if int { Value::Integer(x.round() as i64) } else { Value::Float(x) })
            .collect();
        match self.resolver.at(&self.keys, &values) {
            Ok(s) => Ok(s.model),
            Err(ps) => Err(ps.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")),
        }
    }

    /// The seeds of the strategy called `name` (the scenario's first when
    /// `None`), picked once.
    pub fn seeds(&self, name: Option<&str>) -> Result<Vec<u32>, String> {
        let s = &self.scenario;
        let spec = match name {
            None => s.strategies.first().ok_or("the scenario has no strategy to take seeds from")?,
            Some(n) => s.strategies.iter().find(|st| st.name == n).ok_or_else(|| {
                let names: Vec<String> = s.strategies.iter().map(|st| format!("\"{}\"", st.name)).collect();
                format!("no strategy \"{n}\" in the scenario; its strategies are {}", names.join(", "))
            })?,
        };
        let world = crate::pipeline::World {
            graph: &self.graph,
            population: &self.population,
            model: &s.model,
            cfg: crate::runner::RunConfig { steps: s.steps, replicates: 1, seed: s.seed },
            seeding_progress: None,
            draws: &[],
        };
        let picked =
            crate::pipeline::pick_seeds(&world, spec).map_err(|e| format!("strategy \"{}\": {e}", spec.name))?;
        Ok(picked.of(0).seeds.clone())
    }

    /// One replicate of `model` from `seeds` for `steps` steps with the
    /// dynamics key `key`.
    pub fn simulate(&self, model: &ModelSpec, seeds: &[u32], key: u64, steps: u32) -> Trajectory {
        let mut scratch = self.scratch.lock().map(|mut v| v.pop()).ok().flatten().unwrap_or_default();
        let mut out = Trajectory::new(steps);
        let input = ReplicateInput { graph: &self.graph, population: &self.population, seeds, dynamics_key: key };
        models::simulate(model, &input, &mut scratch, &mut out);
        if let Ok(mut v) = self.scratch.lock() {
            v.push(scratch);
        }
        out
    }
}

/// An observed curve: cumulative counts of some metrics at some steps.
#[derive(Debug, Clone, PartialEq)]
pub struct CurveData {
    pub metrics: Vec<Metric>,
    /// Steps observed (increasing; step 0 is right after seeding).
    pub steps: Vec<u32>,
    /// Per metric, the cumulative count at each observed step.
    pub values: Vec<Vec<f64>>,
}

/// The curve distance of the module docs.
pub struct CurveFit<'w> {
    world: &'w FitWorld,
    data: CurveData,
    scale: f64,
    seeds: Vec<u32>,
    replicates: u32,
    /// `obs_m(T)` (1 when 0).
    norm: Vec<f64>,
}

impl<'w> CurveFit<'w> {
    /// Check the data against the world (every problem at once). `scale`
    /// multiplies simulated counts; `strategy` names the strategy whose
    /// seeds start every simulation (the first when `None`); `replicates`
    /// replicates are averaged per proposal.
    pub fn new(
        world: &'w FitWorld,
        data: CurveData,
        scale: f64,
        strategy: Option<&str>,
        replicates: u32,
    ) -> Result<CurveFit<'w>, Vec<String>> {
        let mut problems = Vec::new();
        if data.metrics.is_empty() || data.steps.is_empty() {
            problems.push("the curve is empty: it needs at least one metric observed at one step".to_string());
        }
        for m in &data.metrics {
            if !CURVE_METRICS.contains(m) {
                problems.push(format!(
                    "metric `{}` cannot be fitted; curves hold reached, reached_good, reached_bad or acted",
                    m.name()
                ));
            }
        }
        if data.values.len() != data.metrics.len() || data.values.iter().any(|v| v.len() != data.steps.len()) {
            problems.push("each metric needs one value per observed step".to_string());
        }
        if data.steps.windows(2).any(|w| w[0] >= w[1]) {
            problems.push("the observed steps must increase".to_string());
        }
        let horizon = world.scenario.steps;
        if let Some(&last) = data.steps.last().filter(|&&s| s > horizon) {
            problems
                .push(format!("the curve runs to step {last}, beyond the scenario's steps = {horizon}; raise `steps`"));
        }
        if !(scale.is_finite() && scale > 0.0) {
            problems.push(format!("scale = {scale}: must be a number > 0"));
        }
        if replicates == 0 {
            problems.push("replicates per particle must be at least 1".to_string());
        }
        let seeds = world.seeds(strategy).map_err(|e| problems.push(e)).unwrap_or_default();
        if !problems.is_empty() {
            return Err(problems);
        }
        let norm = data.values.iter().map(|v| v.last().copied().filter(|&x| x > 0.0).unwrap_or(1.0)).collect();
        Ok(CurveFit { world, data, scale, seeds, replicates, norm })
    }

    /// The mean simulated curve (scaled; per metric, at the observed steps)
    /// at θ with the simulation key `key`; `None` when θ is invalid.
    pub fn simulate(&self, theta: &[f64], key: u64) -> Option<Vec<Vec<f64>>> {
        let model = self.world.model_at(theta).ok()?;
        let horizon = *self.data.steps.last()?;
        let mut sum = vec![vec![0.0; self.data.steps.len()]; self.data.metrics.len()];
        for r in 0..self.replicates {
            let k = if r == 0 { key } else { rng::derive_key(key, purpose::ABC_SIM, &[u64::from(r)]) };
            let t = self.world.simulate(&model, &self.seeds, k, horizon);
            for (mi, m) in self.data.metrics.iter().enumerate() {
                for (si, &s) in self.data.steps.iter().enumerate() {
                    sum[mi][si] += t.get(s, *m);
                }
            }
        }
        let f = self.scale / f64::from(self.replicates);
        Some(sum.into_iter().map(|v| v.into_iter().map(|x| x * f).collect()).collect())
    }

    /// The distance of the module docs (infinite when θ is invalid).
    pub fn distance(&self, theta: &[f64], key: u64) -> f64 {
        let Some(sim) = self.simulate(theta, key) else { return f64::INFINITY };
        let mut sq = 0.0;
        let mut n = 0usize;
        for (mi, obs) in self.data.values.iter().enumerate() {
            for (si, o) in obs.iter().enumerate() {
                sq += ((sim[mi][si] - o) / self.norm[mi]).powi(2);
                n += 1;
            }
        }
        (sq / n as f64).sqrt()
    }
}

/// One observed cascade as its summary: seeds and cumulative size per step.
#[derive(Debug, Clone, PartialEq)]
pub struct CascadeObs {
    /// Its earliest nodes (dense ids), in ascending order.
    pub seeds: Vec<u32>,
    /// Distinct nodes active by step 0, 1, …, its last step (since the seeds).
    pub sizes: Vec<f64>,
}

impl CascadeObs {
    /// From `(node, step)` events (a node's first event counts); `None`
    /// when there are none.
    pub fn from_events(events: &[(u32, u32)]) -> Option<CascadeObs> {
        let first = events.iter().map(|e| e.1).min()?;
        let mut by_node: Vec<(u32, u32)> = events.to_vec();
        by_node.sort_unstable();
        by_node.dedup_by_key(|e| e.0); // keeps each node's earliest step
        let last = by_node.iter().map(|e| e.1).max().unwrap_or(first);
        let mut sizes = vec![0.0; (last - first) as usize + 1];
        for &(_, s) in &by_node {
            sizes[(s - first) as usize] += 1.0;
        }
        for i in 1..sizes.len() {
            sizes[i] += sizes[i - 1];
        }
        let seeds = by_node.iter().filter(|e| e.1 == first).map(|e| e.0).collect();
        Some(CascadeObs { seeds, sizes })
    }

    /// From a cascade read by [`super::cascades`]; `None` when it is empty.
    pub fn from_cascade(c: &super::Cascade) -> Option<CascadeObs> {
        let events: Vec<(u32, u32)> = c.events.iter().map(|e| (e.node, e.step)).collect();
        CascadeObs::from_events(&events)
    }

    /// The cascade observed over a window of `steps` steps since its seeds:
    /// its final size carried forward (nothing more happened), so that it is
    /// simulated for the whole window. Use it when the observation window is
    /// known; otherwise a cascade is simulated up to its last event.
    pub fn padded(mut self, steps: u32) -> CascadeObs {
        let last = self.sizes.last().copied().unwrap_or(0.0);
        self.sizes.resize(self.sizes.len().max(steps as usize + 1), last);
        self
    }

    /// Steps from the seeds to its last activation.
    pub fn len(&self) -> u32 {
        self.sizes.len() as u32 - 1
    }

    /// Whether it has no step after the seeds.
    pub fn is_empty(&self) -> bool {
        self.sizes.len() <= 1
    }
}

/// The two cascade summaries of the module docs.
#[derive(Debug, Clone, PartialEq)]
pub struct CascadeSummary {
    /// `ln(size)` of every cascade, sorted.
    pub log_sizes: Vec<f64>,
    /// Mean cumulative size by step since the seeds.
    pub growth: Vec<f64>,
}

impl CascadeSummary {
    /// From each cascade's cumulative sizes (carried forward to the longest).
    pub fn of<'a>(sizes: impl Iterator<Item = &'a [f64]> + Clone) -> CascadeSummary {
        let horizon = sizes.clone().map(<[f64]>::len).max().unwrap_or(0);
        let mut growth = vec![0.0; horizon];
        let mut log_sizes = Vec::new();
        for s in sizes {
            let last = s.last().copied().unwrap_or(0.0);
            log_sizes.push(last.max(1.0).ln());
            for (k, g) in growth.iter_mut().enumerate() {
                *g += s.get(k).copied().unwrap_or(last);
            }
        }
        let n = log_sizes.len().max(1) as f64;
        growth.iter_mut().for_each(|g| *g /= n);
        log_sizes.sort_by(f64::total_cmp);
        CascadeSummary { log_sizes, growth }
    }

    /// `W1(ln sizes) + growth error` (module docs); `self` is the observed.
    pub fn distance(&self, sim: &CascadeSummary) -> f64 {
        let n = self.log_sizes.len().max(1) as f64;
        let w1: f64 = self.log_sizes.iter().zip(&sim.log_sizes).map(|(a, b)| (a - b).abs()).sum::<f64>() / n;
        let norm = self.growth.last().copied().filter(|&x| x > 0.0).unwrap_or(1.0);
        let k = self.growth.len().max(1) as f64;
        let g: f64 = self.growth.iter().zip(&sim.growth).map(|(o, s)| ((s - o) / norm).powi(2)).sum::<f64>() / k;
        w1 + g.sqrt()
    }
}

/// The cascade distance of the module docs.
pub struct CascadeFit<'w> {
    world: &'w FitWorld,
    cascades: Vec<CascadeObs>,
    observed: CascadeSummary,
}

impl<'w> CascadeFit<'w> {
    /// Check the cascades against the world's network (every problem at
    /// once, each naming its cascade by index from 1).
    pub fn new(world: &'w FitWorld, cascades: Vec<CascadeObs>) -> Result<CascadeFit<'w>, Vec<String>> {
        let mut problems = Vec::new();
        if cascades.is_empty() {
            problems.push("no cascade to fit".to_string());
        }
        let n = world.graph.len() as u64;
        for (i, c) in cascades.iter().enumerate() {
            if c.seeds.is_empty() {
                problems.push(format!("cascade {}: no seed", i + 1));
            }
            if let Some(v) = c.seeds.iter().find(|&&v| u64::from(v) >= n) {
                problems.push(format!("cascade {}: seed {v} is not a node of the {n}-node network", i + 1));
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let observed = CascadeSummary::of(cascades.iter().map(|c| c.sizes.as_slice()));
        Ok(CascadeFit { world, cascades, observed })
    }

    /// The observed summaries.
    pub fn observed(&self) -> &CascadeSummary {
        &self.observed
    }

    /// The simulated summaries at θ with the simulation key `key`; `None`
    /// when θ is invalid.
    pub fn simulate(&self, theta: &[f64], key: u64) -> Option<CascadeSummary> {
        let model = self.world.model_at(theta).ok()?;
        let sizes: Vec<Vec<f64>> = self
            .cascades
            .iter()
            .enumerate()
            .map(|(c, obs)| {
                let k = rng::derive_key(key, purpose::ABC_SIM, &[c as u64]);
                let t = self.world.simulate(&model, &obs.seeds, k, obs.len());
                (0..=obs.len()).map(|s| t.get(s, Metric::Reached)).collect()
            })
            .collect();
        Some(CascadeSummary::of(sizes.iter().map(Vec::as_slice)))
    }

    /// The distance of the module docs (infinite when θ is invalid).
    pub fn distance(&self, theta: &[f64], key: u64) -> f64 {
        self.simulate(theta, key).map_or(f64::INFINITY, |s| self.observed.distance(&s))
    }
}
