#!/usr/bin/env python3
"""How much a patched stream changes beyond what its patches changed.

Usage: changed-lines.py HELM-X STREAM PATCH-FLAG PATCH-FILE [...]

Runs `HELM-X patch STREAM PATCH-FLAG PATCH-FILE ...` and prints the changed
lines (removed plus added) of a plain line diff between input and output,
and the changed lines once both are written by one emitter (PyYAML, block
style, key order kept), which shows only what the patches changed: their
ratio is the noise a reviewer reads per meaningful line.  Measured in the
notes of the surgical-writing issue on `helm create` and real charts.
"""
import subprocess
import sys
import tempfile

import yaml


def changed(a, b):
    with tempfile.NamedTemporaryFile('w') as fa, tempfile.NamedTemporaryFile('w') as fb:
        fa.write(a)
        fb.write(b)
        fa.flush()
        fb.flush()
        out = subprocess.run(['diff', fa.name, fb.name], capture_output=True,
                             text=True).stdout
    return sum(1 for line in out.splitlines() if line[:2] in ('< ', '> ') or line in ('<', '>'))


def normalise(text):
    docs = [d for d in yaml.safe_load_all(text) if d is not None]
    return yaml.safe_dump_all(docs, sort_keys=False, default_flow_style=False, width=1 << 20)


def main():
    hx, stream = sys.argv[1], sys.argv[2]
    src = open(stream).read()
    out = subprocess.run([hx, 'patch', stream] + sys.argv[3:], capture_output=True,
                         text=True, check=True).stdout
    raw = changed(src, out)
    norm = changed(normalise(src), normalise(out))
    print('%s: %d changed lines, %d meaningful: %.2fx' %
          (stream, raw, norm, raw / norm if norm else float('nan')))


if __name__ == '__main__':
    main()
