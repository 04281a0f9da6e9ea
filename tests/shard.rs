//! Sharding (issue 16): `run --shard K/N` on every K, then `merge`, gives
//! byte for byte the results of the unsharded run; merge refuses what does
//! not fit together (exit 2, naming the folder).

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn womsim(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_womsim")).args(args).current_dir(dir).output().expect("womsim starts")
}

fn ok(o: &Output) {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

const FILES: [&str; 7] = [
    "summary.json",
    "timeseries.csv",
    "replicates.csv",
    "seeds.csv",
    "budgets.csv",
    "degrees.csv",
    "scenario.resolved.toml",
];

/// The default demo (chain model, random strategies redrawn per replicate)
/// with 23 replicates, as `s.toml` with a budget sweep and as `plain.toml`
/// without.
fn scenario(dir: &Path) {
    let text = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/magic_middle.toml"))
        .unwrap()
        .replace("replicates = 300", "replicates = 23");
    fs::write(dir.join("plain.toml"), text.replace("name = \"magic_middle\"", "name = \"plain\"")).unwrap();
    fs::write(dir.join("s.toml"), text.replace("name = \"magic_middle\"", "name = \"sharded\"\nbudgets = [5, 12]"))
        .unwrap();
    let swept = text.replace("name = \"magic_middle\"", "name = \"swept\"")
        + "\n[sweep]\n\"model.share.bad\" = [0.01, 0.03]\n\"network.reciprocity\" = [0.0, 0.1]\n";
    fs::write(dir.join("sweep.toml"), swept).unwrap();
}

#[test]
fn merged_shards_are_the_unsharded_run_byte_for_byte() {
    let t = tempfile::tempdir().unwrap();
    scenario(t.path());
    for file in ["plain.toml", "s.toml", "sweep.toml"] {
        let whole = format!("whole_{file}");
        ok(&womsim(&["run", file, "--quiet", "--out", &whole], t.path()));
        for n in [1u32, 2, 3, 7] {
            let dirs: Vec<String> = (1..=n).map(|k| format!("{file}_n{n}_k{k}")).collect();
            for (k, d) in (1..=n).zip(&dirs) {
                let threads = if k % 2 == 0 { "1" } else { "2" };
                let shard = format!("{k}/{n}");
                ok(&womsim(&["run", file, "--quiet", "--threads", threads, "--shard", &shard, "--out", d], t.path()));
            }
            // In any order.
            let mut args = vec!["merge"];
            args.extend(dirs.iter().rev().map(String::as_str));
            let out = format!("merged_{file}_{n}");
            args.extend(["--out", &out, "--quiet"]);
            ok(&womsim(&args, t.path()));
            // A sweep's own files, and every point's folder, too.
            let mut folders = vec![String::new()];
            folders.extend((1..=4).map(|k| format!("points/{k}")));
            for sub in &folders {
                for f in FILES.iter().chain(&["sweep.csv", "sweep.resolved.toml"]) {
                    let a = fs::read(t.path().join(&whole).join(sub).join(f));
                    let b = fs::read(t.path().join(&out).join(sub).join(f));
                    assert_eq!(a.is_ok(), b.is_ok(), "{file}: {sub}/{f} present in one folder only");
                    assert!(a.ok() == b.ok(), "{file}: {sub}/{f} differs after merging {n} shards");
                }
            }
            assert!(t.path().join(&out).join("report.html").is_file());
        }
    }
}

fn refused(o: &Output, needle: &str) {
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains(needle), "expected {needle:?} in {err}");
}

#[test]
fn merge_refuses_missing_duplicated_foreign_and_interrupted_shards() {
    let t = tempfile::tempdir().unwrap();
    scenario(t.path());
    for k in 1..=3 {
        ok(&womsim(&["run", "s.toml", "--quiet", "--shard", &format!("{k}/3"), "--out", &format!("p{k}")], t.path()));
    }
    refused(&womsim(&["merge", "p1", "p2", "--out", "m"], t.path()), "shard 3/3 is missing");
    refused(&womsim(&["merge", "p1", "p2", "p2", "--out", "m"], t.path()), "given twice");
    // Another seed is another run.
    ok(&womsim(&["run", "s.toml", "--quiet", "--seed", "9", "--shard", "3/3", "--out", "other"], t.path()));
    refused(&womsim(&["merge", "p1", "p2", "other", "--out", "m"], t.path()), "another run");
    // An interrupted shard (its manifest says incomplete).
    let m = t.path().join("p3/shard.json");
    let text = fs::read_to_string(&m).unwrap().replace("\"complete\": true", "\"complete\": false");
    fs::write(&m, text).unwrap();
    refused(&womsim(&["merge", "p1", "p2", "p3", "--out", "m"], t.path()), "interrupted");
    // A results folder is not a shard.
    ok(&womsim(&["run", "s.toml", "--quiet", "--replicates", "3", "--out", "plain"], t.path()));
    refused(&womsim(&["merge", "plain", "--out", "m"], t.path()), "not a shard");
    assert!(!t.path().join("m").exists(), "nothing written");
    // More shards than replicates.
    refused(
        &womsim(&["run", "s.toml", "--quiet", "--replicates", "2", "--shard", "1/3", "--out", "x"], t.path()),
        "cannot be split",
    );
}
