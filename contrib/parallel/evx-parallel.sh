#!/bin/bash
# evx-parallel.sh - an evx batch across several hosts with GNU parallel.
#
#   contrib/parallel/evx-parallel.sh [-S SSHLOGINS] [-n N] [-o OUT] PATH...
#
#   -S SSHLOGINS  GNU parallel's --sshlogin list, e.g. "8/alice@node1,8/node2,:"
#                 (N/ = jobs at a time on that host, ":" = this machine;
#                 default ":")
#   -n N          number of shards (default 16; more shards than job slots
#                 balance uneven hosts)
#   -o OUT        output folder (default out)
#
# Each shard I runs `evx extract --shard I/N PATH...` on some host; GNU
# parallel brings its standard output back to OUT/shard-I-of-N.ndjson here,
# so only the inputs must be visible on the hosts, in the same folder as
# here (a shared file system, or rsync them to the same path first), and
# evx must be installed there ($EVX, default evx on the remote PATH).
# contrib/slurm/merge.sh then writes OUT/evx.ndjson: byte for byte what one
# `evx extract PATH...` writes. EVX_ARGS adds options (e.g. "--rules DIR";
# the output must stay NDJSON). Each shard runs with EVX_THREADS threads
# (default 1: the job slots of -S already fill the cores).
# Exit status: 0 merged; 1 a shard or the merge failed (nothing merged).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
hosts=: n=16 out=out
while [ "$#" -gt 0 ]; do
    case $1 in
        -S) hosts=$2; shift 2 ;;
        -n) n=$2; shift 2 ;;
        -o) out=$2; shift 2 ;;
        --) shift; break ;;
        -*) echo "evx-parallel: unknown option $1" >&2; exit 2 ;;
        *) break ;;
    esac
done
[ "$#" -gt 0 ] || { echo "usage: evx-parallel.sh [-S SSHLOGINS] [-n N] [-o OUT] PATH..." >&2; exit 2; }
case $n in ''|*[!0-9]*|0) echo "evx-parallel: -n needs a positive number" >&2; exit 2 ;; esac
command -v parallel >/dev/null || { echo "evx-parallel: GNU parallel is not installed (apt-get install parallel)" >&2; exit 1; }
mkdir -p "$out"
rm -f "$out"/shard-*-of-*.ndjson* "$out"/shard-*-of-*.err "$out/evx.ndjson"
# The remote shell runs this command line: quote every PATH for it. evx
# exit 1 (some inputs failed: error objects in the shard) still yields it.
cmd="cd $(printf %q "$PWD") && $(printf %q "${EVX:-evx}") extract -j ${EVX_THREADS:-1} ${EVX_ARGS:-} --shard {}/$n"
for p in "$@"; do cmd+=" $(printf %q "$p")"; done
cmd+="; test \$? -le 1"
parallel --will-cite --halt now,fail=1 -S "$hosts" --results "$out/shard-{}-of-$n.ndjson" "$cmd" ::: $(seq "$n") >/dev/null ||
    { echo "evx-parallel: a shard failed; see $out/shard-*-of-$n.ndjson.err" >&2; exit 1; }
for ((i = 1; i <= n; i++)); do
    mv -f "$out/shard-$i-of-$n.ndjson.err" "$out/shard-$i-of-$n.err"
    rm -f "$out/shard-$i-of-$n.ndjson.seq"
done
"$here/../slurm/merge.sh" "$out" "$@"
