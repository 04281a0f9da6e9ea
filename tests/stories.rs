//! The bundled scenarios tell the stories their comments claim.
//!
//! Each test runs a scenario through the `womsim` binary at reduced
//! replicates and checks the *outcomes* (reach, action, bad reach, friends,
//! ambassadors) against the qualitative claim in the scenario's header, with
//! statistical margins: a difference counts only when it exceeds 3 standard
//! errors (paired over replicates within one run, where strategies share
//! each replicate's randomness; Welch across two runs). Nothing here checks
//! a parameter value: retuning the model or a scenario so that its story no
//! longer holds makes these tests fail.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use womsim::results::{BudgetPoint, StrategySummary, SummaryFile};

/// Margin, in standard errors, for every "A exceeds B" claim.
const Z: f64 = 3.0;

fn scenario(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios").join(format!("{name}.toml"))
}

/// Final metrics of one replicate (a row of `replicates.csv`).
#[derive(Debug, Clone, serde::Deserialize)]
struct Rep {
    strategy: String,
    replicate: u32,
    reached: f64,
    reached_bad: f64,
    acted: f64,
    friends: f64,
    ambassadors: f64,
}

/// The results of one `womsim run`.
struct Run {
    _dir: tempfile::TempDir,
    out: PathBuf,
    summary: SummaryFile,
    reps: BTreeMap<String, Vec<Rep>>,
}

impl Run {
    fn strategy(&self, name: &str) -> &StrategySummary {
        self.summary.strategies.iter().find(|s| s.name == name).unwrap_or_else(|| panic!("no strategy {name:?}"))
    }

    /// One final metric of a strategy, per replicate (replicate order).
    fn col(&self, strategy: &str, f: impl Fn(&Rep) -> f64) -> Vec<f64> {
        let rows = self.reps.get(strategy).unwrap_or_else(|| panic!("no replicates of {strategy:?}"));
        rows.iter().map(f).collect()
    }

    fn nodes(&self) -> f64 {
        self.summary.network.nodes as f64
    }

    fn budgets(&self) -> Vec<BudgetPoint> {
        let mut r = csv::Reader::from_path(self.out.join("budgets.csv")).expect("budgets.csv");
        r.deserialize().map(|x| x.expect("budgets.csv row")).collect()
    }

    /// Column `<metric>_mean` of `timeseries.csv` for one strategy, by step.
    fn series(&self, strategy: &str, metric: &str) -> Vec<f64> {
        let mut r = csv::Reader::from_path(self.out.join("timeseries.csv")).expect("timeseries.csv");
        let head = r.headers().expect("header").clone();
        let col = head.iter().position(|h| h == format!("{metric}_mean")).expect("metric column");
        r.records()
            .map(|x| x.expect("timeseries row"))
            .filter(|x| &x[0] == strategy)
            .map(|x| x[col].parse::<f64>().expect("number"))
            .collect()
    }
}

/// `womsim run <file> --replicates <n>` into a fresh folder; parses the results.
fn run(file: &Path, replicates: u32) -> Run {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let o = Command::new(env!("CARGO_BIN_EXE_womsim"))
        .arg("run")
        .arg(file)
        .args(["--replicates", &replicates.to_string(), "--threads", "2", "--quiet", "--out"])
        .arg(&out)
        .output()
        .expect("womsim starts");
    assert!(
        o.status.success(),
        "womsim run {}:\n{}\n{}",
        file.display(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    let summary: SummaryFile =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).expect("summary.json"))
            .expect("summary.json parses");
    let mut reps: BTreeMap<String, Vec<Rep>> = BTreeMap::new();
    let mut r = csv::Reader::from_path(out.join("replicates.csv")).expect("replicates.csv");
    for row in r.deserialize::<Rep>() {
        let row = row.expect("replicates.csv row");
        reps.entry(row.strategy.clone()).or_default().push(row);
    }
    for rows in reps.values() {
        assert!(rows.iter().enumerate().all(|(i, x)| x.replicate as usize == i), "replicates in order");
    }
    Run { _dir: dir, out, summary, reps }
}

