//! Results of a run with `[uncertain]` parameters
//! ([`crate::scenario::uncertain`]): D draws × R replicates, replicate i
//! belonging to draw i / R.
//!
//! * **Clustered intervals.** Replicates of one draw share its parameters,
//!   so they are not independent of each other; a CI over all D × R
//!   replicates as if they were would be too narrow. With `[uncertain]`
//!   every mean's `sd` and 95% CI in `summary.json` (final values, lifts,
//!   action per reach and per cost, steps to half reach, paired
//!   differences and their p-values) are computed from the D draw means
//!   (t with D − 1 degrees of freedom): the analysis of cluster means,
//!   exact for a balanced design. Quantiles (`q05`, `q50`, `q95` of final
//!   values) stay over all replicates: they describe the spread of
//!   outcomes.
//! * **`p_best`**, per lift metric: the share of draws in which the
//!   strategy has the highest draw-mean lift among the run's strategies
//!   (for `reached_bad` the lowest: less bad news is better); ties split
//!   equally, so the shares sum to 1 over strategies. Its Monte Carlo
//!   error `p_best_se` is √(p(1 − p)/D) (draws are independent).
//! * **`lift_over_draws`**: mean, 5%, 50% and 95% (type 7) of the
//!   draw-mean lifts: what the parameters' uncertainty does to the
//!   expected lift.
//! * **`parameter_share`**: the share of a lift's variance due to the
//!   parameters rather than chance, by the one-way random-effects ANOVA
//!   (method of moments; e.g. Searle, Casella & McCulloch 1992, §3.5):
//!   with MSB = R Σ_d (m_d − m)² / (D − 1) and MSW = Σ_d Σ_r (x_dr − m_d)²
//!   / (D (R − 1)), σ²_param = max(0, (MSB − MSW) / R), σ²_chance = MSW,
//!   share = σ²_param / (σ²_param + σ²_chance). The draw means' own
//!   variance overstates the parameters' part by MSW / R (each draw mean
//!   carries R replicates' chance), which is what the correction removes.
//!   `None` when D < 2 or R < 2, or with no variance at all.

use crate::metrics::{Metric, Row};
use crate::pipeline::{self, BaselineRun, Cell, CellRun};
use crate::prior::Prior;
use crate::results::{
    FinalMetrics, FinalStat, OverDraws, PerMetric, Stat, StrategySummary, StrategyUncertain, SummaryFile,
    UncertainInfo, UncertainKey,
};
use crate::scenario::uncertain::Uncertain;
use crate::stats;

/// The lift metrics' per-replicate values of one cell: the lifts in reach,
/// good reach, bad reach and action, action beyond the seeds, and action
/// beyond the seeds per unit of cost.
pub fn per_replicate(cell: &Cell, cell_index: usize, run: &CellRun, base: &BaselineRun) -> PerMetric<Vec<f64>> {
    let lift =
        |m: Metric| -> Vec<f64> { run.finals.iter().zip(&base.finals).map(|(a, b)| a[m.idx()] - b[m.idx()]).collect() };
    let beyond = pipeline::acted_beyond_seeds(cell, cell_index, run, base);
    let per_cost = pipeline::per_cost(&beyond, &cell.seeds.costs(run.finals.len() as u32));
    let mut parts = [
        lift(Metric::Reached),
        lift(Metric::ReachedGood),
        lift(Metric::ReachedBad),
        lift(Metric::Acted),
        beyond,
        per_cost,
    ]
    .into_iter();
    PerMetric::from_fn(|_| parts.next().expect("six metrics"))
}

/// The mean of each consecutive block of `per_draw` values (one per draw).
pub fn draw_means(xs: &[f64], per_draw: u32) -> Vec<f64> {
    xs.chunks(per_draw.max(1) as usize).map(|c| c.iter().sum::<f64>() / c.len() as f64).collect()
}

/// The share of `xs`'s variance due to the draws (module docs).
pub fn parameter_share(xs: &[f64], per_draw: u32) -> Option<f64> {
    let r = per_draw as usize;
    let d = xs.len() / r.max(1);
    if d < 2 || r < 2 || d * r != xs.len() {
        return None;
    }
    let means = draw_means(xs, per_draw);
    let grand = means.iter().sum::<f64>() / d as f64;
    let msb = r as f64 * means.iter().map(|m| (m - grand).powi(2)).sum::<f64>() / (d - 1) as f64;
    let ssw: f64 = xs.chunks(r).zip(&means).map(|(c, m)| c.iter().map(|x| (x - m).powi(2)).sum::<f64>()).sum();
    let msw = ssw / (d * (r - 1)) as f64;
    let between = ((msb - msw) / r as f64).max(0.0);
    let total = between + msw;
    (total > 0.0).then(|| between / total)
}

