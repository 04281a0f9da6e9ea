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

// ---------------------------------------------------------------- issue 27
// What an outside hostile campaign still broke: read-back of results and
// shard folders (plot, merge), edge lists and the lock.

/// A small results folder `res` in `dir`.
fn results_folder(dir: &Path) -> std::path::PathBuf {
    fs::write(dir.join("r.toml"), format!("name = \"r\"\nreplicates = 3\nsteps = 4\n{NET}")).unwrap();
    let o = womsim(&["run", "r.toml", "--quiet", "--out", "res"], dir);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    dir.join("res")
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path; mkfifo only creates a node.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
}

#[test]
fn plot_reads_only_regular_files_and_never_without_bound() {
    let t = tempfile::tempdir().unwrap();
    let res = results_folder(t.path());
    // Item 1: timeseries.csv -> /dev/zero aborted (exit 134) or read forever.
    let ts = res.join("timeseries.csv");
    let saved = fs::read(&ts).unwrap();
    fs::remove_file(&ts).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &ts).unwrap();
    let start = std::time::Instant::now();
    refused(&womsim(&["plot", "res"], t.path()), "a character device is not a regular file");
    assert!(start.elapsed().as_secs() < 10);
    fs::remove_file(&ts).unwrap();
    // A regular file with an endless line is stopped at the line limit.
    fs::write(&ts, vec![b'x'; 2 << 20]).unwrap();
    refused(&womsim(&["plot", "res"], t.path()), "line 1: longer than the limit of 1 MiB");
    fs::write(&ts, &saved).unwrap();
    // Item 4: a FIFO summary.json hung plot.
    let sp = res.join("summary.json");
    let summary = fs::read(&sp).unwrap();
    fs::remove_file(&sp).unwrap();
    mkfifo(&sp);
    let start = std::time::Instant::now();
    refused(&womsim(&["plot", "res"], t.path()), "a FIFO (named pipe) is not a regular file");
    assert!(start.elapsed().as_secs() < 10);
    fs::remove_file(&sp).unwrap();
    fs::write(&sp, &summary).unwrap();
    assert!(womsim(&["plot", "res"], t.path()).status.success());
}

#[test]
fn plot_never_writes_through_a_charts_link_and_refuses_unlisted_strategies() {
    let t = tempfile::tempdir().unwrap();
    let res = results_folder(t.path());
    // Item 5: charts/ -> a folder elsewhere received the charts.
    let elsewhere = t.path().join("elsewhere");
    fs::create_dir(&elsewhere).unwrap();
    fs::remove_dir_all(res.join("charts")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, res.join("charts")).unwrap();
    let o = womsim(&["plot", "res"], t.path());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0, "wrote outside the results folder");
    let meta = fs::symlink_metadata(res.join("charts")).unwrap();
    assert!(meta.is_dir() && fs::read_dir(res.join("charts")).unwrap().count() > 0);
    // charts as a file (or FIFO): refused, left alone.
    fs::remove_dir_all(res.join("charts")).unwrap();
    fs::write(res.join("charts"), "x").unwrap();
    refused(&womsim(&["plot", "res"], t.path()), "is not a folder");
    assert_eq!(fs::read(res.join("charts")).unwrap(), b"x");
    fs::remove_file(res.join("charts")).unwrap();
    // Item 8: rows of a strategy the summary does not list.
    let ts = res.join("timeseries.csv");
    let text = fs::read_to_string(&ts).unwrap();
    let ghost: String =
        text.lines().filter(|l| l.starts_with("(no campaign),")).map(|l| format!("ghost{}\n", &l[13..])).collect();
    fs::write(&ts, format!("{text}{ghost}")).unwrap();
    refused(&womsim(&["plot", "res"], t.path()), "strategy \"ghost\" is not listed in summary.json");
}

/// Edit column `col` of line `line` (1-based) of a CSV file.
fn edit_csv(path: &Path, line: usize, col: &str, value: &str) {
    let text = fs::read_to_string(path).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let c = lines[0].split(',').position(|h| h == col).unwrap();
    let mut fields: Vec<&str> = lines[line - 1].split(',').collect();
    fields[c] = value;
    lines[line - 1] = fields.join(",");
    fs::write(path, lines.join("\n") + "\n").unwrap();
}

