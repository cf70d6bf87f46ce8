#!/bin/sh
# fuzz/run.sh BUILD NAME SECONDS [libFuzzer options...]
#
# Runs harness NAME (fuzz_pipeline or fuzz_rulefile) of an EVX_FUZZ=ON
# build for SECONDS, in this one process, and exits non-zero on any
# finding: crash, sanitizer report, leak, timeout (10 s per input) or
# memory blow-up (2 GB). The seeds are assembled anew from the repository
# (fuzz/seeds.py); what the fuzzer finds on top is kept in
# BUILD/fuzz-work/NAME for the next run. A failing input is saved as
# BUILD/fuzz-artifacts/NAME-crash-* (or -leak-, -timeout-, -oom-): replay it
# with BUILD/fuzz/NAME FILE, then add it to tests/fuzz_regressions/.
set -eu
[ $# -ge 3 ] || { echo "usage: $0 BUILD NAME SECONDS [libFuzzer options...]" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
build=$1 name=$2 secs=$3
shift 3
bin=$build/fuzz/$name
[ -x "$bin" ] || { echo "$0: no $bin (configure with CC=clang -DEVX_FUZZ=ON)" >&2; exit 2; }
case $name in
fuzz_pipeline) max_len=8192 ;;
*) max_len=16384 ;;
esac
seeds=$build/fuzz-seeds/$name
work=$build/fuzz-work/$name
mkdir -p "$work" "$build/fuzz-artifacts"
/usr/bin/python3 "$root/fuzz/seeds.py" "$root" "$name" "$seeds" "$build/fuzz-seeds/$name.dict"
# detect_leaks: LeakSanitizer checks after every input libFuzzer suspects.
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} "$bin" -max_total_time="$secs" -timeout=10 \
  -rss_limit_mb=2048 -malloc_limit_mb=1024 -max_len="$max_len" \
  -dict="$build/fuzz-seeds/$name.dict" -artifact_prefix="$build/fuzz-artifacts/$name-" \
  -print_final_stats=1 "$@" "$work" "$seeds"
