#!/usr/bin/env python3
"""-j 1 and -j 2 give byte-identical output (ctest: extract_jobs).

usage: check_jobs.py EVX ROOT WORKDIR

Over corpus/, tests/cases/ and an input that fails (so error objects are
in the stream too): standard output and standard error must be the same
bytes for -j 1 and -j 2, and with -o the two folders must hold the same
files with the same bytes. The inputs are listed four times over so that
the worker threads overtake each other."""
import filecmp
import os
import shutil
import subprocess
import sys

evx, root, work = sys.argv[1], sys.argv[2], sys.argv[3]
inputs = [os.path.join(root, "corpus"), os.path.join(root, "tests", "cases"), os.path.join(work, "missing.txt")]
failures = 0


def run(args):
    return subprocess.run([evx, "extract", *args], capture_output=True)


def check(cond, what):
    global failures
    if not cond:
        failures += 1
        print(f"FAIL: {what}", file=sys.stderr)


a = run(["-j", "1", *inputs * 2])
b = run(["-j", "2", *inputs * 2])
c = run(["--jobs", "3", *inputs])
check(a.returncode == 1 and b.returncode == 1, f"exit status 1 for the missing input ({a.returncode}, {b.returncode})")
check(a.stdout.count(b"\n") >= 80, "records came out")
check(a.stdout == b.stdout, "-j 1 and -j 2 standard output differ")
check(a.stdout.startswith(c.stdout) and len(c.stdout) * 2 == len(a.stdout), "-j 1 and -j 3 standard output differ")
check(a.stderr == b.stderr, "-j 1 and -j 2 standard error differ")
check(b"missing.txt" in a.stdout, "the failed input's error object is in the stream")

dirs = []
for j in ("1", "2"):
    d = os.path.join(work, f"jobs_out_{j}")
    shutil.rmtree(d, ignore_errors=True)
    r = run(["-q", "-j", j, "-o", d, *inputs])
    check(r.returncode == 1, f"-o with -j {j}: exit status {r.returncode}")
    dirs.append(d)
names = [sorted(os.listdir(d)) for d in dirs]
check(names[0] == names[1] and len(names[0]) >= 20, "-o: the same files for -j 1 and -j 2")
match, mismatch, errors = filecmp.cmpfiles(dirs[0], dirs[1], names[0], shallow=False)
check(not mismatch and not errors, f"-o: files differ: {mismatch + errors}")

bad = run(["-j", "0", os.path.join(root, "corpus")])
check(bad.returncode == 2 and b"-j needs a number" in bad.stderr, "-j 0 is a usage error")
print("check_jobs: %s" % ("ok" if not failures else f"{failures} failure(s)"))
sys.exit(1 if failures else 0)
