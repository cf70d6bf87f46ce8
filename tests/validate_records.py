#!/usr/bin/python3
"""Validate evx records against the record schema with an independent validator.

Usage: validate_records.py RECORDS SCHEMA
RECORDS is an NDJSON file (one record a line) or a folder of *.json files
(one record each). Exits 1 on any invalid record, or when no record was read,
so an extractor that prints nothing cannot pass.
"""
import json
import os
import sys

import jsonschema


def read_records(path):
    """Yields (label, record or None, error or None) in a stable order."""
    if os.path.isdir(path):
        for root, dirs, files in os.walk(path):
            dirs.sort()
            for name in sorted(files):
                if name.endswith(".json"):
                    full = os.path.join(root, name)
                    try:
                        with open(full, encoding="utf-8") as f:
                            yield full, json.load(f), None
                    except (OSError, ValueError) as e:
                        yield full, None, str(e)
        return
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            label = "%s:%d" % (path, n)
            try:
                yield label, json.loads(line), None
            except ValueError as e:
                yield label, None, str(e)


def pointer(parts):
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts) or "(root)"


def main(argv):
    if len(argv) != 3:
        print("usage: validate_records.py RECORDS SCHEMA", file=sys.stderr)
        return 2
    with open(argv[2], encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.FormatChecker())
    passed = failed = 0
    for label, record, error in read_records(argv[1]):
        if error is not None:
            print("%s: not JSON: %s" % (label, error))
            failed += 1
            continue
        if isinstance(record, dict) and isinstance(record.get("source"), str):
            label = "%s (%s)" % (record["source"], label)
        errors = sorted(validator.iter_errors(record), key=lambda e: list(map(str, e.absolute_path)))
        for e in errors:
            print("%s: %s: %s" % (label, pointer(e.absolute_path), e.message))
        if errors:
            failed += 1
        else:
            passed += 1
    if passed + failed == 0:
        print("validate_records: no records read from %s" % argv[1])
    print("validate_records: %d passed, %d failed" % (passed, failed))
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
