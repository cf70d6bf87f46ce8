#!/usr/bin/python3
"""Check that every item's span points at its text in the original input.

Usage: check_spans.py RECORDS   (NDJSON file or folder of *.json, as for
validate_records.py). For each item with a span, the original bytes
[start:end) of the record's source are decoded and normalised the way evx's
normaliser does (src/normalize.h) and must equal the item's text. Exits 1 on
any mismatch or when no record was read.

For an HTML source (*.html, *.htm) the span must cover the original HTML
bytes whose visible text is the item's text: the bytes are decoded with the
page's charset (as src/html.c finds it), tags and comments dropped,
character references decoded, and the two compared without white space
(HTML collapses it; evx's lines come from the markup) and without the "•"
or "N. " evx writes for a list item. Where HTML5 parsing moves text (text
in a table but outside its cells goes before the table), an item joining
moved and unmoved text covers the bytes between them too and fails here.
"""
import html
import codecs
import re
import sys
import unicodedata

from validate_records import read_records

SINGLE = ("title_source", "deadline", "cost")
LISTS = ("occurrences", "venues", "speakers", "agenda", "contacts",
         "organizers", "related_events")

# Kept in step with src/normalize.h: these are the only rewrites it makes.
DROPPED = {"\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}
REPLACED = {"\u201c": '"', "\u201d": '"', "\u201e": '"',
            "\u2018": "'", "\u2019": "'", "\u2028": "\n", "\u2029": "\n"}


def _latin1_fallback(err):
    # ICU decodes the five bytes cp1252 leaves undefined as the C1 controls.
    bad = err.object[err.start:err.end]
    return "".join(chr(b) for b in bad), err.end


codecs.register_error("evx-c1", _latin1_fallback)


def normalise(s):
    s = unicodedata.normalize("NFC", s).replace("\r\n", "\n").replace("\r", "\n")
    out = []
    for ch in s:
        if ch in DROPPED:
            continue
        if ch in REPLACED:
            out.append(REPLACED[ch])
        elif (ch != " " and unicodedata.category(ch) == "Zs") or (ch < " " and ch not in "\n\t"):
            out.append(" ")  # as evx's normaliser: other spaces and control characters but the tab are a space
        else:
            out.append(ch)
    return "".join(out)


def items(record):
    for field in SINGLE:
        item = record.get(field)
        if isinstance(item, dict):
            yield field, None, item
    for field in LISTS:
        for i, item in enumerate(record.get(field) or []):
            if isinstance(item, dict):
                yield field, i, item


# The value each item's text must contain: a span points at the evidence.
# Platform names may be canonicalised ("Microsoft Teams" -> "Teams"), so the
# comparison is case-blind and on words.
VALUE_KEYS = {"venues": ("name",), "speakers": ("name",), "contacts": ("name", "email"),
              "organizers": ("name",), "agenda": ("start",)}


def squash(s):
    return " ".join(str(s).casefold().replace(".", ":").split())


def deobfuscate(s):
    # "namn [at] exempel [dot] se" is how pages hide the address evx reports.
    s = re.sub(r"\s*[\[(]\s*at\s*[\])]\s*", "@", s, flags=re.I)
    return re.sub(r"\s*[\[(]\s*dot\s*[\])]\s*", ".", s, flags=re.I)


def contains_value(field, item):
    text = squash(item.get("text", ""))
    for key in VALUE_KEYS.get(field, ()):
        value = item.get(key)
        if not isinstance(value, str) or not value:
            continue
        if key == "start":  # "09:00" may be written "9.00" or "kl 9", "18:00" "6.00 pm"
            h, m = value.split(":")
            hours = [int(h)] + ([int(h) - 12] if int(h) > 12 and re.search(r"\bp:?m\b", text) else [])
            found = False
            for hour in hours:
                pattern = r"(?<!\d)0?%d(?::%s)?(?!\d)" % (hour, m) if m == "00" else r"(?<!\d)0?%d:%s" % (hour, m)
                found = found or re.search(pattern, text) is not None
            if not found:
                return "%s %r" % (key, value)
        elif key == "email":
            if squash(value) not in squash(deobfuscate(item.get("text", ""))):
                return "%s %r" % (key, value)
        elif squash(value) not in text:
            return "%s %r" % (key, value)
    return None


HTML_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.I)
WHATWG_1252 = {"iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "l1", "us-ascii", "ascii", "cp1252",
               "windows-1252", "x-cp1252", "cp819", "ibm819"}


