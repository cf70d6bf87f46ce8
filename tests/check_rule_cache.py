#!/usr/bin/python3
"""check_rule_cache.py EVX ROOT - the rules' disk cache (src/rulecache.h)
never changes what evx does: with no cache, a cold one, a warm one, a
damaged one, one from other rules, or one it cannot write, `evx extract`
writes the same records and `evx rules lint` the same messages, and
EVX_CACHE=0 writes no cache."""
import os
import shutil
import subprocess
import sys
import tempfile

EVX, ROOT = sys.argv[1], sys.argv[2]
RULES = os.path.join(ROOT, "rules")
INPUTS = [os.path.join(ROOT, "tests", "cases"), os.path.join(ROOT, "corpus")]
failed = 0


def run(args, cache_dir=None, off=False):
    env = dict(os.environ)
    env.pop("EVX_CACHE", None)
    env.pop("EVX_CACHE_DIR", None)
    if off:
        env["EVX_CACHE"] = "0"
    if cache_dir is not None:
        env["EVX_CACHE_DIR"] = cache_dir
    p = subprocess.run([EVX, *args], capture_output=True, env=env)
    return p.returncode, p.stdout, p.stderr


def check(what, got, want):
    global failed
    if got != want:
        failed += 1
        print(f"FAIL: {what}: differs from the run without a cache "
              f"(exit {got[0]} vs {want[0]}; stderr {got[2][-300:]!r})")
    else:
        print(f"ok: {what}")


with tempfile.TemporaryDirectory() as tmp:
    cache = os.path.join(tmp, "cache")
    file = os.path.join(cache, "rules.cache")
    extract = ["extract", "-j", "1", "--rules", RULES, *INPUTS]
    want = run(extract, off=True)
    if want[0] != 0 or not want[1]:
        sys.exit(f"FAIL: evx extract without a cache: exit {want[0]}")

    check("cold cache", run(extract, cache), want)
    if not os.path.isfile(file):
        failed += 1
        print(f"FAIL: no cache written to {file}")
    size = os.path.getsize(file) if os.path.isfile(file) else 0
    check("warm cache", run(extract, cache), want)

    # A damaged file counts as empty (and is written again).
    with open(file, "rb") as f:
        good = f.read()
    damaged = {
        "truncated cache": good[: len(good) // 2],
        "one byte changed": good[: len(good) // 3] + bytes([good[len(good) // 3] ^ 0x5A]) + good[len(good) // 3 + 1:],
        "last byte changed": good[:-1] + bytes([good[-1] ^ 1]),
        "empty cache": b"",
        "garbage cache": os.urandom(4096),
        "header only": good[:40],
    }
    for what, data in damaged.items():
        with open(file, "wb") as f:
            f.write(data)
        check(what, run(extract, cache), want)
        if os.path.getsize(file) != size:
            failed += 1
            print(f"FAIL: {what}: the cache was not written again whole")

    # A directory where the file would be, a cache directory that cannot be
    # made: evx works on, silently.
    os.remove(file)
    os.mkdir(file)
    check("cache path is a directory", run(extract, cache), want)
    check("cache directory cannot be made", run(extract, os.path.join(tmp, "no", "such", "dir")), want)
    shutil.rmtree(file)

    # Other rules with the cache of these: the answers of the changed rule
    # are computed, not taken from the cache.
    run(extract, cache)
    other = os.path.join(tmp, "rules")
    shutil.copytree(RULES, other)
    path = os.path.join(other, "cost.rules")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    changed = text.replace("gratis", "gratisx")
    if changed == text:
        sys.exit("FAIL: cost.rules no longer says 'gratis': pick another word for this test")
    with open(path, "w", encoding="utf-8") as f:
        f.write(changed)
    other_extract = ["extract", "-j", "1", "--rules", other, *INPUTS]
    other_want = run(other_extract, off=True)
    if other_want[1] == want[1]:
        sys.exit("FAIL: the changed rule changes no record: the test proves nothing")
    check("changed rules, cache of the old ones", run(other_extract, cache), other_want)
    check("old rules again", run(extract, cache), want)

    # Rule errors: the same messages, with or without a cache.
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.replace("(?:barn|", "(?:barn(|", 1))
    lint = ["rules", "lint", "--rules", other]
    check("lint of a broken rule", run(lint, cache), run(lint, off=True))

    # EVX_CACHE=0 writes nothing.
    off_dir = os.path.join(tmp, "off")
    env = dict(os.environ, EVX_CACHE="0", EVX_CACHE_DIR=off_dir)
    subprocess.run([EVX, *extract], capture_output=True, env=env)
    if os.path.exists(off_dir):
        failed += 1
        print("FAIL: EVX_CACHE=0 still made the cache directory")
    else:
        print("ok: EVX_CACHE=0 writes no cache")

sys.exit(1 if failed else 0)
