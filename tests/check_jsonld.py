#!/usr/bin/env python3
"""`evx extract --format jsonld` against tests/jsonld-event.schema.json and
against the records it came from.

Usage: check_jsonld.py EVX SCHEMA PATH...
Runs evx twice over the same inputs (NDJSON records, then JSON-LD documents,
one per line, in the same order), validates every document with
python3-jsonschema (draft 2020-12) and checks that it says what the record
says: one Event per occurrence, name = title, startDate/endDate = the
occurrence's date-times, eventStatus = status, attendance mode = mode,
performers = speakers, organizers, cost, and one subEvent per agenda slot of
that day. Fails on zero documents.
"""
import json
import subprocess
import sys

import jsonschema

SO = "https://schema.org/"
MODE = {"onsite": "OfflineEventAttendanceMode", "online": "OnlineEventAttendanceMode",
        "hybrid": "MixedEventAttendanceMode"}
STATUS = {"scheduled": "EventScheduled", "cancelled": "EventCancelled", "postponed": "EventPostponed"}


def run(evx, args):
    out = subprocess.run([evx, "extract", "-q"] + args, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit("check_jsonld: evx %s failed:\n%s" % (" ".join(args), out.stderr))
    return [json.loads(line) for line in out.stdout.splitlines()]


def expect(problems, where, what, got, want):
    if got != want:
        problems.append("%s: %s is %r, expected %r" % (where, what, got, want))


def check_event(ev, rec, occ, where, problems):
    expect(problems, where, "name", ev.get("name"), rec["title"])
    if occ:
        expect(problems, where, "startDate", ev.get("startDate"), occ["start_datetime"] or occ["date"])
        expect(problems, where, "endDate", ev.get("endDate"), occ["end_datetime"])
    else:
        expect(problems, where, "startDate", ev.get("startDate"), None)
    expect(problems, where, "eventStatus", ev["eventStatus"], SO + STATUS[rec["status"]])
    mode = ev.get("eventAttendanceMode")
    expect(problems, where, "eventAttendanceMode", mode, SO + MODE[rec["mode"]] if rec["mode"] else None)
    places = [l["name"] for l in ev.get("location", [])]
    if rec["venues"]:
        expect(problems, where, "location", places, [v["name"] for v in rec["venues"]])
        virtual = [l["@type"] == "VirtualLocation" for l in ev["location"]]
        expect(problems, where, "virtual locations", virtual, [v["online"] for v in rec["venues"]])
    performers = ev.get("performer", [])
    expect(problems, where, "performers", [p["name"] for p in performers], [s["name"] for s in rec["speakers"]])
    for p, s in zip(performers, rec["speakers"]):
        expect(problems, where, "affiliation", p.get("affiliation", {}).get("name"), s["organization"])
    expect(problems, where, "organizers", [o["name"] for o in ev.get("organizer", [])],
           [o["name"] for o in rec["organizers"]])
    cost = rec["cost"] or {}
    expect(problems, where, "isAccessibleForFree", ev.get("isAccessibleForFree"), cost.get("free"))
    if cost.get("amount") is not None:
        expect(problems, where, "offers.price", ev["offers"]["price"], cost["amount"])
    date = occ["date"] if occ else None
    slots = [a for a in rec["agenda"] if a["date"] in (None, date)]
    subs = ev.get("subEvent", [])
    expect(problems, where, "subEvent names", [s["name"] for s in subs], [a["title"] for a in slots])
    for s, a in zip(subs, slots):
        expect(problems, where, "subEvent start", (s.get("startDate") or "")[11:16], a["start"])


def main():
    evx, schema_path, paths = sys.argv[1], sys.argv[2], sys.argv[3:]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    records, docs = run(evx, paths), run(evx, ["--format", "jsonld"] + paths)
    if len(records) != len(docs) or not docs:
        sys.exit("check_jsonld: %d records but %d JSON-LD documents" % (len(records), len(docs)))
    problems = []
    events = 0
    for rec, doc in zip(records, docs):
        src = rec["source"]
        for err in validator.iter_errors(doc):
            problems.append("%s: %s: %s" % (src, "/".join(map(str, err.absolute_path)) or "(root)", err.message))
        evs = doc.get("@graph", [doc])
        occs = rec["occurrences"] or [None]
        expect(problems, src, "number of events", len(evs), len(occs))
        for i, (ev, occ) in enumerate(zip(evs, occs)):
            check_event(ev, rec, occ, "%s event %d" % (src, i), problems)
            events += 1
    for p in problems:
        print(p)
    print("check_jsonld: %d documents, %d events, %d problems" % (len(docs), events, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
