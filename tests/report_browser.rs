//! `report.html` in a real browser (issue 17 item 2): at 1400 px and 400 px
//! wide, nothing overflows the viewport (the document's scroll width equals
//! the viewport width; wide tables scroll inside their own box).
//!
//! Needs Debian's `chromium` (or `WOMSIM_CHROMIUM=/path/to/chrome`). Without
//! it the test is skipped with a message, unless `WOMSIM_REQUIRE_CHROMIUM=1`
//! (set by `.ci/run`, which installs it), when it fails instead.
//!
//! The report has no scripts of its own: the test writes a probe page beside
//! it that loads the report in an iframe of the given width and writes the
//! measurement into its own DOM, which `chromium --dump-dom` prints.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("WOMSIM_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// The results folder of a short run of a bundled scenario.
fn results(tmp: &Path, scenario: &str, replicates: &str) -> PathBuf {
    let out = tmp.join(scenario);
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("scenarios/{scenario}.toml"));
    let o = Command::new(env!("CARGO_BIN_EXE_womsim"))
        .args(["run", file.to_str().unwrap(), "--replicates", replicates, "--quiet", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{scenario}: {}", String::from_utf8_lossy(&o.stderr));
    out
}

/// `(document scroll width, viewport width)` of `report.html` in `dir`
/// shown in a frame `width` pixels wide.
fn measure(browser: &Path, dir: &Path, width: u32, profile: &Path) -> (u32, u32) {
    let probe = dir.join(format!("probe-{width}.html"));
    fs::write(
        &probe,
        format!(
            r#"<!DOCTYPE html><html><body style="margin:0">
<iframe id="f" src="report.html" style="border:0;width:{width}px;height:900px"></iframe>
<script>
document.getElementById("f").addEventListener("load", function () {{
  var d = this.contentDocument;
  document.body.setAttribute("data-measure",
    d ? d.documentElement.scrollWidth + "x" + d.documentElement.clientWidth : "no-access");
}});
</script></body></html>"#
        ),
    )
    .unwrap();
    let o = Command::new(browser)
        .args([
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
            "--hide-scrollbars",
            "--allow-file-access-from-files",
            "--window-size=1600,1000",
            "--virtual-time-budget=5000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", probe.display()))
        .output()
        .expect("chromium starts");
    let dom = String::from_utf8_lossy(&o.stdout);
    let m = dom
        .split("data-measure=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or_else(|| panic!("no measurement at {width} px: {}", String::from_utf8_lossy(&o.stderr)));
    let (a, b) = m.split_once('x').unwrap_or_else(|| panic!("cannot measure the report: {m}"));
    (a.parse().unwrap(), b.parse().unwrap())
}

#[test]
fn report_fits_wide_and_narrow_screens() {
    let Some(browser) = chromium() else {
        if std::env::var("WOMSIM_REQUIRE_CHROMIUM").is_ok_and(|v| v == "1") {
            panic!("WOMSIM_REQUIRE_CHROMIUM=1 but no chromium on PATH (apt-get install chromium)");
        }
        eprintln!("SKIPPED report_fits_wide_and_narrow_screens: no `chromium` on PATH (apt-get install chromium)");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let profile = tmp.path().join("profile");
    for (scenario, reps) in [("magic_middle", "20"), ("budget_sweep", "10"), ("karate_ic", "50")] {
        let dir = results(tmp.path(), scenario, reps);
        for width in [1400, 400] {
            let (scroll, viewport) = measure(&browser, &dir, width, &profile);
            assert_eq!(viewport, width, "{scenario}: the frame is not {width} px wide");
            assert_eq!(scroll, width, "{scenario}: report.html overflows a {width} px screen ({scroll} px wide)");
        }
    }
}
