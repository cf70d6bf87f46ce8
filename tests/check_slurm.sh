#!/bin/bash
# A real single-node Slurm cluster, started here: munged, slurmctld and
# slurmd from Debian's packages (slurm-wlm, munge), under a temporary folder
# with their own socket, ports, state and logs. contrib/slurm/submit.sh runs
# corpus/ replicated to 1,000 files (and one binary file that fails) as an
# 8-task array plus the dependent merge; the merged NDJSON must be byte-identical to a one-machine
# `evx extract`. Every daemon and job is stopped on exit, failure or not.
# Runs as root (CI) or as any user (SlurmUser = SlurmdUser = that user;
# jobs then run as the same user).
# usage: check_slurm.sh EVX SOURCE_DIR      (exit 77: skipped)
set -euo pipefail
evx=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(cd "$2" && pwd)
for prog in munged mungekey slurmctld slurmd sbatch squeue scancel sinfo python3; do
    if ! command -v "$prog" >/dev/null 2>&1 && ! [ -x "/usr/sbin/$prog" ]; then
        echo "SKIP: $prog not found: Slurm is not installed (apt-get install slurm-wlm munge)"
        exit 77
    fi
done
export PATH=$PATH:/usr/sbin
tmp=$(mktemp -d /tmp/evx-slurm.XXXXXX)
fail() { echo "check_slurm: FAIL: $*" >&2; for f in "$tmp"/log/*; do echo "--- $f" >&2; tail -n 20 "$f" >&2; done; exit 1; }
pids=()
cleanup() {
    set +e
    if [ -S "$tmp/munge/sock" ] && [ -n "${SLURM_CONF:-}" ]; then
        scancel --quiet --full --user="$(id -un)" 2>/dev/null
        for _ in $(seq 50); do [ -z "$(squeue -h 2>/dev/null)" ] && break; sleep 0.1; done
    fi
    for ((k = ${#pids[@]} - 1; k >= 0; k--)); do kill "${pids[k]}" 2>/dev/null; done
    for p in "${pids[@]}"; do
        for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$p" 2>/dev/null
        wait "$p" 2>/dev/null
    done
    [ -n "${EVX_SLURM_KEEP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# --- the batch: corpus/ replicated to 1,000 files in 10 folders ---
python3 - "$src/corpus" "$tmp/data" <<'PY'
import os, shutil, sys
src, dst = sys.argv[1], sys.argv[2]
corpus = sorted(f for f in os.listdir(src) if f.endswith(".txt"))
for k in range(1000):
    os.makedirs(f"{dst}/part-{k % 10}", exist_ok=True)
    name = corpus[k % len(corpus)]
    shutil.copyfile(f"{src}/{name}", f"{dst}/part-{k % 10}/{k:04d}-{name}")
# one input that fails: its error object must keep its place in the merge
with open(f"{dst}/part-3/0500-binary.txt", "wb") as f:
    f.write(b"\x00\x01binary")
PY
cd "$tmp"
echo "check_slurm: ${SECONDS}s: 1000 inputs ready"
rc=0
"$evx" extract -q data >one.ndjson || rc=$?
[ "$rc" -eq 1 ] || fail "one-machine run: exit $rc, expected 1 (one binary input)"
[ "$(wc -l <one.ndjson)" -eq 1001 ] || fail "one-machine run: $(wc -l <one.ndjson) lines"

echo "check_slurm: ${SECONDS}s: one-machine run done"
# --- munge ---
mkdir -p munge log state spool out
chmod 700 munge
mungekey -c -k munge/munge.key
munged -F --force -S "$tmp/munge/sock" --key-file="$tmp/munge/munge.key" --log-file="$tmp/log/munged.log" \
    --pid-file="$tmp/munge/munged.pid" --seed-file="$tmp/munge/seed" 2>>log/munged.log &
pids+=($!)
for _ in $(seq 50); do [ -S munge/sock ] && break; sleep 0.1; done
[ -S munge/sock ] || fail "munged did not start"

# --- slurm.conf: free ports, everything under $tmp ---
port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
user=$(id -un)
cat >slurm.conf <<CONF
ClusterName=evxtest
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$(port)
SlurmdPort=$(port)
SlurmUser=$user
SlurmdUser=$user
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$tmp/munge/sock
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
PlugStackConfig=$tmp/plugstack.conf
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/builtin
SchedulerParameters=sched_interval=1,sched_min_interval=100000
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
DependencyParameters=kill_invalid_depend
NodeName=evxnode NodeHostname=$(hostname) NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=100 State=UNKNOWN
PartitionName=evx Nodes=evxnode Default=YES MaxTime=10 State=UP
CONF
: >plugstack.conf
export SLURM_CONF=$tmp/slurm.conf
unset SBATCH_PARTITION SBATCH_ACCOUNT SLURM_JOB_ID
slurmctld -D -i >>log/slurmctld.out 2>&1 &
pids+=($!)
slurmd -D -N evxnode >>log/slurmd.out 2>&1 &
pids+=($!)
state=
for _ in $(seq 150); do
    state=$(sinfo -h -n evxnode -o %t 2>/dev/null || true)
    [ "$state" = idle ] && break
    sleep 0.2
done
[ "$state" = idle ] || fail "the node did not come up (state '$state')"

echo "check_slurm: ${SECONDS}s: cluster up"
# --- the array job and the dependent merge ---
# (polled here: sbatch --wait backs off to long sleeps)
cpus=$(($(nproc) >= 2 ? 2 : 1)) # two threads per task where the node has them
EVX=$evx "$src/contrib/slurm/submit.sh" -n 8 -c "$cpus" -o out data >submit.out || fail "submit.sh: $(cat submit.out)"
cat submit.out
merge=$(awk '/merge job/ { print $4 }' submit.out)
for _ in $(seq 900); do
    [ -z "$(squeue -h 2>/dev/null)" ] && break
    sleep 0.1
done
[ -z "$(squeue -h)" ] && [ -n "$merge" ] || fail "jobs still queued after 90 s: $(squeue)"
scontrol show job "$merge" | grep -q "JobState=COMPLETED" ||
    fail "merge job: $(scontrol show job "$merge" | grep -o 'JobState=[A-Z_]* Reason=[^ ]*'); $(cat out/logs/* 2>/dev/null)"
echo "check_slurm: ${SECONDS}s: merged"
for i in $(seq 8); do
    [ -s "out/shard-$i-of-8.ndjson" ] || fail "shard $i/8 is empty or missing"
done
grep -q ", $cpus thread(s), exit" out/logs/evx-*_1.log || fail "task 1 log: $(cat out/logs/evx-*_1.log)"
cmp one.ndjson out/evx.ndjson || fail "the merged output differs from the one-machine run"
grep -q '"error"' out/evx.ndjson || fail "the binary input's error object is missing"
echo "check_slurm: ok: 1000 records + 1 error object, 8 shards on Slurm $(sinfo -V | awk '{print $2}'), merged = one-machine run"