/// Mean and quantiles of the draw means.
pub fn over_draws(means: &[f64]) -> OverDraws {
    let mut sorted = means.to_vec();
    sorted.sort_unstable_by(f64::total_cmp);
    OverDraws {
        mean: stats::summarize(means).mean,
        q05: stats::quantile_sorted(&sorted, 0.05),
        q50: stats::quantile_sorted(&sorted, 0.5),
        q95: stats::quantile_sorted(&sorted, 0.95),
    }
}

/// `p_best[s]` for each strategy s, from each strategy's draw means of one
/// metric (`lower_is_better` for bad reach): the share of draws in which s
/// is best, a tie splitting the draw equally.
pub fn p_best(means: &[&[f64]], lower_is_better: bool) -> Vec<f64> {
    let n = means.len();
    let d = means.first().map_or(0, |m| m.len());
    let mut wins = vec![0.0; n];
    if d == 0 {
        return wins;
    }
    // k indexes every strategy's column at once.
    #[allow(clippy::needless_range_loop)]
    for k in 0..d {
        let key = |s: usize| if lower_is_better { -means[s][k] } else { means[s][k] };
        let best = (0..n).map(key).fold(f64::NEG_INFINITY, f64::max);
        let tied: Vec<usize> = (0..n).filter(|&s| key(s) == best).collect();
        for &s in &tied {
            wins[s] += 1.0 / tied.len() as f64;
        }
    }
    wins.iter().map(|w| w / d as f64).collect()
}

/// Fill every strategy's `uncertain` block from each strategy's draw means
/// (`draws[s]`, aligned with `strategies`) and per-replicate values.
pub fn rank(strategies: &mut [StrategySummary], draws: &[PerMetric<Vec<f64>>], shares: &[PerMetric<Option<f64>>]) {
    let per_metric: Vec<Vec<f64>> = (0..6)
        .map(|m| {
            let cols: Vec<&[f64]> = draws.iter().map(|d| d.get(m).as_slice()).collect();
            p_best(&cols, PerMetric::<f64>::NAMES[m] == "reached_bad")
        })
        .collect();
    for (s, st) in strategies.iter_mut().enumerate() {
        let n = draws[s].reached.len() as f64;
        let p = PerMetric::from_fn(|m| per_metric[m][s]);
        st.uncertain = Some(StrategyUncertain {
            p_best: p,
            p_best_se: PerMetric::from_fn(|m| (per_metric[m][s] * (1.0 - per_metric[m][s]) / n).sqrt()),
            lift_over_draws: PerMetric::from_fn(|m| over_draws(draws[s].get(m))),
            parameter_share: shares[s],
        });
    }
}

/// The `uncertain` block of `summary.json` for `u`, `per_draw` replicates
/// in each draw.
pub fn info(u: &Uncertain, per_draw: u32) -> UncertainInfo {
    UncertainInfo {
        draws: u.draws,
        replicates_per_draw: per_draw,
        stream: format!("(seed, \"{}\", [FNV-1a(key), draw])", crate::rng::purpose::UNCERTAIN),
        keys: u
            .keys
            .iter()
            .zip(&u.priors)
            .map(|(k, p)| UncertainKey { key: k.clone(), prior: p.as_ref().map(Prior::to_toml) })
            .collect(),
        // The file's name only: summary.json must not depend on where the
        // machine keeps it (its digest identifies it).
        samples: u.samples.as_ref().map(|s| {
            s.path
                .file_name()
                .map_or_else(|| s.path.to_string_lossy().into_owned(), |n| n.to_string_lossy().into_owned())
        }),
        samples_sha256: u.samples.as_ref().map(|s| s.sha256.clone()),
    }
}

/// The metric an `[uncertain]` verdict speaks of: action per unit of cost
/// when the strategies' costs differ (as the report's cost sentence),
/// else action caused beyond the seeds. An index into [`PerMetric::NAMES`].
pub fn verdict_metric(summary: &SummaryFile) -> usize {
    let costs: Vec<f64> = summary.strategies.iter().map(|s| s.cost).filter(|c| c.is_finite()).collect();
    let differ =
        costs.iter().any(|&c| c > 0.0) && costs.iter().any(|&c| (c - costs[0]).abs() > 1e-9 * costs[0].abs().max(1.0));
    if differ {
        5
    } else {
        4
    }
}

