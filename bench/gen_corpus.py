#!/usr/bin/env python3
"""Builds the deterministic benchmark corpus for bench/run.

Only the announcements in this repository are used: corpus/*.txt and
tests/cases/*.txt. Each generated document is one of them, lightly varied by a
seeded random generator so that the corpus is not the same few pages over and
over: dates (day, month, year), person names, white space (double spaces,
trailing blanks, extra blank lines, indentation) and line endings (LF or
CRLF). The same seed and document count always give the same bytes.

    gen_corpus.py --root REPO --out DIR [--docs N] [--seed S]

writes DIR/NN/NNNNNN.txt (1,000 documents per folder) and DIR/files.lst
(every path, in the sorted order `evx extract DIR` reads them) and prints a
JSON summary (documents, bytes).
"""
import argparse
import json
import os
import random
import re
import sys

MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli",
          "augusti", "september", "oktober", "november", "december"]
MONTH_RE = re.compile(r"\b([0-3]?[0-9])(\s+)(" + "|".join(MONTHS) + r")\b", re.I)
YEAR_RE = re.compile(r"\b(20[12][0-9])\b")
FIRST = ["Anna", "Eva", "Maria", "Karin", "Sara", "Lena", "Emma", "Ingrid",
         "Johanna", "Elin", "Erik", "Lars", "Karl", "Anders", "Johan", "Per",
         "Nils", "Mikael", "Fredrik", "Henrik", "Oskar", "Jonas", "Hanna",
         "Ulrika", "Sofia", "Magnus", "Mats", "Peter", "Stefan", "Linnea"]
LAST = ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson",
        "Larsson", "Olsson", "Persson", "Svensson", "Gustafsson",
        "Pettersson", "Jonsson", "Lindberg", "Holm", "Berg", "Lindqvist",
        "Sandberg", "Ek", "Forsberg", "Nyström", "Lundgren", "Wallin"]
NAME_RE = re.compile(r"\b(" + "|".join(FIRST) + r")\b|\b(" + "|".join(LAST) + r")\b")


def sources(root):
    out = []
    for sub in ("corpus", "tests/cases"):
        d = os.path.join(root, sub)
        for name in sorted(os.listdir(d)):
            if name.endswith(".txt"):
                with open(os.path.join(d, name), encoding="utf-8") as f:
                    out.append((sub, f.read()))
    if not out:
        sys.exit("gen_corpus: no announcements under corpus/ or tests/cases/")
    return out


def vary_dates(text, rnd):
    shift = rnd.choice([-2, -1, 0, 0, 1, 2, 3])
    month_shift = rnd.randrange(12)

    def month(m):
        day = min(28, max(1, int(m.group(1)) + rnd.choice([-3, -1, 0, 0, 2, 5])))
        name = MONTHS[(MONTHS.index(m.group(3).lower()) + month_shift) % 12]
        if m.group(3)[0].isupper():
            name = name.upper() if m.group(3).isupper() else name.capitalize()
        width = len(m.group(1))
        return f"{day:0{width}d}{m.group(2)}{name}"

    text = MONTH_RE.sub(month, text)
    return YEAR_RE.sub(lambda m: str(int(m.group(1)) + shift), text)


def vary_names(text, rnd):
    first = dict(zip(FIRST, rnd.sample(FIRST, len(FIRST))))
    last = dict(zip(LAST, rnd.sample(LAST, len(LAST))))
    return NAME_RE.sub(lambda m: first[m.group(1)] if m.group(1) else last[m.group(2)], text)


def vary_space(text, rnd):
    lines = text.split("\n")
    out = []
    for line in lines:
        r = rnd.random()
        if r < 0.05 and line:
            line = line + " " * rnd.randint(1, 3)
        elif r < 0.08 and line:
            line = "  " + line
        elif r < 0.12 and " " in line:
            i = line.index(" ")
            line = line[:i] + "  " + line[i + 1:]
        out.append(line)
        if rnd.random() < 0.04:
            out.append("")
    return "\n".join(out)


def make(doc, rnd):
    text = vary_space(vary_names(vary_dates(doc, rnd), rnd), rnd)
    if rnd.random() < 0.3:
        text = text.replace("\n", "\r\n")
    return text.encode("utf-8")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--docs", type=int, default=24000)
    ap.add_argument("--seed", type=int, default=20261123)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    src = sources(a.root)
    # The long pages of corpus/ are what analysts scrape; the short cases are
    # the odd page: 85% of the documents come from corpus/, 15% from the
    # cases, however many of each there are.
    ncorpus = sum(1 for sub, _ in src if sub == "corpus")
    ncases = len(src) - ncorpus
    weights = [0.85 / ncorpus if sub == "corpus" else 0.15 / ncases for sub, _ in src] \
        if ncorpus and ncases else [1.0] * len(src)
    total = 0
    paths = []
    for i in range(a.docs):
        _, doc = rnd.choices(src, weights)[0]
        data = make(doc, rnd)
        folder = os.path.join(a.out, f"{i // 1000:02d}")
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, f"{i:06d}.txt")
        with open(path, "wb") as f:
            f.write(data)
        paths.append(path)
        total += len(data)
    with open(os.path.join(a.out, "files.lst"), "w", encoding="utf-8") as f:
        f.write("\n".join(paths) + "\n")
    json.dump({"documents": a.docs, "bytes": total, "seed": a.seed}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
