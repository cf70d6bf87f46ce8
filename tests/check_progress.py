#!/usr/bin/env python3
"""The progress line of `evx extract` (ctest: extract_progress).

usage: check_progress.py EVX ROOT

- stderr not a terminal: not a byte of progress (no "\\r", no "documents");
- stderr a terminal (a pseudo-terminal here): the line is drawn
  ("N/M documents", MB/s, ETA) and erased again before the summary;
- a terminal with --quiet: nothing at all on stderr."""
import os
import pty
import subprocess
import sys

evx, root = sys.argv[1], sys.argv[2]
inputs = [os.path.join(root, "corpus"), os.path.join(root, "tests", "cases")]
failures = 0


def check(cond, what):
    global failures
    if not cond:
        failures += 1
        print(f"FAIL: {what}", file=sys.stderr)


def on_tty(args):
    """Runs evx with stderr on a pseudo-terminal; returns what it wrote there."""
    master, slave = pty.openpty()
    p = subprocess.Popen([evx, "extract", *args], stdout=subprocess.DEVNULL, stderr=slave, stdin=subprocess.DEVNULL)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the other side is closed
            break
        if not chunk:
            break
        out += chunk
    p.wait()
    os.close(master)
    return p.returncode, out


plain = subprocess.run([evx, "extract", *inputs], capture_output=True)
check(plain.returncode == 0, f"exit status {plain.returncode}")
check(b"\r" not in plain.stderr and b"documents" not in plain.stderr, "no progress when stderr is not a terminal")
check(b"input(s)" in plain.stderr, "the summary is still there")

try:
    os.close(os.open("/dev/ptmx", os.O_RDWR | os.O_NOCTTY))
except OSError as e:  # a machine without pseudo-terminals: only the silence is testable
    print(f"check_progress: no pseudo-terminal ({e}); the terminal cases are skipped")
    print("check_progress: %s" % ("ok" if not failures else f"{failures} failure(s)"))
    sys.exit(1 if failures else 0)

rc, tty = on_tty(["-j", "2", *inputs])
check(rc == 0, f"on a terminal: exit status {rc}")
check(b"documents (" in tty and b"MB/s, ETA " in tty, f"progress line drawn: {tty[:200]!r}")
check(b"\r\x1b[K" in tty, "the line is erased")
last = tty.rsplit(b"\r\x1b[K", 1)[-1]
check(b"documents" not in last and b"input(s)" in last, f"the summary stands on a clean line: {last!r}")

rc, quiet = on_tty(["-q", *inputs])
check(rc == 0 and quiet == b"", f"--quiet on a terminal: nothing on stderr ({quiet[:100]!r})")
print("check_progress: %s" % ("ok" if not failures else f"{failures} failure(s)"))
sys.exit(1 if failures else 0)
