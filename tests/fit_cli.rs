//! End-to-end tests of `womsim fit` (issue 22 §2): the bundled fits run and
//! write the fit.json contract, bad data and bad fit files exit 2 naming
//! file and line with nothing written, results are identical at 1 and 2
//! threads, and `new --fit` writes a fit file that runs.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use womsim::fit::cascades::{read_cascades_lines_with, CascadeOptions, UnknownNodes};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Run `womsim` in `cwd`, asserting the exit code; returns (stdout, stderr).
fn run_expect(args: &[&str], cwd: &Path, code: i32) -> (String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_womsim")).args(args).current_dir(cwd).output().unwrap();
    let (o, e) = (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned());
    assert_eq!(out.status.code(), Some(code), "womsim {args:?}\n--- stdout\n{o}\n--- stderr\n{e}");
    (o, e)
}

fn json(p: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(p).unwrap()).unwrap()
}

/// The contract every fit.json keeps (README, "Fitting to data").
fn check_contract(dir: &Path, keys: &[&str]) -> Value {
    let j = json(&dir.join("fit.json"));
    for field in ["womsim_version", "name", "method", "seed", "data", "estimates", "posterior"] {
        assert!(j.get(field).is_some(), "fit.json lacks {field}: {j}");
    }
    for field in ["tolerance_schedule", "acceptance", "simulations", "ess", "stop"] {
        assert!(j.as_object().unwrap().contains_key(field), "fit.json lacks {field}");
    }
    assert_eq!(j["womsim_version"], env!("CARGO_PKG_VERSION"));
    if !j["data"]["file"].is_null() {
        let sha = j["data"]["sha256"].as_str().unwrap_or("");
        assert!(sha.len() == 64 && sha.chars().all(|c| c.is_ascii_hexdigit()), "data sha256: {sha:?}");
    }
    let est = j["estimates"].as_object().unwrap();
    assert_eq!(est.len(), keys.len(), "{est:?}");
    for k in keys {
        let e = &est[*k];
        let (x, lo, hi) =
            (e["estimate"].as_f64().unwrap(), e["ci95_low"].as_f64().unwrap(), e["ci95_high"].as_f64().unwrap());
        assert!(lo <= x && x <= hi && lo < hi, "{k}: {x} not in [{lo}, {hi}]");
    }
    // posterior.csv: one column per key (dotted path), then weight; weights sum to 1.
    let csv = fs::read_to_string(dir.join("posterior.csv")).unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(header.last(), Some(&"weight"));
    // Scenario keys only (Bass's market size m is in fit.json, not a scenario key).
    let mut want: Vec<&str> = keys.iter().copied().filter(|k| k.contains('.')).collect();
    let mut got: Vec<&str> = header[..header.len() - 1].to_vec();
    want.sort_unstable();
    got.sort_unstable();
    assert_eq!(got, want);
    let mut total = 0.0;
    let mut rows = 0;
    for l in lines {
        let cells: Vec<f64> = l.split(',').map(|c| c.parse().unwrap()).collect();
        assert_eq!(cells.len(), header.len());
        total += cells.last().unwrap();
        rows += 1;
    }
    assert_eq!(rows as u64, j["posterior"]["draws"].as_u64().unwrap());
    assert!((total - 1.0).abs() < 1e-9, "weights sum to {total}");
    for f in ["fit.html", "fit.toml", "charts/marginal_model.p.png", "charts/marginal_model.p.svg"] {
        assert!(dir.join(f).is_file(), "{f} missing");
    }
    let html = fs::read_to_string(dir.join("fit.html")).unwrap();
    assert!(html.contains("<svg") && !html.contains("<script") && !html.contains("src=\"http"));
    j
}

#[test]
fn bundled_bass_fit_runs_and_keeps_the_contract() {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("bass");
    let (stdout, _) =
        run_expect(&["fit", "scenarios/fit_bass_air_conditioners.toml", "--out", s(&out), "--quiet"], &root(), 0);
    assert!(stdout.contains("model.q"), "{stdout}");
    let j = check_contract(&out, &["model.p", "model.q", "m"]);
    assert_eq!(j["method"], "bass_nls");
    assert!(j["bass"]["time_origin"].as_str().unwrap().contains("F(0) = 0"));
    assert_eq!(j["bass"]["periods"], 13);
    // The estimates are the library's NLS fit of the same 13 values (fit.json
    // carries them unchanged).
    let x: Vec<f64> = [96, 195, 238, 380, 1045, 1230, 1267, 1828, 1586, 1673, 1800, 1580, 1500].map(f64::from).to_vec();
    let fit = womsim::fit::fit_bass_nls(&x).unwrap();
    assert_eq!(j["estimates"]["model.q"]["estimate"].as_f64().unwrap(), fit.q.estimate);
    assert_eq!(j["estimates"]["m"]["se"].as_f64().unwrap(), fit.m.se.unwrap());
    for f in ["curve", "pairs", "marginal_m", "marginal_model.q"] {
        assert!(out.join(format!("charts/{f}.png")).is_file(), "{f}");
    }
    // Without --force the folder is not overwritten.
    let (_, err) = run_expect(&["fit", "scenarios/fit_bass_air_conditioners.toml", "--out", s(&out), "-q"], &root(), 2);
    assert!(err.contains("--force"), "{err}");
}

