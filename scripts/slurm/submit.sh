#!/usr/bin/env bash
# Submit a womsim run split into N shards on Slurm: a job array (one task per
# shard), then a merge job that starts only if every shard succeeded
# (--dependency=afterok). Prints the two job ids.
#
#   scripts/slurm/submit.sh SCENARIO N OUT [extra sbatch options...]
#
# WOMSIM (default: womsim on PATH) is the binary; partial folders go to
# OUT.parts/. Extra options (e.g. --partition=short --time=1:00:00
# --mem-per-cpu=2G) are passed to both sbatch calls.
set -euo pipefail
if [ $# -lt 3 ]; then
  echo "usage: $0 SCENARIO N OUT [sbatch options...]" >&2
  exit 2
fi
scenario="$(realpath "$1")"; n="$2"; out="$(realpath -m "$3")"; shift 3
here="$(cd "$(dirname "$0")" && pwd)"
womsim="$(command -v "${WOMSIM:-womsim}")" || { echo "womsim binary not found (set WOMSIM)" >&2; exit 2; }
parts="$out.parts"
mkdir -p "$parts"
export WOMSIM="$womsim" SCENARIO="$scenario" PARTS="$parts" OUT="$out"
array=$(sbatch --parsable --array="1-$n" --export=ALL --chdir="$parts" "$@" "$here/womsim-shard.sbatch")
array="${array%%;*}"
merge=$(sbatch --parsable --dependency="afterok:$array" --export=ALL --chdir="$parts" "$@" "$here/womsim-merge.sbatch")
echo "$array ${merge%%;*}"
