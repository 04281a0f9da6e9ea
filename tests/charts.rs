//! Charts and report from a synthetic `RunResults` (no simulation): files,
//! sizes, labels, skipping rules, self-containment and determinism.

use std::fs;
use std::path::Path;

use womsim::charts::{render_all, CATALOGUE};
use womsim::metrics::{Metric, Row, NUM_METRICS};
use womsim::report::write_report;
use womsim::results::*;
use womsim::scenario::OutputSpec;

const NAMES: [&str; 3] = ["top influencers", "magic middle (20–100)", "random friends & fans"];

fn stat(mean: f64, half: f64) -> Stat {
    Stat { mean, sd: half * 3.0, ci95_low: mean - half, ci95_high: mean + half }
}

fn fstat(mean: f64, half: f64) -> FinalStat {
    FinalStat {
        mean,
        sd: half * 3.0,
        ci95_low: mean - half,
        ci95_high: mean + half,
        q05: mean * 0.6,
        q50: mean * 0.97,
        q95: mean * 1.5,
    }
}

fn diff(mean: f64, half: f64) -> Diff {
    let significant = (mean - half) * (mean + half) > 0.0;
    let p = if significant { 0.001 } else { 0.4 };
    Diff { mean, ci95_low: mean - half, ci95_high: mean + half, p_value: p, p_adjusted: p, significant }
}

/// The no-campaign world: detractors' bad news, nobody acts.
fn baseline_row(t: f64) -> Row {
    let mut r: Row = [0.0; NUM_METRICS];
    r[Metric::Reached.idx()] = 300.0 * (1.0 - (-t / 4.0).exp()) + 20.0;
    r[Metric::ReachedBad.idx()] = r[Metric::Reached.idx()];
    r[Metric::Friends.idx()] = 600.0;
    r
}

/// A smooth S-curve from 0 to 1 over `steps`, centred at `mid`.
fn s_curve(t: f64, mid: f64) -> f64 {
    1.0 / (1.0 + (-(t - mid) / 3.0).exp())
}

