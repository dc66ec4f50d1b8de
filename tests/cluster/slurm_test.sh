#!/usr/bin/env bash
# A one-node Slurm cluster (slurmctld, slurmd, munge) configured in a temporary folder runs
# scripts/slurm/tally-array.sbatch as an array of 4 tasks over the born fixtures copied COPIES
# times; `tally merge` of the shards must hold exactly the rows of a single-process run. Then the
# same with one task killed mid-way and resubmitted alone (it resumes from its ledger).
# Usage: tests/cluster/slurm_test.sh TALLY [COPIES=10]   (run from the source root; needs root)
set -euo pipefail
tally=$(realpath "$1")
copies=${2:-10}
source tests/cluster/common.sh
for program in slurmctld slurmd munged sbatch squeue scancel sinfo sqlite3; do
  command -v "$program" >/dev/null || skip "$program is not installed (scripts/setup.sh installs slurm-wlm, munge, sqlite3)"
done
[[ $(id -u) == 0 ]] || skip "slurmd must run as root to start jobs"
shards=4

work=$(mktemp -d /tmp/tally-slurm.XXXXXX)
chmod 755 "$work"
cleanup() {
  for pidfile in "$work"/slurmd.pid "$work"/slurmctld.pid "$work"/munged.pid; do
    [[ -s $pidfile ]] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  sleep 1
  [[ ${KEEP:-0} == 1 ]] || rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "FAILED: $*"
  for log in "$work"/slurmctld.log "$work"/slurmd.log; do echo "--- $log"; tail -20 "$log" 2>/dev/null || true; done
  exit 1
}

# munge: its own key and socket.
dd if=/dev/urandom of="$work/munge.key" bs=1024 count=1 status=none
chmod 400 "$work/munge.key"
munged --force --socket="$work/munge.socket" --key-file="$work/munge.key" --pid-file="$work/munged.pid" \
  --log-file="$work/munged.log" --seed-file="$work/munge.seed" || fail "munged did not start"

# Free ports for the controller and the node daemon.
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ctld_port=$(port)
slurmd_port=$(port)
node=$(hostname -s)
cpus=$(nproc)
memory=$(awk '/MemTotal/ {print int($2 / 1024 * 0.9)}' /proc/meminfo)  # MB the node offers jobs
mkdir -p "$work/state" "$work/spool"
export SLURM_CONF=$work/slurm.conf
cat >"$SLURM_CONF" <<CONF
ClusterName=tallytest
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$work/munge.socket
CredType=cred/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool/%n
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MpiDefault=none
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=tally Nodes=$node Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
CONF
slurmctld -i || fail "slurmctld did not start"
slurmd || fail "slurmd did not start"
for ((i = 0; i < 60; i++)); do
  sinfo -h -o %t 2>/dev/null | grep -qE '^(idle|mix|alloc)' && break
  sleep 1
done
sinfo -h -o %t | grep -qE '^(idle|mix|alloc)' || fail "the node never came up: $(sinfo 2>&1)"
echo "slurm: node $node up ($(sinfo -h -o '%t %c'))"

make_corpus "$work/in" "$copies"
echo "corpus: $(find "$work/in" -name '*.pdf' | wc -l) PDFs"
start=$SECONDS
read -ra before </proc/$$/stat  # this shell's reaped children's CPU (cutime, cstime), in ticks
batch_ran "$tally" batch "$work/in" -o "$work/single" --format sqlite -j 2 --resume -q || fail "the single-process run failed"
read -ra after </proc/$$/stat
sqlite_rows "$work/single/tally.sqlite" >"$work/single.rows"
echo "single-process run: $((SECONDS - start)) s, CPU user+sys $(((after[15] + after[16] - before[15] - before[16]) / $(getconf CLK_TCK))) s, $(wc -l <"$work/single.rows") rows"