#[test]
fn bundled_cascade_fits_run() {
    let t = tempfile::tempdir().unwrap();
    let ic = t.path().join("ic");
    run_expect(&["fit", "scenarios/fit_stackexchange_ic.toml", "--out", s(&ic), "-q"], &root(), 0);
    let j = check_contract(&ic, &["model.p"]);
    assert_eq!(j["method"], "ic_likelihood");
    assert_eq!(j["data"]["cascades"], 475);
    assert_eq!(j["ic"]["cascades"], 475);
    // The estimate is the library's MLE on the same cascades, unchanged.
    let data = root().join("scenarios/data");
    let graph = womsim::graph::edgelist::load(&data.join("stackexchange_android_graph.txt.gz"), false).unwrap();
    let opts = CascadeOptions { step_length: 86_400.0, unknown: UnknownNodes::Skip };
    let set = read_cascades_lines_with(&data.join("stackexchange_android_train.txt.gz"), &graph, &opts).unwrap();
    let mle = womsim::fit::fit_ic_mle(&graph, &set.cascades).unwrap();
    assert_eq!(j["estimates"]["model.p"]["estimate"].as_f64().unwrap(), mle.p.estimate);
    assert_eq!(j["estimates"]["model.p"]["ci95_high"].as_f64().unwrap(), mle.p.ci95_high);
    assert_eq!(j["data"]["skipped_rows"].as_u64().unwrap(), set.skipped_rows as u64);
    let abc = t.path().join("abc");
    run_expect(&["fit", "scenarios/fit_stackexchange_ic_abc.toml", "--out", s(&abc), "-q"], &root(), 0);
    let j = check_contract(&abc, &["model.p"]);
    let sched = j["tolerance_schedule"].as_array().unwrap();
    assert!(!sched.is_empty());
    // Completed generations' simulations, plus any of an unfinished last
    // generation cut by the budget, make the total.
    let sims: u64 = sched.iter().map(|g| g["simulations"].as_u64().unwrap()).sum();
    let total = j["simulations"].as_u64().unwrap();
    assert!(sims <= total && total <= 1500, "{sims} in generations, {total} in all, budget 1500");
    let ess = j["ess"].as_f64().unwrap();
    assert!((1.0..=100.0 + 1e-9).contains(&ess), "{ess}");
}

/// A fit file and a curve on the karate club (a fast ABC fit).
fn karate_abc(dir: &Path, curve: &str, extra: &str) -> PathBuf {
    fs::write(dir.join("curve.csv"), curve).unwrap();
    let scenario = root().join("scenarios/karate_ic.toml");
    let p = dir.join("fit.toml");
    fs::write(
        &p,
        format!(
            r#"name = "karate"
seed = 5
scenario = {scenario:?}
[data]
kind = "curve"
file = "curve.csv"
cumulative = true
[fit]
method = "abc"
particles = 40
max_simulations = 400
generations = 4
{extra}
[fit.priors]
"model.p" = {{ dist = "uniform", low = 0.0, high = 0.5 }}
"#,
            scenario = s(&scenario)
        ),
    )
    .unwrap();
    p
}

const KARATE_CURVE: &str = "step,reached\n0,2\n1,6\n2,11\n3,14\n4,16\n";

