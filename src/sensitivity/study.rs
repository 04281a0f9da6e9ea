//! A run's sensitivity study: the indices of every strategy's outputs, and
//! of the margin between the two leading strategies, over the draws of an
//! `[uncertain]` table with a `sensitivity` design. Pure (no I/O): the
//! caller writes `sensitivity.csv` and the `sensitivity` block of
//! `summary.json`.
//!
//! Outputs per strategy (each a draw mean over the draw's replicates):
//! final `reached`, `reached_bad`, `acted`; `lift_reached`,
//! `lift_reached_bad`, `lift_acted_beyond_seeds`; `action_per_cost`.
//! **Margin**: the verdict's metric ([`crate::uncertainty::verdict_metric`]:
//! action per unit of cost when the strategies' costs differ, else action
//! caused beyond the seeds); the two strategies with the highest means of
//! it over all draws are `best` and `second`, and the margin in a draw is
//! best's draw mean minus second's — the quantity that decides the
//! verdict, whose indices say which key can flip it.

use super::{morris, resamples, sobol, Est, Method, BOOTSTRAP};
use crate::metrics::Metric;
use crate::pipeline::{self, Execution};
use crate::results::{PerMetric, SensitivityInfo, SensitivityMargin, SensitivityRow, SummaryFile};
use crate::scenario::uncertain::Uncertain;
use crate::uncertainty::draw_means;

/// The bootstrap resamples' tag in the `sensitivity` stream (the design
/// uses 0 and 1 for Sobol's A and B, 2 for Morris).
const BOOTSTRAP_TAG: u64 = 3;

/// Name of the margin's rows in `strategy`.
pub const MARGIN: &str = "margin";

/// The chance variance of one draw mean: the mean over draws of the
/// within-draw sample variance, divided by the replicates per draw (MSW /
/// R, as [`crate::uncertainty::parameter_share`]); 0 with one replicate.
fn noise(xs: &[f64], per_draw: u32) -> f64 {
    let r = per_draw as usize;
    if r < 2 || xs.is_empty() {
        return 0.0;
    }
    let d = xs.len() / r;
    let within: f64 = xs
        .chunks(r)
        .map(|c| {
            let m = c.iter().sum::<f64>() / r as f64;
            c.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (r - 1) as f64
        })
        .sum();
    within / d as f64 / r as f64
}

fn opt(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// The study of `ex` (a finished or partial run of `summary`'s scenario
/// whose `[uncertain]` is `u`, `per_draw` replicates per draw, scenario
/// seed `seed`); `None` without a design.
pub fn study(
    u: &Uncertain,
    seed: u64,
    per_draw: u32,
    ex: &Execution,
    summary: &SummaryFile,
) -> Option<SensitivityInfo> {
    let design = u.sensitivity.as_ref()?;
    let k = u.keys.len();
    let units = design.base as usize;
    let boot = resamples(units, BOOTSTRAP, seed, crate::rng::purpose::SENSITIVITY, BOOTSTRAP_TAG);
    let noise_corrected = design.method == Method::Sobol && per_draw >= 2;
    let mut indices = Vec::new();
    let mut add = |strategy: &str, metric: &str, per_replicate: &[f64]| {
        let y = draw_means(per_replicate, per_draw);
        if y.len() != units * design.method.rows_per_base(k) {
            return; // a partial run's strategy cannot be short, but never index out of range
        }
        let est: Vec<[Est; 2]> = match design.method {
            Method::Sobol => sobol(&y, k, if noise_corrected { noise(per_replicate, per_draw) } else { 0.0 }, &boot),
            Method::Morris => morris(&design.rows, &y, k, &boot),
        };
        for (key, e) in u.keys.iter().zip(&est) {
            for (name, x) in design.method.index_names().iter().zip(e) {
                indices.push(SensitivityRow {
                    strategy: strategy.to_string(),
                    metric: metric.to_string(),
                    key: key.clone(),
                    index: name.to_string(),
                    value: opt(x.value),
                    ci95_low: opt(x.ci95_low),
                    ci95_high: opt(x.ci95_high),
                });
            }
        }
    };
    let n = ex.strategies.len().min(ex.lifts.len());
    // ex.finals: the baseline first, then each strategy.
    let finals = ex.finals.iter().skip(1).map(|(_, rows)| rows.as_slice());
    for ((st, rows), l) in ex.strategies.iter().zip(finals).zip(&ex.lifts).take(n) {
        let name = &st.name;
        for (metric, m) in [("reached", Metric::Reached), ("reached_bad", Metric::ReachedBad), ("acted", Metric::Acted)]
        {
            add(name, metric, &pipeline::column(rows, m));
        }
        add(name, "lift_reached", &l.reached);
        add(name, "lift_reached_bad", &l.reached_bad);
        add(name, "lift_acted_beyond_seeds", &l.acted_beyond_seeds);
        add(name, "action_per_cost", &l.action_per_cost);
    }
    let margin = (n >= 2).then(|| {
        let m = crate::uncertainty::verdict_metric(summary);
        let mean = |s: usize| ex.lifts[s].get(m).iter().sum::<f64>() / ex.lifts[s].get(m).len().max(1) as f64;
        let mut order: Vec<usize> = (0..n).collect();
        // Highest mean first; scenario order breaks ties.
        order.sort_by(|&a, &b| mean(b).total_cmp(&mean(a)).then(a.cmp(&b)));
        let (a, b) = (order[0], order[1]);
        let diff: Vec<f64> = ex.lifts[a].get(m).iter().zip(ex.lifts[b].get(m)).map(|(x, y)| x - y).collect();
        let metric = PerMetric::<f64>::NAMES[m];
        let metric = if metric == "action_per_cost" { metric.to_string() } else { format!("lift_{metric}") };
        add(MARGIN, &metric, &diff);
        SensitivityMargin { metric, best: ex.strategies[a].name.clone(), second: ex.strategies[b].name.clone() }
    });
    Some(SensitivityInfo {
        method: design.method.name().to_string(),
        base: design.base,
        levels: (design.method == Method::Morris).then_some(design.levels),
        bootstrap: BOOTSTRAP as u32,
        stream: format!("(seed, \"{}\", …)", crate::rng::purpose::SENSITIVITY),
        noise_corrected,
        margin,
        indices,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noise_is_the_variance_of_a_draw_mean() {
        // Draws [1, 3] and [2, 6]: within variances 2 and 8, mean 5; R = 2: 2.5.
        assert!((noise(&[1.0, 3.0, 2.0, 6.0], 2) - 2.5).abs() < 1e-12);
        assert_eq!(noise(&[1.0, 3.0], 1), 0.0);
    }
}
