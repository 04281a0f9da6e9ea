//! The table printed to stdout after a run.

use std::fmt::Write as _;

use womsim::charts::style::escape_controls;
use womsim::results::{Diff, Stat, SummaryFile};

fn pm(s: &Stat) -> String {
    format!("{:.1} ± {:.1}", s.mean, (s.ci95_high - s.ci95_low) / 2.0)
}

fn pm_diff(d: &Diff) -> String {
    format!("{:+.1} ± {:.1}{}", d.mean, (d.ci95_high - d.ci95_low) / 2.0, if d.significant { " *" } else { "" })
}

/// The table printed to stdout after a run: a line for the world without
/// any campaign, then per strategy its seeds, its lift in reach and its
/// action caused beyond the seeds (mean ± 95% CI half-width), the totals,
/// and the paired differences against the first strategy.
pub fn table(summary: &SummaryFile) -> String {
    let first = summary.strategies.first().map_or(String::new(), |s| escape_controls(&s.name));
    let head = [
        "strategy".to_string(),
        "seeds".to_string(),
        "extra reach".to_string(),
        "action caused".to_string(),
        "reach".to_string(),
        "action".to_string(),
        format!("Δ reach vs {first}"),
        format!("Δ action vs {first}"),
    ];
    // With [uncertain]: P(best) on action caused, and per unit of cost when
    // the costs differ (the verdict's metric).
    let per_cost = summary.uncertain.is_some() && womsim::uncertainty::verdict_metric(summary) == 5;
    let p_best = |s: &womsim::results::StrategySummary| -> Vec<String> {
        let pct = |p: f64| format!("{:.0}%", 100.0 * p);
        let mut v = vec![s.uncertain.as_ref().map_or("—".to_string(), |u| pct(u.p_best.acted_beyond_seeds))];
        if per_cost {
            v.push(s.uncertain.as_ref().map_or("—".to_string(), |u| pct(u.p_best.action_per_cost)));
        }
        v
    };
    let uncertain = summary.uncertain.is_some();
    let mut head = head.to_vec();
    if uncertain {
        head.push("P(best) action".to_string());
        if per_cost {
            head.push("P(best) per cost".to_string());
        }
    }
    let mut rows = vec![head];
    let b = &summary.baseline.final_;
    let mut none = vec![
        "(no campaign)".to_string(),
        "0".to_string(),
        "—".to_string(),
        "—".to_string(),
        pm(&b.reached.stat()),
        pm(&b.acted.stat()),
        "—".to_string(),
        "—".to_string(),
    ];
    if uncertain {
        none.push("—".to_string());
        if per_cost {
            none.push("—".to_string());
        }
    }
    rows.push(none);
    for s in &summary.strategies {
        let (dr, da) = match &s.paired {
            Some(p) => (pm_diff(&p.reached), pm_diff(&p.acted)),
            None => ("—".to_string(), "—".to_string()),
        };
        let seeds = if s.seeds_vary { format!("{} (redrawn)", s.seeds.len()) } else { s.seeds.len().to_string() };
        let mut row = vec![
            escape_controls(&s.name),
            seeds,
            pm(&s.lift.reached),
            pm(&s.lift.acted_beyond_seeds),
            pm(&s.final_.reached.stat()),
            pm(&s.final_.acted.stat()),
            dr,
            da,
        ];
        if uncertain {
            row.extend(p_best(s));
        }
        rows.push(row);
    }
    let ncol = rows[0].len();
    let width: Vec<usize> = (0..ncol).map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0)).collect();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} — {} on {} nodes, {} replicates × {} steps, seed {}",
        escape_controls(&summary.scenario),
        summary.model,
        summary.network.nodes,
        summary.replicates,
        summary.steps,
        summary.seed
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
    let _ = writeln!(
        out,
        "mean ± 95% CI half-width over replicates; extra reach and action caused are the lift over the same world \
         with no campaign (action caused excludes the seeds' own actions); * = significant at 5% family-wise \
         (Holm–Bonferroni over all {} paired comparisons)",
        4 * summary.strategies.iter().filter(|s| s.paired.is_some()).count()
    );
    if let Some(u) = &summary.uncertain {
        let _ = writeln!(
            out,
            "[uncertain]: {} draws × {} replicates each; ± are over the draw means; P(best) = share of draws in which \
             the strategy causes the most action (per cost: the most per cost unit); p_best in summary.json",
            u.draws, u.replicates_per_draw
        );
        let m = womsim::uncertainty::verdict_metric(summary);
        if let Some(v) = womsim::uncertainty::verdict(summary, m, &escape_controls) {
            let _ = writeln!(out, "{v}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use womsim::results::{Baseline, FinalMetrics, FinalStat, Lift, NetworkInfo, PairedDiffs, StrategySummary};

    fn stat(mean: f64, half: f64) -> Stat {
        Stat { mean, sd: 0.0, ci95_low: mean - half, ci95_high: mean + half }
    }

    fn fstat(mean: f64, half: f64) -> FinalStat {
        FinalStat { mean, sd: 0.0, ci95_low: mean - half, ci95_high: mean + half, q05: mean, q50: mean, q95: mean }
    }

    fn finals(r: f64, a: f64) -> FinalMetrics {
        FinalMetrics {
            reached: fstat(r, 1.0),
            reached_good: fstat(r, 1.0),
            reached_bad: fstat(0.0, 0.0),
            acted: fstat(a, 0.5),
            p_bad_exceeds_good: 0.0,
        }
    }

    fn strategy(name: &str, r: f64, paired: Option<PairedDiffs>) -> StrategySummary {
        StrategySummary {
            name: name.into(),
            kind: "random".into(),
            budget: 2.0,
            budget_unit: "people".into(),
            cost: 2.0,
            seeds_vary: paired.is_some(),
            band: None,
            seeds: vec!["1".into(), "2".into()],
            seed_followers: vec![3, 1],
            final_: finals(r, 3.0),
            lift: Lift {
                reached: stat(r - 10.0, 1.0),
                reached_good: stat(r - 10.0, 1.0),
                reached_bad: stat(0.0, 0.0),
                acted: stat(1.0, 0.5),
                acted_beyond_seeds: stat(-1.0, 0.5),
            },
            action_per_reach: stat(0.1, 0.0),
            action_per_cost: stat(-0.5, 0.25),
            steps_to_half_reach: stat(2.0, 0.0),
            paired,
            uncertain: None,
        }
    }

    #[test]
    fn table_has_a_no_campaign_line_lift_columns_and_family_wise_marks() {
        let d = |m: f64, sig: bool| Diff {
            mean: m,
            ci95_low: m - 1.0,
            ci95_high: m + 1.0,
            p_value: 0.01,
            p_adjusted: 0.04,
            significant: sig,
        };
        let p = PairedDiffs {
            against: "alpha".into(),
            reached: d(2.0, true),
            reached_good: d(2.0, true),
            reached_bad: d(0.0, false),
            acted: d(1.0, false),
        };
        let summary = SummaryFile {
            womsim_version: "0".into(),
            scenario: "demo".into(),
            description: String::new(),
            seed: 3,
            replicates: 2,
            steps: 1,
            model: "relationship_chain".into(),
            network: NetworkInfo { kind: "star".into(), nodes: 4, edges: 3, directed: false },
            baseline: Baseline { final_: finals(10.0, 2.0) },
            strategies: vec![strategy("alpha", 12.0, None), strategy("beta", 14.0, Some(p))],
            uncertain: None,
            sensitivity: None,
        };
        let t = table(&summary);
        let lines: Vec<&str> = t.lines().collect();
        assert!(lines[1].contains("extra reach") && lines[1].contains("action caused"), "{t}");
        assert!(lines[1].contains("Δ reach vs alpha"), "{t}");
        assert!(lines[3].starts_with("(no campaign)") && lines[3].contains("10.0 ± 1.0"), "{t}");
        assert!(lines[4].starts_with("alpha") && lines[4].contains("2.0 ± 1.0") && lines[4].contains('—'), "{t}");
        assert!(lines[5].starts_with("beta") && lines[5].contains("(redrawn)"), "{t}");
        assert!(lines[5].contains("+2.0 ± 1.0 *") && lines[5].contains("+1.0 ± 1.0"), "{t}");
        assert!(!lines[5].contains("+1.0 ± 1.0 *"), "{t}");
        assert!(t.contains("Holm–Bonferroni over all 4 paired comparisons"), "{t}");
    }
}