/// Synthetic results: 3 strategies, 30 steps, degrees and a budget sweep.
fn synthetic(model: &str) -> RunResults {
    let steps = 30u32;
    let finals = [(2400.0, 520.0), (3100.0, 760.0), (2500.0, 610.0)];
    let friends0 = 600.0;
    let mut strategies = Vec::new();
    let mut series = Vec::new();
    for (i, name) in NAMES.iter().enumerate() {
        let (reach, act) = finals[i];
        let mid = 9.0 + 3.0 * i as f64;
        let mut mean = Vec::new();
        let mut q05 = Vec::new();
        let mut q95 = Vec::new();
        for t in 0..=steps {
            let f = s_curve(t as f64, mid);
            let mut r: Row = [0.0; NUM_METRICS];
            r[Metric::Reached.idx()] = 10.0 + reach * f;
            r[Metric::ReachedGood.idx()] = r[Metric::Reached.idx()] * (0.75 - 0.05 * i as f64);
            r[Metric::ReachedBad.idx()] = r[Metric::Reached.idx()] - r[Metric::ReachedGood.idx()];
            r[Metric::Acted.idx()] = act * s_curve(t as f64, mid + 4.0);
            r[Metric::Friends.idx()] = friends0 + 250.0 * f * (1.0 + 0.3 * i as f64);
            r[Metric::Ambassadors.idx()] = 10.0 + (12.0 + 4.0 * i as f64) * s_curve(t as f64, mid + 2.0);
            r[Metric::NetSentiment.idx()] = 0.5 - 0.1 * i as f64;
            let mut lo = r;
            let mut hi = r;
            for m in Metric::ALL {
                lo[m.idx()] *= 0.8;
                hi[m.idx()] *= 1.2;
            }
            mean.push(r);
            q05.push(lo);
            q95.push(hi);
        }
        series.push(StrategySeries { strategy: name.to_string(), mean, q05, q95 });
        let seed_followers: Vec<u32> = match i {
            0 => vec![812, 640, 515, 433, 390, 350, 301, 280, 266, 240],
            1 => vec![98, 91, 77, 64, 55, 43, 38, 31, 25, 21],
            _ => vec![0, 1, 2, 2, 3, 5, 8, 13, 21, 0],
        };
        let paired = (i > 0).then(|| PairedDiffs {
            against: NAMES[0].to_string(),
            reached: diff(reach - finals[0].0, 150.0),
            reached_good: diff(0.7 * (reach - finals[0].0), 120.0),
            reached_bad: diff(0.3 * (reach - finals[0].0), 60.0),
            acted: diff(act - finals[0].1, 95.0),
        });
        strategies.push(StrategySummary {
            name: name.to_string(),
            kind: ["top_degree", "magic_middle", "random"][i].to_string(),
            budget: 10.0,
            budget_unit: "people".to_string(),
            cost: 10.0,
            seeds_vary: i == 2,
            band: (i == 1).then_some([20, 100]),
            seeds: (0..10).map(|k| format!("n{}", 100 * i + k)).collect(),
            seed_followers,
            final_: FinalMetrics {
                reached: fstat(reach + 10.0, 80.0),
                reached_good: fstat(0.7 * reach, 60.0),
                reached_bad: fstat(0.3 * reach, 30.0),
                acted: fstat(act, 40.0),
                p_bad_exceeds_good: 0.1 * i as f64,
            },
            lift: Lift {
                reached: stat(reach - 310.0, 80.0),
                reached_good: stat(0.7 * reach, 60.0),
                reached_bad: stat(0.3 * reach - 310.0, 30.0),
                acted: stat(act, 40.0),
                acted_beyond_seeds: stat(act - 10.0, 40.0),
            },
            action_per_reach: stat(act / reach, 0.01),
            action_per_cost: stat(act / 10.0, 4.0),
            steps_to_half_reach: stat(mid, 1.0),
            paired,
            uncertain: None,
        });
    }
    // A power-law-ish follower distribution.
    let mut degrees = vec![DegreeRow { degree: 0, count: 350 }];
    for d in 1..=900u32 {
        let c = (12000.0 * (d as f64).powf(-2.1)).round() as u64;
        if c > 0 {
            degrees.push(DegreeRow { degree: d, count: c });
        }
    }
    degrees.push(DegreeRow { degree: 812, count: 1 });
    let mut budgets = Vec::new();
    for (i, name) in NAMES.iter().enumerate() {
        for b in [5.0, 10.0, 20.0, 50.0] {
            let scale = (b / 10.0_f64).powf(0.6);
            let (reach, act) = finals[i];
            budgets.push(BudgetPoint {
                strategy: name.to_string(),
                budget: b,
                cost: b,
                reached_mean: reach * scale,
                reached_ci95_low: reach * scale * 0.95,
                reached_ci95_high: reach * scale * 1.05,
                acted_mean: act * scale,
                acted_ci95_low: act * scale * 0.92,
                acted_ci95_high: act * scale * 1.08,
                lift_reached_mean: reach * scale - 310.0,
                lift_reached_ci95_low: reach * scale * 0.95 - 310.0,
                lift_reached_ci95_high: reach * scale * 1.05 - 310.0,
                lift_acted_beyond_seeds_mean: act * scale - b,
                lift_acted_beyond_seeds_ci95_low: act * scale * 0.92 - b,
                lift_acted_beyond_seeds_ci95_high: act * scale * 1.08 - b,
            });
        }
    }
    RunResults {
        summary: SummaryFile {
            womsim_version: "0.1.0".to_string(),
            scenario: "synthetic_demo".to_string(),
            description: "Synthetic results <for> tests & previews.".to_string(),
            seed: 42,
            replicates: 200,
            steps,
            model: model.to_string(),
            network: NetworkInfo { kind: "barabasi_albert".to_string(), nodes: 10_000, edges: 49_950, directed: true },
            baseline: Baseline {
                final_: FinalMetrics {
                    reached: fstat(320.0, 3.0),
                    reached_good: fstat(0.0, 0.0),
                    reached_bad: fstat(320.0, 3.0),
                    acted: fstat(0.0, 0.0),
                    p_bad_exceeds_good: 1.0,
                },
            },
            strategies,
            uncertain: None,
            sensitivity: None,
        },
        baseline: StrategySeries {
            strategy: "(no campaign)".to_string(),
            mean: (0..=steps).map(|t| baseline_row(t as f64)).collect(),
            q05: (0..=steps).map(|t| baseline_row(t as f64 * 0.9)).collect(),
            q95: (0..=steps).map(|t| baseline_row(t as f64 * 1.1)).collect(),
        },
        series,
        degrees,
        budgets,
        resolved_toml: "name = \"synthetic_demo\"\nseed = 42\n# a <comment> & more\n".to_string(),
    }
}

fn output(size: (u32, u32)) -> OutputSpec {
    OutputSpec { size, ..OutputSpec::default() }
}

fn png_size(p: &Path) -> (u32, u32) {
    let img = image::open(p).unwrap_or_else(|e| panic!("{} does not decode: {e}", p.display()));
    (img.width(), img.height())
}