#[test]
fn merge_refuses_an_edited_shard_naming_file_and_line() {
    let t = tempfile::tempdir().unwrap();
    fs::write(t.path().join("m.toml"), format!("name = \"m\"\nreplicates = 6\nsteps = 5\n{NET}")).unwrap();
    for k in ["1/2", "2/2"] {
        let o = womsim(&["run", "m.toml", "--quiet", "--shard", k, "--out", &format!("p{}", &k[..1])], t.path());
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let manifest = fs::read_to_string(t.path().join("p1/shard.json")).unwrap();
    assert!(manifest.contains("\"data_sha256\"") && manifest.contains("\"nodes\": 100"), "{manifest}");
    let tp = t.path().join("p1/trajectories.csv");
    let good = fs::read(&tp).unwrap();
    let reached: u32 =
        fs::read_to_string(&tp).unwrap().lines().nth(4).unwrap().split(',').nth(3).unwrap().parse().unwrap();
    for (value, needle) in [
        ((reached + 1).to_string(), "trajectories.csv: its SHA-256 differs from the one in shard.json"),
        ("1e308".to_string(), "trajectories.csv: line 5: column reached: 1e308 is not a whole number of people"),
        ("18446744073709551616".to_string(), "line 5: column reached"),
        ("NaN".to_string(), "line 5: column reached: NaN"),
        ("-1".to_string(), "line 5: column reached: -1"),
    ] {
        edit_csv(&tp, 5, "reached", &value);
        let o = womsim(&["merge", "p1", "p2", "--out", "merged", "--quiet"], t.path());
        refused(&o, needle);
        assert!(!t.path().join("merged").exists(), "{value}: a folder was written");
        fs::write(&tp, &good).unwrap();
    }
    // A manifest whose nodes were raised to let such values in is caught
    // against the scenario's network.
    fs::write(t.path().join("p1/shard.json"), manifest.replace("\"nodes\": 100", "\"nodes\": 1000")).unwrap();
    fs::write(
        t.path().join("p2/shard.json"),
        fs::read_to_string(t.path().join("p2/shard.json")).unwrap().replace("\"nodes\": 100", "\"nodes\": 1000"),
    )
    .unwrap();
    refused(&womsim(&["merge", "p1", "p2", "--out", "merged", "--quiet"], t.path()), "says the network has 1000 nodes");
}

/// Run `womsim` with its address space limited to `bytes` (as `prlimit --as`).
fn womsim_within(args: &[&str], dir: &Path, bytes: u64) -> Output {
    use std::os::unix::process::CommandExt;
    let mut c = Command::new(env!("CARGO_BIN_EXE_womsim"));
    c.args(args).current_dir(dir);
    // SAFETY: setrlimit is async-signal-safe; the closure allocates nothing.
    unsafe {
        c.pre_exec(move || {
            let r = libc::rlimit { rlim_cur: bytes, rlim_max: bytes };
            if libc::setrlimit(libc::RLIMIT_AS, &r) == 0 {
                Ok(())
            } else {
                Err(std::io::Error::last_os_error())
            }
        });
    }
    c.output().expect("womsim starts")
}

#[test]
fn a_gzip_bomb_of_valid_edges_is_refused_within_the_memory_limit() {
    use std::io::Write;
    let t = tempfile::tempdir().unwrap();
    // 64 MiB of `1 2\n` compressed once (~100 KB), the member repeated 8
    // times: 512 MiB of text, 134 million edges (1 GiB as pairs of u32).
    let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(&b"1 2\n".repeat(16 << 20)).unwrap();
    let member = z.finish().unwrap();
    fs::write(t.path().join("bomb.gz"), member.repeat(8)).unwrap();
    fs::write(
        t.path().join("b.toml"),
        "[network]\nkind = \"edge_list\"\npath = \"bomb.gz\"\n[[strategy]]\nkind = \"random\"\nbudget = 1\n",
    )
    .unwrap();
    // Under a 1 GiB address-space cap (before: an allocation failure, exit 134).
    let o = womsim_within(&["validate", "b.toml"], t.path(), 1 << 30);
    refused(&o, "more than 22369621 edges, more than the memory this run may use");
    // The same with run and --max-memory (the user's word for the limit).
    let o = womsim(&["run", "b.toml", "--quiet", "--max-memory", "1G", "--out", "o"], t.path());
    refused(&o, "bomb.gz:20833334: more than 20833333 edges, more than the memory this run may use");
    assert!(!t.path().join("o").exists());
}

#[test]
fn edge_lists_numeric_first_lines_and_byte_order_marks() {
    let t = tempfile::tempdir().unwrap();
    let scenario = |file: &str, ids: &str| {
        format!(
            "[network]\nkind = \"edge_list\"\npath = \"{file}\"\nids = \"{ids}\"\n\
             [[strategy]]\nkind = \"random\"\nbudget = 1\n"
        )
    };
    // Item 7: a bad first line was dropped as a header (2 nodes, 1 edge).
    for first in ["-1 2", "18446744073709551616 1"] {
        fs::write(t.path().join("n.edges"), format!("{first}\n2 3\n3 4\n")).unwrap();
        fs::write(t.path().join("n.toml"), scenario("n.edges", "numeric")).unwrap();
        refused(&womsim(&["validate", "n.toml"], t.path()), "n.edges:1: node id");
    }
    // A header of words is still skipped, and validate says so.
    fs::write(t.path().join("h.edges"), "source target\n1 2\n2 3\n").unwrap();
    fs::write(t.path().join("h.toml"), scenario("h.edges", "numeric")).unwrap();
    let o = womsim(&["validate", "h.toml"], t.path());
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("taken as a column header"));
    // Item 8: a byte order mark made the first edge a "header".
    fs::write(t.path().join("b.edges"), b"\xef\xbb\xbf1 2\n2 3\n").unwrap();
    fs::write(t.path().join("b.toml"), scenario("b.edges", "auto")).unwrap();
    let o = womsim(&["validate", "b.toml"], t.path());
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success() && out.contains("3 nodes, 2 undirected edges"), "{out}");
    assert!(!out.contains("column header"), "{out}");
}