fn mean_var(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let m = x.iter().sum::<f64>() / n;
    let v = x.iter().map(|a| (a - m) * (a - m)).sum::<f64>() / (n - 1.0);
    (m, v)
}

fn mean(x: &[f64]) -> f64 {
    mean_var(x).0
}

/// Mean of `a - b` and its standard error, pairing replicate `i` of `a`
/// with replicate `i` of `b` (same run: common random numbers).
fn paired(a: &[f64], b: &[f64]) -> (f64, f64) {
    assert_eq!(a.len(), b.len());
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| x - y).collect();
    let (m, v) = mean_var(&d);
    (m, (v / d.len() as f64).sqrt())
}

/// Difference of means `a - b` and its Welch standard error (independent samples).
fn welch(a: &[f64], b: &[f64]) -> (f64, f64) {
    let (ma, va) = mean_var(a);
    let (mb, vb) = mean_var(b);
    (ma - mb, (va / a.len() as f64 + vb / b.len() as f64).sqrt())
}

/// Asserts `a > b` by a paired margin of `Z` standard errors.
fn assert_paired_gt(what: &str, a: &[f64], b: &[f64]) {
    let (d, se) = paired(a, b);
    assert!(d > Z * se, "{what}: paired difference {d:.2} (se {se:.2}) is not clearly positive");
}

/// Asserts that the mean of `x` lies in `[lo, hi]` by `Z` standard errors.
fn assert_mean_within(what: &str, x: &[f64], lo: f64, hi: f64) {
    let (m, v) = mean_var(x);
    let se = (v / x.len() as f64).sqrt();
    assert!(m - Z * se > lo && m + Z * se < hi, "{what}: mean {m:.1} (se {se:.1}) not clearly within [{lo}, {hi}]");
}

#[test]
fn magic_middle_reach_is_partial_and_strategies_differ() {
    // Random picks are redrawn every replicate, so random friends vary a lot
    // from replicate to replicate: enough replicates to see the order.
    let r = run(&scenario("magic_middle"), 300);
    let n = r.nodes();
    let names = ["top influencers", "magic middle", "random friends", "random people"];
    for s in names {
        // Reach is partial: neither saturated nor nothing beyond the seeds.
        assert_mean_within(&format!("{s}: reach"), &r.col(s, |x| x.reached), 0.02 * n, 0.9 * n);
        // Action well below reach (per replicate, on average).
        let ratio: Vec<f64> = r.col(s, |x| x.acted / x.reached);
        assert_mean_within(&format!("{s}: action per reach"), &ratio, 0.0, 0.5);
    }
    // Who reaches more, and who gets more action, in that order.
    for (a, b) in
        [("top influencers", "magic middle"), ("magic middle", "random friends"), ("magic middle", "random people")]
    {
        assert_paired_gt(&format!("reach {a} > {b}"), &r.col(a, |x| x.reached), &r.col(b, |x| x.reached));
        assert_paired_gt(&format!("action {a} > {b}"), &r.col(a, |x| x.acted), &r.col(b, |x| x.acted));
    }
    // The README's headline, under lift: without a campaign the detractors'
    // bad news reaches about 300; influencers cause about 25x the magic
    // middle's extra reach and action, and the most action per unit of cost
    // (then the magic middle, then random friends), with intervals apart.
    let base = &r.summary.baseline.final_;
    assert!((280.0..320.0).contains(&base.reached.mean) && base.acted.mean == 0.0, "{base:?}");
    let lift = |s: &str| r.strategy(s).lift.clone();
    let ratio = lift("top influencers").reached.mean / lift("magic middle").reached.mean;
    assert!((15.0..40.0).contains(&ratio), "extra reach ratio {ratio}");
    let ratio = lift("top influencers").acted_beyond_seeds.mean / lift("magic middle").acted_beyond_seeds.mean;
    assert!((15.0..40.0).contains(&ratio), "action caused ratio {ratio}");
    let apc = |s: &str| r.strategy(s).action_per_cost;
    assert!(apc("top influencers").ci95_low > apc("magic middle").ci95_high, "{:?}", apc("top influencers"));
    assert!(apc("magic middle").ci95_low > apc("random friends").ci95_high, "{:?}", apc("magic middle"));
    let p_bad = r.strategy("top influencers").final_.p_bad_exceeds_good;
    assert!((0.3..0.6).contains(&p_bad), "bad news outruns good in {p_bad} of replicates");
    // The seeds are what they say: influencers have far more followers.
    let followers = |s: &str| r.strategy(s).seed_followers.iter().map(|&f| f64::from(f)).sum::<f64>();
    assert!(followers("top influencers") > 5.0 * followers("magic middle"));
    assert!(r.strategy("magic middle").seed_followers.iter().all(|&f| (20..=100).contains(&f)));
}

