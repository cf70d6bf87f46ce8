#!/usr/bin/env python3
"""HTML input: an announcement as a web page gives the record it gives as text.

Usage: check_html.py EVX TEXTDIR...

Every TEXTDIR/*.txt is wrapped in realistic page chrome (doctype, a head with
<meta charset>, title, styles and scripts, a skip link, a site header with a
nav menu, a cookie banner, a breadcrumb, an aside with other events, a
footer with an address and e-mail, noscript and template) around the text
as paragraphs with <br>, headings, bullet lists as <ul>, blocks with tabs
as tables, and character
references (&amp; &nbsp; &ndash; &auml; &#246; ...). The chrome holds dates,
times, an e-mail and a phone number on purpose: if any of it leaked into the
text, the record would change. Each page is written twice: UTF-8, and
ISO-8859-1 declared by <meta http-equiv> (characters outside Latin-1 as
numeric references). Checks, for every page:

- the record equals the text's record, apart from `source` and each item's
  `text` and `span` (those point into the page);
- the Latin-1 page has no warning (it was decoded as declared);
- every item's span covers the original HTML bytes whose visible text is the
  item's text (tests/check_spans.py, which reads HTML sources so: tags
  dropped, references decoded, compared without white space and without
  the "• " evx writes for <li>).

Fails on zero pages. Exit 0 when everything holds.
"""
import glob
import html
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_spans  # noqa: E402

BULLET = re.compile(r"^\s*[•\-*–·]\s+")

HEAD = """<!DOCTYPE html>
<html lang="sv">
<head>
{charset}
<title>{title} | Kommunen</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/css/site.css">
<style>
body {{ font-family: sans-serif; }}
.cookie-banner {{ position: fixed; bottom: 0; }} /* 12 maj 2021 kl. 10.00 */
</style>
<script src="/js/app.js"></script>
<script>var published = "Publicerad 1 januari 2019 kl. 09.00"; if (a < b && c > d) {{ track(); }}</script>
</head>
<body class="page event-page">
<a class="skip-link" href="#main">Hoppa till huvudinnehållet</a>
<header class="site-header">
  <div class="logo"><a href="/">Kommunen</a></div>
  <nav aria-label="Huvudmeny">
    <ul class="menu">
      <li><a href="/">Startsida</a></li>
      <li><a href="/kalender">Kalender</a></li>
      <li><a href="/evenemang">Evenemang 2024</a></li>
      <li><a href="/kontakt">Kontakt: 08-123 45 67</a></li>
    </ul>
  </nav>
</header>
<div id="cookie-consent" class="cookie-banner">
  <p>Vi använder kakor (cookies) för att webbplatsen ska fungera. Policyn uppdaterades 3 mars 2022.</p>
  <button type="button">Godkänn alla</button> <button type="button">Endast nödvändiga</button>
</div>
<div class="breadcrumb"><a href="/">Hem</a> &rsaquo; <a href="/kalender">Kalender</a> &rsaquo; Evenemang</div>
<main id="main">
<article class="event">
"""

TAIL = """</article>
</main>
<aside class="related">
  <h2>Fler evenemang</h2>
  <ul>
    <li>Vårkonsert 5 maj 2024 kl. 18.00, Domkyrkan, Uppsala</li>
    <li>Föreläsning om hållbarhet 12 juni 2024 kl. 13.00&ndash;15.00</li>
  </ul>
</aside>
<footer class="site-footer">
  <p>Kommunen, Box 100, 123 45 Staden. Telefon 08-123 45 67, e-post <a href="mailto:info@kommunen.se">info@kommunen.se</a></p>
  <p>&copy; 2024 Kommunen. Senast uppdaterad 14 februari 2024.</p>
</footer>
<noscript><p>Aktivera JavaScript. Sista anmälningsdag 1 april 2020.</p></noscript>
<template><p>Mall: 1 april 2020 kl. 10.00, Plats: Stadshuset</p></template>
<script>window.dataLayer = window.dataLayer || []; gtag('event', '12 maj 2021 kl. 10.00');</script>
</body>
</html>
"""


def refs(line, n):
    """Escapes a line and writes some characters as references, varied by
    line number so named, decimal and hexadecimal forms all occur."""
    s = html.escape(line, quote=False)
    s = s.replace("–", "&ndash;").replace("\u00a0", "&nbsp;").replace("é", "&eacute;")
    s = re.sub(r"\b(kl\.?) (?=\d)", r"\1&nbsp;", s, flags=re.I)
    if n % 3 == 0:
        s = s.replace("ä", "&auml;").replace("Ö", "&Ouml;")
    elif n % 3 == 1:
        s = s.replace("ö", "&#246;").replace("å", "&#xE5;")
    return s


