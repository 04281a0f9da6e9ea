//! Range checks of a results folder read back (`womsim plot`, `compare`):
//! a folder may have been edited or come from anywhere, so every value the
//! charts and the report use is checked — finite, counts non-negative,
//! `ci95_low <= ci95_high`, `q05 <= q50 <= q95`, shares in [0, 1] — and a
//! bad one is named by file and field (or line and column).

use anyhow::bail;

use crate::metrics::{Metric, NUM_METRICS};
use crate::results::{BudgetPoint, Diff, FinalStat, Stat, SummaryFile};

/// Longest strategy or scenario name accepted from a results folder, in
/// bytes (the scenario schema allows far less; this only bounds the work
/// of drawing an edited folder).
pub const MAX_NAME_BYTES: usize = 4096;

fn finite(file: &str, field: &str, v: f64) -> anyhow::Result<()> {
    if !v.is_finite() {
        bail!("{file}: {field}: {v} is not a finite number");
    }
    Ok(())
}

fn count(file: &str, field: &str, v: f64) -> anyhow::Result<()> {
    finite(file, field, v)?;
    if v < 0.0 {
        bail!("{file}: {field}: {v} is negative, but it counts people");
    }
    Ok(())
}

fn share(file: &str, field: &str, v: f64) -> anyhow::Result<()> {
    finite(file, field, v)?;
    if !(0.0..=1.0).contains(&v) {
        bail!("{file}: {field}: {v} is not a share between 0 and 1");
    }
    Ok(())
}

fn ordered(file: &str, field: &str, lo_name: &str, lo: f64, hi_name: &str, hi: f64) -> anyhow::Result<()> {
    if lo > hi {
        bail!("{file}: {field}: {lo_name} {lo} is above {hi_name} {hi}");
    }
    Ok(())
}

fn stat(file: &str, field: &str, s: &Stat) -> anyhow::Result<()> {
    for (k, v) in [("mean", s.mean), ("sd", s.sd), ("ci95_low", s.ci95_low), ("ci95_high", s.ci95_high)] {
        finite(file, &format!("{field}.{k}"), v)?;
    }
    count(file, &format!("{field}.sd"), s.sd)?;
    ordered(file, field, "ci95_low", s.ci95_low, "ci95_high", s.ci95_high)
}

fn final_stat(file: &str, field: &str, s: &FinalStat) -> anyhow::Result<()> {
    stat(file, field, &s.stat())?;
    for (k, v) in [("mean", s.mean), ("q05", s.q05), ("q50", s.q50), ("q95", s.q95)] {
        count(file, &format!("{field}.{k}"), v)?;
    }
    ordered(file, field, "q05", s.q05, "q50", s.q50)?;
    ordered(file, field, "q50", s.q50, "q95", s.q95)
}

fn diff(file: &str, field: &str, d: &Diff) -> anyhow::Result<()> {
    for (k, v) in [("mean", d.mean), ("ci95_low", d.ci95_low), ("ci95_high", d.ci95_high)] {
        finite(file, &format!("{field}.{k}"), v)?;
    }
    ordered(file, field, "ci95_low", d.ci95_low, "ci95_high", d.ci95_high)?;
    share(file, &format!("{field}.p_value"), d.p_value)?;
    share(file, &format!("{field}.p_adjusted"), d.p_adjusted)
}

fn name(file: &str, field: &str, s: &str) -> anyhow::Result<()> {
    if s.len() > MAX_NAME_BYTES {
        bail!("{file}: {field}: a name of {} bytes (at most {MAX_NAME_BYTES})", s.len());
    }
    Ok(())
}

/// A strategy's `[uncertain]` fields: shares in [0, 1], finite ordered
/// quantiles over draws.
fn uncertain(f: &str, at: &str, u: &crate::results::StrategyUncertain) -> anyhow::Result<()> {
    for (m, k) in crate::results::PerMetric::<f64>::NAMES.iter().enumerate() {
        share(f, &format!("{at}.p_best.{k}"), *u.p_best.get(m))?;
        share(f, &format!("{at}.p_best_se.{k}"), *u.p_best_se.get(m))?;
        if let Some(s) = u.parameter_share.get(m) {
            share(f, &format!("{at}.parameter_share.{k}"), *s)?;
        }
        let o = u.lift_over_draws.get(m);
        let field = format!("{at}.lift_over_draws.{k}");
        for (q, v) in [("mean", o.mean), ("q05", o.q05), ("q50", o.q50), ("q95", o.q95)] {
            finite(f, &format!("{field}.{q}"), v)?;
        }
        ordered(f, &field, "q05", o.q05, "q50", o.q50)?;
        ordered(f, &field, "q50", o.q50, "q95", o.q95)?;
    }
    Ok(())
}

