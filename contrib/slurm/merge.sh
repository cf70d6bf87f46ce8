#!/bin/bash
# merge.sh - joins the shards of an evx batch into one NDJSON in input order.
#
#   contrib/slurm/merge.sh OUT PATH...
#
# OUT holds shard-I-of-N.ndjson for I = 1..N (from evx-array.sbatch or
# contrib/parallel/evx-parallel.sh); PATH... are the same arguments the
# shards were given. Writes OUT/evx.ndjson (atomically), byte for byte what
# `evx extract PATH...` writes on one machine: records ordered by the PATH
# argument they came from, then by their path below it, one folder level at
# a time, as evx lists folders; inputs that failed are error objects in
# their place, as evx writes them. The shards' standard error (.err files)
# is joined into OUT/evx.err. Refuses to merge an incomplete set.
# Runs as a Slurm job (submit.sh makes it depend on the array) or directly;
# needs python3.
#SBATCH --job-name=evx-merge
#SBATCH --cpus-per-task=1
set -euo pipefail

[ "$#" -ge 2 ] || { echo "usage: merge.sh OUT PATH..." >&2; exit 2; }
out=$1
shift
exec python3 - "$out" "$@" <<'PY'
import glob, json, os, re, sys

out, paths = sys.argv[1], [os.fsencode(p) for p in sys.argv[2:]]
shards = {}
for f in glob.glob(os.path.join(glob.escape(out), "shard-*-of-*.ndjson")):
    m = re.fullmatch(r"shard-(\d+)-of-(\d+)\.ndjson", os.path.basename(f))
    if m:
        shards[(int(m.group(1)), int(m.group(2)))] = f
counts = {n for _, n in shards}
if len(counts) != 1:
    sys.exit(f"merge.sh: {out}: expected the shards of one batch, found shard counts {sorted(counts) or 'none'}")
n = counts.pop()
missing = [i for i in range(1, n + 1) if (i, n) not in shards]
if missing:
    sys.exit(f"merge.sh: {out}: shard(s) {missing} of {n} missing; rerun those array tasks")

def trimmed(p):
    while len(p) > 1 and p.endswith(b"/"):
        p = p[:-1]
    return p

args = [trimmed(p) for p in paths]

errors = 0

def key(line):
    """(PATH argument index, path components below it), as evx orders inputs.
    Error objects ({"source": ..., "error": ...}) sort like records."""
    global errors
    try:
        obj = json.loads(line)
        src = os.fsencode(obj["source"])
    except (ValueError, KeyError, TypeError):
        sys.exit(f"merge.sh: not an evx NDJSON line (were the shards run with --format?): {line[:80]!r}")
    errors += "error" in obj
    for i, a in enumerate(args):
        if src == a:
            return (i, [])
        if src.startswith(a + b"/") or (a == b"/" and src.startswith(b"/")):
            return (i, [c for c in src[len(a):].split(b"/") if c])
    return (len(args), [src])

lines = []
for i in range(1, n + 1):
    with open(shards[(i, n)], "rb") as f:
        lines += [l if l.endswith(b"\n") else l + b"\n" for l in f if l.strip()]
lines.sort(key=key)  # stable: equal keys keep shard order
tmp = os.path.join(out, "evx.ndjson.tmp")
with open(tmp, "wb") as f:
    f.writelines(lines)
os.replace(tmp, os.path.join(out, "evx.ndjson"))
errs = b"".join(open(p, "rb").read() for p in sorted(glob.glob(os.path.join(glob.escape(out), "shard-*-of-%d.err" % n))))
with open(os.path.join(out, "evx.err"), "wb") as f:
    f.write(errs)
print(f"merge.sh: {n} shard(s), {len(lines) - errors} record(s), {errors} error object(s) -> "
      f"{os.path.join(out, 'evx.ndjson')} (messages: {os.path.join(out, 'evx.err')})")
PY
