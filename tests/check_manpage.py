"""The manual page documents the whole command line: every option and
command of `evx --help` appears in doc/evx.1.scd (as *--option* / *command*),
every option the manual describes is one evx accepts (no stale entries), and
when CMake built the page (scdoc found) the roff output has the sections.
usage: check_manpage.py EVX SCD [BUILT_MAN_PAGE]"""
import re, subprocess, sys

evx, scd = sys.argv[1], sys.argv[2]
built = sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] else None
help_text = subprocess.run([evx, "--help"], capture_output=True, text=True, check=True).stdout
page = open(scd, encoding="utf-8").read()
problems = []

options = set(re.findall(r"(?:^|[\s\[,])(--?[a-zA-Z][a-zA-Z-]*)", help_text))
commands = set()
for line in help_text.splitlines():
    m = re.match(r"\s*(?:usage:\s*)?evx ((?:rules )?[a-z][a-z-]*)", line)
    if m:
        commands.add(m.group(1))
if len(options) < 5 or "extract" not in commands:
    problems.append(f"could not read --help (options {sorted(options)}, commands {sorted(commands)})")

documented = set(re.findall(r"\*(--?[a-zA-Z][a-zA-Z-]*)\*", page))
for o in sorted(options - documented):
    problems.append(f"option {o} of `evx --help` is not in {scd}")
for c in sorted(commands):
    if not re.search(r"^\*" + re.escape(c) + r"\*", page, re.M):
        problems.append(f"command '{c}' has no entry (a line starting *{c}*) in {scd}")
# options the manual gives an entry of their own must exist
entries = set(re.findall(r"^\*(--?[a-zA-Z][a-zA-Z-]*)\*", page, re.M))
for o in sorted(entries - options):
    problems.append(f"{scd} describes {o}, which `evx --help` does not list")
for section in ("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXIT STATUS", "ENVIRONMENT", "FILES", "EXAMPLES"):
    if not re.search(r"^# " + section + "$", page, re.M):
        problems.append(f"{scd} has no '# {section}' section")
for env in ("EVX_RULES", "EVX_SCHEMA"):
    if "*" + env + "*" not in page:
        problems.append(f"{scd} does not document ${env}")
if built:
    roff = open(built, encoding="utf-8").read()
    if not roff.startswith(".") or ".SH \"EXIT STATUS\"" not in roff and ".SH EXIT STATUS" not in roff:
        problems.append(f"{built} does not look like the built manual page")

for p in problems:
    print("check_manpage: FAIL:", p)
if problems:
    sys.exit(1)
print(f"check_manpage: ok: {len(options)} options, {len(commands)} commands documented")
