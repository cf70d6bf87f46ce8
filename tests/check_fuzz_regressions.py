"""The fuzzing regression inputs through evx itself, one process each.

usage: check_fuzz_regressions.py EVX ROOT

tests/fuzz_regressions/pipeline/*: `evx extract FILE` must end normally
with exit status 0 and one NDJSON record, or 1 and one error object whose
code is not `schema` or `internal` (those are bugs in evx); never by a
signal or a sanitizer abort.
tests/fuzz_regressions/rulefile/*: the file alone in a rules folder;
`evx rules lint` must exit 0 or 1 and `evx extract` 0 or 2 (rules refused),
never crash. Fails when there is no input at all.
"""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

evx, root = sys.argv[1], sys.argv[2]
regress = os.path.join(root, 'tests', 'fuzz_regressions')
failures, count = [], 0


def run(args, allowed, what):
    p = subprocess.run([evx] + args, capture_output=True, timeout=60)
    err = p.stderr.decode('utf-8', 'replace')
    if p.returncode not in allowed or 'a bug in evx' in err or 'Sanitizer' in err:
        failures.append('%s: %s exited %d\n%s' % (what, ' '.join(args[:2]), p.returncode, err[-2000:]))
    return p


for path in sorted(glob.glob(os.path.join(regress, 'pipeline', '*'))):
    count += 1
    p = run(['extract', path], (0, 1), path)
    lines = p.stdout.decode('utf-8').splitlines()
    obj = json.loads(lines[0]) if len(lines) == 1 else {}
    code = obj.get('error', {}).get('code')
    if p.returncode == 0 and 'schema_version' not in obj:
        failures.append('%s: exit 0 without one record: %r' % (path, p.stdout[:200]))
    elif p.returncode == 1 and (not code or code in ('schema', 'internal')):
        failures.append('%s: exit 1 without one error object, or a bug: %r' % (path, p.stdout[:300]))

for path in sorted(glob.glob(os.path.join(regress, 'rulefile', '*'))):
    count += 1
    with tempfile.TemporaryDirectory() as d:
        shutil.copy(path, os.path.join(d, 'fuzz.rules'))
        run(['rules', 'lint', '--rules', d], (0, 1), path)
        run(['extract', '--rules', d, os.path.join(root, 'corpus')], (0, 2), path)

for f in failures:
    print('FAIL', f)
print('fuzz regressions: %d inputs, %d failed' % (count, len(failures)))
sys.exit(1 if failures or count == 0 else 0)