/// Text as the SVG backend writes it (XML-escaped).
fn xml(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

#[test]
fn full_catalogue_exists_decodes_and_is_labelled() {
    let dir = tempfile::tempdir().unwrap();
    let r = synthetic("relationship_chain");
    let written = render_all(&r, dir.path(), &output((960, 540))).unwrap();
    assert_eq!(written.len(), 2 * CATALOGUE.len(), "{written:?}");
    for stem in CATALOGUE {
        let png = dir.path().join(format!("{stem}.png"));
        let svg = dir.path().join(format!("{stem}.svg"));
        assert!(written.contains(&png) && written.contains(&svg), "{stem} not reported as written");
        assert_eq!(png_size(&png), (960, 540), "{stem}.png");
        let text = fs::read_to_string(&svg).unwrap();
        assert!(text.starts_with("<svg") && text.trim_end().ends_with("</svg>"), "{stem}.svg is not a complete SVG");
        assert!(text.contains(&xml(womsim::charts::chart_title(stem))), "{stem}.svg has no title");
        for name in NAMES {
            assert!(text.contains(&xml(name)), "{stem}.svg lacks legend label {name:?}");
        }
        assert!(text.contains("synthetic_demo"), "{stem}.svg lacks the subtitle");
    }
    // No temporary files left behind.
    for e in fs::read_dir(dir.path()).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!name.starts_with('.'), "leftover temporary file {name}");
    }
}

#[test]
fn every_chart_has_its_own_title() {
    let dir = tempfile::tempdir().unwrap();
    let r = synthetic("relationship_chain");
    render_all(&r, dir.path(), &output((640, 360))).unwrap();
    let expect = [
        ("reach", "Reach over time"),
        ("action", "Action over time"),
        ("comparison", "What each strategy caused"),
        ("distribution", "Risk: the spread of outcomes"),
        ("sentiment", "Good and bad experiences"),
        ("layers", "Trickle-down"),
        ("network", "Who was seeded"),
        ("budget", "Reach and action versus budget"),
    ];
    for (stem, title) in expect {
        let svg = fs::read_to_string(dir.path().join(format!("{stem}.svg"))).unwrap();
        assert!(svg.contains(title), "{stem}.svg lacks title {title:?}");
        assert!(svg.contains("200 replicates") && svg.contains("seed 42"), "{stem}.svg subtitle incomplete");
        assert!(svg.contains("10,000-person"), "{stem}.svg lacks thousands separators");
    }
    // The time charts say what their band is.
    let reach = fs::read_to_string(dir.path().join("reach.svg")).unwrap();
    assert!(reach.contains("5–95% of replicates"));
}

#[test]
fn classic_model_skips_charts_that_do_not_apply() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = synthetic("independent_cascade");
    // Classic models have no friend dynamics.
    for s in &mut r.series {
        for rows in [&mut s.mean, &mut s.q05, &mut s.q95] {
            for row in rows.iter_mut() {
                row[Metric::Friends.idx()] = 0.0;
                row[Metric::Ambassadors.idx()] = 10.0;
            }
        }
    }
    r.budgets.clear();
    render_all(&r, dir.path(), &output((640, 360))).unwrap();
    for stem in ["reach", "action", "comparison", "network"] {
        assert!(dir.path().join(format!("{stem}.png")).exists(), "{stem}.png missing");
        assert!(dir.path().join(format!("{stem}.svg")).exists(), "{stem}.svg missing");
    }
    for stem in ["layers", "sentiment", "budget"] {
        assert!(!dir.path().join(format!("{stem}.png")).exists(), "{stem}.png should be skipped");
        assert!(!dir.path().join(format!("{stem}.svg")).exists(), "{stem}.svg should be skipped");
    }
    // ic_n has valence: sentiment applies, layers still do not.
    let r2 = {
        let mut r2 = r.clone();
        r2.summary.model = "ic_n".into();
        r2.degrees.clear();
        r2
    };
    let dir2 = tempfile::tempdir().unwrap();
    render_all(&r2, dir2.path(), &output((640, 360))).unwrap();
    assert!(dir2.path().join("sentiment.png").exists());
    assert!(!dir2.path().join("layers.png").exists());
    assert!(!dir2.path().join("network.png").exists(), "no degrees recorded: no network chart");
}

#[test]
fn output_charts_subset_is_honoured() {
    let dir = tempfile::tempdir().unwrap();
    let r = synthetic("relationship_chain");
    let out = OutputSpec { charts: vec!["network".into(), "reach".into()], ..output((640, 360)) };
    let written = render_all(&r, dir.path(), &out).unwrap();
    let names: Vec<String> = written.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(names, ["reach.png", "reach.svg", "network.png", "network.svg"]);
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 4);
}

