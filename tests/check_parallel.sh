#!/bin/bash
# contrib/parallel/evx-parallel.sh with GNU parallel on this machine
# (--sshlogin 2/:, two job slots) over corpus/ replicated to 60 files, one
# folder name with a space: the merged NDJSON must be byte-identical to a
# one-machine `evx extract`. Also: merge.sh refuses an incomplete set of
# shards, and a shard that cannot run fails the batch. (exit 77: skipped)
# usage: check_parallel.sh EVX SOURCE_DIR
set -euo pipefail
evx=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(cd "$2" && pwd)
command -v parallel >/dev/null || { echo "SKIP: GNU parallel is not installed (apt-get install parallel)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "check_parallel: FAIL: $*" >&2; exit 1; }
python3 - "$src/corpus" "$tmp/in" <<'PY'
import os, shutil, sys
src, dst = sys.argv[1], sys.argv[2]
corpus = sorted(f for f in os.listdir(src) if f.endswith(".txt"))
for k in range(60):
    d = f"{dst}/{'with space' if k % 2 else 'plain'}"
    os.makedirs(d, exist_ok=True)
    shutil.copyfile(f"{src}/{corpus[k % len(corpus)]}", f"{d}/{k:03d}.txt")
with open(f"{dst}/plain/030-binary.txt", "wb") as f:  # fails: an error object
    f.write(b"\x00\x01binary")
PY
cd "$tmp"
"$evx" extract -q in >one.ndjson || [ $? -eq 1 ] || fail "one-machine run"
export EVX=$evx
"$src/contrib/parallel/evx-parallel.sh" -S 2/: -n 5 -o out in >log 2>&1 || fail "evx-parallel.sh: $(cat log)"
cmp one.ndjson out/evx.ndjson || fail "merged output differs from the one-machine run"
[ "$(wc -l <out/evx.ndjson)" -eq 61 ] || fail "$(wc -l <out/evx.ndjson) records"
rm out/shard-3-of-5.ndjson
if "$src/contrib/slurm/merge.sh" out in 2>err; then fail "merge.sh merged an incomplete set"; fi
grep -q "shard(s) \[3\] of 5 missing" err || fail "merge.sh: $(cat err)"
mkdir csv && printf 'source,title\nin/a.txt,x\n' >csv/shard-1-of-1.ndjson
if "$src/contrib/slurm/merge.sh" csv in 2>err; then fail "merge.sh merged CSV lines"; fi
grep -q "not an evx NDJSON line" err || fail "merge.sh on CSV: $(cat err)"
if EVX_ARGS="--rules $tmp/no-such-rules" "$src/contrib/parallel/evx-parallel.sh" -S : -n 2 -o bad in >log 2>&1; then
    fail "a failing shard was not reported"
fi
[ ! -e bad/evx.ndjson ] || fail "merged despite a failed shard"
echo "check_parallel: ok"
