#!/usr/bin/env python3
"""Side-by-side: womsim vs CyNetDiff (and optionally NDlib / EoN) on the same IC job.

Job (as in ../shared/peers/README.md): independent cascade on an undirected graph, uniform p, 50 fixed seeds,
run to completion, R simulations. Both tools are run in the same session, interleaved round by round, so machine
noise hits both alike. For each job we report median-of-medians and best-of-best time per simulation, the ratio
CyNetDiff / womsim, and a z-test that the mean spreads agree (different RNGs, same process).

The peer script is *run* from a copy of ../shared/peers (never copied into this repository).

Usage (from the repository root):  python3 benches/peers/compare.py [--quick] [--peers cynetdiff,eon_discrete]
(run.sh sets up the virtual environment and the graphs first).
"""
import argparse
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
WORK = os.path.join(HERE, "work")
PEERS = os.path.join(WORK, "peers")
GRAPHS = os.path.join(PEERS, "graphs")

# (graph, n, p, R womsim, R cynetdiff)
JOBS = [
    ("ba_100k", 100_000, 0.01, 20_000, 2000),
    ("ba_100k", 100_000, 0.05, 1000, 300),
    ("er_100k", 100_000, 0.01, 20_000, 2000),
    ("er_100k", 100_000, 0.2, 300, 100),
    ("ba_1m", 1_000_000, 0.01, 20_000, 2000),
    ("ba_1m", 1_000_000, 0.05, 200, 60),
]


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout


def womsim_bin():
    """Build the peer_ic bench binary and snapshot it under work/, so that rebuilding the crate while a
    comparison runs cannot swap the binary between rounds."""
    root = os.path.join(HERE, "..", "..")
    out = subprocess.run(["cargo", "bench", "--bench", "peer_ic", "--no-run", "--message-format=json"],
                         check=True, capture_output=True, text=True, cwd=root).stdout
    for line in out.splitlines():
        try:
            msg = json.loads(line)
        except json.JSONDecodeError:
            continue
        if msg.get("reason") == "compiler-artifact" and msg.get("target", {}).get("name") == "peer_ic":
            if msg.get("executable"):
                snap = os.path.join(WORK, "peer_ic")
                shutil.copy2(msg["executable"], snap)
                return snap
    sys.exit("could not find the peer_ic bench binary")


def womsim_cli():
    """Build the `womsim` binary (release) and snapshot it under work/, like the bench binary."""
    root = os.path.join(HERE, "..", "..")
    subprocess.run(["cargo", "build", "--release", "--bin", "womsim"], check=True, capture_output=True, cwd=root)
    snap = os.path.join(WORK, "womsim")
    shutil.copy2(os.path.join(root, "target", "release", "womsim"), snap)
    return snap


CLI_STEPS = 200  # a generous horizon, as users set it; every cascade here ends long before


def cli_scenario(graph, n, p, R):
    """The peer job as a scenario file: the same graph, p and 50 seeds, R replicates, no charts or report."""
    d = os.path.join(WORK, "cli")
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, f"{graph}_{p}_{R}.toml")
    with open(path, "w") as f:
        f.write(f"""name = "{graph}_{p}_{R}"
seed = 1
replicates = {R}
steps = {CLI_STEPS}
[network]
kind = "edge_list"
path = "{os.path.join(GRAPHS, graph + '.txt')}"
directed = false
[model]
kind = "independent_cascade"
p = {p}
[[strategy]]
name = "peer seeds"
kind = "explicit"
file = "{os.path.join(GRAPHS, f'seeds_n{n}_k50_s7.txt')}"
pool = "everyone"
[output]
charts = []
report = false
""")
    return path


def run_cli(cli, graph, n, p, R):
    """`womsim run` end to end, one thread: the per-simulation cost is the whole-process time difference between
    R + 1 replicates and 1 replicate over R (loading, seeding, writing the horizon's rows cancel)."""
    times = {1: [], R + 1: []}
    # Whole processes are noisy by several ms: best of 3 of each, alternating.
    for _ in range(3):
        for reps in times:
            sc = cli_scenario(graph, n, p, reps)
            out = os.path.join(WORK, "cli", f"out_{reps}")
            t0 = time.perf_counter()
            sh([cli, "run", sc, "--threads", "1", "--quiet", "--force", "--out", out])
            times[reps].append(time.perf_counter() - t0)
    times = {k: min(v) for k, v in times.items()}
    with open(os.path.join(WORK, "cli", f"out_{R + 1}", "summary.json")) as f:
        st = json.load(f)["strategies"][0]["final"]["reached"]
    return dict(s_per_sim=(times[R + 1] - times[1]) / R, spread_mean=st["mean"], R=R)


