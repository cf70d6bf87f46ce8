#!/bin/sh
# End to end: every corpus/*.txt must produce exactly tests/golden/<name>.json.
# Usage: check_golden.sh EVX ROOT [--update]   (--update rewrites the golden
# files; review the diff before committing it).
set -u
evx=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") root=$2
out=$(mktemp -d) || exit 1
trap 'rm -rf "$out"' EXIT
# Sources are recorded as given: run from the root so they read corpus/NAME.txt.
cd "$root" || exit 1
root=.
"$evx" extract -q -o "$out" corpus || { echo "check_golden: evx failed"; exit 1; }
if [ "${3:-}" = "--update" ]; then
  rm -f "$root"/tests/golden/*.json && cp "$out"/*.json "$root/tests/golden/" && echo "golden files updated"
  exit 0
fi
pass=0 fail=0
for f in "$root"/corpus/*.txt; do
  name=$(basename "$f" .txt)
  if diff -u "$root/tests/golden/$name.json" "$out/$name.json" >"$out/$name.diff" 2>&1; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1)); echo "FAIL $name"; head -40 "$out/$name.diff"
  fi
done
echo "check_golden: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