#[test]
fn abc_fit_is_identical_at_one_and_two_threads() {
    let t = tempfile::tempdir().unwrap();
    let f = karate_abc(t.path(), KARATE_CURVE, "");
    let mut outputs = Vec::new();
    for threads in ["1", "2"] {
        let out = t.path().join(format!("out{threads}"));
        run_expect(&["fit", s(&f), "--out", s(&out), "--threads", threads, "-q"], t.path(), 0);
        check_contract(&out, &["model.p"]);
        outputs.push((fs::read(out.join("fit.json")).unwrap(), fs::read(out.join("posterior.csv")).unwrap()));
    }
    assert!(outputs[0] == outputs[1], "fit.json and posterior.csv differ between 1 and 2 threads");
    // Another seed gives another posterior (the seed is used).
    let out = t.path().join("seed9");
    run_expect(&["fit", s(&f), "--out", s(&out), "--seed", "9", "-q"], t.path(), 0);
    assert_ne!(fs::read(out.join("posterior.csv")).unwrap(), outputs[0].1);
    // --force over a Bass fit's folder: its charts of m and the pairs go.
    let bass = t.path().join("bass");
    let starter = t.path().join("starter.toml");
    run_expect(&["new", "--fit", s(&starter)], t.path(), 0);
    run_expect(&["fit", s(&starter), "--out", s(&bass), "-q"], t.path(), 0);
    assert!(bass.join("charts/marginal_m.png").is_file() && bass.join("charts/pairs.svg").is_file());
    fs::write(bass.join("charts/mine.png"), b"x").unwrap();
    run_expect(&["fit", s(&f), "--out", s(&bass), "--force", "-q"], t.path(), 0);
    assert!(!bass.join("charts/marginal_m.png").exists() && !bass.join("charts/pairs.svg").exists());
    assert!(bass.join("charts/mine.png").is_file(), "other files are left alone");
    assert_eq!(json(&bass.join("fit.json"))["method"], "abc");
}

/// Exit 2, the message names what is said, and no output folder appears.
fn refused(dir: &Path, fit: &Path, needles: &[&str]) {
    let out = dir.join("never");
    let (_, err) = run_expect(&["fit", s(fit), "--out", s(&out), "-q"], dir, 2);
    for n in needles {
        assert!(err.contains(n), "{n:?} not in\n{err}");
    }
    assert!(!out.exists(), "nothing is written for bad input");
}

#[test]
fn bad_data_exit_2_naming_file_and_line_with_nothing_written() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    let bass = |data: &str, extra: &str| {
        fs::write(d.join("b.csv"), data).unwrap();
        let p = d.join("bass.toml");
        fs::write(&p, format!("[data]\nkind = \"curve\"\nfile = \"b.csv\"\n{extra}\n[fit]\nmethod = \"bass_nls\"\n"))
            .unwrap();
        p
    };
    // A negative count (line 3) and a non-number (line 5), both reported.
    let p = bass("step,adopters\n1,10\n2,-4\n3,30\n4,x\n5,20\n", "");
    refused(d, &p, &["b.csv:3:", "b.csv:5:", ">= 0"]);
    // Cumulative counts that fall (line 4).
    let p = bass("step,adopters\n1,10\n2,30\n3,25\n4,40\n", "cumulative = true");
    refused(d, &p, &["b.csv:4:", "never fall"]);
    // A gap in the periods.
    let p = bass("step,adopters\n1,10\n2,30\n4,25\n", "");
    refused(d, &p, &["b.csv:4:", "without gaps"]);

    // ABC: a curve longer than the scenario's steps (karate_ic: 34 steps).
    let p = karate_abc(d, "step,reached\n0,2\n1,5\n40,9\n", "");
    refused(d, &p, &["curve.csv", "steps = 34"]);
    // A cumulative curve that falls: file and line.
    let p = karate_abc(d, "step,reached\n0,2\n1,5\n2,4\n", "");
    refused(d, &p, &["curve.csv:4:"]);

    // Cascades: an unknown node id, and an empty file.
    let scenario = root().join("scenarios/karate_ic.toml");
    let cascades = |data: &str| {
        fs::write(d.join("c.csv"), data).unwrap();
        let p = d.join("ic.toml");
        fs::write(
            &p,
            format!(
                "scenario = {:?}\n[data]\nkind = \"cascades\"\nfile = \"c.csv\"\n[fit]\nmethod = \"ic_likelihood\"\n",
                s(&scenario)
            ),
        )
        .unwrap();
        p
    };
    let p = cascades("cascade,node,time\na,1,0\na,2,1\na,999,2\n");
    refused(d, &p, &["c.csv:4:", "999"]);
    let p = cascades("cascade,node,time\n");
    refused(d, &p, &["c.csv"]);
}

