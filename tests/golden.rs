//! Golden outputs: the SHA-256 of every data file each bundled scenario
//! writes (`summary.json`, `timeseries.csv`, `replicates.csv`, `seeds.csv`,
//! `budgets.csv`), stored in `tests/golden/<scenario>.sha256`. Any change
//! to the numbers — intended or not — fails here.
//!
//! After an intended change, re-bless and say in the commit why the numbers
//! moved:
//!
//! ```sh
//! WOMSIM_BLESS=1 cargo test --test golden
//! ```

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

const FILES: [&str; 5] = ["summary.json", "timeseries.csv", "replicates.csv", "seeds.csv", "budgets.csv"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn bundled() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(root().join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        // Fit files (`womsim fit`) live beside the scenarios but are not scenarios.
        .filter(|p| !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("fit_")))
        .collect();
    v.sort();
    v
}

/// `<file>  <sha256>` lines for the files the run wrote, in [`FILES`] order.
fn digests(dir: &Path) -> String {
    let mut out = String::new();
    for f in FILES {
        let p = dir.join(f);
        if let Ok(bytes) = fs::read(&p) {
            let hex: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
            out.push_str(&format!("{f}  {hex}\n"));
        }
    }
    out
}

/// `womsim run --quiet <extra> --out <out> <scenario>` from the repository
/// root; it must succeed.
fn run(scenario: &Path, out: &Path, extra: &[&str]) {
    let o = Command::new(env!("CARGO_BIN_EXE_womsim"))
        .args(["run", "--quiet"])
        .args(extra)
        .arg("--out")
        .arg(out)
        .arg(scenario)
        .current_dir(root())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}: {}", scenario.display(), String::from_utf8_lossy(&o.stderr));
}

#[test]
fn bundled_scenarios_reproduce_their_golden_outputs() {
    let bless = std::env::var_os("WOMSIM_BLESS").is_some();
    let tmp = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    let scenarios = bundled();
    assert!(scenarios.len() >= 7, "bundled scenarios missing: {scenarios:?}");
    for sc in scenarios {
        let name = sc.file_stem().unwrap().to_string_lossy().into_owned();
        let out = tmp.path().join(&name);
        run(&sc, &out, &["--threads", "2"]);
        let got = digests(&out);
        let golden = root().join("tests/golden").join(format!("{name}.sha256"));
        if bless {
            fs::write(&golden, &got).unwrap();
            continue;
        }
        let want = fs::read_to_string(&golden).unwrap_or_default();
        if got != want {
            failures.push(format!("{name}:\n  want\n{want}  got\n{got}"));
        }
    }
    assert!(
        failures.is_empty(),
        "outputs changed (if intended: WOMSIM_BLESS=1 cargo test --test golden, and say why in the commit):\n{}",
        failures.join("\n")
    );
}

/// Run `womsim run` on `scenario` text (written to `dir/name.toml`) into
/// `dir/name/`.
fn run_text(dir: &Path, name: &str, text: &str) -> PathBuf {
    let sc = dir.join(format!("{name}.toml"));
    fs::write(&sc, text).unwrap();
    let out = dir.join(name);
    run(&sc, &out, &["--replicates", "300"]);
    out
}

/// Trajectories are stored up to quiescence: raising `steps` tenfold on a
/// scenario whose cascades all end within its steps changes nothing but the
/// horizon — the rows both runs have are identical, the later rows repeat
/// the last one, and every final number is the same.
#[test]
fn steps_raised_tenfold_repeat_the_rows_both_have() {
    let tmp = tempfile::tempdir().unwrap();
    // Independent cascade on 34 nodes: every cascade has ended by step 34.
    let text = fs::read_to_string(root().join("scenarios/karate_ic.toml"))
        .unwrap()
        .replace("path = \"data/", &format!("path = \"{}/scenarios/data/", root().display()));
    assert!(text.contains("\nsteps = 34"), "karate_ic.toml runs 34 steps");
    let short = run_text(tmp.path(), "short", &text);
    let long = run_text(tmp.path(), "long", &text.replace("\nsteps = 34", "\nsteps = 340"));
    for f in ["replicates.csv", "seeds.csv"] {
        assert_eq!(fs::read(short.join(f)).unwrap(), fs::read(long.join(f)).unwrap(), "{f}");
    }
    let summary = |d: &Path| fs::read_to_string(d.join("summary.json")).unwrap();
    assert_eq!(summary(&short).replace("\"steps\": 34", "\"steps\": 340"), summary(&long));
    let rows = |d: &Path| -> Vec<(String, usize, String)> {
        fs::read_to_string(d.join("timeseries.csv"))
            .unwrap()
            .lines()
            .skip(1)
            .map(|l| {
                let mut it = l.splitn(3, ',');
                let (s, t, rest) = (it.next().unwrap(), it.next().unwrap(), it.next().unwrap());
                (s.to_string(), t.parse().unwrap(), rest.to_string())
            })
            .collect()
    };
    let (a, b) = (rows(&short), rows(&long));
    assert_eq!(b.len(), a.len() / 35 * 341);
    for (s, t, rest) in &b {
        let k = (*t).min(34);
        let want = a.iter().find(|(s2, t2, _)| s2 == s && *t2 == k).unwrap();
        if *t <= 34 {
            assert_eq!(rest, &want.2, "{s} step {t}");
        } else {
            // Past quiescence every row is the same: cumulative values as at
            // step 34 (reach mean, q05, q95 come first), per-step ones 0.
            let at35 = &b.iter().find(|(s2, t2, _)| s2 == s && *t2 == 35).unwrap().2;
            assert_eq!(rest, at35, "{s} step {t}");
            let head = |x: &str| x.split(',').take(12).collect::<Vec<_>>().join(",");
            assert_eq!(head(rest), head(&want.2), "{s} step {t}: reached…acted");
        }
    }
}
