#!/usr/bin/env bash
# Set up the peer simulators (CyNetDiff, NDlib, EoN) in a virtual environment, generate the shared benchmark
# graphs, then run the interleaved side-by-side comparison. Everything is written under benches/peers/work/
# (git-ignored). Usage: bash benches/peers/run.sh [compare.py options, e.g. --quick]
# Set WOMSIM_SHARED to the folder holding peers/ (default: ../shared next to the repository).
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
exec "$work/.venv/bin/python" "$here/compare.py" "$@"
