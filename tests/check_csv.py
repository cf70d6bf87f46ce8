#!/usr/bin/env python3
"""`evx extract --format csv` read back with Python's csv module.

Usage: check_csv.py EVX PATH...
Runs evx over the inputs as NDJSON and as CSV, parses the CSV (RFC 4180:
CRLF rows, quoted fields), and checks: exactly one header row, first; one
row per occurrence (one for a record without dates); and every cell equal to
the record's value. Then the same with -o: one DIR/<stem>.csv per input, each
with its own header, and nothing on standard output (for every format).
Fails on zero rows.
"""
import csv
import io
import json
import os
import subprocess
import sys
import tempfile

HEADER = ["source", "title", "date", "start", "end", "venue", "city", "online", "deadline", "free",
          "speakers", "status"]


def run(evx, args):
    out = subprocess.run([evx, "extract", "-q"] + args, capture_output=True)
    if out.returncode != 0:
        sys.exit("check_csv: evx %s failed:\n%s" % (" ".join(args), out.stderr.decode()))
    return out.stdout.decode("utf-8")


def b(v):
    return "" if v is None else "true" if v else "false"


def expected_rows(rec):
    cost = rec["cost"] or {}
    online = "" if rec["mode"] is None else b(rec["mode"] != "onsite")
    rows = []
    for occ in rec["occurrences"] or [None]:
        occ = occ or {}
        rows.append([rec["source"], rec["title"] or "", occ.get("date") or "", occ.get("start") or "",
                     occ.get("end") or "", "; ".join(v["name"] for v in rec["venues"]), occ.get("city") or "",
                     online, (rec["deadline"] or {}).get("date") or "", b(cost.get("free")),
                     "; ".join(s["name"] for s in rec["speakers"]), rec["status"]])
    return rows


def parse(text, where, problems):
    if text and not text.endswith("\r\n"):
        problems.append("%s: rows must end with CRLF" % where)
    return list(csv.reader(io.StringIO(text, newline=""), strict=True))


def main():
    evx, paths = sys.argv[1], sys.argv[2:]
    records = [json.loads(l) for l in run(evx, paths).splitlines()]
    problems = []
    rows = parse(run(evx, ["--format", "csv"] + paths), "stdout", problems)
    if not rows or rows[0] != HEADER:
        problems.append("header is %r" % (rows[:1],))
    want = [r for rec in records for r in expected_rows(rec)]
    got = rows[1:]
    if len(got) != len(want):
        problems.append("%d rows, expected %d" % (len(got), len(want)))
    for g, w in zip(got, want):
        for col, gv, wv in zip(HEADER, g, w):
            if gv != wv:
                problems.append("%s: %s is %r, expected %r" % (w[0], col, gv, wv))
    with tempfile.TemporaryDirectory() as d:
        for fmt in ("csv", "json", "jsonld", "ics"):
            leaked = run(evx, ["--format", fmt, "-o", d] + paths)
            if leaked:
                problems.append("--format %s -o: standard output is not empty: %r" % (fmt, leaked[:80]))
        for rec in records:
            stem = os.path.splitext(os.path.basename(rec["source"]))[0]
            with open(os.path.join(d, stem + ".csv"), encoding="utf-8", newline="") as f:
                one = parse(f.read(), stem + ".csv", problems)
            if one != [HEADER] + expected_rows(rec):
                problems.append("%s.csv: differs from the stream's rows" % stem)
    for p in problems:
        print(p)
    print("check_csv: %d records, %d rows, %d problems" % (len(records), len(got), len(problems)))
    return 1 if problems or not got else 0


if __name__ == "__main__":
    sys.exit(main())
