#!/bin/bash
# Sources contrib/bash-completion/evx in bash and asks it for completions as
# bash would (COMP_WORDS/COMP_CWORD, then the _evx function).
# usage: check_completion.sh EVX SOURCE_DIR
set -uo pipefail
evx=$1 src=$2
fail() { echo "check_completion: FAIL: $*" >&2; exit 1; }
# shellcheck source=/dev/null
source "$src/contrib/bash-completion/evx" || fail "cannot source the completion"
complete -p evx | grep -q -- "-F _evx" || fail "no 'complete -F _evx evx'"
# complete WORD... : the completions of the last word
complete_words() {
    COMP_WORDS=("$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMPREPLY=()
    _evx
    printf '%s\n' "${COMPREPLY[@]}" | sort
}
expect() { # expect "WORDS" "EXPECTED (newline separated, sorted)"
    local got
    read -r -a words <<<"$1"
    [[ $1 == *" " ]] && words+=("")
    got=$(complete_words "${words[@]}")
    [[ $got == "$2" ]] || fail "'$1': got [$(echo $got)], expected [$(echo $2)]"
}
export EVX_RULES=$src/rules
expect "$evx ex" "explain
extract"
expect "$evx rules " "coverage
lint
test"
expect "$evx extract --sh" "--shard"
expect "$evx extract --for" "--format"
expect "$evx extract --format j" "json
jsonld"
expect "$evx extract --input-format h" "html"
expect "$evx explain --j" "--json"
expect "$evx rules test date.dm" "date.dmy"
expect "$evx rules test --rules $src/tests/rules_broken/missing date.dm" ""
# every command of --help's usage lines is offered
cmds=$(complete_words "$evx" "")
for c in $("$evx" --help | sed -nE 's/^(usage:)? *evx +([a-z][a-z-]*).*/\2/p' | sort -u); do
    grep -qx -- "$c" <<<"$cmds" || fail "command $c of --help is not completed"
done
# every option of --help is offered after `evx extract -`
opts=$(complete_words "$evx" extract -)
for o in $("$evx" --help | grep -oE -- '(^|[ [])--?[a-zA-Z][a-zA-Z-]*' | tr -d ' [' | sort -u); do
    grep -qx -- "$o" <<<"$opts" || fail "option $o of --help is not completed"
done
# rule names come from the folder --rules names
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'rule zz.only_here\n' >"$tmp/x.rules"
expect "$evx rules test --rules $tmp zz" "zz.only_here"
echo "check_completion: ok"
