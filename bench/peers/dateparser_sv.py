#!/usr/bin/python3
"""bench/peers/dateparser_sv.py - dateparser's Swedish search over benchmark files.

    dateparser_sv.py LISTFILE STEP

Reads every STEP-th path of LISTFILE (dateparser is too slow for the whole
corpus; bench/run extrapolates from this subset), runs
search_dates(text, languages=['sv']) with a fixed reference date, and writes
one NDJSON line per file to standard output. A JSON summary goes to stderr;
its `seconds` counts parsing only, not Python's start-up or the import.
"""
import datetime
import json
import sys
import time

from dateparser.search import search_dates


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        paths = [p for p in f.read().split("\n") if p]
    step = int(sys.argv[2])
    subset = paths[::step]
    settings = {"RELATIVE_BASE": datetime.datetime(2024, 1, 1, 12)}
    t0 = time.perf_counter()
    nbytes = found = 0
    out = sys.stdout
    for p in subset:
        with open(p, "rb") as f:
            data = f.read()
        nbytes += len(data)
        res = search_dates(data.decode("utf-8"), languages=["sv"], settings=settings) or []
        found += len(res)
        out.write(json.dumps({"source": p, "dates": [[t, d.isoformat()] for t, d in res]},
                             ensure_ascii=False) + "\n")
    secs = time.perf_counter() - t0
    json.dump({"documents": len(subset), "bytes": nbytes, "dates": found, "seconds": secs}, sys.stderr)
    sys.stderr.write("\n")


if __name__ == "__main__":
    main()
