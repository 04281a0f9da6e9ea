//! Hostile inputs the issue tracker found (issue 14): each is refused with
//! exit 2 and a message naming what to change, before anything is written.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn womsim(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_womsim")).args(args).current_dir(dir).output().expect("womsim starts")
}

fn refused(o: &Output, needle: &str) {
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.starts_with("error: ") && err.contains(needle), "expected {needle:?} in {err}");
}

const NET: &str = "[network]\nkind = \"ring\"\nnodes = 100\n[[strategy]]\nkind = \"random\"\nbudget = 2\n";

#[test]
fn runs_that_cannot_fit_are_refused_up_front() {
    let t = tempfile::tempdir().unwrap();
    // Both at the schema's maximum: valid, but no machine holds the
    // trajectories; refused before anything runs.
    fs::write(t.path().join("big.toml"), format!("replicates = 1000000\nsteps = 100000\n{NET}")).unwrap();
    let o = womsim(&["run", "big.toml", "--quiet", "--out", "big"], t.path());
    refused(&o, "lower replicates");
    assert!(!t.path().join("big").exists(), "nothing written");
    // The override takes the user's word for it (checked here with validate
    // only: the estimate is printed).
    let o = womsim(&["validate", "big.toml"], t.path());
    refused(&o, "--max-memory");
    // A network with more arcs than the format holds: refused in
    // milliseconds instead of built for a minute.
    fs::write(
        t.path().join("huge.toml"),
        "[network]\nkind = \"configuration\"\nnodes = 50000000\nexponent = 1.1\nmin_degree = 1\nmax_degree = 5000000\n\
         [[strategy]]\nkind = \"random\"\nbudget = 2\n",
    )
    .unwrap();
    let start = std::time::Instant::now();
    refused(&womsim(&["validate", "huge.toml"], t.path()), "arcs");
    assert!(start.elapsed().as_secs() < 10);
}

#[test]
fn flags_obey_the_schemas_ranges() {
    let t = tempfile::tempdir().unwrap();
    fs::write(t.path().join("s.toml"), NET).unwrap();
    for flag in [["--replicates", "1000001"], ["--replicates", "4294967295"], ["--max-memory", "lots"]] {
        let o = womsim(&["run", "s.toml", "--quiet", flag[0], flag[1]], t.path());
        assert_eq!(o.status.code(), Some(2), "{flag:?}: {}", String::from_utf8_lossy(&o.stderr));
    }
    let o = womsim(&["run", "s.toml", "--quiet", "--max-memory", "64G", "--replicates", "3", "--out", "ok"], t.path());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn a_multi_scenario_run_is_all_or_nothing() {
    let t = tempfile::tempdir().unwrap();
    fs::write(t.path().join("a.toml"), format!("name = \"a\"\n{NET}")).unwrap();
    // Valid as a file, but its band holds nobody: only seeding finds out.
    fs::write(
        t.path().join("b.toml"),
        "name = \"b\"\n[network]\nkind = \"ring\"\nnodes = 100\n[[strategy]]\nkind = \"magic_middle\"\nbudget = 2\n\
         pool = \"everyone\"\n",
    )
    .unwrap();
    let o = womsim(&["run", "a.toml", "b.toml", "--quiet", "--out", "both"], t.path());
    refused(&o, "band");
    assert!(!t.path().join("both/a/summary.json").exists(), "the first scenario was written");
}

#[test]
fn cost_and_names_are_bounded_before_the_run() {
    let t = tempfile::tempdir().unwrap();
    fs::write(t.path().join("c.toml"), format!("{NET}cost = {{ base = 1e308 }}\n")).unwrap();
    refused(&womsim(&["validate", "c.toml"], t.path()), "cost.base = 1e308");
    fs::write(t.path().join("n.toml"), format!("name = \"{}\"\n{NET}", "x".repeat(300))).unwrap();
    refused(&womsim(&["validate", "n.toml"], t.path()), "at most 100");
}

#[test]
fn one_mistake_gives_one_message() {
    let t = tempfile::tempdir().unwrap();
    fs::write(t.path().join("ids.txt"), "1\n").unwrap();
    fs::write(
        t.path().join("both.toml"),
        "[network]\nkind = \"ring\"\nnodes = 10\n[[strategy]]\nkind = \"explicit\"\nnodes = [\"1\"]\nfile = \"ids.txt\"\n",
    )
    .unwrap();
    let o = womsim(&["validate", "both.toml"], t.path());
    refused(&o, "give either `nodes` or `file`, not both");
    assert!(!String::from_utf8_lossy(&o.stderr).contains("at least one node id"));
    fs::write(
        t.path().join("one.toml"),
        "[network]\nkind = \"ring\"\nnodes = 1\n[[strategy]]\nkind = \"random\"\nbudget = 1\n",
    )
    .unwrap();
    let o = womsim(&["validate", "one.toml"], t.path());
    refused(&o, "network.nodes = 1");
    assert!(!String::from_utf8_lossy(&o.stderr).contains("0 nodes"), "no spurious budget complaint");
}

#[test]
fn a_budget_sweep_point_that_cannot_work_is_found_by_validate_and_blamed_on_budgets() {
    let t = tempfile::tempdir().unwrap();
    // A 300-node BA graph has only a handful of nodes with 20–100 followers:
    // a sweep point of 25 magic-middle seeds is more than the band holds,
    // while the strategy's own budget of 2 is fine.
    fs::write(
        t.path().join("s.toml"),
        "budgets = [2, 25]\n[network]\nkind = \"barabasi_albert\"\nnodes = 300\nm = 3\n\
         [model]\nkind = \"independent_cascade\"\n[[strategy]]\nkind = \"magic_middle\"\nbudget = 2\n",
    )
    .unwrap();
    for cmd in ["validate", "run"] {
        let o = womsim(&[cmd, "s.toml", "--quiet"][..if cmd == "run" { 3 } else { 2 }], t.path());
        refused(&o, "budgets: the point 25");
    }
}

#[test]
fn new_force_never_replaces_a_device_or_a_folder() {
    let t = tempfile::tempdir().unwrap();
    // A FIFO stands in for a device node (creating one needs no root).
    let fifo = t.path().join("pipe.toml");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path; mkfifo only creates a node.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    refused(&womsim(&["new", "pipe.toml", "--force"], t.path()), "not a regular file");
    assert!(std::os::unix::fs::FileTypeExt::is_fifo(&fs::symlink_metadata(&fifo).unwrap().file_type()));
    fs::create_dir(t.path().join("dir.toml")).unwrap();
    refused(&womsim(&["new", "dir.toml", "--force"], t.path()), "a folder");
    // A regular file is replaced with --force, as documented.
    fs::write(t.path().join("old.toml"), "x").unwrap();
    refused(&womsim(&["new", "old.toml"], t.path()), "--force");
    assert!(womsim(&["new", "old.toml", "--force"], t.path()).status.success());
}