# One task per CPU at most: two of the four wait their turn.
submit() {  # submit OUTDIR ARRAY [sbatch options…]
  local out=$1 array=$2
  shift 2
  TALLY=$tally sbatch --parsable --array="$array" --cpus-per-task=1 --mem-per-cpu=500M --chdir="$PWD" \
    --output="$work/task-%A_%a.log" \
    "$@" scripts/slurm/tally-array.sbatch "$shards" "$work/in" "$out" --format sqlite
}
wait_for() {  # wait_for JOBID: until no task of the array is pending or running
  local i
  for ((i = 0; i < 1200; i++)); do
    [[ -z $(squeue -h -j "$1" 2>/dev/null) ]] && return 0
    sleep 0.5
  done
  fail "job $1 did not finish"
}
compare() {  # compare OUTDIR LABEL
  rm -rf "$work/corpus-$2"
  "$tally" merge "$1"/shard-* -o "$work/corpus-$2" || fail "$2: tally merge failed"
  sqlite_rows "$work/corpus-$2/tally.sqlite" >"$work/$2.rows"
  diff -q "$work/single.rows" "$work/$2.rows" >/dev/null || {
    diff "$work/single.rows" "$work/$2.rows" | head -20
    fail "$2: the merged shards differ from the single-process run"
  }
  echo "$2: merged $(ls -d "$1"/shard-* | wc -l) shards, $(wc -l <"$work/$2.rows") rows, equal to the single-process run"
}

# 1. The array runs to the end.
start=$SECONDS
job=$(submit "$work/out" "0-$((shards - 1))")
wait_for "$job"
echo "array of $shards tasks: $((SECONDS - start)) s"
grep -h '^tally-array:' "$work"/task-"$job"_*.log || true  # each task's CPU
[[ $(ls -d "$work/out"/shard-* | wc -l) == "$shards" ]] || fail "expected $shards shard folders: $(ls "$work/out")"
compare "$work/out" array

# 2. One task killed mid-way, in the middle of a document (its ledger marks one `started`), then
# resubmitted alone with the same arguments: it resumes from its ledger and reads the rest.
job=$(submit "$work/out2" "0-$((shards - 1))")
# With copies every shard has several documents: kill one that has finished some, so that the
# resubmitted task must skip them (the reduced corpus may give a shard a single document).
min_done=$((copies > 1 ? 1 : 0))
victim=
for ((i = 0; i < 3000; i++)); do
  [[ -n $victim ]] && break
  for ledger in "$work"/out2/shard-*/tally-ledger.jsonl; do
    [[ -f $ledger ]] || continue
    # A document in progress: more `started` lines than finished ones.
    finished=$(grep -cE '"status":"(done|error)"' "$ledger" || true)
    (($(grep -c '"status":"started"' "$ledger" || true) > finished && finished >= min_done)) &&
      victim=$(basename "$(dirname "$ledger")") && break
  done
  sleep 0.05
done
[[ -n $victim ]] || fail "no task started a document"
ledger=$work/out2/$victim/tally-ledger.jsonl
victim=${victim#shard-}
victim=$((10#${victim%%-of-*}))
scancel --signal=KILL "${job}_$victim" || fail "could not kill task $victim mid-document"
wait_for "$job"
ledger_status "$ledger" | grep -q ' started$' || grep -q '"error_code":"stopped"' "$ledger" ||
  fail "task $victim finished its document before the kill"
echo "killed task $victim mid-document ($(ledger_status "$ledger" | grep -c ' done$' || true) documents done before)"
start=$SECONDS
done_before=$(ledger_status "$ledger" | grep -c ' done$' || true)
job=$(submit "$work/out2" "$victim")
wait_for "$job"
echo "task $victim resubmitted with --resume: $((SECONDS - start)) s"
grep -q "read, $done_before skipped as already done" "$work/task-${job}_$victim.log" ||
  fail "the resubmitted task did not skip the $done_before documents done before the kill: $(grep 'tally batch:' "$work/task-${job}_$victim.log")"
grep -h '^tally-array:' "$work"/task-"$job"_*.log || true
ledger_status "$ledger" | grep -q ' done$' && ! ledger_status "$ledger" | grep -qE ' (started|error)$' ||
  fail "the resubmitted task left a document unread: $(ledger_status "$ledger")"
compare "$work/out2" killed-and-resumed
echo "PASSED"