#[test]
fn an_unreadable_lock_is_not_deleted_and_many_strategies_are_refused_fast() {
    let t = tempfile::tempdir().unwrap();
    fs::write(t.path().join("s.toml"), NET).unwrap();
    // Item 6: an empty lock (a run between creating and writing it) was
    // taken as stale and deleted.
    fs::create_dir(t.path().join("out")).unwrap();
    fs::write(t.path().join("out/.womsim.lock"), "").unwrap();
    refused(&womsim(&["run", "s.toml", "--quiet", "--out", "out"], t.path()), "names no process");
    assert!(t.path().join("out/.womsim.lock").exists());
    // Item 8: 100,000 [[strategy]] tables took validate over 10 s.
    let many = format!(
        "[network]\nkind = \"ring\"\nnodes = 100\n{}",
        "[[strategy]]\nkind = \"random\"\nbudget = 1\n".repeat(100_000)
    );
    fs::write(t.path().join("many.toml"), many).unwrap();
    let start = std::time::Instant::now();
    refused(&womsim(&["validate", "many.toml"], t.path()), "100000 [[strategy]] tables; at most 1000");
    assert!(start.elapsed().as_secs() < 10, "{:?}", start.elapsed());
}

/// A reader that stops early (`womsim list | head -1`) closes stdout: every
/// printing command ends quietly (no panic message, no "failed printing").
#[test]
fn a_closed_stdout_ends_quietly() {
    use std::process::Stdio;
    for args in [&["list"][..], &["man"][..], &["completions", "bash"][..]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_womsim"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("womsim starts");
        // Close the read end before the child can write: its first write fails.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked") && !err.contains("failed printing"), "{args:?}: {err}");
    }
}
