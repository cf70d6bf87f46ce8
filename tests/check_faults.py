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


_VALIDATORS = {}


def load_schema(name):
    if name in _VALIDATORS:
        return _VALIDATORS[name]
    import jsonschema
    with open(os.path.join(ROOT, "schema", name), encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    v = _VALIDATORS[name] = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    return v


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



GOOD = "Vårmöte i föreningen\n12 maj 2024 kl 10.00-12.00\nPlats: Stadshuset, Lund\n"


def warned(rec, err, needle):
    check(any(needle in w for w in rec["warnings"]), "record should warn %r" % needle, json.dumps(rec["warnings"]))
    check(summary(err)[3] == len(rec["warnings"]), "summary should count the warnings", err)


def case_utf8_invalid():
    """Mostly UTF-8 with stray bytes: a record; each damaged spot is U+FFFD; one warning."""
    rec, err = one_record(GOOD.encode().replace(b"Lund", b"Lu\xffnd \xe9"))
    warned(rec, err, "2 damaged sequence(s) replaced by U+FFFD")
    check(rec["title"] == "Vårmöte i föreningen", "the good characters stay", rec["title"])
    check([v["name"] for v in rec["venues"]] == ["Stadshuset, Lu\ufffdnd \ufffd"], "U+FFFD where the bad bytes were",
          json.dumps(rec["venues"]))


def case_utf8_truncated():
    """A file cut in the middle of its last character: a record, the cut character is U+FFFD."""
    data = GOOD.encode() + "Välkommen till Malmö".encode()[:-1]  # ends inside "ö"
    check(data[-1:] == b"\xc3", "test data must end mid-character")
    rec, err = one_record(data)
    warned(rec, err, "1 damaged sequence(s)")
    check(rec["occurrences"] and rec["occurrences"][0]["date"] == "2024-05-12", "dates still found")


def utf16(big_endian):
    name = "be.txt" if big_endian else "le.txt"
    data = (b"\xfe\xff" + GOOD.encode("utf-16-be")) if big_endian else (b"\xff\xfe" + GOOD.encode("utf-16-le"))
    rec, err = one_record(data, name=name)
    warned(rec, err, "UTF-16 (%s)" % ("big-endian" if big_endian else "little-endian"))
    check(rec["title"] == "Vårmöte i föreningen", "title decoded from UTF-16", rec["title"])
    occ = rec["occurrences"]
    check(occ and occ[0]["date"] == "2024-05-12" and occ[0]["start"] == "10:00", "date and time", json.dumps(occ))
    # spans are byte offsets into the UTF-16 input: "12 maj" starts after the
    # BOM and the 21 two-byte units of the first line
    span = rec["title_source"]["span"]
    check(span == [2, 2 + 2 * len("Vårmöte i föreningen")], "title span in UTF-16 bytes", str(span))
    bad = (b"\xfe\xff" if big_endian else b"\xff\xfe") + GOOD.encode("utf-16-be" if big_endian else "utf-16-le")[:-1]
    one_error(bad, "encoding", name="odd_" + name)


def case_utf16le():
    utf16(False)


def case_utf16be():
    utf16(True)


def case_cp1252():
    """Windows-1252: en dash, curly quotes and å ä ö decoded; a warning."""
    text = "Vårmöte i föreningen\n12 maj 2024 kl 10.00–12.00\n“Välkommen”\nPlats: Stadshuset, Lund\n"
    rec, err = one_record(text.encode("cp1252"))
    warned(rec, err, "decoded as Windows-1252")
    check(rec["title"] == "Vårmöte i föreningen", "title decoded", rec["title"])
    occ = rec["occurrences"]
    check(occ and occ[0]["start"] == "10:00" and occ[0]["end"] == "12:00", "the en-dash range is read", json.dumps(occ))


def case_latin1():
    """ISO-8859-1 (Latin-1) text: its letters are Windows-1252's."""
    rec, err = one_record("Höstmöte på Ängelholms bibliotek\n3 oktober 2024 kl 18.00\n".encode("latin-1"))
    warned(rec, err, "decoded as Windows-1252")
    check(rec["title"] == "Höstmöte på Ängelholms bibliotek", "title decoded", rec["title"])
    check(rec["occurrences"][0]["date"] == "2024-10-03", "date", json.dumps(rec["occurrences"]))


def case_too_large():
    """100 MB (sparse, made here) is over the default --max-size: too_large, at once, nothing read."""
    import time
    path = os.path.join(TMP, "big.txt")
    with open(path, "wb") as f:
        f.truncate(100 * 1024 * 1024)
    t = time.time()
    obj = one_error(path, "too_large")
    check(time.time() - t < 2, "too_large must not read the file")
    check("104857600 bytes" in obj["error"]["message"] and "--max-size" in obj["error"]["message"], "message",
          obj["error"]["message"])
    # standard input has no size to look at: reading stops past the limit
    p = subprocess.run([EVX, "extract", "--max-size", "1K", "-"], input=b"a" * 5000, capture_output=True)
    lines = p.stdout.decode().splitlines()
    check(p.returncode == 1 and len(lines) == 1 and json.loads(lines[0])["error"]["code"] == "too_large",
          "stdin over --max-size", p.stdout.decode() + p.stderr.decode())
    # the limit is the limit: a file of exactly --max-size bytes is read
    small = write("small.txt", GOOD)
    rc, lines, err = run(["--max-size", str(len(GOOD.encode())), small])
    check(rc == 0 and "error" not in lines[0], "a file of exactly --max-size is read", err)
    one_error(small, "too_large", args=["--max-size", str(len(GOOD.encode()) - 1)])


def case_long_line():
    """A single 10 MB line: over --max-line (default 64K) even when --max-size lets it in: line_too_long, fast."""
    import time
    data = ("Konferens 12 maj 2024 kl 10.00 i Lund. " * 270000)[:10 * 1000 * 1000].encode()
    t = time.time()
    obj = one_error(data, "line_too_long", args=["--max-size", "16M"])
    check(time.time() - t < 5, "line_too_long must be found before the rules run")
    check("line 1 is 10000000 bytes" in obj["error"]["message"], "message names the line", obj["error"]["message"])
    one_error(os.path.join(TMP, "in.txt"), "too_large")  # the default --max-size stops it first
    # a line just under the limit is processed
    line = ("Konferens 12 maj 2024 kl 10.00 i Lund. " * 200)[:4000]
    rec, err = one_record(line + "\n", name="ok.txt", args=["--max-line", "4000"])
    one_error(os.path.join(TMP, "ok.txt"), "line_too_long", args=["--max-line", "3999"])


def case_many_files():
    """100 000 tiny files in one folder: one record each, in sorted order, in reasonable time."""
    n = 100000
    # 100 000 files on a busy disk take minutes to make and remove; a tmpfs
    # with room (each file takes a 4 KiB page) takes seconds.
    base = TMP
    try:
        st = os.statvfs("/dev/shm")
        if st.f_bavail * st.f_frsize > (1 << 30) and os.access("/dev/shm", os.W_OK):
            base = tempfile.mkdtemp(prefix="evx-faults-", dir="/dev/shm")
    except OSError:
        pass
    try:
        many_files(base, n)
    finally:
        if base != TMP:
            import shutil
            shutil.rmtree(base, ignore_errors=True)


def many_files(base, n):
    import time
    folder = os.path.join(base, "many")
    os.mkdir(folder)
    for i in range(n):
        fd = os.open(os.path.join(folder, "%06d.txt" % i), os.O_WRONLY | os.O_CREAT, 0o644)
        os.write(fd, ("Möte %d\n" % i).encode())
        os.close(fd)
    t = time.time()
    p = subprocess.run([EVX, "extract", folder], capture_output=True, timeout=600)
    took = time.time() - t
    check(p.returncode == 0, "exit status %d" % p.returncode, p.stderr.decode()[-2000:])
    lines = p.stdout.splitlines()
    check(len(lines) == n, "%d lines for %d inputs" % (len(lines), n))
    for i in (0, 1, n // 2, n - 1):
        rec = json.loads(lines[i])
        check(rec["source"] == os.path.join(folder, "%06d.txt" % i), "line %d out of order" % i, rec["source"])
    check(summary(p.stderr.decode())[:3] == (n, n, 0), "summary", p.stderr.decode()[-500:])
    print("many_files: %d inputs in %.1f s" % (n, took))


def as_nobody():
    """preexec_fn dropping root to nobody, or None when not root."""
    if os.geteuid() != 0:
        return None

    def drop():
        os.setgroups([])
        os.setgid(65534)
        os.setuid(65534)
    return drop


def case_unreadable():
    """chmod 000 file and folder: permission_denied for each, the rest processed.
    CI runs as root, which permissions do not stop: then evx runs as `nobody`
    (dropping root's privileges); only where that is impossible the case is
    skipped (exit 77)."""
    os.chmod(TMP, 0o755)
    good = write("good.txt", GOOD)
    locked = write("locked.txt", GOOD)
    os.chmod(locked, 0)
    folder = os.path.join(TMP, "sealed")
    write("sealed/inner.txt", GOOD)
    os.chmod(folder, 0)
    drop = as_nobody()
    cmd = [EVX, "extract", good, locked, folder]
    if drop:
        # nobody may not reach the build tree (a checkout under /root): run a
        # copy of evx, the rules and the schema from the test's folder
        import shutil
        shutil.copy2(EVX, os.path.join(TMP, "evx"))
        shutil.copytree(os.path.join(ROOT, "rules"), os.path.join(TMP, "rules"))
        shutil.copy2(os.path.join(ROOT, "schema", "evx-record.schema.json"), os.path.join(TMP, "record.json"))
        os.chmod(os.path.join(TMP, "evx"), 0o755)
        os.chmod(os.path.join(TMP, "record.json"), 0o644)
        for dirpath, dirs, files in os.walk(os.path.join(TMP, "rules")):
            os.chmod(dirpath, 0o755)
            for f in files:
                os.chmod(os.path.join(dirpath, f), 0o644)
        cmd = [os.path.join(TMP, "evx"), "extract", "--rules", os.path.join(TMP, "rules"), "--schema",
               os.path.join(TMP, "record.json"), good, locked, folder]
    try:
        p = subprocess.run(cmd, cwd=TMP, capture_output=True, preexec_fn=drop)
    except (PermissionError, subprocess.SubprocessError) as e:
        print("SKIP: cannot drop root privileges to test permissions: %s" % e)
        return SKIP
    os.chmod(folder, 0o755)
    err = p.stderr.decode()
    lines = [json.loads(l) for l in p.stdout.decode().splitlines()]
    check(p.returncode == 1, "exit status %d, expected 1" % p.returncode, err)
    check([l["source"] for l in lines] == [good, locked, folder], "one line per input, the folder included",
          json.dumps(lines))
    check("error" not in lines[0], "the readable file gives a record", json.dumps(lines[0]))
    for l in lines[1:]:
        validate(l)
        check(l["error"]["code"] == "permission_denied", "permission_denied expected", json.dumps(l))
    check(summary(err)[:3] == (3, 1, 2), "summary", err)


def case_vanishing_folder():
    """Files removed after evx listed their folder give not_found, and a folder removed before
    evx walks it gives not_found: nothing is lost silently. evx blocks opening a FIFO (the
    folder's first input, through a link) after listing; the test removes the rest, then feeds
    the FIFO."""
    fifo = os.path.join(TMP, "first.fifo")
    os.mkfifo(fifo)
    names = ["b.txt", "c.txt", "d.txt"]
    for n in names:
        write("gone/" + n, GOOD)
    write("later/e.txt", GOOD)
    os.symlink(fifo, os.path.join(TMP, "gone", "a.txt"))
    # -j 1: with more threads the folder's files may be read ahead, before they go
    p = subprocess.Popen([EVX, "extract", "-j", "1", os.path.join(TMP, "gone"), os.path.join(TMP, "later")], cwd=TMP,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    with open(fifo, "wb") as f:  # returns once evx opened it: the folder is listed
        import shutil
        for n in names:
            os.remove(os.path.join(TMP, "gone", n))
        shutil.rmtree(os.path.join(TMP, "later"))
        f.write(GOOD.encode())
    out, err = p.communicate(timeout=30)
    err = err.decode()
    lines = [json.loads(l) for l in out.decode().splitlines()]
    check(p.returncode == 1, "exit status %d" % p.returncode, err)
    check(len(lines) == 5 and "error" not in lines[0], "the FIFO's record and 4 more lines", json.dumps(lines))
    for n, l in zip(names + ["later"], lines[1:]):
        validate(l)
        want = os.path.join(TMP, "gone", n) if n != "later" else os.path.join(TMP, "later")
        check(l["source"] == want and l["error"]["code"] == "not_found", "not_found", json.dumps(l))
    # a folder given that is not there at all is not_found too
    one_error(os.path.join(TMP, "never"), "not_found")


def case_odd_names():
    """Spaces, non-ASCII, non-UTF-8 bytes, control characters and a leading dot in names."""
    os.makedirs(os.path.join(TMP, "in"))
    names = [b"m\xc3\xb6te i lund.txt", b"a  b.txt", b"caf\xe9.txt", b"tab\there.txt", b".hidden.txt",
             b"x.error.txt", b"-dash.txt"]
    for n in names:
        with open(os.path.join(TMP.encode(), b"in", n), "wb") as f:
            f.write(GOOD.encode())
    args = [os.path.join(TMP.encode(), b"in", n) for n in names]
    out = os.path.join(TMP, "out")
    p = subprocess.run([EVX.encode(), b"extract", b"-o", out.encode(), b"--"] + args, capture_output=True)
    check(p.returncode == 0, "exit status %d" % p.returncode, p.stderr.decode("utf-8", "replace"))
    got = sorted(os.listdir(out.encode()))
    want = sorted([b"m\xc3\xb6te i lund.json", b"a  b.json", b"caf\xe9.json", b"tab_here.json", b"_hidden.json",
                   b"x.error_.json", b"-dash.json"])
    check(got == want, "output names %s, expected %s" % (got, want))
    with open(os.path.join(out.encode(), b"caf\xe9.json"), encoding="utf-8") as f:
        rec = json.load(f)
    check(rec["source"].endswith("/in/caf\ufffd.txt"), "a non-UTF-8 name is shown with U+FFFD", rec["source"])
    validate(rec)
    # a folder walk skips hidden names but takes the rest, NDJSON sources as found
    p = subprocess.run([EVX, "extract", os.path.join(TMP, "in")], capture_output=True)
    srcs = [json.loads(l)["source"] for l in p.stdout.decode().splitlines()]
    check(p.returncode == 0 and len(srcs) == len(names) - 1, "walk: every name but the hidden one", str(srcs))
    check(any(s.endswith("/möte i lund.txt") for s in srcs), "non-ASCII name kept", str(srcs))


def case_symlink_loop():
    """Symbolic links that loop: symlink_loop; dangling: not_found; a link to a parent folder is not followed."""
    d = os.path.join(TMP, "links")
    os.makedirs(os.path.join(d, "sub"))
    write("links/real.txt", GOOD)
    os.symlink("self.txt", os.path.join(d, "self.txt"))
    os.symlink("pong.txt", os.path.join(d, "ping.txt"))
    os.symlink("ping.txt", os.path.join(d, "pong.txt"))
    os.symlink("nowhere.txt", os.path.join(d, "dangling.txt"))
    os.symlink("real.txt", os.path.join(d, "alias.txt"))
    os.symlink("..", os.path.join(d, "sub", "up"))  # a folder loop
    rc, lines, err = run([d], timeout=20)
    got = {os.path.basename(l["source"]): (l["error"]["code"] if "error" in l else "record") for l in lines}
    want = {"alias.txt": "record", "dangling.txt": "not_found", "ping.txt": "symlink_loop",
            "pong.txt": "symlink_loop", "real.txt": "record", "self.txt": "symlink_loop"}
    check(got == want, "got %s, expected %s" % (got, want), err)
    check(rc == 1 and len(lines) == 6, "exit 1, each file once (the folder link not followed)", err)
    for l in lines:
        validate(l)


def case_deep_folders():
    """Folders nested deeper than 64 levels are reported (read_failed), not silently skipped."""
    d = os.path.join(TMP, "top")
    path = d
    for i in range(66):
        path = os.path.join(path, "d")
    os.makedirs(path)
    write(os.path.join(path, "deep.txt"), GOOD)
    write("top/shallow.txt", GOOD)
    rc, lines, err = run([d])
    check(rc == 1 and len(lines) == 2, "exit 1, two lines", err)
    check(lines[0]["source"].endswith("/d" * 65) and lines[0]["error"]["code"] == "read_failed"
          and "64 levels" in lines[0]["error"]["message"], "the too-deep folder is an error", json.dumps(lines[0]))
    check("error" not in lines[1] and lines[1]["source"].endswith("shallow.txt"), "the shallow file is read")


def case_stdout_full():
    """Standard output that cannot be written (/dev/full): evx says so, stops, exits 1."""
    good = write("good.txt", GOOD)
    with open("/dev/full", "wb") as full:
        p = subprocess.run([EVX, "extract", good, good], stdout=full, stderr=subprocess.PIPE)
    err = p.stderr.decode()
    check(p.returncode == 1, "exit status %d, expected 1" % p.returncode, err)
    check("standard output: write error: No space left on device" in err, "the write error is reported", err)


def case_match_limit():
    """A catastrophically backtracking rule ((a+)+$) on a crafted input stops at the match limit
    within a second, with an error naming the rule and the input; other inputs are unaffected."""
    import time
    rules = os.path.join(ROOT, "tests", "rules_backtrack")
    evil = write("evil.txt", "Rubrik\n" + "a" * 40 + "b\n")
    good = write("good.txt", GOOD)
    t = time.time()
    rc, lines, err = run(["--rules", rules, evil, good], timeout=20)
    took = time.time() - t
    check(took < 2, "took %.1f s; the match limit must stop the rule quickly" % took)
    check(rc == 1 and len(lines) == 2, "exit 1 and two lines", err)
    validate(lines[0])
    e = lines[0]["error"]
    check(e["code"] == "match_limit" and lines[0]["source"] == evil, "match_limit for the crafted input",
          json.dumps(lines[0]))
    check("evil/nested_plus" in e["message"] and "evil.rules:5" in e["message"] and "--match-limit" in e["message"],
          "message names the rule, its place and the option", e["message"])
    check("evx: %s: rule 'evil/nested_plus'" % evil in err, "standard error names the input and the rule", err)
    check("error" not in lines[1], "the next input still gives a record")


def case_heap_depth_limit():
    """--heap-limit and --depth-limit: a rule that needs backtracking memory fails that input
    with heap_limit / depth_limit (depth: PCRE2 interpreter, $EVX_NO_JIT), and passes under the defaults."""
    rules = os.path.join(ROOT, "tests", "rules_backtrack")
    deep = write("deep.txt", "Rubrik\n" + "xy" * 1000 + "w\nz\n")
    rec, _ = one_record(deep, args=["--rules", rules])
    obj = one_error(deep, "heap_limit", args=["--rules", rules, "--heap-limit", "32"])
    check("evil/deep" in obj["error"]["message"] and "--heap-limit" in obj["error"]["message"], "message",
          obj["error"]["message"])
    env = dict(os.environ, EVX_NO_JIT="1")
    for args, code in ((["--depth-limit", "100"], "depth_limit"), (["--heap-limit", "32"], "heap_limit")):
        rc, lines, err = run(["--rules", rules] + args + [deep], env=env)
        check(rc == 1 and lines[0]["error"]["code"] == code, "interpreter: %s expected" % code, json.dumps(lines))
    rc, lines, err = run(["--rules", rules, deep], env=env)
    check(rc == 0 and "error" not in lines[0], "interpreter, default limits: a record", err)


def case_write_failed():
    """An output that cannot be written (its name is taken by a folder): write_failed for that
    input, in DIR/<stem>.error.json; the other inputs are written."""
    out = os.path.join(TMP, "out")
    os.makedirs(os.path.join(out, "blocked.json"))
    a = write("blocked.txt", GOOD)
    b = write("fine.txt", GOOD)
    rc, _, err = run(["-o", out, a, b])
    check(rc == 1, "exit status %d" % rc, err)
    check(sorted(os.listdir(out)) == ["blocked.error.json", "blocked.json", "fine.json"], str(os.listdir(out)))
    with open(os.path.join(out, "blocked.error.json"), encoding="utf-8") as f:
        obj = json.load(f)
    validate(obj)
    check(obj["error"]["code"] == "write_failed" and obj["source"] == a, "write_failed", json.dumps(obj))
    check("[write_failed]" in err and summary(err)[:3] == (2, 1, 1), "reported and counted", err)
    p = subprocess.run([EVX, "extract", "-o", a, b], capture_output=True)
    check(p.returncode == 2, "-o naming a file is a usage error (exit 2)")


def json_files_complete(out):
    """Every *.json in out parses and validates; no temporary looks like output."""
    names = os.listdir(out)
    for n in names:
        if n.endswith(".json"):
            check(not n.startswith("."), "a hidden .json file: %s" % n)
            with open(os.path.join(out, n), encoding="utf-8") as f:
                try:
                    obj = json.load(f)
                except ValueError as e:
                    fail("%s is not complete JSON: %s" % (n, e))
            validate(obj)
        else:
            check(n.startswith(".") and ".tmp." in n, "unexpected file in the output folder: %s" % n)
    return sorted(n for n in names if n.endswith(".json"))


def batch(n, folder="in"):
    for i in range(n):
        write("%s/%04d.txt" % (folder, i), GOOD.replace("Lund", "Lund %d" % i))
    return os.path.join(TMP, folder)


def signal_case(sig, status):
    """SIGTERM / SIGINT while evx waits for an input (a FIFO no one writes): the inputs before
    it are complete files, the rest are not started, the summary says so, exit 128+signal.
    With one thread and with several (the signal may reach any of them)."""
    src = batch(2)
    later = write("later.txt", GOOD)
    fifo = os.path.join(TMP, "fifo.txt")  # a folder walk skips FIFOs: it is named
    os.mkfifo(fifo)
    for jobs in ("1", "3"):
        signal_run(sig, status, jobs, src, fifo, later)


def signal_run(sig, status, jobs, src, fifo, later):
    import signal
    import time
    out = os.path.join(TMP, "out" + jobs)
    p = subprocess.Popen([EVX, "extract", "-j", jobs, "-o", out, src, fifo, later], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    deadline = time.time() + 20
    while time.time() < deadline and not os.path.exists(os.path.join(out, "0001.json")):
        time.sleep(0.02)
    time.sleep(0.3)  # evx is now waiting for the FIFO
    p.send_signal(sig)
    _, err = p.communicate(timeout=20)
    err = err.decode()
    check(p.returncode == status, "-j %s: exit status %d, expected %d" % (jobs, p.returncode, status), err)
    check(json_files_complete(out) == ["0000.json", "0001.json"], "the two inputs before the FIFO are written",
          str(os.listdir(out)))
    check(not [n for n in os.listdir(out) if n.startswith(".")], "no temporary left", str(os.listdir(out)))
    m = summary(err)
    check(m[:3] == (2, 2, 0), "summary counts the two inputs done", err)
    name = "SIGTERM" if sig == signal.SIGTERM else "SIGINT"
    check("interrupted by %s, 2 input(s) not started" % name in m[4], "summary says what was not done", err)


def case_sigterm():
    import signal
    signal_case(signal.SIGTERM, 143)


def case_sigint():
    import signal
    signal_case(signal.SIGINT, 130)


def case_sigkill():
    """SIGKILL mid-batch: every .json present is complete and valid; temporaries are hidden
    (.<name>.tmp.<pid>), removed by the next run, and --resume does only what is missing."""
    import signal
    import time
    n = 200
    src = batch(n)
    out = os.path.join(TMP, "out")
    os.makedirs(out)
    # temporaries of a dead run and of a live process
    dead = subprocess.Popen(["true"])
    dead.wait()
    write("out/.0000.json.tmp.%d" % dead.pid, "{\"half")
    write("out/.other.json.tmp.%d" % os.getpid(), "{\"half")
    p = subprocess.Popen([EVX, "extract", "-o", out, src], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 30
    while time.time() < deadline and len(os.listdir(out)) < 10:
        time.sleep(0.005)
    p.send_signal(signal.SIGKILL)
    p.wait()
    done = json_files_complete(out)
    check(0 < len(done) < n, "the kill came mid-batch (%d of %d written); machine too fast or slow?" % (len(done), n))
    check(not os.path.exists(os.path.join(out, ".0000.json.tmp.%d" % dead.pid)), "a dead run's temporary is removed")
    rc, _, err = run(["-o", out, "--resume", src], timeout=120)
    check(rc == 0, "resume run: exit %d" % rc, err)
    m = summary(err)
    skipped = re.search(r", (\d+) skipped", m[4])
    check(skipped and int(skipped.group(1)) >= len(done) - 1, "--resume skips what was complete", err)
    check(m[0] == n and m[1] + int(skipped.group(1)) == n, "every input accounted for", err)
    names = json_files_complete(out)
    check(len(names) == n, "all %d outputs present after --resume, got %d" % (n, len(names)))
    left = [x for x in os.listdir(out) if x.startswith(".")]
    check(left == [".other.json.tmp.%d" % os.getpid()], "only a live process's temporary stays", str(left))


def case_resume():
    """--resume skips inputs whose output is newer than the input, redoes changed, failed and missing ones."""
    src = batch(3)
    bad = write("in/bad.txt", b"")
    out = os.path.join(TMP, "out")
    rc, _, err = run(["-o", out, src])
    check(rc == 1 and summary(err)[:3] == (4, 3, 1), "first run", err)
    past = os.stat(os.path.join(out, "0000.json")).st_mtime - 10
    os.utime(os.path.join(TMP, "in", "0000.txt"), (past, past))  # unchanged, older than its output
    os.utime(os.path.join(TMP, "in", "0002.txt"), (past, past))
    later = os.stat(os.path.join(out, "0001.json")).st_mtime + 10
    os.utime(os.path.join(TMP, "in", "0001.txt"), (later, later))  # edited after its output
    os.remove(os.path.join(out, "0002.json"))  # lost
    rc, _, err = run(["-o", out, "--resume", src])
    m = summary(err)
    check(m[:3] == (4, 2, 1) and ", 1 skipped" in m[4], "0000 skipped; 0001 (changed), 0002 (missing), bad redone",
          err)
    check(rc == 1 and "[empty]" in err, "the failed input is retried and fails again", err)
    write("in/bad.txt", GOOD)
    os.utime(os.path.join(TMP, "in", "0001.txt"), (past, past))
    rc, _, err = run(["-o", out, "--resume", src])
    check(rc == 0 and sorted(os.listdir(out)) == ["0000.json", "0001.json", "0002.json", "bad.json"],
          "the fixed input's error file is replaced by its record", str(os.listdir(out)) + err)
    check(", 3 skipped" in summary(err)[4], "the rest skipped", err)


def case_names_escape():
    """Output names derived from input names never leave -o DIR."""
    out = os.path.join(TMP, "deep", "out")
    os.makedirs(out)
    write("deep/evil.txt", GOOD)
    write("deep/..txt", GOOD)
    inputs = [os.path.join(TMP, "deep", "out", "..", "evil.txt"), "../evil.txt", os.path.join(TMP, "deep", "..txt"),
              "-"]
    p = subprocess.run([EVX, "extract", "-o", "out"] + inputs, cwd=os.path.join(TMP, "deep"), input=GOOD.encode(),
                       capture_output=True)
    check(p.returncode == 1, "exit 1 (../evil.txt is not there)", p.stderr.decode())
    # "../evil.txt" (missing) has the stem of the first input: evil~2
    check(sorted(os.listdir(out)) == ["_.json", "evil.json", "evil~2.error.json", "stdin.json"],
          "names inside out/: %s" % os.listdir(out), p.stderr.decode())
    outside = sorted(os.listdir(os.path.join(TMP, "deep")))
    check(outside == ["..txt", "evil.txt", "out"], "nothing written outside out/: %s" % outside)
    json_files_complete(out)


def case_same_stem():
    """Two inputs with the same name in different folders: <stem>.json and <stem>~2.json, in input order, stable."""
    a = write("a/x.txt", GOOD)
    b = write("b/x.txt", GOOD.replace("Lund", "Malmö"))
    c = write("c/x~2.txt", GOOD)
    out = os.path.join(TMP, "out")
    for _ in range(2):
        rc, _, err = run(["-o", out, os.path.join(TMP, "a"), os.path.join(TMP, "b"), os.path.join(TMP, "c")])
        check(rc == 0, "exit %d" % rc, err)
        check(sorted(os.listdir(out)) == ["x.json", "x~2.json", "x~2~2.json"], str(os.listdir(out)))
        srcs = {}
        for n in os.listdir(out):
            with open(os.path.join(out, n), encoding="utf-8") as f:
                srcs[n] = json.load(f)["source"]
        check(srcs == {"x.json": a, "x~2.json": b, "x~2~2.json": c}, "names follow the input order: %s" % srcs)


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