/// `(what the best does, what the metric is called)` for metric `m`.
fn metric_words(m: usize) -> (&'static str, &'static str) {
    match PerMetric::<f64>::NAMES[m] {
        "action_per_cost" => ("causes the most action per unit of cost", "action per unit of cost"),
        "acted_beyond_seeds" => ("causes the most action beyond its seeds", "action caused"),
        "reached" => ("reaches the most people", "extra reach"),
        "reached_good" => ("spreads the most good news", "extra good-news reach"),
        "reached_bad" => ("spreads the least bad news", "extra bad-news reach"),
        _ => ("causes the most action", "extra action"),
    }
}

/// The verdict of an `[uncertain]` run in words a presenter can read out,
/// on metric `m` (index into [`PerMetric::NAMES`]): who is best in what
/// share of the draws (largest first, those never best left out), and the
/// parameters' share of the leaders' variance. `name` formats a strategy's
/// name (e.g. HTML-escaped). `None` without `[uncertain]`.
pub fn verdict(summary: &SummaryFile, m: usize, name: &dyn Fn(&str) -> String) -> Option<String> {
    let info = summary.uncertain.as_ref()?;
    let (does, called) = metric_words(m);
    let rows: Vec<(&str, &StrategyUncertain)> =
        summary.strategies.iter().filter_map(|s| s.uncertain.as_ref().map(|u| (s.name.as_str(), u))).collect();
    let mut ranked: Vec<&(&str, &StrategyUncertain)> = rows.iter().filter(|(_, u)| *u.p_best.get(m) > 0.0).collect();
    ranked.sort_by(|a, b| b.1.p_best.get(m).total_cmp(a.1.p_best.get(m)));
    let first = ranked.first()?;
    let pct = |p: f64| format!("{:.0}%", 100.0 * p);
    let d = f64::from(info.draws);
    let mut text = format!(
        "Over {} plausible worlds (draws of the uncertain parameters, {} replicates each), {} {does} in {} of them",
        info.draws,
        info.replicates_per_draw,
        name(first.0),
        pct(*first.1.p_best.get(m))
    );
    for (n, u) in ranked.iter().skip(1) {
        text.push_str(&format!("; {} in {}", name(n), pct(*u.p_best.get(m))));
    }
    if *first.1.p_best.get(m) >= 1.0 {
        // Rule of three: no other winner in D draws bounds their share.
        text.push_str(&format!(
            " (every draw: the others' combined share is below {} at 95% confidence)",
            pct((3.0 / d).min(1.0))
        ));
    } else {
        text.push_str(&format!(" (Monte Carlo error ± {:.0} points)", 100.0 * first.1.p_best_se.get(m)));
    }
    text.push('.');
    // The parameters' share for the leader and the runner-up by mean.
    let better = |a: f64, b: f64| if PerMetric::<f64>::NAMES[m] == "reached_bad" { a < b } else { a > b };
    let runner_up = rows.iter().filter(|(n, _)| *n != first.0).reduce(|a, b| {
        if better(b.1.lift_over_draws.get(m).mean, a.1.lift_over_draws.get(m).mean) {
            b
        } else {
            a
        }
    });
    let shares: Vec<String> = std::iter::once(*first)
        .chain(runner_up)
        .filter_map(|(n, u)| u.parameter_share.get(m).map(|s| format!("{} for {}", pct(s), name(n))))
        .collect();
    if !shares.is_empty() {
        text.push_str(&format!(
            " Share of the variance in {called} between runs that the uncertain parameters explain (the rest is \
             chance): {}.",
            shares.join(", ")
        ));
    }
    Some(text)
}

fn clustered(xs: &[f64], per_draw: u32) -> Stat {
    stats::summarize(&draw_means(xs, per_draw)).into()
}

fn clustered_final(f: &mut FinalStat, xs: &[f64], per_draw: u32) {
    let s = clustered(xs, per_draw);
    (f.mean, f.sd, f.ci95_low, f.ci95_high) = (s.mean, s.sd, s.ci95_low, s.ci95_high);
}