#[test]
fn bad_fit_files_list_every_problem_with_its_line() {
    let t = tempfile::tempdir().unwrap();
    let p = t.path().join("bad.toml");
    fs::write(
        &p,
        "name = \"x\"\nseed = -1\ncolour = 1\n[data]\nkind = \"curves\"\nfile = \"d.csv\"\n[fit]\nmethod = \"bass_nls\"\nparticles = 5\n",
    )
    .unwrap();
    let (_, err) = run_expect(&["fit", s(&p), "-q"], t.path(), 2);
    for needle in ["bad.toml:2: seed", "bad.toml:3: colour", "bad.toml:5: data.kind", "bad.toml:9: fit.particles"] {
        assert!(err.contains(needle), "{needle:?} not in\n{err}");
    }
    // ABC without priors or scenario; an unknown prior distribution.
    fs::write(&p, "[data]\nkind = \"curve\"\nfile = \"d.csv\"\n[fit]\nmethod = \"abc\"\n").unwrap();
    let (_, err) = run_expect(&["fit", s(&p), "-q"], t.path(), 2);
    assert!(err.contains("fit.priors") && err.contains("scenario: missing"), "{err}");
    let scenario = root().join("scenarios/karate_ic.toml");
    fs::write(
        &p,
        format!(
            "scenario = {:?}\n[data]\nkind = \"curve\"\nfile = \"d.csv\"\n[fit]\nmethod = \"abc\"\n[fit.priors]\n\"model.p\" = {{ dist = \"cauchy\" }}\n\"network.nodes\" = {{ dist = \"uniform\", low = 1, high = 2 }}\n",
            s(&scenario)
        ),
    )
    .unwrap();
    let (_, err) = run_expect(&["fit", s(&p), "-q"], t.path(), 2);
    assert!(err.contains("fit.priors.model.p") && err.contains("uniform"), "{err}");
    assert!(err.contains("fit.priors.network.nodes") && err.contains("model"), "{err}");
}

#[test]
fn new_fit_writes_a_starter_that_runs() {
    let t = tempfile::tempdir().unwrap();
    let f = t.path().join("launch.toml");
    let (stdout, _) = run_expect(&["new", "--fit", s(&f)], t.path(), 0);
    assert!(stdout.contains("womsim fit"), "{stdout}");
    run_expect(&["new", "--fit", s(&f)], t.path(), 2);
    run_expect(&["fit", s(&f), "-q"], t.path(), 0);
    let j = check_contract(&t.path().join("output/fit_launch"), &["model.p", "model.q", "m"]);
    assert_eq!(j["name"], "launch");
    // Inline data: no file, no digest.
    assert!(j["data"]["file"].is_null());
}

/// `data.observed_until` reaches the likelihood (a dead cascade's last
/// chances count as failures up to the window) and is refused by ABC.
#[test]
fn observed_until_sets_the_likelihood_window() {
    let t = tempfile::tempdir().unwrap();
    let data = root().join("scenarios/data");
    let text = fs::read_to_string(root().join("scenarios/fit_stackexchange_ic.toml")).unwrap();
    let text = text.replace("\"data/", &format!("\"{}/", data.display()));
    let fit = t.path().join("window.toml");
    fs::write(&fit, text.replace("\nunknown = \"skip\"\n", "\nunknown = \"skip\"\nobserved_until = 3000\n")).unwrap();
    let out = t.path().join("out");
    run_expect(&["fit", s(&fit), "--out", s(&out), "-q"], &root(), 0);
    let j = json(&out.join("fit.json"));
    assert_eq!(j["ic"]["observed_until"], 3000);
    let graph = womsim::graph::edgelist::load(&data.join("stackexchange_android_graph.txt.gz"), false).unwrap();
    let opts = CascadeOptions { step_length: 86_400.0, unknown: UnknownNodes::Skip };
    let set = read_cascades_lines_with(&data.join("stackexchange_android_train.txt.gz"), &graph, &opts).unwrap();
    let window = womsim::fit::IcMleOptions { observed_until: Some(3000) };
    let mle = womsim::fit::fit_ic_mle_with(&graph, &set.cascades, &window).unwrap();
    let default = womsim::fit::fit_ic_mle(&graph, &set.cascades).unwrap();
    assert_eq!(j["estimates"]["model.p"]["estimate"].as_f64().unwrap(), mle.p.estimate);
    assert!(mle.p.estimate < default.p.estimate, "{} vs {}", mle.p.estimate, default.p.estimate);
    // ABC simulates each cascade as long as it was observed: refused there.
    let abc = fs::read_to_string(root().join("scenarios/fit_stackexchange_ic_abc.toml")).unwrap();
    let abc = abc.replace("\"data/", &format!("\"{}/", data.display()));
    let abc_fit = t.path().join("abc.toml");
    fs::write(&abc_fit, abc.replace("\nunknown = \"skip\"\n", "\nunknown = \"skip\"\nobserved_until = 3000\n"))
        .unwrap();
    let (_, err) = run_expect(&["fit", s(&abc_fit), "--out", s(&t.path().join("abc_out")), "-q"], &root(), 2);
    assert!(err.contains("data.observed_until") && err.contains("ic_likelihood"), "{err}");
}
