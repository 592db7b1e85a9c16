#!/usr/bin/env python3
"""helm x diff --output structured against a second reading of helm-diff's
diff/structured.go (v3.15), written here in Python apart from the C one:
seeded random objects and changes (nested maps, lists of maps and of
scalars, nulls, type changes, added and removed keys and items), each
pair diffed by `helm-x diff manifests OLD NEW -o structured` and compared
byte for byte with what this reading prints (Go's encoding/json: two
spaces, struct field order, sorted map keys, float64 numbers, HTML
escapes).  Prints TAP.

usage: structdiff.py HELM_X CASES SEED
"""
import json
import math
import os
import random
import subprocess
import sys
import tempfile

import yaml

HX, CASES, SEED = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])


# ---- evanphx/json-patch CreateMergePatch and helm-diff's walk -----------

def gotype(v):
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "num"
    return type(v).__name__


def get_diff(a, b):
    into = {}
    for k, bv in b.items():
        if k not in a or gotype(a[k]) != gotype(bv):
            into[k] = bv
        elif isinstance(bv, dict):
            d = get_diff(a[k], bv)
            if d:
                into[k] = d
        elif a[k] is not None and not equal(a[k], bv):
            into[k] = bv
    for k in a:
        if k not in b:
            into[k] = None
    return into


