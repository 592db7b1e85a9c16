#!/usr/bin/env python3
"""Compare what the CMP stand-in got from generate (OUT.json, written by
cmpserver.py) with the objects the real tools rendered (EXPECTED, a YAML
stream), object by object as Argo CD keys them (group/kind, namespace,
name).  Prints the differences; exit status 1 when any.
usage: argocd_check.py OUT.json EXPECTED.yaml
"""
import json
import sys

import yaml


def key(o):
    m = o.get("metadata") or {}
    return (o.get("apiVersion"), o.get("kind"), m.get("namespace") or "",
            m.get("name"))


with open(sys.argv[1]) as fh:
    gen = json.load(fh)["generate"]
if gen["exit"] != 0 or "objects" not in gen:
    print("generate failed (exit %d): %s %s" % (gen["exit"],
                                                gen.get("error", ""),
                                                gen["stderr"].strip()))
    sys.exit(1)
with open(sys.argv[2]) as fh:
    want = [d for d in yaml.safe_load_all(fh) if d]
got = gen["objects"]
bad = 0
if len(got) != len({key(o) for o in got}):
    print("the stream names an object twice")
    bad = 1
w = {key(o): o for o in want}
g = {key(o): o for o in got}
for k in sorted(set(w) | set(g), key=str):
    if k not in g:
        print("missing %s" % (k,))
        bad = 1
    elif k not in w:
        print("extra %s" % (k,))
        bad = 1
    elif w[k] != g[k]:
        print("differs %s:\n  want %s\n  got  %s" % (k, w[k], g[k]))
        bad = 1
if not bad:
    print("same: %d objects" % len(got))
sys.exit(bad)
