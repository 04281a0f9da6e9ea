#!/usr/bin/env python3
"""Loading a network in GraphML or GEXF against the same graph as an edge list
(issue 24: "reading a 1,000,000-node GraphML or GEXF file costs at most 2x the
same graph as an edge list").

Writes a Barabasi-Albert graph (n nodes, m edges per new node, fixed seed; pure
Python, no networkx needed) as `ba.edges`, `ba.graphml` and `ba.gexf` in the
layout networkx's writers use (one element per line, indented), then times
`peer_ic --load-only` (parse + CSR, its own process each time) on each file,
interleaved, and prints the medians and the ratios to the edge list.

    python3 benches/peers/formats_load.py [--n 1000000] [--m 5] [--runs 5] [--dir /tmp/womsim_formats]

Needs `cargo build --release --bench peer_ic` first (the script runs
`cargo bench --bench peer_ic -- …`).
"""
import argparse
import json
import os
import random
import statistics
import subprocess

p = argparse.ArgumentParser()
p.add_argument("--n", type=int, default=1_000_000)
p.add_argument("--m", type=int, default=5)
p.add_argument("--runs", type=int, default=5, help="timed loads of each file (0: write the files only)")
p.add_argument("--seed", type=int, default=42)
p.add_argument("--dir", default="/tmp/womsim_formats")
a = p.parse_args()
os.makedirs(a.dir, exist_ok=True)
paths = {f: os.path.join(a.dir, f"ba_{a.n}.{f}") for f in ("edges", "graphml", "gexf")}

if not all(os.path.exists(x) for x in paths.values()):
    rng = random.Random(a.seed)
    edges = []
    targets = list(range(a.m))
    repeated = []
    for v in range(a.m, a.n):
        for t in targets:
            edges.append((v, t))
        repeated.extend(targets)
        repeated.extend([v] * a.m)
        chosen = set()
        while len(chosen) < a.m:
            chosen.add(repeated[rng.randrange(len(repeated))])
        targets = list(chosen)
    with open(paths["edges"], "w") as f:
        f.writelines(f"{u} {v}\n" for u, v in edges)
    with open(paths["graphml"], "w") as f:
        f.write("<?xml version='1.0' encoding='utf-8'?>\n"
                '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n'
                '  <graph edgedefault="undirected">\n')
        f.writelines(f'    <node id="{u}" />\n' for u in range(a.n))
        f.writelines(f'    <edge source="{u}" target="{v}" />\n' for u, v in edges)
        f.write("  </graph>\n</graphml>\n")
    with open(paths["gexf"], "w") as f:
        f.write("<?xml version='1.0' encoding='utf-8'?>\n"
                '<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">\n'
                '  <graph defaultedgetype="undirected" mode="static" name="">\n    <nodes>\n')
        f.writelines(f'      <node id="{u}" label="{u}" />\n' for u in range(a.n))
        f.write("    </nodes>\n    <edges>\n")
        f.writelines(f'      <edge source="{u}" target="{v}" id="{k}" />\n' for k, (u, v) in enumerate(edges))
        f.write("    </edges>\n  </graph>\n</gexf>\n")

if a.runs == 0:  # files only
    raise SystemExit(0)
times = {f: [] for f in paths}
facts = {}
for _ in range(a.runs):
    for f, path in paths.items():
        out = subprocess.run(["cargo", "bench", "-q", "--bench", "peer_ic", "--", "--graph", path, "--load-only"],
                             check=True, capture_output=True, text=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        times[f].append(r["load_s"])
        facts[f] = (r["nodes"], r["arcs"], r["max_rss_kib"], os.path.getsize(path))
base = statistics.median(times["edges"])
print("| file | bytes | nodes | arcs | best | median | × edge list (median) | peak RSS |")
print("|---|---|---|---|---|---|---|---|")
for f in paths:
    n, arcs, rss, size = facts[f]
    med = statistics.median(times[f])
    print(f"| {os.path.basename(paths[f])} | {size / 1e6:.0f} MB | {n:,} | {arcs:,} | {min(times[f]):.3f} s | {med:.3f} s "
          f"| {med / base:.2f} | {rss / 1024:.0f} MB |")