def blocks(text):
    block = []
    for line in text.split("\n"):
        if line.strip():
            block.append(line.rstrip())
        elif block:
            yield block
            block = []
    if block:
        yield block


def body(text):
    out, n, first = [], 0, True
    for block in blocks(text):
        n += 1
        if first and len(block) == 1:
            out.append("<header class=\"event-header\"><h1>%s</h1></header>" % refs(block[0].strip(), n))
        elif all(BULLET.match(line) for line in block):
            items_ = "\n".join("  <li>%s</li>" % refs(BULLET.sub("", line), n + i) for i, line in enumerate(block))
            out.append("<ul>\n%s\n</ul>" % items_)
        elif any("\t" in line for line in block):
            # A block with tab-separated cells was a table: a row a line,
            # a cell a tab-separated part (evx writes cells back with tabs).
            rows = "\n".join("  <tr>%s</tr>" % "".join("<td>%s</td>" % refs(cell.strip(), n + i) for cell in line.strip().split("\t") if cell.strip())
                              for i, line in enumerate(block))
            out.append("<table>\n%s\n</table>" % rows)
        elif len(block) == 1 and len(block[0]) < 60 and not block[0].rstrip().endswith((".", ":", ",")):
            out.append("<h2>%s</h2>" % refs(block[0].strip(), n))
        else:
            out.append("<p>%s</p>" % "<br>\n".join(refs(line.strip(), n + i) for i, line in enumerate(block)))
        first = False
    return "\n".join(out) + "\n"


def page(text, latin1):
    title = next((b[0].strip() for b in blocks(text)), "Evenemang")
    charset = ('<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">' if latin1
               else '<meta charset="utf-8">')
    doc = HEAD.format(charset=charset, title=html.escape(title)) + body(text) + TAIL
    return doc.encode("latin-1", errors="xmlcharrefreplace") if latin1 else doc.encode("utf-8")


def run(evx, paths):
    out = subprocess.run([evx, "extract", "-q"] + paths, capture_output=True)
    if out.returncode not in (0, 1):
        sys.exit("check_html: evx failed: %s" % out.stderr.decode())
    return {os.path.basename(r["source"]).rsplit(".", 1)[0]: r
            for r in map(json.loads, out.stdout.decode("utf-8").splitlines())}


def strip(v):
    if isinstance(v, dict):
        return {k: strip(x) for k, x in v.items() if k not in ("source", "text", "span")}
    if isinstance(v, list):
        return [strip(x) for x in v]
    return v


def diff(a, b, path=""):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            yield from diff(a.get(k), b.get(k), path + "/" + k)
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            yield from diff(x, y, "%s/%d" % (path, i))
    elif a != b:
        yield "%s: text %s, html %s" % (path or "/", json.dumps(a, ensure_ascii=False),
                                         json.dumps(b, ensure_ascii=False))


def main():
    evx, dirs = sys.argv[1], sys.argv[2:]
    texts = sorted(p for d in dirs for p in glob.glob(os.path.join(d, "*.txt")))
    problems, spans, pages = [], 0, 0
    with tempfile.TemporaryDirectory() as tmp:
        for p in texts:
            with open(p, encoding="utf-8") as f:
                text = f.read()
            stem = os.path.basename(p)[:-4]
            for latin1 in (False, True):
                with open(os.path.join(tmp, stem + (".latin1.htm" if latin1 else ".html")), "wb") as f:
                    f.write(page(text, latin1))
        want = run(evx, texts)
        got = run(evx, [tmp])
        for stem, rec in sorted(want.items()):
            for name, charset in ((stem, "utf-8"), (stem + ".latin1", "cp1252")):
                h = got.get(name)
                if h is None or "error" in h:
                    problems.append("%s: no record from the HTML page: %s" % (name, h and h.get("error")))
                    continue
                pages += 1
                problems += ["%s: %s" % (name, d) for d in diff(strip(rec), strip(h))]
                if charset == "cp1252" and h["warnings"]:
                    problems.append("%s: warnings %r (expected none: the charset is declared)" % (name, h["warnings"]))
                n, bad = check_spans.check_record(h, problems.append)
                spans += n + bad
    for p in problems:
        print(p)
    print("check_html: %d pages, %d spans, %d problems" % (pages, spans, len(problems)))
    return 1 if problems or not pages else 0


if __name__ == "__main__":
    sys.exit(main())
