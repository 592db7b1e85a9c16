#!/usr/bin/env python3
"""The expected render of each HelmRelease, from the real tools.

An independent reading of what helm-controller does, written from its
documentation and source (not from helm-x's code): values composed here
(MergeMaps, valuesFrom in order, targetPath, values last; valuesFiles as
the chart's default values), the chart rendered by `helm template`, each
post-renderer run by `kubectl kustomize` (its patches and images, then
commonMetadata, then the origin labels, on metadata/labels and
metadata/annotations alone), CRDs given the origin labels only.  The
result is compared object by object with helm-x's output.

usage: flux_oracle.py HELM KUBECTL OUTDIR HX_OUTPUT CHARTS REPO_ROOT FILE...
  CHARTS: directory holding the charts the repositories serve (by name)
  FILE: YAML files with every object (kustomizations already built)
Each OUTDIR/NS_NAME/stored.yaml is the manifest helm-controller would
store for the release: the post-renderers' output as kustomize emits it
(no CRDs; with nohooks the hooks as helm rendered them).
Prints one line per HelmRelease; exit status 1 when any differs.
"""
import base64
import copy
import hashlib
import os
import shutil
import subprocess
import sys

import yaml

HELM, KUBECTL, OUT, HX_OUT, CHARTS, ROOT = sys.argv[1:7]
FILES = sys.argv[7:]


def load_objects():
    objs = []
    for f in FILES:
        with open(f) as fh:
            for d in yaml.safe_load_all(fh):
                if isinstance(d, dict) and d.get("kind"):
                    objs.append(d)
    return objs


OBJS = load_objects()


def ns_of(o):
    return (o.get("metadata") or {}).get("namespace") or "default"


def find(kind, ns, name, group=None):
    for o in OBJS:
        g = o["apiVersion"].split("/")[0] if "/" in o["apiVersion"] else ""
        if o["kind"] == kind and ns_of(o) == ns and \
                o["metadata"]["name"] == name and (group is None or g == group):
            return o
    return None


def merge_maps(a, b):
    out = dict(a)
    for k, v in b.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = merge_maps(out[k], v)
        else:
            out[k] = v
    return out


def typed(s):
    low = s.lower()
    if low == "true":
        return True
    if low == "false":
        return False
    if low == "null":
        return None
    if s == "0":
        return 0
    if s and s[0] != "0":
        try:
            return int(s, 10)
        except ValueError:
            pass
    return s


def set_path(values, path, value):
    """a.b.c or a.b[0] (the forms the test repository uses)."""
    parts = path.split(".")
    cur = values
    for i, p in enumerate(parts):
        last = i == len(parts) - 1
        if "[" in p:
            name, idx = p[:-1].split("[")
            lst = cur.setdefault(name, [])
            idx = int(idx)
            while len(lst) <= idx:
                lst.append(None)
            if last:
                lst[idx] = value
            else:
                if not isinstance(lst[idx], dict):
                    lst[idx] = {}
                cur = lst[idx]
        elif last:
            cur[p] = value
        else:
            cur = cur.setdefault(p, {})


def compose_values(hr):
    spec = hr["spec"]
    ns = ns_of(hr)
    values = spec.get("values") or {}
    result = {}
    for ref in spec.get("valuesFrom") or []:
        obj = find(ref["kind"], ns, ref["name"], "")
        key = ref.get("valuesKey") or "values.yaml"
        data = None
        if obj is not None:
            if ref["kind"] == "Secret" and key in (obj.get("stringData") or {}):
                data = obj["stringData"][key]
            elif key in (obj.get("data") or {}):
                data = obj["data"][key]
                if ref["kind"] == "Secret":
                    data = base64.b64decode(data).decode()
        if data is None:
            assert ref.get("optional"), ref
            continue
        if ref.get("targetPath"):
            result = merge_maps(result, values)
            if ref.get("literal"):
                v = data
            elif len(data) > 1 and data[0] in "'\"" and data[-1] == data[0]:
                v = data.strip("'\"")
            else:
                v = typed(data)
            set_path(result, ref["targetPath"], v)
            continue
        result = merge_maps(result, yaml.safe_load(data) or {})
    return merge_maps(result, values)