#[test]
fn bad_news_goes_far_and_a_poor_product_cannot_be_defended() {
    let def = run(&scenario("bad_news"), 100);
    let nodef = run(&scenario("bad_news_no_defense"), 100);
    let n = nodef.nodes();
    // Without any campaign the detractors' bad news already reaches most
    // people (the same world in both files).
    let base = def.summary.baseline.final_.reached_bad.mean;
    assert!(base > 0.6 * n && base == nodef.summary.baseline.final_.reached_bad.mean, "baseline bad reach {base}");
    let mut effect = BTreeMap::new();
    for s in ["top influencers", "magic middle", "random friends"] {
        let bad_d = def.col(s, |x| x.reached_bad);
        let bad_n = nodef.col(s, |x| x.reached_bad);
        // Without defense, bad news reaches most people.
        assert_mean_within(&format!("{s}: bad reach without defense"), &bad_n, 0.5 * n, n + 1.0);
        // Bad news dominates what people hear in both files.
        assert!(mean(&bad_d) > mean(&def.col(s, |x| x.reached - x.reached_bad)), "{s}: bad outweighs good");
        // Different files, so the samples are independent: Welch.
        effect.insert(s, welch(&bad_n, &bad_d));
    }
    // Only ambassadors whose own opinion is good defend. With 35% good
    // experiences most ambassadors sour (their own experience, or the flood
    // of bad news they hear), so even strong defense (0.9) cuts bad reach by
    // under 3% of the network, whoever the ambassadors are.
    for (s, (d, se)) in &effect {
        assert!(d + Z * se < 0.03 * n, "{s}: defense cuts bad reach by {d:.0} (se {se:.0}): more than a little");
    }
    // It helps most where ambassadors hear least: magic-middle ambassadors
    // keep a good opinion longer than influencers who hear everything.
    let ((em, sm), (et, st)) = (effect["magic middle"], effect["top influencers"]);
    assert!(em > Z * sm, "magic middle: defense effect {em:.0} (se {sm:.0}) not clearly positive");
    assert!(em - et > Z * (sm * sm + st * st).sqrt(), "defense effect: magic middle {em:.0}, influencers {et:.0}");
}

#[test]
fn lazy_sharing_reach_races_ahead_of_action() {
    let r = run(&scenario("lazy_sharing"), 100);
    let n = r.nodes();
    for s in ["top influencers", "random friends"] {
        let reach = r.col(s, |x| x.reached);
        let acted = r.col(s, |x| x.acted);
        // A large cascade (a fifth to a third of the network), not all of it.
        assert_mean_within(&format!("{s}: reach"), &reach, 0.15 * n, 0.5 * n);
        // More than ten to one, replicate by replicate on average.
        let excess: Vec<f64> = reach.iter().zip(&acted).map(|(a, b)| a - 10.0 * b).collect();
        assert_mean_within(&format!("{s}: reach - 10 x action"), &excess, 0.0, n);
    }
    // With 95% quality and no detractors, the influencers' good news wins:
    // more people end with a good opinion than a bad one, clearly. (Not so
    // for random friends: the few bad experiences, shared more and longer,
    // roughly match their good news — about even at 1000 replicates.)
    let margin = r.col("top influencers", |x| x.reached - 2.0 * x.reached_bad);
    assert_mean_within("top influencers: reached_good - reached_bad", &margin, 0.0, n);
    // Over time too: reach leads action early (step 5) and at the end.
    let reach = r.series("random friends", "reached");
    let acted = r.series("random friends", "acted");
    let last = reach.len() - 1;
    assert!(reach[last] > 10.0 * acted[last] && reach[5] > 5.0 * acted[5]);
}

