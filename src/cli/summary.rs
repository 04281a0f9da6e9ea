//! From trajectories to the numbers of `summary.json`, and the table printed
//! after a run. All reductions are sequential in replicate order, so the
//! output is byte-identical at any thread count.

use std::fmt::Write as _;

use womsim::graph::Graph;
use womsim::metrics::{Metric, Row, Trajectory};
use womsim::results::{Diff, FinalMetrics, PairedDiffs, Stat, StrategySummary, SummaryFile};
use womsim::seeding::{Budget, Selection, StrategySpec};
use womsim::stats;

/// The final row of each replicate, in replicate order.
pub fn finals(trajs: &[Trajectory]) -> Vec<Row> {
    trajs.iter().map(|t| t.last()).collect()
}

fn column(rows: &[Row], m: Metric) -> Vec<f64> {
    rows.iter().map(|r| r[m.idx()]).collect()
}

fn stat(xs: &[f64]) -> Stat {
    stats::summarize(xs).into()
}

/// First step at which reach is at least half its final value.
pub fn steps_to_half_reach(t: &Trajectory) -> u32 {
    let half = t.last()[Metric::Reached.idx()] / 2.0;
    (0..=t.steps()).find(|&s| t.get(s, Metric::Reached) >= half).unwrap_or(0)
}

/// Paired difference `a − b` with its 95% CI. Significant only when there
/// are at least two pairs and the CI excludes zero (with one pair there is
/// no interval to speak of).
pub fn diff(a: &[f64], b: &[f64]) -> Diff {
    let s = stats::paired_diff(a, b);
    let significant = s.n >= 2 && (s.ci95_low > 0.0 || s.ci95_high < 0.0);
    Diff { mean: s.mean, ci95_low: s.ci95_low, ci95_high: s.ci95_high, significant }
}

/// `(amount, unit)` of a budget.
pub fn budget_parts(b: &Budget) -> (f64, &'static str) {
    match *b {
        Budget::People(n) => (f64::from(n), "people"),
        Budget::Cost(c) => (c, "cost"),
    }
}

/// Everything `summary.json` says about one strategy.
///
/// `reference` is the first strategy's name and per-replicate final rows
/// (`None` for the first strategy itself).
pub fn strategy_summary(
    spec: &StrategySpec,
    sel: &Selection,
    g: &Graph,
    trajs: &[Trajectory],
    reference: Option<(&str, &[Row])>,
) -> StrategySummary {
    let rows = finals(trajs);
    let reached = column(&rows, Metric::Reached);
    let acted = column(&rows, Metric::Acted);
    let per_reach: Vec<f64> = rows
        .iter()
        .map(|r| if r[Metric::Reached.idx()] > 0.0 { r[Metric::Acted.idx()] / r[Metric::Reached.idx()] } else { 0.0 })
        .collect();
    // A zero-cost selection has no meaningful action per cost; report 0 rather
    // than infinity (JSON has no infinity).
    let per_cost: Vec<f64> = acted.iter().map(|&a| if sel.cost > 0.0 { a / sel.cost } else { 0.0 }).collect();
    let half: Vec<f64> = trajs.iter().map(|t| f64::from(steps_to_half_reach(t))).collect();
    let (budget, unit) = budget_parts(&spec.budget);
    let paired = reference.map(|(against, base)| PairedDiffs {
        against: against.to_string(),
        reached: diff(&reached, &column(base, Metric::Reached)),
        reached_good: diff(&column(&rows, Metric::ReachedGood), &column(base, Metric::ReachedGood)),
        reached_bad: diff(&column(&rows, Metric::ReachedBad), &column(base, Metric::ReachedBad)),
        acted: diff(&acted, &column(base, Metric::Acted)),
    });
    StrategySummary {
        name: spec.name.clone(),
        kind: spec.kind.name().to_string(),
        budget,
        budget_unit: unit.to_string(),
        cost: sel.cost,
        seeds: sel.seeds.iter().map(|&u| g.label(u).to_string()).collect(),
        seed_followers: sel.seeds.iter().map(|&u| g.followers(u)).collect(),
        final_: FinalMetrics {
            reached: stat(&reached),
            reached_good: stat(&column(&rows, Metric::ReachedGood)),
            reached_bad: stat(&column(&rows, Metric::ReachedBad)),
            acted: stat(&acted),
        },
        action_per_reach: stat(&per_reach),
        action_per_cost: stat(&per_cost),
        steps_to_half_reach: stat(&half),
        paired,
    }
}

