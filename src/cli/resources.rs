//! The resource check before a run: the library's estimate
//! ([`womsim::resources`]) against the memory this process may use.

use std::io::Read;
use std::path::Path;

use anyhow::bail;
use womsim::resources::{self, human, Estimate};
use womsim::scenario::{NetworkSource, Scenario};

/// (bytes, gzip) of the scenario's edge-list file, if it has one we can read.
fn edge_list_file(s: &Scenario) -> Option<(u64, bool)> {
    let NetworkSource::EdgeList { path, format, .. } = &s.network else { return None };
    let bytes = std::fs::metadata(path).ok()?.len();
    // The estimate counts an edge per 4 bytes (`1 2\n`); the shortest edge
    // of GraphML/GEXF (`<edge source="1" target="2"/>`) or GML (`edge [
    // source 1 target 2 ]`) is over 24 bytes: scaled so that it stays an
    // upper bound without refusing XML networks for 6× their size.
    use womsim::graph::formats::Format;
    let bytes = match format.unwrap_or_else(|| Format::from_path(path)) {
        Format::GraphMl | Format::Gexf | Format::Gml => bytes / 6,
        _ => bytes,
    };
    let mut magic = [0u8; 2];
    let gz = womsim::inputs::open_regular(path).ok().and_then(|mut f| f.read_exact(&mut magic).ok()).is_some()
        && magic == [0x1f, 0x8b];
    Some((bytes, gz))
}

/// The estimate for `s` with `threads` workers.
pub fn estimate(s: &Scenario, threads: usize) -> Estimate {
    resources::estimate(s, threads, edge_list_file(s))
}

/// First number (kB) on the `MemAvailable:` line of /proc/meminfo.
fn mem_available() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with("MemAvailable:"))?;
    line.split_whitespace().nth(1)?.parse::<u64>().ok().map(|kb| kb * 1024)
}

/// A cgroup memory limit (v2 `memory.max`, else v1), when one is set.
fn cgroup_limit() -> Option<u64> {
    ["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"]
        .iter()
        .filter_map(|p| std::fs::read_to_string(Path::new(p)).ok())
        .filter_map(|t| t.trim().parse::<u64>().ok())
        .find(|&v| v < u64::MAX / 2)
}

/// The address-space limit of this process (`ulimit -v`), when set.
fn rlimit_as() -> Option<u64> {
    let mut r = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit writes into the struct we pass and reads nothing else.
    let ok = unsafe { libc::getrlimit(libc::RLIMIT_AS, &mut r) } == 0;
    (ok && r.rlim_cur != libc::RLIM_INFINITY).then_some(r.rlim_cur)
}

/// Memory this process may use: the smallest of the machine's available
/// memory, a cgroup limit and the address-space limit.
pub fn available() -> Option<u64> {
    [mem_available(), cgroup_limit(), rlimit_as()].into_iter().flatten().min()
}

/// `--max-memory` of this run, when given (set once by `womsim run`).
static OVERRIDE: std::sync::OnceLock<u64> = std::sync::OnceLock::new();

/// Take `--max-memory` as the memory limit of this process's run.
pub fn set_override(bytes: u64) {
    let _ = OVERRIDE.set(bytes);
}

/// The memory limit a run works within: `--max-memory` if given, else
/// [`available`].
pub fn limit() -> Option<u64> {
    OVERRIDE.get().copied().or_else(available)
}

/// One line describing an estimate.
pub fn describe(e: &Estimate) -> String {
    let mut s = format!(
        "about {} of memory (network {}, workers {}, kept trajectories {}, outputs {}); {} simulations",
        human(e.total()),
        human(e.network),
        human(e.workers),
        human(e.kept),
        human(e.outputs),
        e.simulations
    );
    if e.greedy_simulations > 0 {
        s.push_str(&format!(", plus up to {} for greedy's first round", e.greedy_simulations));
    }
    s
}

/// Refuse a scenario that cannot fit: more arcs than the network format
/// holds, or more memory than `limit` (default: [`available`]).
pub fn check(s: &Scenario, threads: usize, limit: Option<u64>) -> anyhow::Result<()> {
    let e = estimate(s, threads);
    if e.arcs > resources::MAX_ARCS {
        bail!(
            "scenario {:?}: the network would have about {} arcs, more than the {} a network can hold; lower its nodes or degree",
            s.name,
            e.arcs,
            resources::MAX_ARCS
        );
    }
    let Some(limit) = limit.or_else(available) else { return Ok(()) };
    if e.total() > limit {
        bail!(
            "scenario {:?} needs {} but only {} is available; lower replicates, steps or the network's size \
             (or use fewer --threads), or pass --max-memory to override the check",
            s.name,
            describe(&e),
            human(limit)
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_that_cannot_fit_is_refused_naming_what_to_lower() {
        let text = "replicates = 1000000\nsteps = 100000\n[network]\nkind = \"ring\"\nnodes = 100\n\
                    [[strategy]]\nkind = \"random\"\nbudget = 1\n";
        let s = womsim::scenario::parse_str(text, None).unwrap();
        let e = check(&s, 2, Some(8_000_000_000)).unwrap_err().to_string();
        assert!(e.contains("lower replicates") && e.contains("kept trajectories"), "{e}");
        assert!(check(&s, 2, Some(u64::MAX)).is_ok(), "--max-memory overrides");
        let huge = "[network]\nkind = \"configuration\"\nnodes = 50000000\nexponent = 1.1\nmin_degree = 1\n\
                    max_degree = 5000000\n[[strategy]]\nkind = \"random\"\nbudget = 1\n";
        let s = womsim::scenario::parse_str(huge, None).unwrap();
        let e = check(&s, 2, Some(u64::MAX)).unwrap_err().to_string();
        assert!(e.contains("arcs"), "{e}");
    }

    #[test]
    fn this_machine_reports_some_memory() {
        assert!(available().is_some_and(|b| b > 1 << 20));
    }
}
