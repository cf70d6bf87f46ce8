"""evx extract --shard I/N: the shards of a folder are disjoint, together
are the whole (in input order once merged), and do not depend on where the
folder is mounted, what it is called, or the order files were created in.
usage: check_shard.py EVX"""
import json, os, subprocess, sys, tempfile

evx = os.path.abspath(sys.argv[1])
N = 4
# FNV-1a + splitmix64 of the relative path, mod 4, + 1 (src/shard.c)
PINNED = {"s0/sub0/event-000.txt": 3, "s1/sub1/event-001.txt": 4, "s2/sub0/event-002.txt": 1,
          "s0/sub1/event-003.txt": 4, "s1/sub0/event-004.txt": 1, "s2/sub1/event-005.txt": 1}


def fail(msg):
    sys.exit("check_shard: FAIL: " + msg)


def extract(args, cwd=None):
    r = subprocess.run([evx, "extract", "-q"] + args, capture_output=True, text=True, cwd=cwd)
    if r.returncode != 0:
        fail(f"evx extract {' '.join(args)}: exit {r.returncode}: {r.stderr}")
    return [json.loads(line)["source"] for line in r.stdout.splitlines()]


def make_tree(top, reverse=False):
    # short announcements: this is about the split, not the extraction
    files = [f"s{i % 3}/sub{i % 2}/event-{i:03d}.txt" for i in range(120)]
    for i, rel in reversed(list(enumerate(files))) if reverse else enumerate(files):
        os.makedirs(os.path.join(top, os.path.dirname(rel)), exist_ok=True)
        with open(os.path.join(top, rel), "w") as f:
            f.write(f"Seminarium nummer {i}\n\n{1 + i % 28} maj 2021 klockan 10.00\n")


def shards(path):
    """relative key -> shard, and the shards' sources in their order."""
    out, lists = {}, []
    for i in range(1, N + 1):
        got = extract(["--shard", f"{i}/{N}", path])
        lists.append(got)
        for s in got:
            rel = os.path.relpath(s, path)
            if rel in out:
                fail(f"{rel} in shards {out[rel]} and {i}")
            out[rel] = i
    return out, lists


with tempfile.TemporaryDirectory() as tmp:
    a = os.path.join(tmp, "mnt-a", "data")
    make_tree(a)
    whole = extract([a])
    if len(whole) != 120:
        fail(f"{len(whole)} records for 120 inputs")
    split, lists = shards(a)
    if sorted(os.path.join(a, k) for k in split) != sorted(whole):
        fail("the union of the shards is not the whole")
    for i, l in enumerate(lists, 1):
        if not 120 / N / 2 < len(l) < 120 / N * 2:
            fail(f"shard {i}/{N} has {len(l)} of 120 inputs")
        if l != [s for s in whole if s in set(l)]:
            fail(f"shard {i} is not in input order")
    if extract(["--shard", "1/1", a]) != whole:
        fail("--shard 1/1 is not the whole")
    # the same folder at another mount point, under another name
    b = os.path.join(tmp, "elsewhere", "mnt-b", "renamed")
    os.makedirs(os.path.dirname(b))
    os.rename(a, b)
    if shards(b)[0] != split:
        fail("the split changed when the folder moved / was renamed")
    # relative PATH from another working directory
    rel_split = {}
    for i in range(1, N + 1):
        for s in extract(["--shard", f"{i}/{N}", "renamed/"], cwd=os.path.dirname(b)):
            rel_split[os.path.relpath(s, "renamed")] = i
    if rel_split != split:
        fail("the split changed with a relative PATH")
    # the same files created in the opposite order
    c = os.path.join(tmp, "c")
    make_tree(c, reverse=True)
    if shards(c)[0] != split:
        fail("the split depends on file creation order")
    # pinned: the hash must never change (it would re-split every batch)
    pinned = {k: split[k] for k in PINNED}
    if pinned != PINNED:
        fail(f"the hash changed: {pinned} != {PINNED}")
    for bad in ("0/4", "5/4", "1/0", "x", "1/", "/4", "2/4x", "-1/4"):
        r = subprocess.run([evx, "extract", "--shard", bad, c], capture_output=True, text=True)
        if r.returncode != 2 or "--shard" not in r.stderr:
            fail(f"--shard {bad}: exit {r.returncode}: {r.stderr[:200]}")
r = subprocess.run([evx, "rules", "coverage", "--shard", "1/2", "."], capture_output=True, text=True)
if r.returncode != 2 or "extract only" not in r.stderr:
    fail(f"--shard outside extract: exit {r.returncode}: {r.stderr[:200]}")
print("check_shard: ok")
