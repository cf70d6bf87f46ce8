#!/usr/bin/env python3
"""The literal prefilter, the line gates and the windows of src/extract.c only
skip work: every rule finds the same matches, and the records are byte for
byte those of running every rule over the whole of every text
(EVX_NO_PREFILTER=1).

Inputs: the corpus and the test announcements; 300 varied copies of them
(bench/gen_corpus.py: other dates and names, CRLF, extra blank lines and
spaces); and 300 pieces of them re-wrapped at random spaces (line breaks,
blank lines, trailing blanks, U+00A0 before a break, blank lines before and
after), so that matches of the rules that may cross a line break do cross
one, also at the ends of a text.

    check_prefilter.py EVX ROOT WORKDIR
"""
import os
import random
import re
import shutil
import subprocess
import sys

evx, root, work = sys.argv[1:4]
work = os.path.join(work, "prefilter")
shutil.rmtree(work, ignore_errors=True)
os.makedirs(os.path.join(work, "wrapped"))

subprocess.run([sys.executable, os.path.join(root, "bench", "gen_corpus.py"), "--root", root,
                "--out", os.path.join(work, "varied"), "--docs", "300", "--seed", "7"],
               check=True, stdout=subprocess.DEVNULL)

sys.path.insert(0, os.path.join(root, "bench"))
from gen_corpus import sources  # noqa: E402 (the same announcements the varied copies come from)

texts = [text for _, text in sources(root)]
rng = random.Random(11)
for i in range(300):
    piece = ""
    while len(piece.strip()) < 20:
        lines = rng.choice(texts).split("\n")
        a = rng.randrange(len(lines))
        piece = "\n".join(lines[a:a + rng.randrange(5, 60)])
    out = []
    for ch in piece:
        if ch == " " and rng.random() < 0.15:
            out.append(rng.choice(["\n", "\n\n", " \n", "\n  \n", "\u00a0\n"]))
        else:
            out.append(ch)
    text = "".join(out)
    if rng.random() < 0.3: # blank lines at the ends: windows meet the text's ends
        text = rng.choice(["\n", "\n\n", "  \n\t\n"]) + text + rng.choice(["\n\n", "\n \n"])
    if rng.random() < 0.3:
        text = text.replace("\n", "\r\n")
    with open(os.path.join(work, "wrapped", "%03d.txt" % i), "w", encoding="utf-8") as f:
        f.write(text)

inputs = [os.path.join(root, "corpus"), os.path.join(root, "tests", "cases"),
          os.path.join(work, "varied"), os.path.join(work, "wrapped")]
plain_env = dict(os.environ, EVX_NO_PREFILTER="1")


def run(args, env=None):
    return subprocess.run([evx] + args, env=env, check=True, capture_output=True).stdout


def per_rule(env=None):
    """Each rule's matches, the share of the text it searched and whether
    it looks only at the first lines of a text (`head N`: N, else 0)."""
    out = run(["bench-rules", "--per-rule"] + inputs, env).decode()
    return {m.group(4): (int(m.group(1)), float(m.group(2)), int(m.group(3) or 0))
            for m in re.finditer(r"^\s*[0-9.]+\s+[0-9.]+%\s+(\d+)\s+([0-9.]+)\s.*?(?:, first (\d+) lines)?\s+(\S+)$",
                                 out, re.M)}


failed = False
gated, plain = run(["extract", "-q", "-j1"] + inputs), run(["extract", "-q", "-j1"] + inputs, plain_env)
records = gated.count(b"\n")
if records < 640:
    print("only %d records" % records)
    failed = True
if gated != plain:
    print("records differ with and without the prefilter")
    failed = True
gated_rules, plain_rules = per_rule(), per_rule(plain_env)
counts = {name: c for name, (c, _, _) in gated_rules.items()}
plain_counts = {name: c for name, (c, _, _) in plain_rules.items()}
if len(counts) < 100 or sum(counts.values()) == 0:
    print("bench-rules --per-rule listed %d rules" % len(counts))
    failed = True
for name in sorted(set(counts) | set(plain_counts)):
    if counts.get(name) != plain_counts.get(name):
        print("rule %s: %s matches with the prefilter, %s without" % (name, counts.get(name), plain_counts.get(name)))
        failed = True
# "searched": without the prefilter each rule searches every text once,
# or its first lines (`head`), one share per head size ("first 24 lines",
# "first 5 lines"); with it, never more (its lines and windows do not
# overlap), and far less in all (else the prefilter, or the column, is
# broken).
head_shares = {}
for name, (_, share, head) in plain_rules.items():
    if head:
        head_shares.setdefault(head, set()).add(share)
    elif share != 1.0:
        print("rule %s searched %.2f of the text without the prefilter, not 1.00" % (name, share))
        failed = True
if not head_shares or any(len(v) != 1 or not 0 < min(v) < 1 for v in head_shares.values()):
    print("the rules with a head searched %s of the text without the prefilter" % sorted(head_shares.items()))
    failed = True
for name, (_, share, _) in gated_rules.items():
    if share > (1.0 if not plain_rules[name][2] else plain_rules[name][1]):
        print("rule %s searched %.2f of the text with the prefilter, more than without" % (name, share))
        failed = True
mean = sum(s for _, s, _ in gated_rules.values()) / max(1, len(gated_rules))
if mean > 0.6:
    print("the rules searched %.2f of the text on average with the prefilter" % mean)
    failed = True
if failed:
    sys.exit(1)
print("prefilter: %d records and the matches of %d rules identical with and without; the rules searched %.2f of the text on average" % (records, len(counts), mean))