def equal(a, b):
    if gotype(a) != gotype(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(equal(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(equal(x, y) for x, y in zip(a, b))
    return a == b


class Bad(Exception):
    pass


def node_patch(a, b):
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b) or not all(isinstance(x, dict) and isinstance(y, dict)
                                       for x, y in zip(a, b)):
            raise Bad()
        return [get_diff(x, y) for x, y in zip(a, b)]
    if not isinstance(a, dict) or not isinstance(b, dict):
        raise Bad()
    p = get_diff(a, b)
    return p or None


def change(out, toks, what, old=None, new=None):
    segs = []
    for t in toks[:-1]:
        if t == "":
            continue
        if t.isdigit() and t.isascii():
            if segs:
                segs[-1] += "[%s]" % t
            else:
                segs.append("[%s]" % t)
        else:
            segs.append(t)
    c = {"path": ".".join(segs), "field": toks[-1] if toks else "",
         "change": what}
    if old is not None:
        c["oldValue"] = old
    if new is not None:
        c["newValue"] = new
    out.append(c)


def scalar(v):
    return isinstance(v, (str, bool, int, float))


def walk(out, toks, patch, old, new):
    if isinstance(patch, dict):
        for k in sorted(patch, key=lambda s: s.encode()):
            walk(out, toks + [k], patch[k],
                 old.get(k) if isinstance(old, dict) else None,
                 new.get(k) if isinstance(new, dict) else None)
    elif isinstance(patch, list):
        arrays(out, toks, old, new)
    elif patch is None:
        change(out, toks, "remove", old=old)
    elif old is None:
        change(out, toks, "add", new=new)
    elif not equal(old, new):
        change(out, toks, "replace", old, new)


def arrays(out, toks, old, new):
    lo = old if isinstance(old, list) else []
    ln = new if isinstance(new, list) else []
    for i in range(max(len(lo), len(ln))):
        o = lo[i] if i < len(lo) else None
        n = ln[i] if i < len(ln) else None
        t = toks + [str(i)]
        if o is not None and n is not None:
            if equal(o, n):
                continue
            if scalar(o) and scalar(n):
                change(out, t, "replace", o, n)
                continue
            sub = node_patch(o, n)
            if sub is None:
                change(out, t, "replace", o, n)
            else:
                walk(out, t, sub, o, n)
        elif o is not None:
            change(out, t, "remove", old=o)
        elif n is not None:
            change(out, t, "add", new=n)


# ---- encoding/json --------------------------------------------------------

def gofloat(f):
    f = float(f)
    if f == 0:
        return "-0" if math.copysign(1, f) < 0 else "0"
    a = abs(f)
    if a < 1e-6 or a >= 1e21:
        r = repr(f)
        if "e" not in r:
            r = "%e" % f
        mant, exp = r.split("e")
        if mant.endswith(".0"):
            mant = mant[:-2]
        e = int(exp)
        return "%se%s%d" % (mant, "-" if e < 0 else "+", abs(e))
    if f.is_integer():
        return "%d" % f
    r = repr(f)
    if "e" in r:  # small numbers Python writes with an exponent
        r = "%.17f" % f
        r = r.rstrip("0")
        # shortest: the repr's digits
        d = repr(f).split("e")[0].replace(".", "").lstrip("-")
        e = int(repr(f).split("e")[1])
        r = ("-" if f < 0 else "") + "0." + "0" * (-e - 1) + d.rstrip("0")
    return r


def gostr(s):
    out = json.dumps(s, ensure_ascii=False)
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                    ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        out = out.replace(ch, esc)
    return out


def govalue(v, depth):
    pad = "  " * depth
    if isinstance(v, dict):
        if not v:
            return "{}"
        items = ["%s  %s: %s" % (pad, gostr(k), govalue(v[k], depth + 1))
                 for k in sorted(v, key=lambda s: s.encode())]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(v, list):
        if not v:
            return "[]"
        return "[\n" + ",\n".join(pad + "  " + govalue(x, depth + 1)
                                  for x in v) + "\n" + pad + "]"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return gofloat(v)
    if v is None:
        return "null"
    return gostr(v)


def entry(old, new):
    e = [("apiVersion", new["apiVersion"]), ("kind", new["kind"]),
         ("namespace", new["metadata"]["namespace"]),
         ("name", new["metadata"]["name"]), ("changeType", "MODIFY")]
    changes = []
    walk(changes, [], get_diff(old, new), old, new)
    if not changes:
        return None
    lines = ["    %s: %s" % (gostr(k), gostr(v)) for k, v in e]
    lines.append('    "resourceStatus": {\n      "oldExists": true,\n'
                 '      "newExists": true\n    }')
    cs = []
    for c in changes:
        f = []
        for k in ("path", "field"):
            if c[k]:
                f.append("        %s: %s" % (gostr(k), gostr(c[k])))
        f.append('        "change": %s' % gostr(c["change"]))
        for k in ("oldValue", "newValue"):
            if k in c:
                f.append("        %s: %s" % (gostr(k), govalue(c[k], 4)))
        cs.append("      {\n" + ",\n".join(f) + "\n      }")
    lines.append('    "changes": [\n' + ",\n".join(cs) + "\n    ]")
    return "[\n  {\n" + ",\n".join(lines) + "\n  }\n]\n"


# ---- random objects ---------------------------------------------------------

WORDS = ["a", "b", "name", "image", "x-y", "0", "12", "<tag>", "a&b", "port"]


def rscalar(r):
    return r.choice([r.randint(-5, 100), r.choice([True, False]),
                     r.choice(["on", "v1", "a,b", "<x>", "1.5", ""]),
                     r.choice([0.5, 2.25, 1e-7, 3.0]), None])


def rvalue(r, depth):
    k = r.random()
    if depth > 3 or k < 0.5:
        return rscalar(r)
    if k < 0.75:
        return {r.choice(WORDS): rvalue(r, depth + 1)
                for _ in range(r.randint(0, 3))}
    if r.random() < 0.5:
        return [rvalue(r, depth + 1) for _ in range(r.randint(0, 3))]
    return [{"name": "c%d" % i, "v": rscalar(r)} for i in range(r.randint(1, 3))]


def mutate(r, v, depth=0):
    if isinstance(v, dict):
        v = dict(v)
        for k in list(v):
            x = r.random()
            if x < 0.15:
                del v[k]
            elif x < 0.6:
                v[k] = mutate(r, v[k], depth + 1)
        if r.random() < 0.2:
            v[r.choice(WORDS)] = rvalue(r, depth + 1)
        return v
    if isinstance(v, list):
        v = [mutate(r, x, depth + 1) if r.random() < 0.5 else x for x in v]
        if r.random() < 0.2:
            v.append(rvalue(r, depth + 1))
        if v and r.random() < 0.15:
            v.pop()
        return v
    return rvalue(r, depth) if r.random() < 0.5 else v


def main():
    r = random.Random(SEED)
    tmp = tempfile.mkdtemp()
    n = bad = 0
    try:
        for i in range(CASES):
            spec = {w: rvalue(r, 1) for w in r.sample(WORDS, 3)}
            old = {"apiVersion": "v1", "kind": "ConfigMap",
                   "metadata": {"name": "c%d" % i, "namespace": "ns"},
                   "spec": spec}
            new = dict(old, spec=mutate(r, spec))
            po, pn = os.path.join(tmp, "old.yaml"), os.path.join(tmp, "new.yaml")
            with open(po, "w") as fh:
                yaml.safe_dump(old, fh)
            with open(pn, "w") as fh:
                yaml.safe_dump(new, fh)
            # the objects as the YAML reader gives them back
            old = yaml.safe_load(open(po))
            new = yaml.safe_load(open(pn))
            try:
                want = entry(old, new)
                if want is None:
                    want = "[]\n"
            except Bad:
                # CreateMergePatch refused a pair of items: helm-diff's
                # warning and its entry of the key alone
                want = ('[\n  {\n    "name": %s,\n    "changeType": "MODIFY",\n'
                        '    "resourceStatus": {\n      "oldExists": false,\n'
                        '      "newExists": false\n    }\n  }\n]\n'
                        % gostr("ns, c%d, ConfigMap (v1)" % i))
            got = subprocess.run([HX, "diff", "manifests", po, pn, "-o",
                                  "structured", "--no-color"],
                                 capture_output=True, text=True)
            n += 1
            if got.stdout != want or got.returncode != 0:
                bad += 1
                print("not ok %d - structured case %d (exit %d)" % (n, i, got.returncode))
                for line in (got.stderr.splitlines()[:3]):
                    print("#   " + line)
                print("#   old: " + json.dumps(old["spec"]))
                print("#   new: " + json.dumps(new["spec"]))
                print("#   want: " + json.dumps(want)[:400])
                print("#   got:  " + json.dumps(got.stdout)[:400])
                if bad > 5:
                    break
            else:
                print("ok %d - structured case %d" % (n, i))
    finally:
        for f in os.listdir(tmp):
            os.unlink(os.path.join(tmp, f))
        os.rmdir(tmp)
    print("1..%d" % n)
    return 1 if bad else 0


sys.exit(main())