/// Final metrics with means, sd and CIs over draw means (quantiles kept).
pub fn cluster_finals(f: &mut FinalMetrics, rows: &[Row], per_draw: u32) {
    let col = |m: Metric| pipeline::column(rows, m);
    clustered_final(&mut f.reached, &col(Metric::Reached), per_draw);
    clustered_final(&mut f.reached_good, &col(Metric::ReachedGood), per_draw);
    clustered_final(&mut f.reached_bad, &col(Metric::ReachedBad), per_draw);
    clustered_final(&mut f.acted, &col(Metric::Acted), per_draw);
}

/// A strategy's summary with every mean's sd and CI (and paired p-values)
/// over draw means; `reference` is the first strategy's final rows.
pub fn cluster(
    st: &mut StrategySummary,
    run: &CellRun,
    lifts: &PerMetric<Vec<f64>>,
    reference: Option<&[Row]>,
    per_draw: u32,
) {
    cluster_finals(&mut st.final_, &run.finals, per_draw);
    st.lift.reached = clustered(&lifts.reached, per_draw);
    st.lift.reached_good = clustered(&lifts.reached_good, per_draw);
    st.lift.reached_bad = clustered(&lifts.reached_bad, per_draw);
    st.lift.acted = clustered(&lifts.acted, per_draw);
    st.lift.acted_beyond_seeds = clustered(&lifts.acted_beyond_seeds, per_draw);
    st.action_per_cost = clustered(&lifts.action_per_cost, per_draw);
    st.action_per_reach = clustered(&pipeline::per_reach(&run.finals), per_draw);
    st.steps_to_half_reach = clustered(&run.half_lift, per_draw);
    if let (Some(p), Some(refr)) = (st.paired.as_mut(), reference) {
        let d = |m: Metric| {
            let a = draw_means(&pipeline::column(&run.finals, m), per_draw);
            pipeline::diff(&a, &draw_means(&pipeline::column(refr, m), per_draw))
        };
        (p.reached, p.reached_good, p.reached_bad, p.acted) =
            (d(Metric::Reached), d(Metric::ReachedGood), d(Metric::ReachedBad), d(Metric::Acted));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p_best_splits_ties_and_sums_to_one() {
        let a = [1.0, 2.0, 3.0, 0.0];
        let b = [2.0, 2.0, 1.0, 0.0];
        let c = [0.0, 0.0, 0.0, 0.0];
        let p = p_best(&[&a, &b, &c], false);
        // Draw 1: b; draw 2: a and b tie; draw 3: a; draw 4: all three tie.
        let third = 1.0 / 3.0;
        assert!((p[0] - (0.5 + 1.0 + third) / 4.0).abs() < 1e-12);
        assert!((p[1] - (1.0 + 0.5 + third) / 4.0).abs() < 1e-12);
        assert!((p[2] - third / 4.0).abs() < 1e-12);
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        // Lower is better: c (all zeros) wins draws 1–3 and shares draw 4.
        let q = p_best(&[&a, &b, &c], true);
        assert!((q[2] - (3.0 + third) / 4.0).abs() < 1e-12);
    }

    #[test]
    fn parameter_share_matches_hand_computation() {
        // Two draws of two replicates: means 1 and 3, within variance 1.
        // MSB = 2 × ((1−2)² + (3−2)²) / 1 = 4; MSW = (1 + 1 + 1 + 1) / 2 = 2;
        // σ²_param = (4 − 2) / 2 = 1; share = 1 / (1 + 2) = 1/3.
        let xs = [0.0, 2.0, 2.0, 4.0];
        assert!((parameter_share(&xs, 2).unwrap() - 1.0 / 3.0).abs() < 1e-12);
        // No between-draw signal beyond chance: share 0 (clamped).
        assert_eq!(parameter_share(&[0.0, 2.0, 2.0, 0.0], 2), Some(0.0));
        // Pure parameter effect: share 1.
        assert_eq!(parameter_share(&[1.0, 1.0, 5.0, 5.0], 2), Some(1.0));
        assert_eq!(parameter_share(&[1.0, 2.0], 1), None);
        assert_eq!(parameter_share(&[1.0, 1.0, 1.0, 1.0], 2), None);
    }

    #[test]
    fn draw_means_are_block_means() {
        assert_eq!(draw_means(&[1.0, 3.0, 5.0, 7.0, 9.0, 11.0], 3), vec![3.0, 9.0]);
    }
}