fn pm(s: &Stat) -> String {
    format!("{:.1} ± {:.1}", s.mean, (s.ci95_high - s.ci95_low) / 2.0)
}

fn pm_diff(d: &Diff) -> String {
    format!("{:+.1} ± {:.1}{}", d.mean, (d.ci95_high - d.ci95_low) / 2.0, if d.significant { " *" } else { "" })
}

/// The table printed to stdout after a run: strategy, reach and action
/// (mean ± 95% CI half-width), and the paired difference against the first.
pub fn table(summary: &SummaryFile) -> String {
    let first = summary.strategies.first().map_or("", |s| s.name.as_str());
    let head = [
        "strategy".to_string(),
        "seeds".to_string(),
        "reach".to_string(),
        "action".to_string(),
        format!("Δ reach vs {first}"),
        format!("Δ action vs {first}"),
    ];
    let mut rows = vec![head];
    for s in &summary.strategies {
        let (dr, da) = match &s.paired {
            Some(p) => (pm_diff(&p.reached), pm_diff(&p.acted)),
            None => ("—".to_string(), "—".to_string()),
        };
        rows.push([s.name.clone(), s.seeds.len().to_string(), pm(&s.final_.reached), pm(&s.final_.acted), dr, da]);
    }
    let ncol = rows[0].len();
    let width: Vec<usize> = (0..ncol).map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0)).collect();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} — {} on {} nodes, {} replicates × {} steps, seed {}",
        summary.scenario, summary.model, summary.network.nodes, summary.replicates, summary.steps, summary.seed
    );
    for (i, r) in rows.iter().enumerate() {
        let line: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(c, cell)| {
                let pad = width[c] - cell.chars().count();
                // Text left-aligned, numbers right-aligned.
                if c == 0 {
                    format!("{cell}{}", " ".repeat(pad))
                } else {
                    format!("{}{cell}", " ".repeat(pad))
                }
            })
            .collect();
        let _ = writeln!(out, "{}", line.join("  ").trim_end());
        if i == 0 {
            let total: usize = width.iter().sum::<usize>() + 2 * (ncol - 1);
            let _ = writeln!(out, "{}", "─".repeat(total));
        }
    }
    let _ = writeln!(out, "mean ± 95% CI half-width over replicates; * = the paired difference's 95% CI excludes zero");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use womsim::graph::Labels;
    use womsim::seeding::{CostModel, StrategyKind};

    fn traj(reached: &[f64], acted: f64) -> Trajectory {
        let mut t = Trajectory::new(reached.len() as u32 - 1);
        for (s, &r) in reached.iter().enumerate() {
            t.row_mut(s as u32)[Metric::Reached.idx()] = r;
            t.row_mut(s as u32)[Metric::ReachedGood.idx()] = r;
        }
        t.row_mut(reached.len() as u32 - 1)[Metric::Acted.idx()] = acted;
        t
    }

    fn spec(name: &str) -> StrategySpec {
        StrategySpec {
            name: name.into(),
            kind: StrategyKind::Random,
            pool: None,
            budget: Budget::People(2),
            cost: CostModel::default(),
            reseed: womsim::seeding::Reseed::Once,
        }
    }

    #[test]
    fn half_reach_is_the_first_step_at_half_the_final_value() {
        assert_eq!(steps_to_half_reach(&traj(&[1.0, 2.0, 5.0, 10.0], 0.0)), 2);
        assert_eq!(steps_to_half_reach(&traj(&[1.0, 1.0, 2.0], 0.0)), 0);
        assert_eq!(steps_to_half_reach(&traj(&[0.0, 0.0], 0.0)), 0);
    }

    #[test]
    fn summary_of_two_strategies_is_paired() {
        let g = Graph::from_edges(4, false, &[(0, 1), (0, 2), (0, 3)], None, Labels::Dense).unwrap();
        let sel = Selection { seeds: vec![0, 2], cost: 2.0 };
        let a = vec![traj(&[2.0, 4.0], 1.0), traj(&[2.0, 2.0], 0.0), traj(&[2.0, 3.0], 3.0)];
        let b = vec![traj(&[2.0, 5.0], 2.0), traj(&[2.0, 4.0], 1.0), traj(&[2.0, 4.0], 4.0)];
        let first = strategy_summary(&spec("a"), &sel, &g, &a, None);
        assert!(first.paired.is_none());
        assert_eq!(first.seeds, vec!["0", "2"]);
        assert_eq!(first.seed_followers, vec![3, 1]);
        assert_eq!(first.final_.reached.mean, 3.0);
        assert_eq!(first.final_.acted.mean, 4.0 / 3.0);
        // acted / reached per replicate: 1/4, 0/2, 3/3.
        assert!((first.action_per_reach.mean - (0.25 + 0.0 + 1.0) / 3.0).abs() < 1e-12);
        assert_eq!(first.action_per_cost.mean, 2.0 / 3.0);
        assert_eq!(first.budget, 2.0);
        assert_eq!(first.budget_unit, "people");
        let base = finals(&a);
        let second = strategy_summary(&spec("b"), &sel, &g, &b, Some(("a", &base)));
        let p = second.paired.unwrap();
        assert_eq!(p.against, "a");
        // Reach differences 1, 2, 1: mean 4/3, all positive, sd 0.577 → CI
        // 4/3 ± 4.303·0.577/√3 = [-0.10, 2.77]: not significant.
        assert!((p.reached.mean - 4.0 / 3.0).abs() < 1e-12);
        assert!(!p.reached.significant);
        // Every difference in acted is +1 exactly: sd 0, CI [1, 1], significant.
        assert_eq!(p.acted.mean, 1.0);
        assert!(p.acted.significant);
    }

    #[test]
    fn table_lists_every_strategy_and_marks_significance() {
        let g = Graph::from_edges(4, false, &[(0, 1), (0, 2), (0, 3)], None, Labels::Dense).unwrap();
        let sel = Selection { seeds: vec![0], cost: 1.0 };
        let a = vec![traj(&[1.0, 2.0], 1.0), traj(&[1.0, 3.0], 1.0)];
        let b = vec![traj(&[1.0, 4.0], 2.0), traj(&[1.0, 5.0], 2.0)];
        let base = finals(&a);
        let summary = SummaryFile {
            womsim_version: "0".into(),
            scenario: "demo".into(),
            description: String::new(),
            seed: 3,
            replicates: 2,
            steps: 1,
            model: "independent_cascade".into(),
            network: womsim::results::NetworkInfo { kind: "star".into(), nodes: 4, edges: 3, directed: false },
            strategies: vec![
                strategy_summary(&spec("alpha"), &sel, &g, &a, None),
                strategy_summary(&spec("beta"), &sel, &g, &b, Some(("alpha", &base))),
            ],
        };
        let t = table(&summary);
        let lines: Vec<&str> = t.lines().collect();
        assert!(lines[1].contains("Δ reach vs alpha"), "{t}");
        assert!(lines[3].starts_with("alpha") && lines[3].contains("2.5 ± 6.4") && lines[3].contains('—'), "{t}");
        // Differences 2 and 2 (reach), 1 and 1 (action): exact, so significant.
        assert!(lines[4].starts_with("beta") && lines[4].contains("+2.0 ± 0.0 *"), "{t}");
    }

    #[test]
    fn one_replicate_is_never_significant() {
        let d = diff(&[5.0], &[1.0]);
        assert_eq!(d.mean, 4.0);
        assert!(!d.significant);
    }

    #[test]
    fn zero_cost_gives_zero_action_per_cost() {
        let g = Graph::from_edges(2, false, &[(0, 1)], None, Labels::Dense).unwrap();
        let sel = Selection { seeds: vec![], cost: 0.0 };
        let s = strategy_summary(&spec("a"), &sel, &g, &[traj(&[0.0, 0.0], 0.0)], None);
        assert_eq!(s.action_per_cost.mean, 0.0);
        assert!(serde_json::to_string(&s).is_ok());
    }
}
