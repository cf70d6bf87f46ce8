#!/bin/bash
# submit.sh - runs an evx batch on a Slurm cluster: an array of N shards,
# then the merge as a job that starts when every shard succeeded.
#
#   contrib/slurm/submit.sh [-n N] [-c C] [-o OUT] [--wait] PATH...
#
#   -n N     number of shards = array tasks (default 16)
#   -c C     CPUs (and evx threads) per task (default 1)
#   -o OUT   output folder (default out); logs go to OUT/logs/
#   --wait   block until the merge has finished; exit with its status
#
# The result is OUT/evx.ndjson. Options for sbatch itself come from its
# environment variables (SBATCH_PARTITION, SBATCH_ACCOUNT, SBATCH_TIMELIMIT,
# ...); EVX and EVX_ARGS are passed on to evx-array.sbatch. Submit from a
# folder every node sees; relative PATHs are resolved there.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
n=16 cpus=1 out=out wait=
while [ "$#" -gt 0 ]; do
    case $1 in
        -n) n=$2; shift 2 ;;
        -c) cpus=$2; shift 2 ;;
        -o) out=$2; shift 2 ;;
        --wait) wait=--wait; shift ;;
        --) shift; break ;;
        -*) echo "submit.sh: unknown option $1" >&2; exit 2 ;;
        *) break ;;
    esac
done
[ "$#" -gt 0 ] || { echo "usage: submit.sh [-n N] [-c C] [-o OUT] [--wait] PATH..." >&2; exit 2; }
for v in "$n" "$cpus"; do
    case $v in ''|*[!0-9]*|0) echo "submit.sh: -n and -c need a positive number" >&2; exit 2 ;; esac
done
mkdir -p "$out/logs"
rm -f "$out"/shard-*-of-*.ndjson "$out"/shard-*-of-*.err "$out/evx.ndjson"
export EVX_OUT=$out
array=$(sbatch --parsable --array="1-$n" --cpus-per-task="$cpus" -o "$out/logs/evx-%A_%a.log" "$here/evx-array.sbatch" "$@")
array=${array%%;*}
echo "submit.sh: array job $array ($n shards)"
# kill_invalid_depend is not everywhere: if a shard fails, the merge stays
# pending with reason DependencyNeverSatisfied; scancel it.
merge=$(sbatch --parsable $wait --dependency="afterok:$array" -o "$out/logs/merge-%j.log" \
    "$here/merge.sh" "$out" "$@") || { echo "submit.sh: merge job failed; see $out/logs/" >&2; exit 1; }
echo "submit.sh: merge job ${merge%%;*} -> $out/evx.ndjson"
