#!/bin/sh
# The literal prefilter and the line gates (src/extract.c) only skip work:
# the records are byte for byte those of running every rule over the whole
# of every text (EVX_NO_PREFILTER=1). Inputs: the corpus, the test
# announcements and 300 varied copies of them (bench/gen_corpus.py: other
# dates and names, CRLF, extra blank lines and spaces).
# usage: check_prefilter.sh EVX ROOT WORKDIR PYTHON
set -eu
evx=$1 root=$2 work=$3 py=$4
rm -rf "$work/prefilter"
mkdir -p "$work/prefilter"
"$py" "$root/bench/gen_corpus.py" --root "$root" --out "$work/prefilter/varied" --docs 300 --seed 7 >/dev/null
"$evx" extract -q -j1 "$root/corpus" "$root/tests/cases" "$work/prefilter/varied" > "$work/prefilter/gated.ndjson"
EVX_NO_PREFILTER=1 "$evx" extract -q -j1 "$root/corpus" "$root/tests/cases" "$work/prefilter/varied" \
    > "$work/prefilter/plain.ndjson"
n=$(wc -l < "$work/prefilter/gated.ndjson")
[ "$n" -ge 340 ] || { echo "only $n records"; exit 1; }
cmp "$work/prefilter/gated.ndjson" "$work/prefilter/plain.ndjson"
echo "prefilter: $n records, identical with and without"
