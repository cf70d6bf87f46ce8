#!/usr/bin/env python3
"""Runs evx over tests/cases and checks every record against NAME.expected.json.

An expected file uses the development set's gold format (title, occurrences,
deadline, venues, speakers, agenda, contacts, cost_free) plus the record's
status ("scheduled" when the expected file does not name one) and the same matching
rules as the scorer. A case passes when every field matches exactly: no item
missing, none extra. Usage: check_cases.py EVX CASEDIR

With --min-f1 F the cases are whole pages scored as the development set is
(per field true and false positives over all pages, the F1s averaged), and
the check passes when that mean is at least F: a floor under the accuracy
on realistic pages, where no rule set is exact.
Usage: check_cases.py --min-f1 F EVX CASEDIR

With --no-blank-lines the pages are first copied with their blank lines
removed, as scrapers that join a page's blocks with single line breaks
deliver them: paragraphs then no longer part footers, programmes and
contact blocks, and the floor says how much of the accuracy survives that.
Usage: check_cases.py --no-blank-lines --min-f1 F EVX CASEDIR
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata


def norm(s):
    s = unicodedata.normalize("NFC", str(s or "")).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", s).split())


def words(s):
    return set(norm(s).split())


def jaccard(a, b):
    a, b = words(a), words(b)
    return len(a & b) / len(a | b) if a | b else 1.0


def contains(a, b):
    a, b = words(a), words(b)
    return bool(a) and bool(b) and (a <= b or b <= a)


def hhmm(t):
    return t[:5] if t else None


def digits(s):
    return re.sub(r"\D", "", s or "")


def same_contact(g, p):
    if g.get("email") and p.get("email"):
        return norm(g["email"]) == norm(p["email"])
    if g.get("phone") and p.get("phone"):
        return digits(g["phone"]) == digits(p["phone"])
    return bool(g.get("name")) and norm(g.get("name")) == norm(p.get("name"))


SAME = {
    "title": lambda g, p: jaccard(g, p) >= 0.8 or (contains(g, p) and abs(len(words(g)) - len(words(p))) <= 3),
    "occurrences": lambda g, p: g == p,
    "deadline": lambda g, p: g == p,
    "venues": lambda g, p: contains(g.get("name"), p.get("name")),
    "speakers": lambda g, p: norm(g) == norm(p),
    "agenda": lambda g, p: g["start"] == p["start"] and g["end"] == p["end"] and jaccard(g["title"], p["title"]) >= 0.5,
    "contacts": same_contact,
    "cost_free": lambda g, p: g == p,
    "status": lambda g, p: g == p,
}


def views(rec, gold):
    occ = [{"date": o.get("date"), "start": hhmm(o.get("start")), "end": hhmm(o.get("end"))}
           for o in rec.get("occurrences") or []]
    dl = rec.get("deadline")
    if isinstance(dl, dict):
        dl = dl.get("date")
    if gold:
        free = rec.get("cost_free")
        speakers = rec.get("speakers") or []
    else:
        free = (rec.get("cost") or {}).get("free")
        speakers = [s["name"] for s in rec.get("speakers") or []]
    return {
        "title": [rec["title"]] if rec.get("title") else [],
        "occurrences": occ,
        "deadline": [dl] if dl else [],
        "venues": rec.get("venues") or [],
        "speakers": speakers,
        "agenda": [{"start": hhmm(a["start"]), "end": hhmm(a.get("end")), "title": a["title"]}
                   for a in rec.get("agenda") or []],
        "contacts": rec.get("contacts") or [],
        "cost_free": [free] if free is not None else [],
        # Schema 1.1.0: an expected file without "status" expects "scheduled".
        "status": [rec.get("status") or "scheduled"],
    }


def compare(gold, pred, same):
    left = list(pred)
    missing = []
    for g in gold:
        for i, p in enumerate(left):
            if same(g, p):
                del left[i]
                break
        else:
            missing.append(g)
    return missing, left


def without_blank_lines(casedir, tmp):
    """A copy of casedir in tmp with every .txt's blank lines removed."""
    for name in os.listdir(casedir):
        src, dst = os.path.join(casedir, name), os.path.join(tmp, name)
        if name.endswith(".txt"):
            with open(src, encoding="utf-8", newline="") as f:
                lines = f.read().split("\n")
            with open(dst, "w", encoding="utf-8", newline="") as f:
                f.write("\n".join(l for l in lines if l.strip()))
        elif name.endswith(".expected.json"):
            shutil.copyfile(src, dst)
    return tmp


def main():
    args = sys.argv[1:]
    min_f1 = None
    no_blank = False
    if args and args[0] == "--no-blank-lines":
        no_blank = True
        args = args[1:]
    if args and args[0] == "--min-f1":
        min_f1 = float(args[1])
        args = args[2:]
    evx, casedir = args[0], args[1]
    if no_blank:
        with tempfile.TemporaryDirectory() as tmp:
            return run(evx, without_blank_lines(casedir, tmp), min_f1)
    return run(evx, casedir, min_f1)


def run(evx, casedir, min_f1):
    out = subprocess.run([evx, "extract", casedir], capture_output=True, text=True)
    if out.returncode != 0:
        print(out.stderr)
        print("check_cases: 0 passed, 1 failed")
        return 1
    recs = {os.path.basename(r["source"])[:-4]: r for r in map(json.loads, out.stdout.splitlines())}
    passed = failed = unannotated = 0
    counts = {field: [0, 0, 0] for field in SAME if field != "status"}
    for name in sorted(recs):
        path = os.path.join(casedir, name + ".expected.json")
        if not os.path.exists(path):
            print("%s: no %s" % (name, path))
            failed += 1
            unannotated += 1
            continue
        with open(path, encoding="utf-8") as f:
            gv = views(json.load(f), True)
        pv = views(recs[name], False)
        bad = []
        for field, same in SAME.items():
            missing, extra = compare(gv[field], pv[field], same)
            if field in counts:
                c = counts[field]
                c[0] += len(gv[field]) - len(missing)
                c[1] += len(extra)
                c[2] += len(missing)
            for m in missing:
                bad.append("  %s: missing %s" % (field, json.dumps(m, ensure_ascii=False)))
            for e in extra:
                bad.append("  %s: extra %s" % (field, json.dumps(e, ensure_ascii=False)))
        if bad:
            failed += 1
            if min_f1 is None:
                print("FAIL %s" % name)
                print("\n".join(bad))
        else:
            passed += 1
    if min_f1 is not None:
        return report_f1(counts, min_f1, passed + failed - unannotated) or (1 if unannotated else 0)
    print("check_cases: %d passed, %d failed" % (passed, failed))
    return 1 if failed or not passed else 0


def report_f1(counts, min_f1, pages):
    f1s = []
    for field, (tp, fp, fn) in counts.items():
        prec = tp / (tp + fp) if tp + fp else 1.0
        rec = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        f1s.append(f1)
        print("%-12s tp %4d  fp %4d  fn %4d  f1 %.3f" % (field, tp, fp, fn, f1))
    mean = sum(f1s) / len(f1s)
    ok = pages > 0 and mean >= min_f1
    print("check_cases: mean F1 %.3f over %d pages, floor %.3f: %s" % (mean, pages, min_f1, "ok" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
