#!/usr/bin/python3
"""Assembles a harness's seed corpus and dictionary from the repository.

usage: seeds.py ROOT NAME OUTDIR DICT

Nothing here is committed: the seeds are made from what the repository
already has, so they follow the corpus, the test cases and the rules.
  fuzz_pipeline  corpus/*.txt, tests/cases/*.txt, every rule's inline
                 `example`/`reject` text, tests/fuzz_regressions/pipeline/*, and some as HTML pages;
                 dictionary: every surface form in rules/tables/*.tsv (the
                 Swedish month and weekday names, labels, platforms ...)
                 plus fuzz/pipeline.dict (punctuation, encodings).
  fuzz_rulefile  rules/*.rules, tests/rules_broken/*.rules,
                 tests/fuzz_regressions/rulefile/*; dictionary
                 fuzz/rulefile.dict (the rule-file syntax).
"""
import glob
import hashlib
import os
import re
import shutil
import sys


def unescape(s):
    return re.sub(r'\\(.)', lambda m: {'n': '\n', 't': '\t'}.get(m.group(1), m.group(1)), s)


def rule_examples(root):
    pat = re.compile(r'^\s+(?:example|reject)\s+"((?:[^"\\]|\\.)*)"')
    for path in sorted(glob.glob(os.path.join(root, 'rules', '*.rules'))):
        with open(path, encoding='utf-8') as f:
            for line in f:
                m = pat.match(line)
                if m:
                    yield unescape(m.group(1)).encode('utf-8')


def as_page(text):
    import html
    body = text.decode('utf-8', 'replace').split('\n\n')
    paras = ''.join('<p>%s</p>\n' % html.escape(p).replace('\n', '<br>') for p in body)
    return ('<!doctype html><html><head><meta charset="utf-8"><title>Evenemang</title>'
            '<script>var x = "12 maj";</script></head><body><nav>Meny</nav><main>\n'
            + paras + '</main><footer>&copy; 2024</footer></body></html>\n').encode('utf-8')


def dict_entry(b):
    out = ''.join(chr(c) if 32 <= c < 127 and c not in (34, 92) else '\\x%02X' % c for c in b)
    return '"%s"\n' % out


def main():
    root, name, outdir, dict_out = sys.argv[1:5]
    if os.path.isdir(outdir):
        shutil.rmtree(outdir)
    os.makedirs(outdir)
    files, blobs = [], []
    if name == 'fuzz_pipeline':
        for g in ('corpus/*.txt', 'tests/cases/*.txt', 'tests/fuzz_regressions/pipeline/*'):
            files += sorted(glob.glob(os.path.join(root, g)))
        blobs = list(rule_examples(root))
        # The same announcements as web pages: evx reads input that starts
        # like HTML as HTML (src/html.c).
        for path in files[:8]:
            with open(path, 'rb') as f:
                blobs.append(as_page(f.read()))
        words = set()
        for path in glob.glob(os.path.join(root, 'rules', 'tables', '*.tsv')):
            with open(path, encoding='utf-8') as f:
                for line in f:
                    if line.strip() and not line.startswith('#') and '\t' in line:
                        words.add(line.split('\t', 1)[0].encode('utf-8'))
        extra = os.path.join(root, 'fuzz', 'pipeline.dict')
    elif name == 'fuzz_rulefile':
        for g in ('rules/*.rules', 'tests/rules_broken/*.rules', 'tests/fuzz_regressions/rulefile/*'):
            files += sorted(glob.glob(os.path.join(root, g)))
        words = set()
        extra = os.path.join(root, 'fuzz', 'rulefile.dict')
    else:
        sys.exit('seeds.py: unknown harness ' + name)
    for path in files:
        with open(path, 'rb') as f:
            blobs.append(f.read())
    for b in blobs:
        with open(os.path.join(outdir, hashlib.sha1(b).hexdigest()), 'wb') as f:
            f.write(b)
    with open(dict_out, 'w') as f:
        with open(extra) as e:
            f.write(e.read())
        for w in sorted(words):
            f.write(dict_entry(w))
    print("%s: %d seeds in %s, dictionary %s" % (name, len(set(blobs)), outdir, dict_out))


main()