def page_charset(data):
    """The codec evx reads a page with: a BOM, else valid UTF-8, else the
    charset a <meta> in the first 1024 bytes declares (Latin-1 and ASCII
    labels meaning Windows-1252), else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    m = HTML_CHARSET.search(data[:1024])
    label = m.group(1).decode("ascii").lower() if m else "windows-1252"
    return "cp1252" if label in WHATWG_1252 else label


def html_visible(raw, charset):
    s = raw.decode(charset, errors="replace")
    s = re.sub(r"<!--.*?-->", "", s, flags=re.S)
    s = re.sub(r"<(script|style|noscript|template|select|svg|math|button|textarea|title)\b.*?</\1\s*>", " ", s,
               flags=re.S | re.I)  # what evx drops, where a span runs across it
    s = re.sub(r"</?[A-Za-z][^>]*>|<![^>]*>", " ", s)  # "<3" and "a < b" are text
    return normalise(html.unescape(s))


def squeeze(s):
    return re.sub(r"[\s•]+", "", s)


def check_record(record, report):
    """Returns (passed, failed) item counts; report(msg) prints a failure."""
    source = record.get("source")
    if not isinstance(source, str) or source == "-":
        report("%r: source cannot be opened to check spans" % (source,))
        return 0, 1
    try:
        with open(source, "rb") as f:
            data = f.read()
    except OSError as e:
        report("%s: %s" % (source, e))
        return 0, 1
    cp1252 = any("1252" in w for w in record.get("warnings") or [] if isinstance(w, str))
    charset = page_charset(data) if source.lower().endswith((".html", ".htm")) else None
    passed = failed = 0
    for field, index, item in items(record):
        if "span" not in item:
            continue
        where = "%s: %s%s" % (source, field, "" if index is None else "[%d]" % index)
        span = item["span"]
        if (not isinstance(span, list) or len(span) != 2
                or not all(isinstance(x, int) and not isinstance(x, bool) for x in span)
                or not 0 <= span[0] <= span[1] <= len(data)):
            report("%s: span %r is not within 0..%d" % (where, span, len(data)))
            failed += 1
            continue
        raw = data[span[0]:span[1]]
        if charset:
            found = html_visible(raw, charset)
            text = item.get("text", "")
            marker = re.match(r"\d+\. ", text)  # evx numbers the items of an <ol>
            same = squeeze(found) in (squeeze(text), squeeze(text[marker.end():]) if marker else None)
        else:
            found = raw.decode("cp1252", errors="evx-c1") if cp1252 else raw.decode("utf-8", errors="replace")
            found = normalise(found)
            same = found == item.get("text")
        missing = contains_value(field, item)
        if not same:
            report("%s: span %r: expected %r, found %r" % (where, span, item.get("text"), found))
            failed += 1
        elif missing:
            report("%s: text %r does not contain its %s" % (where, item.get("text"), missing))
            failed += 1
        else:
            passed += 1
    return passed, failed


def main(argv):
    if len(argv) != 2:
        print("usage: check_spans.py RECORDS", file=sys.stderr)
        return 2
    passed = failed = records = 0
    for label, record, error in read_records(argv[1]):
        records += 1
        if error is not None or not isinstance(record, dict):
            print("%s: not a JSON record: %s" % (label, error))
            failed += 1
            continue
        p, f = check_record(record, print)
        passed += p
        failed += f
    if records == 0:
        print("check_spans: no records read from %s" % argv[1])
    print("check_spans: %d passed, %d failed" % (passed, failed))
    return 1 if failed or records == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
