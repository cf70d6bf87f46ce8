#!/usr/bin/env python3
"""Dense documents: resolving must stay (near) linear in the document.

Writes three ~1 MB announcements that are nothing but dates with times,
programme lines with speakers, and distinct places (and a short one of
text laid out in columns, words far apart), runs evx over each and
checks that a record comes out well within the time limit. A quadratic step
in resolve takes minutes on these; linear code takes about a second.
Usage: check_dense.py EVX
"""
import json
import os
import random
import subprocess
import sys
import tempfile
import time

LIMIT_S = 30  # generous: sanitizer builds and a loaded CI machine

MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli",
          "augusti", "september", "oktober", "november", "december"]
FIRST = ["Anna", "Erik", "Maria", "Johan", "Karin", "Lars", "Eva", "Per"]
LAST = ["Berg", "Lind", "Holm", "Ek", "Nord", "Sund", "Dahl", "Falk"]


def dates(rng):
    yield "Konsertserie 2024\n\n"
    for _ in range(12000):
        yield (f"Tisdag {rng.randint(1, 28)} {rng.choice(MONTHS)} 2024 kl. "
               f"{rng.randint(8, 20)}.00–{rng.randint(8, 20)}.30 i Stadshuset, "
               f"Anna Berg föreläser\n")


def programme(rng):
    yield "Konferens 2024\n\nTorsdag 3 oktober 2024\n\nProgram\n"
    for i in range(14000):
        yield (f"{8 + i % 12:02d}.{i % 60:02d} Föredrag om ämne {i}, "
               f"{rng.choice(FIRST)} {rng.choice(LAST)}{i % 97}son, Myndighet {i % 50}\n")


def places(_rng):
    yield "Kurser 2024\n\n"
    for i in range(16000):
        yield f"Tisdag 3 maj 2024 kl 10.00 i Lokal{i}, Huset{i}, Staden{i}\n"


def columns(rng):
    """A PDF laid out in columns, copied as text: words far apart on a line,
    dates after long runs of spaces (a title rule once backtracked over each
    run until the match limit failed the whole document). Short, so that
    PCRE2's interpreter matches it (under 32 KB), whose match limit binds
    sooner than the JIT's."""
    yield "Medlemsblad\n" + " " * 67 + "Sida 3\n\n"
    for i in range(40):
        gap = " " * rng.choice([20, 36, 50, 67])
        yield (f"PRO Tallbacken{gap}Medlemsblad nr {i % 9 + 1} · 2022\n"
               f"{gap}VÅRFEST!\n{gap}Torsdag {rng.randint(1, 28)} {rng.choice(MONTHS)}\n"
               f"{gap}kl. 18.30–ca 21\n{gap}i Föreningslokalen\n"
               f"Äntligen kan vi träf-{gap}fas igen på riktigt!\n")


def main():
    evx = sys.argv[1]
    rng = random.Random(7)
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for make in (dates, programme, places, columns):
            path = os.path.join(tmp, make.__name__ + ".txt")
            with open(path, "w", encoding="utf-8") as f:
                f.writelines(make(rng))
            t0 = time.monotonic()
            out = subprocess.run([evx, "extract", "-q", "-j", "1", path],
                                 capture_output=True, timeout=LIMIT_S * 4)
            took = time.monotonic() - t0
            lines = out.stdout.decode().splitlines()
            ok = out.returncode == 0 and len(lines) == 1 and "error" not in json.loads(lines[0])
            ok = ok and took < LIMIT_S
            size = os.path.getsize(path) / 1e6
            print(f"{'ok  ' if ok else 'FAIL'} {make.__name__}: {size:.1f} MB in {took:.2f} s "
                  f"(exit {out.returncode})")
            failed += not ok
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