def release_name(hr):
    spec = hr["spec"]
    name = spec.get("releaseName") or (
        spec["targetNamespace"] + "-" + hr["metadata"]["name"]
        if spec.get("targetNamespace") else hr["metadata"]["name"])
    if len(name) > 53:
        name = name[:40] + "-" + hashlib.sha256(name.encode()).hexdigest()[:12]
    return name


def chart_dir(hr, work):
    """A copy of the chart with source-controller's default values."""
    spec = hr["spec"]
    if "chartRef" in spec:
        src = find(spec["chartRef"]["kind"], spec["chartRef"].get("namespace") or ns_of(hr),
                   spec["chartRef"]["name"])
        name = src["spec"]["url"].rstrip("/").split("/")[-1]
        cs = {}
        local = False
    else:
        cs = spec["chart"]["spec"]
        ref = cs["sourceRef"]
        local = ref["kind"] in ("GitRepository", "Bucket")
        name = cs["chart"]
    src_dir = os.path.join(ROOT, name) if local else os.path.join(CHARTS, name)
    dst = os.path.join(work, "chart")
    shutil.copytree(src_dir, dst)
    files = ([cs["valuesFile"]] if cs.get("valuesFile") else []) + \
        list(cs.get("valuesFiles") or [])
    if files:
        merged = {}
        for f in files:
            p = os.path.join(ROOT if local else src_dir, f)
            if not os.path.exists(p):
                assert cs.get("ignoreMissingValuesFiles"), p
                continue
            with open(p) as fh:
                merged = merge_maps(merged, yaml.safe_load(fh) or {})
        with open(os.path.join(dst, "values.yaml"), "w") as fh:
            yaml.safe_dump(merged, fh)
    return dst


def run(argv):
    r = subprocess.run(argv, capture_output=True, text=True)
    if r.returncode:
        sys.stderr.write(r.stderr)
        raise SystemExit("failed: %s" % " ".join(argv))
    return r.stdout


def split_render(text):
    """helm template's documents: (crds, hooks, the rest), with Source."""
    crds, hooks, rest = [], [], []
    for chunk in ("\n" + text).split("\n---"):
        src = ""
        for line in chunk.splitlines():
            if line.startswith("# Source: "):
                src = line[len("# Source: "):]
        d = yaml.safe_load(chunk)
        if not isinstance(d, dict):
            continue
        parts = src.split("/")[1:]  # below the chart's own directory
        while parts[:1] == ["charts"] and len(parts) > 2:
            parts = parts[2:]  # a subchart's
        if parts[:1] == ["crds"]:
            crds.append(d)
        elif ((d.get("metadata") or {}).get("annotations") or {}).get("helm.sh/hook"):
            hooks.append(d)
        else:
            rest.append(d)
    return crds, hooks, rest


def kustomize(work, step, docs, kz):
    d = os.path.join(work, "k%d" % step)
    os.makedirs(d)
    with open(os.path.join(d, "input.yaml"), "w") as fh:
        yaml.safe_dump_all(docs, fh)
    kz = dict(kz)
    kz["resources"] = ["input.yaml"]
    for i, t in enumerate(kz.pop("_transformers", [])):
        with open(os.path.join(d, "t%d.yaml" % i), "w") as fh:
            yaml.safe_dump(t, fh)
        kz.setdefault("transformers", []).append("t%d.yaml" % i)
    with open(os.path.join(d, "kustomization.yaml"), "w") as fh:
        yaml.safe_dump(kz, fh)
    text = run([KUBECTL, "kustomize", d])
    with open(os.path.join(work, "stored.yaml"), "w") as fh:
        fh.write(text)  # the last one is what helm-controller stores
    return [x for x in yaml.safe_load_all(text) if x]


def metadata_transformer(kind, field, pairs):
    return {"apiVersion": "builtin", "kind": kind,
            "metadata": {"name": "m"}, field: pairs,
            "fieldSpecs": [{"path": "metadata/" + field, "create": True}]}