#[test]
fn report_is_self_contained_and_complete() {
    let dir = tempfile::tempdir().unwrap();
    let r = synthetic("relationship_chain");
    render_all(&r, dir.path(), &output((640, 360))).unwrap();
    let report = dir.path().join("report.html");
    write_report(&r, dir.path(), &report).unwrap();
    let html = fs::read_to_string(&report).unwrap();
    for bad in ["http://", "https://", "<script", "<link", "<img", "@import", "url("] {
        assert!(!html.contains(bad), "report.html contains {bad:?}");
    }
    for name in NAMES {
        assert!(html.contains(&xml(name)), "report lacks strategy {name:?}");
    }
    // User text is escaped.
    assert!(html.contains("Synthetic results &lt;for&gt; tests &amp; previews."));
    assert!(!html.contains("<for>"));
    assert!(html.contains("# a &lt;comment&gt; &amp; more"), "resolved scenario missing or unescaped");
    // Every chart inline, as SVG.
    assert_eq!(html.matches("<svg ").count(), CATALOGUE.len());
    assert!(html.contains("@media print"));
    // Summary: mean ± CI with thousands separators, significance marks and
    // a ranking only where the paired CI excludes zero.
    assert!(html.contains("2,090 ± 80"), "extra reach of the first strategy");
    assert!(
        html.contains("On <em>extra reach</em>, <strong>magic middle (20–100)</strong> is best"),
        "a clear winner is named in the verdict"
    );
    assert!(!html.contains("NaN"));
}

#[test]
fn same_results_give_identical_bytes() {
    let r = synthetic("relationship_chain");
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let fa = render_all(&r, a.path(), &output((640, 360))).unwrap();
    let fb = render_all(&r, b.path(), &output((640, 360))).unwrap();
    assert_eq!(fa.len(), fb.len());
    for (x, y) in fa.iter().zip(&fb) {
        assert_eq!(fs::read(x).unwrap(), fs::read(y).unwrap(), "{} differs between renders", x.display());
    }
    write_report(&r, a.path(), &a.path().join("report.html")).unwrap();
    write_report(&r, b.path(), &b.path().join("report.html")).unwrap();
    assert_eq!(fs::read(a.path().join("report.html")).unwrap(), fs::read(b.path().join("report.html")).unwrap());
}

#[test]
fn full_hd_default_size() {
    // Set WOMSIM_CHART_PREVIEW=/some/dir to keep the full-size charts for review.
    let tmp = tempfile::tempdir().unwrap();
    let dir =
        std::env::var_os("WOMSIM_CHART_PREVIEW").map(std::path::PathBuf::from).unwrap_or(tmp.path().to_path_buf());
    // WOMSIM_CHART_PREVIEW_SIZE=WxH previews another size.
    let size = std::env::var("WOMSIM_CHART_PREVIEW_SIZE")
        .ok()
        .and_then(|v| v.split_once('x').map(|(w, h)| (w.parse().unwrap(), h.parse().unwrap())))
        .unwrap_or((1920, 1080));
    let r = synthetic("relationship_chain");
    let out = OutputSpec { size, ..OutputSpec::default() };
    assert_eq!(OutputSpec::default().size, (1920, 1080));
    let written = render_all(&r, &dir, &out).unwrap();
    for p in written.iter().filter(|p| p.extension().unwrap() == "png") {
        assert_eq!(png_size(p), size, "{}", p.display());
    }
    write_report(&r, &dir, &dir.join("report.html")).unwrap();
}

#[test]
fn too_small_size_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let r = synthetic("relationship_chain");
    let err = render_all(&r, dir.path(), &output((100, 50))).unwrap_err();
    assert!(err.to_string().contains("output.size"), "{err}");
}

