//! Crash consistency: a run stopped after any number of completed file
//! renames (the process aborts, as if killed) leaves a folder that `plot`
//! either draws (exit 0, warning that the run is incomplete once it knows)
//! or refuses cleanly (exit 2) when no strategy had finished yet — never a
//! half-written file, a crash of `plot` or an exit 1. A rerun with `--force`
//! then completes (the dead run's lock is stale).

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn womsim(args: &[&str], dir: &Path, env: Option<(&str, String)>) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_womsim"));
    c.args(args).current_dir(dir);
    if let Some((k, v)) = env {
        c.env(k, v);
    }
    c.output().expect("womsim starts")
}

const SCENARIO: &str = r#"name = "crash"
seed = 3
replicates = 6
steps = 12
budgets = [2, 4]
[network]
kind = "barabasi_albert"
nodes = 200
m = 2
[model]
kind = "independent_cascade"
p = 0.1
[[strategy]]
name = "top"
kind = "top_degree"
budget = 3
[[strategy]]
name = "random"
kind = "random"
budget = 3
[[strategy]]
name = "none"
kind = "none"
[output]
charts = ["reach", "comparison"]
"#;

#[test]
fn a_run_stopped_between_any_two_renames_leaves_a_consistent_folder() {
    let t = tempfile::tempdir().unwrap();
    fs::write(t.path().join("s.toml"), SCENARIO).unwrap();
    let mut completed = false;
    for n in 1..200u32 {
        let dir = format!("out{n}");
        let o = womsim(
            &["run", "s.toml", "--quiet", "--out", &dir],
            t.path(),
            Some(("WOMSIM_ABORT_AFTER_RENAMES", n.to_string())),
        );
        if o.status.success() {
            completed = true;
            break;
        }
        assert!(o.status.code().is_none(), "stop {n}: the run should have been killed, got {:?}", o.status);
        let d = t.path().join(&dir);
        // No half-written contract file: every temporary is a dot file.
        for e in fs::read_dir(&d).unwrap() {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            assert!(name.starts_with('.') || !name.contains("tmp"), "stop {n}: {name}");
        }
        let p = womsim(&["plot", &dir], t.path(), None);
        let err = String::from_utf8_lossy(&p.stderr).into_owned();
        if d.join("summary.json").exists() {
            assert_eq!(p.status.code(), Some(0), "stop {n}: plot failed on a folder with a summary: {err}");
        } else {
            assert_eq!(p.status.code(), Some(2), "stop {n}: {err}");
            assert!(err.starts_with("error: "), "stop {n}: {err}");
        }
        // The killed run's lock is stale: a rerun takes over and completes.
        if n % 5 == 1 {
            let again = womsim(&["run", "s.toml", "--quiet", "--force", "--out", &dir], t.path(), None);
            assert!(again.status.success(), "stop {n}: rerun: {}", String::from_utf8_lossy(&again.stderr));
            assert!(!d.join(".womsim.lock").exists());
        }
    }
    assert!(completed, "the run never completed within 200 renames");
}

#[test]
fn a_second_run_on_a_locked_folder_exits_2_naming_the_holder() {
    let t = tempfile::tempdir().unwrap();
    fs::write(t.path().join("s.toml"), SCENARIO).unwrap();
    let d = t.path().join("res");
    fs::create_dir(&d).unwrap();
    // A live holder: this test process.
    fs::write(d.join(".womsim.lock"), format!("{}\n", std::process::id())).unwrap();
    let o = womsim(&["run", "s.toml", "--quiet", "--force", "--out", "res"], t.path(), None);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains(&format!("process {}", std::process::id())), "{err}");
    assert!(!d.join("summary.json").exists(), "nothing written");
}
