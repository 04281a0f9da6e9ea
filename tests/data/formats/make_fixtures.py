#!/usr/bin/env python3
"""Write Zachary's karate club (tests/data/networks/karate.edges) in the
network formats womsim reads, with networkx, as tools write them:

    karate.graphml, karate.gexf, karate.gml, karate.net (Pajek): networkx's
        own writers (write_pajek gives every edge the weight 1.0, as it does);
    karate.csv: Gephi's edge table (Source,Target,Type,Id,Label,Weight);
    karate.graphml.gz: the GraphML gzip-compressed (mtime 0, reproducible).

The tests (tests/formats.rs) run a scenario on each and compare the results
with the edge list's, byte for byte; they never run Python. Regenerate with
`python3 tests/data/formats/make_fixtures.py` (networkx >= 3; the committed
files were made with the version printed in FIXTURES.md).
"""
import csv
import gzip
import io
import os

import networkx as nx

HERE = os.path.dirname(os.path.abspath(__file__))
EDGES = os.path.join(HERE, "..", "networks", "karate.edges")

g = nx.read_edgelist(EDGES, comments="#", nodetype=str)
nx.write_graphml(g, os.path.join(HERE, "karate.graphml"))
nx.write_gexf(g, os.path.join(HERE, "karate.gexf"))
nx.write_gml(g, os.path.join(HERE, "karate.gml"))
nx.write_pajek(g, os.path.join(HERE, "karate.net"))
with open(os.path.join(HERE, "karate.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["Source", "Target", "Type", "Id", "Label", "Weight"])
    for k, (u, v) in enumerate(g.edges()):
        w.writerow([u, v, "Undirected", k, "", 1.0])
buf = io.BytesIO()
with open(os.path.join(HERE, "karate.graphml"), "rb") as f:
    data = f.read()
with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0) as z:
    z.write(data)
with open(os.path.join(HERE, "karate.graphml.gz"), "wb") as f:
    f.write(buf.getvalue())
with open(os.path.join(HERE, "FIXTURES.md"), "w") as f:
    f.write(
        "# Network-format fixtures\n\n"
        "Zachary's karate club (W. W. Zachary, 1977; the same 34 nodes and 78 edges as\n"
        "`tests/data/networks/karate.edges`, whose README gives its source and licence),\n"
        f"written by `make_fixtures.py` with networkx {nx.__version__}.\n"
    )