#[test]
fn karate_ic_leaders_beat_random_and_every_method_finds_them() {
    let r = run(&scenario("karate_ic"), 400);
    let leaders = |s: &str| {
        let mut x = r.strategy(s).seeds.clone();
        x.sort();
        x
    };
    for s in ["top degree", "degree discount", "pagerank", "greedy (CELF)", "ris (IMM)", "instructor and president"] {
        assert_eq!(leaders(s), ["1", "34"], "{s} picks the instructor and the president");
        let a = r.col(s, |x| x.reached);
        // Classic model: activation is both reach and action.
        assert_eq!(a, r.col(s, |x| x.acted));
        assert_paired_gt(&format!("{s} > random"), &a, &r.col("random", |x| x.reached));
    }
    // The leaders' cascade: more than their two selves, far from everyone,
    // and about twice what two random seeds reach (at least 1.5 times).
    let lead = r.col("top degree", |x| x.reached);
    assert_mean_within("leaders' reach", &lead, 3.0, 17.0);
    let random = r.col("random", |x| x.reached);
    assert_paired_gt("leaders > 1.5 x random", &lead, &random.iter().map(|x| 1.5 * x).collect::<Vec<_>>());
    // Beyond the seeds themselves: about 2.5 times (at least twice).
    let beyond = |s: &str| r.strategy(s).lift.acted_beyond_seeds.mean;
    assert!(beyond("top degree") > 2.0 * beyond("random"), "{} vs {}", beyond("top degree"), beyond("random"));
}

#[test]
fn budget_sweep_grows_with_diminishing_returns_for_influencers() {
    let r = run(&scenario("budget_sweep"), 200);
    let pts = r.budgets();
    let at = |s: &str, b: f64| pts.iter().find(|p| p.strategy == s && p.budget == b).expect("budget point").clone();
    for s in ["top influencers", "magic middle", "random friends"] {
        let (lo, hi) = (at(s, 5.0), at(s, 50.0));
        assert!(hi.reached_ci95_low > lo.reached_ci95_high, "{s}: reach grows with budget");
        assert!(hi.acted_ci95_low > lo.acted_ci95_high, "{s}: action grows with budget");
        let mid = at(s, 20.0);
        assert!(mid.acted_mean > lo.acted_mean && hi.acted_mean > mid.acted_mean, "{s}: action is monotone");
    }
    // Influencers: each extra one has fewer followers, more of them already
    // reached. Conservative slopes from the confidence intervals: the worst
    // case of the first 15 extra seeds still beats the best case of the next 30.
    let (a5, a20, a50) = (at("top influencers", 5.0), at("top influencers", 20.0), at("top influencers", 50.0));
    let early = (a20.acted_ci95_low - a5.acted_ci95_high) / 15.0;
    let late = (a50.acted_ci95_high - a20.acted_ci95_low) / 30.0;
    assert!(early > late, "top influencers: {early:.2} vs {late:.2} actions per extra ambassador");
    let early = (a20.reached_ci95_low - a5.reached_ci95_high) / 15.0;
    let late = (a50.reached_ci95_high - a20.reached_ci95_low) / 30.0;
    assert!(early > late, "top influencers: {early:.2} vs {late:.2} reach per extra ambassador");
    // Magic middle and random friends: small audiences rarely overlap, so
    // returns stay roughly constant (the late slope is at least half the
    // early one, worst case).
    for s in ["magic middle", "random friends"] {
        let (m5, m10, m20, m50) = (at(s, 5.0), at(s, 10.0), at(s, 20.0), at(s, 50.0));
        let early = (m10.acted_ci95_high - m5.acted_ci95_low) / 5.0;
        let late = (m50.acted_ci95_low - m20.acted_ci95_high) / 30.0;
        assert!(late > 0.5 * early, "{s}: {early:.2} then {late:.2} actions per extra ambassador");
    }
}

