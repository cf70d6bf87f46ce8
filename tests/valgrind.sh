#!/bin/sh
# valgrind memcheck over the end-to-end run: `evx extract corpus tests/cases`,
# then the fuzzing regression inputs through both harnesses (rule-file
# parsing and compiling included). Fails on any memcheck error or any
# definitely or indirectly lost block (--error-exitcode), and when the
# records differ from a run without valgrind.
# usage: valgrind.sh EVX FUZZ_BIN_DIR SOURCE_DIR    (ctest -L valgrind)
#
# No suppressions are needed: ICU's and Jansson's caches are still
# reachable at exit, which memcheck does not count as errors. PCRE2's JIT
# code is the one thing memcheck cannot follow (it reads whole words at
# the subject's end: hundreds of "uninitialised value" reports with no
# stack to suppress by), so EVX_NO_JIT=1 makes evx use PCRE2's
# interpreter, which finds the same matches (checked below).
set -eu
evx=$1 fuzzbin=$2 src=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
vg() {
    EVX_NO_JIT=1 valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
        --error-exitcode=99 "$@"
}
status=0
"$evx" extract -q "$src/corpus" "$src/tests/cases" >"$tmp/plain.ndjson"
vg "$evx" extract -q "$src/corpus" "$src/tests/cases" >"$tmp/vg.ndjson" || { echo "valgrind: FAIL: evx extract ($?)"; status=1; }
cmp -s "$tmp/plain.ndjson" "$tmp/vg.ndjson" || { echo "valgrind: FAIL: records differ without the JIT"; status=1; }
vg "$fuzzbin/fuzz_pipeline_replay" "$src/tests/fuzz_regressions/pipeline" || { echo "valgrind: FAIL: fuzz_pipeline_replay"; status=1; }
vg "$fuzzbin/fuzz_rulefile_replay" "$src/tests/fuzz_regressions/rulefile" "$src/tests/rules_broken" || { echo "valgrind: FAIL: fuzz_rulefile_replay"; status=1; }
[ $status = 0 ] && echo "valgrind: ok: $(wc -l <"$tmp/vg.ndjson") records, no memcheck errors, no leaks"
exit $status
