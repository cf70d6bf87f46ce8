#!/usr/bin/python3
"""Hostile input and faults (issue 6): every case asserts the exact outcome.

usage: check_faults.py EVX ROOT CASE      (ROOT is the source tree)
Each CASE is one ctest (tests/CMakeLists.txt). A case works in its own
temporary folder, generates what it needs there (nothing big is committed)
and checks: record or error code, exit status, the summary line, files
present and absent. Exit 0 on success, 1 with the reason otherwise, 77
(ctest SKIP_RETURN_CODE) only where documented below."""
import json
import os
import re
import subprocess
import sys
import tempfile

SKIP = 77
EVX = ROOT = TMP = None


def fail(msg, extra=""):
    print("FAIL:", msg)
    if extra:
        print(extra[:3000])
    sys.exit(1)


def check(cond, msg, extra=""):
    if not cond:
        fail(msg, extra)


def run(args, cwd=None, stdin=None, timeout=60, env=None):
    """Runs `evx extract ARGS`; returns (rc, stdout lines as JSON, stderr)."""
    p = subprocess.run([EVX, "extract"] + args, cwd=cwd or TMP, input=stdin, capture_output=True, timeout=timeout, env=env)
    out = p.stdout.decode("utf-8")
    lines = [json.loads(l) for l in out.splitlines()]
    return p.returncode, lines, p.stderr.decode("utf-8", "replace")