/// Check every number of `summary.json`.
pub fn summary(s: &SummaryFile) -> anyhow::Result<()> {
    let f = super::SUMMARY;
    name(f, "scenario", &s.scenario)?;
    let b = &s.baseline.final_;
    for (k, v) in [
        ("reached", &b.reached),
        ("reached_good", &b.reached_good),
        ("reached_bad", &b.reached_bad),
        ("acted", &b.acted),
    ] {
        final_stat(f, &format!("baseline.final.{k}"), v)?;
    }
    share(f, "baseline.final.p_bad_exceeds_good", b.p_bad_exceeds_good)?;
    for (i, st) in s.strategies.iter().enumerate() {
        let at = format!("strategies[{i}]");
        name(f, &format!("{at}.name"), &st.name)?;
        count(f, &format!("{at}.budget"), st.budget)?;
        count(f, &format!("{at}.cost"), st.cost)?;
        if st.seeds.len() != st.seed_followers.len() {
            bail!("{f}: {at}: {} seeds but {} seed_followers", st.seeds.len(), st.seed_followers.len());
        }
        if let Some([lo, hi]) = st.band {
            if lo > hi {
                bail!("{f}: {at}.band: [{lo}, {hi}] is inverted");
            }
        }
        let fm = &st.final_;
        for (k, v) in [
            ("reached", &fm.reached),
            ("reached_good", &fm.reached_good),
            ("reached_bad", &fm.reached_bad),
            ("acted", &fm.acted),
        ] {
            final_stat(f, &format!("{at}.final.{k}"), v)?;
        }
        share(f, &format!("{at}.final.p_bad_exceeds_good"), fm.p_bad_exceeds_good)?;
        let l = &st.lift;
        for (k, v) in [
            ("reached", &l.reached),
            ("reached_good", &l.reached_good),
            ("reached_bad", &l.reached_bad),
            ("acted", &l.acted),
            ("acted_beyond_seeds", &l.acted_beyond_seeds),
        ] {
            stat(f, &format!("{at}.lift.{k}"), v)?;
        }
        stat(f, &format!("{at}.action_per_reach"), &st.action_per_reach)?;
        stat(f, &format!("{at}.action_per_cost"), &st.action_per_cost)?;
        stat(f, &format!("{at}.steps_to_half_reach"), &st.steps_to_half_reach)?;
        if let Some(p) = &st.paired {
            for (k, d) in [
                ("reached", &p.reached),
                ("reached_good", &p.reached_good),
                ("reached_bad", &p.reached_bad),
                ("acted", &p.acted),
            ] {
                diff(f, &format!("{at}.paired.{k}"), d)?;
            }
        }
        if let Some(u) = &st.uncertain {
            uncertain(f, &at, u)?;
        }
    }
    Ok(())
}

/// Check one parsed row of `timeseries.csv` (`line` of the file).
pub fn timeseries_row(
    line: u64,
    header: &[String],
    mean: &[f64; NUM_METRICS],
    q05: &[f64; NUM_METRICS],
    q95: &[f64; NUM_METRICS],
) -> anyhow::Result<()> {
    let f = format!("{}: line {line}", super::TIMESERIES);
    for m in Metric::ALL {
        let i = m.idx();
        let c = 2 + 3 * i;
        for (k, v) in [(c, mean[i]), (c + 1, q05[i]), (c + 2, q95[i])] {
            let col = format!("column {}", header[k]);
            if m == Metric::NetSentiment {
                finite(&f, &col, v)?;
            } else {
                count(&f, &col, v)?;
            }
        }
        ordered(&f, &format!("column {}", header[c]), "q05", q05[i], "q95", q95[i])?;
    }
    Ok(())
}

/// Check one row of `budgets.csv` (`line` of the file).
pub fn budget_row(line: u64, b: &BudgetPoint) -> anyhow::Result<()> {
    let f = format!("{}: line {line}", super::BUDGETS);
    name(&f, "strategy", &b.strategy)?;
    count(&f, "budget", b.budget)?;
    count(&f, "cost", b.cost)?;
    count(&f, "reached_mean", b.reached_mean)?;
    count(&f, "acted_mean", b.acted_mean)?;
    for (k, mean, lo, hi) in super::formats::budget_metrics(b) {
        for (suffix, v) in [("ci95_low", lo), ("mean", mean), ("ci95_high", hi)] {
            finite(&f, &format!("{k}.{suffix}"), v)?;
        }
        ordered(&f, k, "ci95_low", lo, "ci95_high", hi)?;
    }
    Ok(())
}
