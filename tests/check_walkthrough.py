#!/usr/bin/env python3
"""Runs the "Adding a rule" walkthrough of rules/README.md literally.

usage: check_walkthrough.py EVX ROOT
Copies ROOT/rules to a temporary folder, appends the ```rules walkthrough
block to labels.rules, writes the ```text walkthrough-sample block to
invitation.txt, then runs each line of the ```sh walkthrough-commands block
(with `evx` replaced by EVX) in that folder: lint must print nothing, the
rule test must pass, and the extracted record must carry the new rule."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile


def block(readme, tag):
    m = re.search(r"^```" + re.escape(tag) + r"\n(.*?)^```", readme, re.S | re.M)
    if not m:
        sys.exit("FAIL: rules/README.md has no ```%s block" % tag)
    return m.group(1)


def main():
    evx, root = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    with open(os.path.join(root, "rules", "README.md"), encoding="utf-8") as f:
        readme = f.read()
    rule, sample, commands = block(readme, "rules walkthrough"), block(readme, "text walkthrough-sample"), \
        block(readme, "sh walkthrough-commands")
    name = re.search(r"^rule (\S+)", rule, re.M).group(1)
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(os.path.join(root, "rules"), os.path.join(tmp, "rules"))
        with open(os.path.join(tmp, "rules", "labels.rules"), "a", encoding="utf-8") as f:
            f.write("\n" + rule)
        with open(os.path.join(tmp, "invitation.txt"), "w", encoding="utf-8") as f:
            f.write(sample)
        outputs = []
        for line in commands.splitlines():
            args = line.split()
            if not args:
                continue
            if args[0] == "evx":
                args[0] = evx
            p = subprocess.run(args, cwd=tmp, capture_output=True, text=True)
            outputs.append((line, p))
            if p.returncode != 0:
                sys.exit("FAIL: `%s` exited %d\n%s%s" % (line, p.returncode, p.stdout, p.stderr))
        (lint, lp), (test, tp), (extract, ep) = outputs
        if lp.stdout or lp.stderr:
            sys.exit("FAIL: `%s` should print nothing:\n%s%s" % (lint, lp.stdout, lp.stderr))
        if not re.search(r"rules test: 1 rules, \d+ passed, 0 failed", tp.stdout):
            sys.exit("FAIL: `%s`:\n%s" % (test, tp.stdout))
        rec = json.loads(ep.stdout)
        dl = rec.get("deadline") or {}
        if not dl.get("rule", "").endswith("/" + name) or dl.get("date") != "2026-04-28":
            sys.exit("FAIL: the record's deadline does not come from %s: %r" % (name, dl))
    print("walkthrough: ok")


if __name__ == "__main__":
    main()