def versions():
    v = {"date": time.strftime("%Y-%m-%d %H:%M %Z"), "cpus": os.cpu_count(), "python": platform.python_version()}
    try:
        with open("/proc/cpuinfo") as f:
            v["cpu"] = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "?")
    except OSError:
        v["cpu"] = "?"
    try:
        v["rustc"] = sh(["rustc", "--version"]).strip()
    except (OSError, subprocess.CalledProcessError):
        v["rustc"] = "?"
    py = os.path.join(WORK, ".venv", "bin", "python")
    try:
        v["cynetdiff"] = sh([py, "-c", "import importlib.metadata as m; print(m.version('cynetdiff'))"]).strip()
    except (OSError, subprocess.CalledProcessError):
        v["cynetdiff"] = "?"
    return v


def run_womsim(binary, graph, n, p, R, threads, repeats, model="ic"):
    seeds = os.path.join(GRAPHS, f"seeds_n{n}_k50_s7.txt")
    out = sh([binary, "--graph", os.path.join(GRAPHS, graph + ".txt"), "--seeds", seeds, "--p", str(p),
              "--reps", str(R), "--repeats", str(repeats), "--threads", str(threads), "--model", model])
    return json.loads(out.strip().splitlines()[-1])


def run_peer(peer, graph, p, R, repeats, tag):
    out = os.path.join(WORK, "results", f"{graph}_{p}_{peer}_{tag}.json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    py = os.path.join(WORK, ".venv", "bin", "python")
    sh([py, os.path.join(PEERS, "bench_peers.py"), os.path.join(GRAPHS, graph + ".txt"), "--p", str(p),
        "--peers", peer, f"--R-{peer}", str(R), "--repeats", str(repeats), "--budget", "600",
        "--out", out], cwd=PEERS)
    with open(out) as f:
        rep = json.load(f)
    r = rep["results"][-1]
    return r


SLASHDOT = os.path.join(HERE, "..", "..", "..", "shared", "data", "networks", "soc_slashdot0902.edges")


def load_times(binary, k):
    """Time edge-list loading (parse + CSR) of BA-1M (undirected) and SNAP Slashdot (directed), k runs each."""
    out = []
    jobs = [(os.path.join(GRAPHS, "ba_1m.txt"), False), (os.environ.get("WOMSIM_SLASHDOT", SLASHDOT), True)]
    for path, directed in jobs:
        if not os.path.exists(path):
            print(f"  (skipping load of {path}: not found)", file=sys.stderr)
            continue
        runs = []
        for _ in range(k):
            cmd = [binary, "--graph", path, "--load-only"] + (["--directed"] if directed else [])
            runs.append(json.loads(sh(cmd).strip().splitlines()[-1]))
        t = sorted(r["load_s"] for r in runs)
        out.append(dict(file=os.path.basename(path), nodes=runs[0]["nodes"], arcs=runs[0]["arcs"], best_s=t[0],
                        median_s=statistics.median(t), max_rss_kib=max(r["max_rss_kib"] for r in runs)))
    return out


def z(a_mean, a_se, b_mean, b_se):
    d = math.sqrt(a_se ** 2 + b_se ** 2)
    return (a_mean - b_mean) / d if d > 0 else 0.0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds per job")
    ap.add_argument("--quick", action="store_true", help="fewer simulations (smoke run)")
    ap.add_argument("--peers", default="cynetdiff", help="comma list: cynetdiff,eon_discrete,ndlib")
    ap.add_argument("--jobs", default="", help="comma list of graph:p to run (default all)")
    ap.add_argument("--no-rc", action="store_true", help="skip the relationship-chain / IC cost ratio")
    ap.add_argument("--no-load", action="store_true", help="skip the edge-list loading times")
    args = ap.parse_args()
    binary = womsim_bin()
    cli = womsim_cli()
    peers = [x for x in args.peers.split(",") if x]
    scale = 10 if args.quick else 1
    rows, raw = [], []
    for graph, n, p, rw, rc in JOBS:
        if args.jobs and f"{graph}:{p}" not in args.jobs.split(","):
            continue
        rw, rc = max(20, rw // scale), max(10, rc // scale)
        res = {"womsim_1t": [], "womsim_2t": [], "cli": [], **{k: [] for k in peers}}
        for rnd in range(args.rounds):
            for peer in peers:
                # EoN / NDlib are 100–2000× slower: a few simulations are enough for their time.
                r_peer = rc if peer == "cynetdiff" else max(5, rc // 50)
                res[peer].append(run_peer(peer, graph, p, r_peer, 3 if peer == "cynetdiff" else 1, rnd))
            res["womsim_1t"].append(run_womsim(binary, graph, n, p, rw, 1, 3))
            # Enough replicates (about 2 s of simulation) that their cost dwarfs the tens of ms of noise in
            # whole-process times.
            r_cli = min(1_000_000, max(rw, int(2.0 / res["womsim_1t"][-1]["s_per_sim"])))
            res["cli"].append(run_cli(cli, graph, n, p, r_cli))
            res["womsim_2t"].append(run_womsim(binary, graph, n, p, rw, 2, 3))
            print(f"  {graph} p={p} round {rnd + 1}/{args.rounds} done", file=sys.stderr, flush=True)
        w1 = res["womsim_1t"]
        w_med = statistics.median(r["s_per_sim"] for r in w1)
        w_best = min(r["s_per_sim_best"] for r in w1)
        w2_med = statistics.median(r["s_per_sim"] for r in res["womsim_2t"])
        w2_best = min(r["s_per_sim_best"] for r in res["womsim_2t"])
        wm = w1[-1]
        # The median ratio is the target's measure; the best-block ratio is shown beside it because on a shared
        # 2-vCPU machine any activity on the other core lands in the 2-thread blocks only.
        row = dict(graph=graph, p=p, womsim_s_per_sim=w_med, womsim_best=w_best, womsim_2t_s_per_sim=w2_med,
                   scaling_2t=w_med / w2_med, scaling_2t_best=w_best / w2_best, womsim_spread=wm["spread_mean"], womsim_se=wm["spread_stderr"],
                   womsim_R=wm["R"], max_rss_kib=max(r["max_rss_kib"] for r in res["womsim_2t"]),
                   load_s=min(r["load_s"] for r in w1))
        # The command users run: `womsim run` on the same job, against the engine and the peers.
        cli_med = statistics.median(r["s_per_sim"] for r in res["cli"])
        row.update(cli_s_per_sim=cli_med, cli_vs_engine=cli_med / w_med, cli_spread=res["cli"][-1]["spread_mean"])
        for peer in peers:
            rs = res[peer]
            med = statistics.median(r["s_per_sim"] for r in rs)
            best = min(r["s_per_sim_best"] for r in rs)
            last = rs[-1]
            row[peer] = dict(s_per_sim=med, best=best, ratio_median=med / w_med, ratio_best=best / w_best,
                             ratio_cli=med / cli_med,
                             spread=last["spread_mean"], se=last["spread_stderr"], R=last["R"],
                             z=z(wm["spread_mean"], wm["spread_stderr"], last["spread_mean"], last["spread_stderr"]))
        rows.append(row)
        raw.append(res)
        with open(os.path.join(WORK, "compare.json"), "w") as f:
            json.dump(dict(rows=rows, raw=raw), f, indent=1)

    rc_rows = []
    if not args.no_rc:
        # Cost of the relationship-chain model against IC on the same graph, seeds and keys (womsim only,
        # 1 thread, trajectories of 200 rows as in a scenario run), interleaved round by round.
        for graph, n, R in (("ba_100k", 100_000, 150), ("ba_1m", 1_000_000, 50)):
            R = max(R // 4, 10) if args.quick else R
            res = {m: [] for m in ("ic", "ic-traj", "rc-ic", "rc")}
            for rnd in range(args.rounds):
                for m in res:
                    res[m].append(run_womsim(binary, graph, n, 0.05, R, 1, 3, m))
                print(f"  rc/ic ratio {graph} round {rnd + 1}/{args.rounds} done", file=sys.stderr, flush=True)
            base = statistics.median(r["s_per_sim"] for r in res["ic-traj"])
            for m, rs in res.items():
                med = statistics.median(r["s_per_sim"] for r in rs)
                rc_rows.append(dict(graph=graph, model=m, s_per_sim=med, best=min(r["s_per_sim_best"] for r in rs),
                                    spread=rs[-1]["spread_mean"], ratio_to_ic_traj=med / base))
    loads = [] if args.no_load else load_times(binary, 3 if args.quick else 7)
    vers = versions()
    with open(os.path.join(WORK, "compare.json"), "w") as f:
        json.dump(dict(versions=vers, rows=rows, rc_rows=rc_rows, loads=loads, raw=raw), f, indent=1)
    print(f"\nmachine: {vers['cpu']}, {vers['cpus']} cpus; {vers['rustc']}; python {vers['python']}, "
          f"cynetdiff {vers['cynetdiff']}; {vers['date']}")
    head = "| graph | p | womsim 1 thread (median / best) | 2-thread speed-up (median / best) | womsim spread ± se |"
    for peer in peers:
        head += f" {peer} (median / best) | ratio median | ratio best | {peer} spread ± se | z |"
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    for r in rows:
        line = (f"| {r['graph']} | {r['p']} | {fmt_t(r['womsim_s_per_sim'])} / {fmt_t(r['womsim_best'])} | "
                f"{r['scaling_2t']:.2f}× / {r['scaling_2t_best']:.2f}× | {r['womsim_spread']:.2f} ± {r['womsim_se']:.2f} |")
        for peer in peers:
            q = r[peer]
            line += (f" {fmt_t(q['s_per_sim'])} / {fmt_t(q['best'])} | **{q['ratio_median']:.1f}×** | "
                     f"{q['ratio_best']:.1f}× | {q['spread']:.2f} ± {q['se']:.2f} | {q['z']:+.2f} |")
        print(line)
    print("\nload (womsim, parse + CSR, best of rounds):", ", ".join(f"{r['graph']} {r['load_s']:.3f} s" for r in rows))
    print("peak RSS (womsim, 2 threads):", ", ".join(f"{r['graph']} p={r['p']} {r['max_rss_kib'] / 1024:.0f} MB"
                                                   for r in rows))
    print(f"\nthe command users run: `womsim run` on the job as a scenario (steps = {CLI_STEPS}, 1 thread), per "
          "simulation = (time at R + 1 replicates − time at 1) / R, median of rounds")
    head = "| graph | p | womsim run per sim | CLI / engine |" + "".join(f" {peer} / CLI |" for peer in peers)
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    for r in rows:
        print(f"| {r['graph']} | {r['p']} | {fmt_t(r['cli_s_per_sim'])} | {r['cli_vs_engine']:.2f}× |"
              + "".join(f" **{r[peer]['ratio_cli']:.1f}×** |" for peer in peers))
    if rc_rows:
        print("\nrelationship chain vs IC (womsim, the same 50 seeds, p = 0.05, 1 thread, 200-row trajectories)")
        print("| graph | model | time/sim (median / best) | mean reached | cost / IC (ic-traj) |")
        print("|---|---|---|---|---|")
        for r in rc_rows:
            print(f"| {r['graph']} | {r['model']} | {fmt_t(r['s_per_sim'])} / {fmt_t(r['best'])} | {r['spread']:.1f} | "
                  f"{r['ratio_to_ic_traj']:.2f}× |")
    if loads:
        print("\nloading (womsim parse + CSR, separate processes; peak RSS of the process)")
        print("| file | nodes | arcs | best | median | peak RSS |")
        print("|---|---|---|---|---|---|")
        for r in loads:
            print(f"| {r['file']} | {r['nodes']:,} | {r['arcs']:,} | {r['best_s']:.3f} s | {r['median_s']:.3f} s | "
                  f"{r['max_rss_kib'] / 1024:.0f} MB |")
    bad = [r for r in rows for peer in peers if abs(r[peer]["z"]) > 4]
    if bad:
        print("\nWARNING: spreads disagree (|z| > 4) on:", ", ".join(f"{r['graph']} p={r['p']}" for r in bad))
        sys.exit(1)


def fmt_t(s):
    if s < 1e-3:
        return f"{s * 1e6:.2f} µs"
    if s < 1:
        return f"{s * 1e3:.2f} ms"
    return f"{s:.2f} s"


if __name__ == "__main__":
    main()
