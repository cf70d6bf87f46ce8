#!/usr/bin/env python3
"""`evx extract` JIT-compiles the rules only when its inputs hold 32 KB or
more (src/cli.c, jit_pays): below that PCRE2's interpreter is faster than
compiling. The records are the same either way; which engine ran shows in
--depth-limit, which only the interpreter counts.

- Every test announcement run alone (interpreter), all of them with the JIT
  forced (EVX_NO_JIT=0) and all of them with it off (EVX_NO_JIT=1) give the
  same lines, and so does the corpus.
- One small file with --depth-limit 5 fails with depth_limit (the
  interpreter ran), and gives its record with EVX_NO_JIT=0 (the JIT ran).
- The same file among 32 KB of inputs gives its record (the JIT ran), and
  with EVX_NO_JIT=1 fails again.

    check_jit_policy.py EVX ROOT
"""
import glob
import json
import os
import subprocess
import sys

evx, root = sys.argv[1:3]
failed = False


def check(ok, what):
    global failed
    if not ok:
        print("FAIL:", what)
        failed = True


def extract(args, no_jit=None):
    env = dict(os.environ)
    env.pop("EVX_NO_JIT", None)
    if no_jit is not None:
        env["EVX_NO_JIT"] = no_jit
    p = subprocess.run([evx, "extract", "-q"] + args, env=env, capture_output=True)
    return p.returncode, p.stdout


cases = sorted(glob.glob(os.path.join(root, "tests", "cases", "*.txt")))
corpus = sorted(glob.glob(os.path.join(root, "corpus", "*")))
check(len(cases) > 20 and corpus, "the test announcements and the corpus are there")

alone = b"".join(extract([c])[1] for c in cases)
for no_jit in ("0", "1"):
    check(extract(cases, no_jit)[1] == alone,
          "each announcement alone equals all of them with EVX_NO_JIT=%s" % no_jit)
check(extract(corpus, "0")[1] == extract(corpus, "1")[1] == extract(corpus)[1],
      "the corpus gives the same records with the JIT, without it and by choice")

small = os.path.join(root, "tests", "cases", "pipeline_01.txt")
check(os.path.getsize(small) < 4096, "pipeline_01.txt is small")


def first_error(out):
    first = json.loads(out.splitlines()[0])
    return first.get("error", {}).get("code")


rc, out = extract(["--depth-limit", "5", small])
check(rc == 1 and first_error(out) == "depth_limit", "alone, the interpreter runs: depth_limit (rc %d)" % rc)
rc, out = extract(["--depth-limit", "5", small], "0")
check(rc == 0 and first_error(out) is None, "EVX_NO_JIT=0: the JIT runs and ignores the depth limit")

# The small file first, then enough others to reach 32 KB.
batch, size = [small], os.path.getsize(small)
for path in (cases + corpus) * 4:
    if size >= 32 * 1024:
        break
    batch.append(path)
    size += os.path.getsize(path)
rc, out = extract(["--depth-limit", "5"] + batch)
check(rc == 0 and first_error(out) is None, "among 32 KB of inputs the JIT runs (rc %d)" % rc)
rc, out = extract(["--depth-limit", "5"] + batch, "1")
check(rc == 1 and first_error(out) == "depth_limit", "EVX_NO_JIT=1: the interpreter runs again")

sys.exit(1 if failed else 0)