#[test]
fn degenerate_results_still_render() {
    // One strategy, one replicate (CIs collapse), nothing spread, NaN ratio,
    // only isolated nodes, a seed with no follower: every chart that applies
    // must still draw, and the report must not print NaN.
    let mut r = synthetic("relationship_chain");
    r.summary.replicates = 1;
    r.summary.strategies.truncate(1);
    r.series.truncate(1);
    let st = &mut r.summary.strategies[0];
    st.seed_followers = vec![0, 0];
    st.final_.reached = fstat(0.0, 0.0);
    st.final_.acted = fstat(0.0, 0.0);
    st.action_per_reach = Stat { mean: f64::NAN, sd: f64::NAN, ci95_low: f64::NAN, ci95_high: f64::NAN };
    let s0 = &mut r.series[0];
    for rows in [&mut s0.mean, &mut s0.q05, &mut s0.q95] {
        for row in rows.iter_mut() {
            *row = [0.0; NUM_METRICS];
        }
    }
    r.degrees = vec![DegreeRow { degree: 0, count: 5 }, DegreeRow { degree: 1, count: 0 }];
    r.budgets.retain(|b| b.strategy == NAMES[0]);
    let dir = tempfile::tempdir().unwrap();
    let written = render_all(&r, dir.path(), &output((640, 360))).unwrap();
    // Only isolated nodes: no follower distribution to show.
    assert!(!dir.path().join("network.png").exists());
    assert_eq!(written.len(), 2 * (CATALOGUE.len() - 1));
    write_report(&r, dir.path(), &dir.path().join("report.html")).unwrap();
    let html = fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(!html.contains("NaN") && !html.contains("inf%") && !html.contains(">inf"), "non-finite numbers leaked");
    assert!(html.contains("nothing to compare"));
}

#[test]
fn network_chart_shades_the_scenarios_own_band() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = synthetic("relationship_chain");
    r.summary.strategies[1].band = Some([5, 40]);
    let mut out = output((960, 540));
    out.charts = vec!["network".to_string()];
    render_all(&r, dir.path(), &out).unwrap();
    let svg = fs::read_to_string(dir.path().join("network.svg")).unwrap();
    assert!(svg.contains("magic middle (5–40 followers)"), "the band's legend follows the scenario");
    assert!(!svg.contains("(20–100 followers)"), "no fixed 20–100 band");
}

#[test]
fn verdict_says_no_clear_winner_when_the_evidence_does_not_separate() {
    let mut r = synthetic("relationship_chain");
    // Make every difference insignificant and every CI overlap.
    for st in &mut r.summary.strategies {
        st.lift.reached = Stat { mean: st.lift.reached.mean, sd: 1.0, ci95_low: 0.0, ci95_high: 9_000.0 };
        st.lift.acted_beyond_seeds =
            Stat { mean: st.lift.acted_beyond_seeds.mean, sd: 1.0, ci95_low: 0.0, ci95_high: 9_000.0 };
        if let Some(p) = &mut st.paired {
            for d in p.all_mut() {
                d.significant = false;
            }
        }
    }
    let html = womsim::report::render_report(&r, &Default::default()).unwrap();
    assert_eq!(html.matches("no clear winner").count(), 2, "one per metric");
    assert!(!html.contains("is best"));
}

#[test]
fn still_rising_is_reported_in_the_report_and_for_stderr() {
    let mut r = synthetic("relationship_chain");
    // Every curve levels off in the second half...
    for s in &mut r.series {
        let half = s.mean.len() / 2;
        let flat = s.mean[half];
        for row in s.mean.iter_mut().skip(half) {
            *row = flat;
        }
    }
    assert!(womsim::report::still_rising(&r).is_empty(), "the curves level off");
    assert!(womsim::report::still_rising_warning(&r).is_none());
    // The second strategy keeps growing to the end.
    let n = r.series[1].mean.len();
    for (t, row) in r.series[1].mean.iter_mut().enumerate() {
        row[Metric::Reached.idx()] = 100.0 + 100.0 * t as f64 / n as f64 * 30.0;
    }
    assert_eq!(womsim::report::still_rising(&r), vec![NAMES[1].to_string()]);
    let w = womsim::report::still_rising_warning(&r).unwrap();
    assert!(w.starts_with("warning:") && w.contains(NAMES[1]), "{w}");
    let html = womsim::report::render_report(&r, &Default::default()).unwrap();
    assert!(html.contains("Still rising at the last step"));
}

#[test]
fn a_strategy_keeps_its_colour_whatever_its_position() {
    let colour_of = |r: &RunResults, name: &str| {
        let i = r.summary.strategies.iter().position(|s| s.name == name).unwrap();
        womsim::charts::run_colors(r)[i]
    };
    let a = synthetic("relationship_chain");
    let mut b = a.clone();
    b.summary.strategies.reverse();
    b.series.reverse();
    for name in NAMES {
        assert_eq!(colour_of(&a, name), colour_of(&b, name), "{name} changed colour when reordered");
    }
    // And across runs with other strategies beside it.
    let mut c = a.clone();
    c.summary.strategies.truncate(1);
    c.series.truncate(1);
    assert_eq!(colour_of(&a, NAMES[0]), colour_of(&c, NAMES[0]));
}