def write(name, data, folder=None):
    path = os.path.join(folder or TMP, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


SUMMARY = re.compile(r"^evx: (\d+) input\(s\), (\d+) record\(s\), (\d+) error\(s\), (\d+) warning\(s\)(.*)$", re.M)


def summary(err):
    m = SUMMARY.search(err)
    check(m, "no summary line on standard error", err)
    return tuple(int(m.group(i)) for i in range(1, 5)) + (m.group(5),)


def load_schema(name):
    import jsonschema
    with open(os.path.join(ROOT, "schema", name), encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def validate(obj):
    """Each output object is a valid record or a valid error object."""
    v = load_schema("evx-error.schema.json" if "error" in obj else "evx-record.schema.json")
    errors = list(v.iter_errors(obj))
    check(not errors, "output does not match its schema: %s" % (errors[0].message if errors else ""), json.dumps(obj))


def one_error(path_or_data, code, name="in.txt", args=(), exit_status=1):
    """One input; it must give the error `code` (NDJSON and -o both)."""
    path = write(name, path_or_data) if not isinstance(path_or_data, str) else path_or_data
    rc, lines, err = run(list(args) + [path])
    check(rc == exit_status, "exit status %d, expected %d" % (rc, exit_status), err)
    check(len(lines) == 1, "expected exactly one output line, got %d" % len(lines), err)
    obj = lines[0]
    validate(obj)
    check(obj.get("error", {}).get("code") == code, "expected error code %s, got %s" % (code, json.dumps(obj)), err)
    check(obj["source"] == path, "source should be the input as given")
    check(summary(err)[:4] == (1, 0, 1, 0), "summary should say 1 input, 0 records, 1 error", err)
    check("[%s]" % code in err, "standard error should name the code", err)
    return obj


def one_record(data, name="in.txt", args=()):
    path = write(name, data) if not isinstance(data, str) or not os.path.exists(data) else data
    rc, lines, err = run(list(args) + [path])
    check(rc == 0, "exit status %d, expected 0" % rc, err)
    check(len(lines) == 1 and "error" not in lines[0], "expected one record", json.dumps(lines))
    validate(lines[0])
    return lines[0], err


# ---------------------------------------------------------------- cases

def case_accounting():
    """Good, missing, empty and binary inputs: one line each, in input order."""
    good = write("good.txt", "Vårmöte 2024\n12 maj 2024 kl 10.00-12.00\nPlats: Stadshuset, Lund\n")
    empty = write("empty.txt", b"")
    binary = write("bin.txt", b"\x89PNG\r\n\x1a\n\0\0\0")
    args = [good, "missing.txt", empty, binary, good]
    rc, lines, err = run(args)
    check(rc == 1, "some inputs failed: exit status must be 1, got %d" % rc, err)
    check(len(lines) == 5, "5 inputs must give 5 lines, got %d" % len(lines), err)
    check([l["source"] for l in lines] == [good, "missing.txt", empty, binary, good], "lines not in input order")
    codes = [l["error"]["code"] if "error" in l else "record" for l in lines]
    check(codes == ["record", "not_found", "empty", "binary", "record"], "codes %s" % codes)
    for l in lines:
        validate(l)
    check(summary(err)[:4] == (5, 2, 3, 0), "summary counts wrong", err)
    rc, lines, err = run(["-q", good, "missing.txt"])
    check(rc == 1 and len(lines) == 2 and err == "", "-q prints nothing on standard error", err)
    rc, lines, err = run([good])
    check(rc == 0 and summary(err)[:4] == (1, 1, 0, 0), "all good: exit 0", err)


def case_exit_usage():
    """Usage and rule errors exit 2 and process nothing."""
    for args in (["extract"], ["extract", "--resume", "x.txt"], ["extract", "--max-size", "0", "x.txt"],
                 ["extract", "--match-limit", "lots", "x.txt"], ["extract", "--bogus", "x.txt"],
                 ["frobnicate"], ["extract", "--rules", os.path.join(ROOT, "tests", "rules_broken"), "x.txt"]):
        p = subprocess.run([EVX] + args, cwd=TMP, capture_output=True)
        check(p.returncode == 2, "%s: exit status %d, expected 2" % (args, p.returncode), p.stderr.decode())
        check(p.stdout == b"", "%s: nothing on standard output" % args)
    p = subprocess.run([EVX, "--help"], capture_output=True, text=True)
    for text in ("Exit status", "130", "143", "--max-size", "--match-limit", "--depth-limit", "--heap-limit",
                 "--max-line", "--resume", "not_found", "match_limit", "write_failed"):
        check(text in p.stdout, "--help should mention %s" % text)


def case_error_schema():
    """The error schema is valid, closed, and lists exactly the codes of src/error.h."""
    with open(os.path.join(ROOT, "src", "error.h"), encoding="utf-8") as f:
        header = re.findall(r"^\s*X\((\w+), ", f.read(), re.M)
    v = load_schema("evx-error.schema.json")
    enum = v.schema["properties"]["error"]["properties"]["code"]["enum"]
    check(enum == header, "schema codes %s differ from src/error.h %s" % (enum, header))
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    for code in header:
        check("`%s`" % code in readme, "README's error code table lacks %s" % code)
    check(not list(v.iter_errors({"source": "a", "error": {"code": "not_found", "message": "x"}})), "valid object")
    for bad in ({"source": "a"}, {"source": "a", "error": {"code": "nope", "message": "x"}},
                {"source": "a", "error": {"code": "empty", "message": "x"}, "extra": 1}):
        check(list(v.iter_errors(bad)), "schema should reject %s" % bad)


def case_outdir():
    """-o: DIR/<stem>.json or DIR/<stem>.error.json, exactly one of them, switching as the input changes."""
    out = os.path.join(TMP, "out")
    path = write("ev.txt", "Vårmöte 2024\n12 maj 2024 kl 10.00\n")
    rc, _, err = run(["-o", out, path])
    check(rc == 0 and sorted(os.listdir(out)) == ["ev.json"], "first run: ev.json only", err)
    write("ev.txt", b"")
    rc, _, err = run(["-o", out, path])
    check(rc == 1 and sorted(os.listdir(out)) == ["ev.error.json"], "input now empty: ev.error.json replaces ev.json",
          str(os.listdir(out)) + err)
    with open(os.path.join(out, "ev.error.json"), encoding="utf-8") as f:
        obj = json.load(f)
    validate(obj)
    check(obj["error"]["code"] == "empty" and obj["source"] == path, "error file content", json.dumps(obj))
    write("ev.txt", "Vårmöte 2024\n")
    rc, _, err = run(["-o", out, path])
    check(rc == 0 and sorted(os.listdir(out)) == ["ev.json"], "input fixed: ev.json replaces ev.error.json",
          str(os.listdir(out)))


def case_empty():
    obj = one_error(b"", "empty")
    check("0 bytes" in obj["error"]["message"], "message says 0 bytes")


def case_whitespace():
    """Only white space (also Unicode spaces and a BOM) is an `empty` error, not an all-null record."""
    obj = one_error(" \t\r\n\n   \n".encode() + "\u00a0\u2003\n".encode(), "empty")
    check("white space" in obj["error"]["message"], "message says white space")
    one_error(b"\xef\xbb\xbf", "empty", name="bom.txt")


def case_binary():
    data = bytes(range(256)) * 4
    obj = one_error(data, "binary")
    check("offset 0" in obj["error"]["message"], "message gives the NUL's offset", obj["error"]["message"])
    one_error(b"Rubrik\n12 maj 2024\n\0", "binary", name="late_nul.txt")


CASES = {name[5:]: fn for name, fn in globals().items() if name.startswith("case_")}


def main(argv):
    global EVX, ROOT, TMP
    if len(argv) != 4 or argv[3] not in CASES:
        print("usage: check_faults.py EVX ROOT CASE\ncases: " + " ".join(sorted(CASES)))
        return 2
    EVX, ROOT = os.path.abspath(argv[1]), os.path.abspath(argv[2])
    with tempfile.TemporaryDirectory(prefix="evx-faults-") as tmp:
        TMP = tmp
        rc = CASES[argv[3]]()
        # make a chmod 000 folder removable again
        for dirpath, dirs, _ in os.walk(tmp):
            for d in dirs:
                os.chmod(os.path.join(dirpath, d), 0o755)
    if rc == SKIP:
        return SKIP
    print("check_faults %s: ok" % argv[3])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
