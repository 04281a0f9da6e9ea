#!/usr/bin/env bash
# End-to-end test on a real (single-node, loopback) Slurm cluster: installs
# Debian's slurm-wlm and munge if they are missing (root), starts munged,
# slurmctld and slurmd with a generated slurm.conf in a temporary folder,
# submits a sharded run with submit.sh (job array + afterok merge), waits
# with bounded polling, and compares the merged folder with an unsharded run
# byte for byte. Tears the cluster down on exit. Fails (never skips) when
# something it needs is missing.
#
#   scripts/slurm/test_slurm.sh [path/to/womsim]     (default: target/release/womsim)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
womsim="$(realpath "${1:-$root/target/release/womsim}")"
[ -x "$womsim" ] || { echo "FAIL: no womsim binary at $womsim (cargo build --release)" >&2; exit 1; }

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "FAIL: slurm-wlm and munge are not installed and cannot be installed here (need root and apt-get)" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq slurm-wlm munge >/dev/null
fi

work="$(mktemp -d)"
# munged runs as the munge user and checks every folder on its paths.
chmod 755 "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# munge: a fresh key in the work folder, its own socket.
mkdir -p "$work/munge"
chown munge:munge "$work/munge" 2>/dev/null || true
chmod 700 "$work/munge"
dd if=/dev/urandom of="$work/munge/munge.key" bs=1024 count=1 status=none
chown munge:munge "$work/munge/munge.key" 2>/dev/null || true
chmod 400 "$work/munge/munge.key"
# The socket's folder must be reachable by everyone (the key's must not).
mkdir -p "$work/munge-run"
chown munge:munge "$work/munge-run" 2>/dev/null || true
chmod 755 "$work/munge-run"
sock="$work/munge-run/munge.socket"
runuser -u munge -- munged --foreground --key-file="$work/munge/munge.key" --socket="$sock" \
  --pid-file="$work/munge-run/munged.pid" --seed-file="$work/munge/seed" --log-file="$work/munge/munged.log" \
  >"$work/munged.out" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.2; done
[ -S "$sock" ] || { echo "FAIL: munged did not start" >&2; cat "$work/munged.out" >&2 || true; exit 1; }

# slurm: one node (this machine, by its short hostname) on the loopback.
host="$(hostname -s)"
cpus="$(nproc)"
mkdir -p "$work/state" "$work/spool"
cat > "$work/slurm.conf" <<CONF
ClusterName=womsimtest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=16817
SlurmdPort=16818
AuthType=auth/munge
AuthInfo=socket=$sock
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
SchedulerType=sched/backfill
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$work/slurm.conf"
mkdir -p "$work/log"
slurmctld -D -f "$SLURM_CONF" >"$work/log/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" -N "$host" >"$work/log/slurmd.out" 2>&1 &
pids+=($!)
ready=""
for _ in $(seq 60); do
  if sinfo -h -o "%T" 2>/dev/null | grep -qE "^(idle|mixed)"; then ready=1; break; fi
  sleep 1
done
[ -n "$ready" ] || { echo "FAIL: the Slurm node did not come up" >&2; sinfo >&2 || true; tail -20 "$work/log/"* >&2 || true; exit 1; }

# The job: the default demo, fewer replicates, a budget sweep, 4 shards.
sed -e 's/^replicates = 300/replicates = 40/' -e 's/^name = "magic_middle"/name = "slurm_test"\nbudgets = [5, 12]/' \
  "$root/scenarios/magic_middle.toml" > "$work/job.toml"
(cd "$work" && "$womsim" run job.toml --quiet --out "$work/whole")
read -r array merge < <(cd "$work" && WOMSIM="$womsim" "$here/submit.sh" "$work/job.toml" 4 "$work/merged")
echo "submitted array $array and merge $merge"
done=""
for _ in $(seq 300); do
  if [ -z "$(squeue -h -j "$array,$merge" 2>/dev/null)" ]; then done=1; break; fi
  sleep 1
done
[ -n "$done" ] || { echo "FAIL: jobs still queued or running after 300 s" >&2; squeue >&2; exit 1; }
state="$(sacct -n -X -j "$merge" -o State 2>/dev/null | tr -d ' ' || true)"
if [ ! -f "$work/merged/summary.json" ]; then
  echo "FAIL: the merge job wrote no results (state: ${state:-unknown})" >&2
  cat "$work/merged.parts/"*.out >&2 2>/dev/null || true
  exit 1
fi
for f in summary.json timeseries.csv replicates.csv seeds.csv budgets.csv degrees.csv; do
  cmp "$work/whole/$f" "$work/merged/$f" || { echo "FAIL: $f differs between the unsharded and the merged run" >&2; exit 1; }
done
echo "OK: 4 shards on Slurm (job array $array, merge $merge) merged byte-identical to the unsharded run"
