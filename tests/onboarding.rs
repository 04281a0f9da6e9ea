//! Onboarding (issue 17 item 4): every `list` topic the docs name is
//! accepted, `new` names the scenario after its file, `-` reads a scenario
//! from stdin, and completions and the man page are generated.

use std::fs;
use std::path::Path;

use assert_cmd::Command;

fn womsim() -> Command {
    Command::new(env!("CARGO_BIN_EXE_womsim"))
}

/// The topics of every `womsim list [a|b|c]` in a document.
fn documented_topics(doc: &str) -> Vec<String> {
    let text = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(doc)).unwrap();
    let mut out = Vec::new();
    for part in text.split("womsim list [").skip(1) {
        let inner = part.split(']').next().unwrap();
        out.extend(inner.split('|').map(|t| t.trim().to_string()));
    }
    assert!(!out.is_empty(), "{doc} names no `womsim list [...]` topics");
    out
}

#[test]
fn list_accepts_every_topic_the_docs_name() {
    for doc in ["README.md", "scenarios/README.md"] {
        for topic in documented_topics(doc) {
            let o = womsim().args(["list", &topic]).output().unwrap();
            assert!(o.status.success(), "{doc}: `womsim list {topic}` fails: {}", String::from_utf8_lossy(&o.stderr));
            assert!(!o.stdout.is_empty(), "`womsim list {topic}` prints nothing");
        }
    }
}

#[test]
fn new_takes_the_name_from_the_file_and_stdin_reads_it_back() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("spring_launch.toml");
    womsim().arg("new").arg(&file).assert().success();
    let text = fs::read_to_string(&file).unwrap();
    assert!(text.contains("name = \"spring_launch\""), "{text}");
    let o = womsim().args(["validate", "-"]).write_stdin(text).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("scenario \"spring_launch\""));
    let bad = womsim().args(["validate", "-"]).write_stdin("name = 3\n").output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("stdin"));
}

#[test]
fn completions_and_man_page() {
    for shell in ["bash", "zsh", "fish"] {
        let o = womsim().args(["completions", shell]).output().unwrap();
        assert!(o.status.success() && String::from_utf8_lossy(&o.stdout).contains("womsim"), "{shell}");
    }
    let man = womsim().arg("man").output().unwrap();
    assert!(man.status.success());
    let text = String::from_utf8_lossy(&man.stdout);
    assert!(text.contains(".TH womsim 1") && text.contains("plot"), "not a man page");
}
