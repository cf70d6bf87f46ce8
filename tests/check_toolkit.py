#!/usr/bin/env python3
"""Tests of the maintainers' toolkit (evx rules lint / test / coverage, evx explain).

usage: check_toolkit.py EVX ROOT CHECK
CHECK is one of: lint-broken, lint-shipped, extract-broken, explain, explain-json,
explain-remnants, coverage. ROOT is the source tree. Exit 0 on success; prints why otherwise."""
import json
import os
import subprocess
import sys


def run(args, cwd=None):
    p = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def fail(msg, out=""):
    print("FAIL:", msg)
    if out:
        print(out)
    sys.exit(1)


def lint_broken(evx, root):
    # Run from tests/ with a relative --rules so the printed paths are stable.
    tests = os.path.join(root, "tests")
    rc, out, err = run([evx, "rules", "lint", "--rules", "rules_broken"], cwd=tests)
    if rc != 1:
        fail("lint of rules_broken should exit 1, got %d" % rc, out + err)
    with open(os.path.join(tests, "rules_broken", "expected.txt"), encoding="utf-8") as f:
        expected = f.read().splitlines()
    # "no rule fills field" warnings depend on the list of fields, which grows:
    # only the ones listed in expected.txt are compared.
    got = [l for l in out.splitlines() if "no rule fills field" not in l or l in expected]
    if got != expected:
        import difflib
        fail("lint diagnostics differ from rules_broken/expected.txt",
             "\n".join(difflib.unified_diff(expected, got, "expected", "got", lineterm="")))


def lint_shipped(evx, root):
    rc, out, err = run([evx, "rules", "lint", "--rules", os.path.join(root, "rules")])
    if rc != 0 or out or err:
        fail("lint of the shipped rules must print nothing and exit 0 (rc=%d)" % rc, out + err)


def extract_broken(evx, root):
    tests = os.path.join(root, "tests")
    sample = os.path.join(root, "corpus", sorted(os.listdir(os.path.join(root, "corpus")))[0])
    rc, out, err = run([evx, "extract", "--rules", "rules_broken", sample], cwd=tests)
    if rc != 2:
        fail("extract with broken rules should exit 2, got %d" % rc, err)
    if "rules_broken/bad_regex.rules:4:25: error:" not in err:
        fail("extract should report the broken rule as file:line:column", err)
    if out:
        fail("extract with broken rules should print no record", out)


def corpus_file(root):
    d = os.path.join(root, "corpus")
    return os.path.join(d, sorted(f for f in os.listdir(d) if f.endswith(".txt"))[0])


def explain(evx, root):
    rc, out, err = run([evx, "explain", corpus_file(root)])
    if rc != 0:
        fail("explain exited %d" % rc, err)
    if "\x1b[" in out:
        fail("explain must not colour output that is not a terminal")
    for want in ("dates/date.", "\nlost:\n", "\nrecord:\n", "    1 | "):
        if want not in out:
            fail("explain output lacks %r" % want, out[:2000])


def explain_json(evx, root):
    rc, out, err = run([evx, "explain", "--json", corpus_file(root)])
    if rc != 0:
        fail("explain --json exited %d" % rc, err)
    p = subprocess.run([sys.executable, "-m", "json.tool"], input=out, capture_output=True, text=True)
    if p.returncode != 0:
        fail("explain --json is not JSON: " + p.stderr)
    doc = json.loads(out)
    for key in ("source", "text", "matches", "lost", "record"):
        if key not in doc:
            fail("explain --json lacks %r" % key)
    if not doc["matches"] or not all({"rule", "field", "start", "end", "text", "values"} <= set(m) for m in doc["matches"]):
        fail("explain --json matches lack rule/field/start/end/text/values")
    if not all(l.get("reason") in ("overlap", "claimed", "not_chosen") for l in doc["lost"]):
        fail("explain --json lost entries need a reason")


def explain_remnants(evx, root):
    # A text input with markup left in it: explain reads it as extract does
    # (references decoded, tags dropped), so both give the same record.
    import tempfile
    text = ("<h1>Pubquiz p&aring; Caf&eacute;t</h1>\n<p><strong>Datum:</strong> onsdag 5 februari 2025"
            "<br>Tid: 19:00&ndash;22:00</p>\n<p>Plats: Kulturhuset Bryggan, Hamngatan 3, Kalmar</p>\n")
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "remnants.txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        rc, out, err = run([evx, "explain", "--json", path])
        if rc != 0:
            fail("explain exited %d" % rc, err)
        explained = json.loads(out)["record"]
        rc, out, err = run([evx, "extract", "-q", path])
        if rc != 0:
            fail("extract exited %d" % rc, err)
        extracted = json.loads(out)
    if explained["title"] != "Pubquiz på Cafét" or explained["title"] != extracted["title"]:
        fail("explain and extract should both read the cleaned text", "%r / %r" % (explained["title"], extracted["title"]))
    if explained["occurrences"] != extracted["occurrences"] or not extracted["occurrences"]:
        fail("explain and extract differ on the occurrences", json.dumps([explained["occurrences"], extracted["occurrences"]]))


def coverage(evx, root):
    rc, out, err = run([evx, "rules", "coverage", os.path.join(root, "corpus")])
    if rc != 0:
        fail("coverage exited %d" % rc, err)
    lines = out.splitlines()
    if not lines or not lines[0].startswith("coverage: "):
        fail("coverage should start with a summary line", out)
    if "never fired:" not in lines:
        fail("coverage lacks the 'never fired:' section", out)
    if "dates/date.dmy (date)" not in out:
        fail("coverage should list dates/date.dmy as fired", out)


CHECKS = {"lint-broken": lint_broken, "lint-shipped": lint_shipped, "extract-broken": extract_broken,
          "explain": explain, "explain-json": explain_json, "explain-remnants": explain_remnants,
          "coverage": coverage}

if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[3] not in CHECKS:
        sys.exit(__doc__)
    CHECKS[sys.argv[3]](os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2]))
