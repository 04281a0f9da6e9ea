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
        let o = Command::new(env!("CARGO_BIN_EXE_womsim"))
            .args(["run", "--quiet", "--threads", "2", "--out"])
            .arg(&out)
            .arg(&sc)
            .current_dir(root())
            .output()
            .unwrap();
        assert!(o.status.success(), "{name}: {}", String::from_utf8_lossy(&o.stderr));
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
