#!/usr/bin/env bash
# Set up the peer simulators (CyNetDiff, NDlib, EoN) in a virtual environment, generate the shared benchmark
# graphs, then run the interleaved side-by-side comparison. Everything is written under benches/peers/work/
# (git-ignored). Usage: bash benches/peers/run.sh [compare.py options, e.g. --quick]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
shared="${WOMSIM_SHARED:-$root/../shared}/peers"
work="$here/work"
mkdir -p "$work"
if [ ! -f "$work/peers/bench_peers.py" ]; then
  rm -rf "$work/peers"
  cp -r "$shared" "$work/peers"
  chmod -R u+w "$work/peers"
fi
if [ ! -x "$work/.venv/bin/python" ]; then
  python3 -m venv "$work/.venv"
  "$work/.venv/bin/pip" install -q --upgrade pip
  "$work/.venv/bin/pip" install -q -r "$work/peers/requirements.txt"
fi
if ! (cd "$work/peers/graphs" && sha256sum -c --quiet SHA256SUMS 2>/dev/null); then
  (cd "$work/peers" && "$work/.venv/bin/python" make_graphs.py)
  (cd "$work/peers/graphs" && sha256sum -c SHA256SUMS)
fi
# Loading targets: the 1M-node BA edge list and the Slashdot file.
(cd "$root" && cargo bench --bench peer_ic --no-run -q)
bin=$(cd "$root" && cargo bench --bench peer_ic --no-run --message-format=json 2>/dev/null \
  | python3 -c 'import json,sys
for l in sys.stdin:
    m=json.loads(l)
    if m.get("reason")=="compiler-artifact" and m["target"]["name"]=="peer_ic" and m.get("executable"): print(m["executable"])')
echo "load ba_1m:      $("$bin" --graph "$work/peers/graphs/ba_1m.txt" --load-only)"
echo "load slashdot:   $("$bin" --graph "$root/../shared/data/networks/soc_slashdot0902.edges" --directed --load-only)"
exec "$work/.venv/bin/python" "$here/compare.py" "$@"
