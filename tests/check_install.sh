#!/bin/sh
# Installs the build into a temporary prefix (cmake --install --prefix) and
# checks what an outside user gets: the files, that libevx.so exports only the
# public API, that the README's C example builds with
#   pkg-config --cflags --libs evx
# and gives the same record as the CLI, that libevx.a links too, and that the
# installed binary and library find their installed rules without help.
# usage: check_install.sh BUILD_DIR SOURCE_DIR
set -eu
build=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
tmp=$(cd "$tmp" && pwd -P)
prefix=$tmp/prefix
fail() { echo "check_install: FAIL: $*" >&2; exit 1; }
unset EVX_RULES EVX_SCHEMA

cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" || { cat "$tmp/install.log"; fail "cmake --install"; }

pc=$(find "$prefix" -name evx.pc)
[ -n "$pc" ] || fail "no evx.pc installed"
libdir=$(dirname "$(dirname "$pc")")
for f in "$prefix/bin/evx" "$prefix/include/evx.h" "$libdir/libevx.a" "$libdir/libevx.so" \
         "$prefix/share/evx/schema/evx-record.schema.json"; do
    [ -e "$f" ] || fail "$f not installed"
done
ls "$prefix"/share/evx/rules/*.rules >/dev/null 2>&1 || fail "no rules installed"
[ -f "$prefix/share/bash-completion/completions/evx" ] || fail "bash completion not installed"
if [ -f "$build/evx.1" ]; then # built when scdoc was found
    [ -f "$prefix/share/man/man1/evx.1" ] || fail "the manual page is not installed in share/man/man1"
fi
[ "$(ls "$prefix/include")" = evx.h ] || fail "headers other than evx.h installed: $(ls "$prefix/include")"
soname=$(objdump -p "$libdir/libevx.so" | awk '$1 == "SONAME" { print $2 }')
case $soname in libevx.so.[0-9]*) ;; *) fail "libevx.so has no versioned SONAME ('$soname')" ;; esac
[ -e "$libdir/$soname" ] || fail "$soname not installed"
leaked=$(nm -D --defined-only "$libdir/libevx.so" | awk '$2 ~ /[TDBRVW]/ && $3 !~ /^evx_/ { print $3 }')
[ -z "$leaked" ] || fail "libevx.so exports non-API symbols: $leaked"
leaked=$(nm -g --defined-only "$libdir/libevx.a" | awk 'NF == 3 && $3 !~ /^evx_/ { print $3 }' | head -5)
[ -z "$leaked" ] || fail "libevx.a has global non-API symbols: $leaked"
nm -g --defined-only "$libdir/libevx.a" | grep -q ' T evx_process$' || fail "libevx.a lacks evx_process"

# The README's example, extracted literally (the one ```c block).
awk '/^```c$/ { on = 1; next } /^```$/ { if (on) exit } on' "$src/README.md" >"$tmp/example.c"
[ -s "$tmp/example.c" ] || fail "no \`\`\`c block in README.md"
export PKG_CONFIG_PATH="$libdir/pkgconfig"
cflags=$(pkg-config --cflags evx) && libs=$(pkg-config --libs evx) || fail "pkg-config evx"
[ -d "$(pkg-config --variable=rulesdir evx)" ] || fail "pkg-config --variable=rulesdir evx: $(pkg-config --variable=rulesdir evx)"
[ -f "$(pkg-config --variable=schema evx)" ] || fail "pkg-config --variable=schema evx: $(pkg-config --variable=schema evx)"
${CC:-cc} -std=c11 -Wall -Wextra -Werror -o "$tmp/example" "$tmp/example.c" $cflags $libs || fail "README example does not build"

input=$src/corpus/000_d3121016cd98e6c6.txt
"$prefix/bin/evx" extract -q - <"$input" >"$tmp/cli.json" || fail "installed evx extract"
LD_LIBRARY_PATH=$libdir "$tmp/example" <"$input" >"$tmp/lib.json" || fail "README example run"
cmp_json() {
    python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2])); sys.exit(a!=b or not a.get("occurrences"))' "$1" "$2"
}
cmp_json "$tmp/cli.json" "$tmp/lib.json" || fail "library record differs from the CLI's (or has no occurrences)"

# Static: libevx.a plus its private dependencies; it cannot locate itself, so
# it is told where the data is.
${CC:-cc} -std=c11 -o "$tmp/example_static" "$tmp/example.c" $cflags "$libdir/libevx.a" \
    $(pkg-config --static --libs-only-l evx | sed 's/-levx//') || fail "static link"
EVX_RULES=$prefix/share/evx/rules EVX_SCHEMA=$prefix/share/evx/schema/evx-record.schema.json \
    "$tmp/example_static" <"$input" >"$tmp/static.json" || fail "static example run"
cmp_json "$tmp/cli.json" "$tmp/static.json" || fail "static record differs"

# A program may use names evx uses inside (pipeline_close, schema_load).
cat >"$tmp/clash.c" <<'C'
#include <evx.h>
#include <stdio.h>
void pipeline_close(void *p) { (void)p; }
int schema_load = 1;
int main(void) { pipeline_close(NULL); printf("%s %d\n", evx_version(), schema_load); return 0; }
C
${CC:-cc} -std=c11 -o "$tmp/clash" "$tmp/clash.c" $cflags "$libdir/libevx.a" \
    $(pkg-config --static --libs-only-l evx | sed 's/-levx//') || fail "libevx.a clashes with a program's own names"
"$tmp/clash" >/dev/null || fail "clash program"

# Error path through the API: an unusable rule folder is a status + message.
if EVX_RULES=$tmp/none LD_LIBRARY_PATH=$libdir "$tmp/example" <"$input" >/dev/null 2>"$tmp/err"; then
    fail "missing rules accepted"
fi
grep -q "rule set could not be loaded" "$tmp/err" || fail "no rules error message: $(cat "$tmp/err")"

# The installed binary and library use the installed rules (not this source
# tree): a broken probe rule file there must be seen by both.
echo "this is not a rule" >"$prefix/share/evx/rules/zz_probe.rules"
"$prefix/bin/evx" rules lint >"$tmp/lint" 2>&1 && fail "installed evx ignored the installed rules"
grep -q "$prefix/bin/../share/evx/rules/zz_probe.rules" "$tmp/lint" || fail "installed evx: $(cat "$tmp/lint")"
LD_LIBRARY_PATH=$libdir "$tmp/example" <"$input" >/dev/null 2>"$tmp/err" && fail "library ignored the installed rules"
grep -q "zz_probe.rules" "$tmp/err" || fail "library: $(cat "$tmp/err")"
echo "check_install: ok ($prefix)"
