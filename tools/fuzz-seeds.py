#!/usr/bin/env python3
"""Write the fuzz targets' seed corpus: OUTDIR/<target>/NNNN, one input each.

Seeds come from testdata/ (YAML streams and the data-driven patch cases) and,
when present, ../shared/conformance (JSON Patch and strategic-merge vectors,
read in place).  Multi-part inputs join their parts with NUL bytes, as
tests/fuzz/fuzz.h describes.  The corpus is derived, never committed;
findings are kept in testdata/fuzz/<target>/.
"""
import json
import os
import sys

MAX = 64 * 1024


def read(path):
    with open(path, 'rb') as f:
        return f.read()


def main():
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = sys.argv[1]
    conf = os.path.join(top, '..', 'shared', 'conformance')
    seeds = {t: [] for t in ('yaml', 'jsonpatch', 'smp', 'patches', 'chartpath', 'diff',
                             'surgery', 'threeway')}

    for root, _, files in sorted(os.walk(os.path.join(top, 'testdata'))):
        for name in sorted(files):
            p = os.path.join(root, name)
            if name.endswith(('.yaml', '.yml', '.json')) and os.path.getsize(p) <= MAX:
                seeds['yaml'].append(read(p))
    cases = os.path.join(top, 'testdata', 'patch')
    for kind, target in (('jsonpatch', 'jsonpatch'), ('smp', 'smp'),
                         ('patches', 'patches'), ('yaml', 'jsonpatch')):
        d = os.path.join(cases, kind)
        for case in sorted(os.listdir(d)) if os.path.isdir(d) else []:
            c = os.path.join(d, case)
            inp = os.path.join(c, 'input.yaml')
            for pf in ('patch.yaml', 'patch.json'):
                if os.path.exists(inp) and os.path.exists(os.path.join(c, pf)):
                    seeds[target].append(read(inp) + b'\0' + read(os.path.join(c, pf)))
    jp = os.path.join(conf, 'jsonpatch')
    for name in ('tests.json', 'spec_tests.json'):
        p = os.path.join(jp, name)
        if not os.path.exists(p):
            continue
        for t in json.load(open(p)):
            if 'doc' in t and 'patch' in t:
                seeds['jsonpatch'].append(json.dumps(t['doc']).encode() + b'\0' +
                                          b'patch: ' + json.dumps(t['patch']).encode() + b'\n')
    p = os.path.join(conf, 'smp', 'cases.json')
    if os.path.exists(p):
        c = json.load(open(p))
        for t in c['cases']:
            o, pt = t.get('original'), t.get('patch')
            if not isinstance(o, dict) or not isinstance(pt, dict):
                continue
            head = {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'a'}}
            doc = dict(head, **{k: v for k, v in o.items() if k not in head})
            pat = dict(head, **{k: v for k, v in pt.items() if k not in head})
            seeds['smp'].append(json.dumps(doc).encode() + b'\0' + json.dumps(pat).encode())
            # threeway: the release's object, the new one (what the
            # patch made of it), the live one (the release's, or the new)
            e = t.get('expected')
            if isinstance(e, dict) and 'two-way' in t.get('kind', ''):
                new = dict(head, **{k: v for k, v in e.items() if k not in head})
                for cur in (doc, new):
                    seeds['threeway'].append(json.dumps(doc).encode() + b'\0' +
                                             json.dumps(new).encode() + b'\0' +
                                             json.dumps(cur).encode())
    seeds['smp'].append(b'apiVersion: x.io/v1\nkind: W\nmetadata: {name: a}\nspec: {a: [{k: 1, v: 1}]}\n\0'
                        b'apiVersion: x.io/v1\nkind: W\nmetadata: {name: a}\nspec: {a: [{k: 2}]}\n\0'
                        b'definitions:\n  io.x.W:\n    x-kubernetes-group-version-kind: [{group: x.io, version: v1, kind: W}]\n'
                        b'    properties:\n      spec: {$ref: "#/definitions/io.x.S"}\n'
                        b'  io.x.S:\n    allOf: [{$ref: "#/definitions/io.x.S"}, {properties: {a: {type: array, '
                        b'x-kubernetes-patch-merge-key: k, x-kubernetes-patch-strategy: merge, items: {type: object}}}}]\n')
    for s in (b'web/templates/a.yaml', b'web/charts/c/templates/x.yaml', b'web/crds/w.yaml',
              b'x/../../../../tmp/evil.yaml', b'x//etc/passwd', b'/etc/passwd',
              b'web/templates/_h.yaml', b'Pod\0a/b', b'ConfigMap\0..', b'Service\0web'):
        seeds['chartpath'].append(s)
    # diff: an options byte, then OLD \0 NEW, from helm-diff's report vectors
    p = os.path.join(conf, 'helm-diff', 'vectors.json')
    if os.path.exists(p):
        for i, t in enumerate(json.load(open(p))):
            if t.get('kind') == 'report' and 'old' in t and 'new' in t:
                seeds['diff'].append(bytes([i % 256]) + t['old'].encode() + b'\0' +
                                     t['new'].encode())
    # threeway: a Deployment as released, upgraded and edited by hand
    dep = ('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w, labels: {a: "1"}}\n'
           'spec:\n  replicas: %d\n  template:\n    spec:\n      containers:\n%s')
    c1 = '      - {name: web, image: "nginx:1", env: [{name: A, value: "1"}, {name: B, value: "2"}], ports: [{containerPort: 80}]}\n'
    c2 = '      - {name: web, image: "nginx:2", env: [{name: A, value: "1"}], ports: [{containerPort: 80}, {containerPort: 443}]}\n      - {name: side, image: "s:1"}\n'
    c3 = '      - {name: web, image: "nginx:1", env: [{name: A, value: "1"}, {name: B, value: "2"}, {name: HAND, value: "x"}], ports: [{containerPort: 80, protocol: TCP}]}\n      - {name: hand, image: "h:1"}\n'
    seeds['threeway'].append((dep % (2, c1)).encode() + b'\0' + (dep % (3, c2)).encode() +
                             b'\0' + (dep % (5, c3)).encode())
    seeds['threeway'].append((dep % (2, c1)).encode() + b'\0' + (dep % (2, c1)).encode() +
                             b'\0' + (dep % (9, c3)).encode())
    # surgery: two bytes choosing the change, then a stream
    for i, y in enumerate(seeds['yaml']):
        seeds['surgery'].append(bytes([i % 32, i % 9]) + y)
    for target, items in seeds.items():
        d = os.path.join(out, target)
        os.makedirs(d, exist_ok=True)
        for i, s in enumerate(items):
            with open(os.path.join(d, '%04d' % i), 'wb') as f:
                f.write(s)
    print(' '.join('%s:%d' % (t, len(v)) for t, v in seeds.items()))


if __name__ == '__main__':
    main()