def expected(hr, work):
    spec = hr["spec"]
    ns = spec.get("targetNamespace") or ns_of(hr)
    rel = release_name(hr)
    chart = chart_dir(hr, work)
    with open(os.path.join(work, "values.yaml"), "w") as fh:
        yaml.safe_dump(compose_values(hr), fh)
    install = spec.get("install") or {}
    skip = install.get("crds") == "Skip" or install.get("skipCRDs")
    argv = [HELM, "template", rel, chart, "-n", ns, "-f",
            os.path.join(work, "values.yaml")]
    if not skip:
        argv.append("--include-crds")
    crds, hooks, rest = split_render(run(argv))
    nohooks = spec.get("postRenderStrategy") == "nohooks"
    docs = rest if nohooks else rest + hooks
    step = 0
    for pr in spec.get("postRenderers") or []:
        k = pr.get("kustomize") or {}
        kz = {}
        for key in ("patches", "images"):
            if k.get(key):
                kz[key] = k[key]
        if k.get("patchesStrategicMerge"):
            kz["patchesStrategicMerge"] = [
                yaml.safe_dump(p) for p in k["patchesStrategicMerge"]]
        if k.get("patchesJson6902"):
            kz["patchesJson6902"] = [
                {"target": p["target"], "patch": yaml.safe_dump(p["patch"])}
                for p in k["patchesJson6902"]]
        docs = kustomize(work, step, docs, kz)
        step += 1
    cm = spec.get("commonMetadata") or {}
    ts = []
    if cm.get("labels"):
        ts.append(metadata_transformer("LabelTransformer", "labels", cm["labels"]))
    if cm.get("annotations"):
        ts.append(metadata_transformer("AnnotationsTransformer", "annotations",
                                       cm["annotations"]))
    if ts:
        docs = kustomize(work, step, docs, {"_transformers": ts})
        step += 1
    origin = {"helm.toolkit.fluxcd.io/name": hr["metadata"]["name"],
              "helm.toolkit.fluxcd.io/namespace": ns_of(hr)}
    docs = kustomize(work, step, docs, {"_transformers": [
        metadata_transformer("LabelTransformer", "labels", origin)]})
    for c in crds:
        c.setdefault("metadata", {}).setdefault("labels", {}).update(origin)
    if nohooks and hooks:
        with open(os.path.join(work, "stored.yaml"), "a") as fh:
            fh.write(yaml.safe_dump_all(hooks, explicit_start=True))
    return crds + docs + (hooks if nohooks else [])


def hx_segments():
    segs, cur = {}, None
    with open(HX_OUT) as fh:
        for line in fh:
            if line.startswith("# HelmRelease "):
                cur = line[len("# HelmRelease "):].split(":")[0]
                segs[cur] = ""
                continue
            if cur is not None:
                segs[cur] += line
    return segs


def key(d):
    m = d.get("metadata") or {}
    return (d.get("apiVersion"), d.get("kind"), m.get("namespace") or "", m.get("name"))


def main():
    segs = hx_segments()
    bad = 0
    n = 0
    for hr in OBJS:
        if hr["kind"] != "HelmRelease":
            continue
        n += 1
        ident = "%s/%s" % (ns_of(hr), hr["metadata"]["name"])
        work = os.path.join(OUT, ident.replace("/", "_"))
        os.makedirs(work)
        want = {key(d): d for d in expected(copy.deepcopy(hr), work)}
        got = {key(d): d for d in yaml.safe_load_all(segs.get(ident, "")) if d}
        diffs = []
        for k in sorted(set(want) | set(got), key=str):
            if k not in got:
                diffs.append("missing %s" % (k,))
            elif k not in want:
                diffs.append("extra %s" % (k,))
            elif want[k] != got[k]:
                diffs.append("differs %s:\n    want %s\n    got  %s" % (k, want[k], got[k]))
        if diffs:
            bad += 1
            print("MISMATCH %s (release %s)" % (ident, release_name(hr)))
            for d in diffs:
                print("  " + d)
        else:
            print("same %s: %d objects" % (ident, len(want)))
    if not n:
        print("no HelmRelease")
        return 1
    return 1 if bad else 0


sys.exit(main())