#[test]
fn trickle_down_grows_friends_and_ambassadors() {
    let r = run(&scenario("trickle_down"), 40);
    for s in ["magic middle", "top influencers"] {
        let f0 = r.series(s, "friends")[0];
        let a0 = r.series(s, "ambassadors")[0];
        assert_eq!(a0, 10.0, "{s}: the budget's ambassadors at step 0");
        let f = r.col(s, |x| x.friends - f0);
        let a = r.col(s, |x| x.ambassadors - a0);
        assert_mean_within(&format!("{s}: new friends"), &f, 0.0, f64::INFINITY);
        assert_mean_within(&format!("{s}: new ambassadors"), &a, 0.0, 101.0);
        // Growth happens over time, not only at step 1.
        let amb = r.series(s, "ambassadors");
        assert!(amb[amb.len() - 1] > amb[5] && amb[5] > amb[1], "{s}: ambassadors keep growing");
    }
    // Influencers: friends grow by more than half and dozens of ambassadors join;
    // the magic middle's wave is smaller.
    let f0 = r.series("top influencers", "friends")[0];
    assert_mean_within("influencers: friends / start", &r.col("top influencers", |x| x.friends / f0), 1.5, 100.0);
    assert_mean_within("influencers: recruits", &r.col("top influencers", |x| x.ambassadors - 10.0), 24.0, 101.0);
    let g = |s: &str| r.col(s, |x| x.ambassadors);
    assert_paired_gt("recruits influencers > magic middle", &g("top influencers"), &g("magic middle"));
}

#[test]
fn starter_scenario_tells_a_non_saturated_story() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("starter.toml");
    let o = Command::new(env!("CARGO_BIN_EXE_womsim")).arg("new").arg(&file).output().expect("womsim starts");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let r = run(&file, 40);
    let n = r.nodes();
    let names: Vec<String> = r.summary.strategies.iter().map(|s| s.name.clone()).collect();
    for s in &names {
        assert_mean_within(&format!("{s}: reach"), &r.col(s, |x| x.reached), 0.02 * n, 0.9 * n);
        let ratio: Vec<f64> = r.col(s, |x| x.acted / x.reached);
        assert_mean_within(&format!("{s}: action per reach"), &ratio, 0.0, 0.5);
    }
    for w in names.windows(2) {
        assert_paired_gt(
            &format!("reach {} > {}", w[0], w[1]),
            &r.col(&w[0], |x| x.reached),
            &r.col(&w[1], |x| x.reached),
        );
    }
}

#[test]
fn with_attention_dilution_the_magic_middle_wins_per_unit_of_cost() {
    let r = run(&scenario("magic_middle_dilution"), 300);
    let (ti, mm) = (r.strategy("top influencers"), r.strategy("magic middle"));
    // Influencers still cause more in absolute terms ...
    assert!(ti.lift.reached.ci95_low > mm.lift.reached.ci95_high);
    assert!(ti.lift.acted_beyond_seeds.ci95_low > mm.lift.acted_beyond_seeds.ci95_high);
    // ... but less per unit of cost, on action and on reach.
    assert!(
        mm.action_per_cost.ci95_low > ti.action_per_cost.ci95_high,
        "{:?} vs {:?}",
        mm.action_per_cost,
        ti.action_per_cost
    );
    let reach_per_cost = |s: &womsim::results::StrategySummary| s.lift.reached.mean / s.cost;
    assert!(reach_per_cost(mm) > 1.2 * reach_per_cost(ti), "{} vs {}", reach_per_cost(mm), reach_per_cost(ti));
}
