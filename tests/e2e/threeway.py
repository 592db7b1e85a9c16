#!/usr/bin/env python3
"""Random cases for helm x diff --three-way-merge, checked against the patch
real Helm 3 sends (tests/e2e/threeway.sh).

  threeway.py gen SEED N DIR     a chart DIR/chart rendering .Values.objects,
                                 DIR/v1.yaml and DIR/v2.yaml (two releases'
                                 values: N Deployments, Services and
                                 ConfigMaps, changed between the two)
  threeway.py edit SEED          stdin: kubectl get -o json of the live
                                 objects; stdout: them edited by hand (a
                                 JSON List for kubectl replace)
  threeway.py docs               stdin: a JSON List; stdout: its items, one
                                 document each
  threeway.py patches LIVE LOG   the live objects (kubectl get -o json) and
                                 the stand-in's PATCH log: stdout, helm's
                                 strategic merge patches as helm x patch
                                 takes them (each with its object's
                                 apiVersion, kind, name and namespace)
  threeway.py sides V1 V2 LIVE NEWLIVE OLD NEW
                                 the manifests of the two revisions (helm
                                 get manifest), the live objects before the
                                 upgrade and as helm's patches leave them:
                                 writes the two sides helm-diff's
                                 three-way merge shows (server-owned fields
                                 dropped), for helm x diff manifests
"""
import copy
import json
import random
import sys

import yaml

IMAGES = ["nginx:1.25", "nginx:1.26", "redis:7", "busybox:1.36"]


def container(r, name):
    c = {"name": name, "image": r.choice(IMAGES)}
    if r.random() < 0.6:
        c["env"] = [{"name": "E%d" % i, "value": str(r.randint(0, 9))}
                    for i in r.sample(range(6), r.randint(1, 4))]
    if r.random() < 0.4:
        c["ports"] = [{"containerPort": p, "protocol": "TCP"}
                      for p in r.sample([80, 443, 8080, 9090], r.randint(1, 2))]
    if r.random() < 0.3:
        c["args"] = ["--v=%d" % r.randint(0, 3), "--x"]
    if r.random() < 0.3:
        c["volumeMounts"] = [{"name": "data", "mountPath": "/data"}]
    return c


def deployment(r, i):
    names = r.sample(["app", "side", "log", "proxy"], r.randint(1, 3))
    d = {"apiVersion": "apps/v1", "kind": "Deployment",
         "metadata": {"name": "d%d" % i, "labels": {"app": "d%d" % i}},
         "spec": {"replicas": r.randint(1, 4),
                  "selector": {"matchLabels": {"app": "d%d" % i}},
                  "template": {"metadata": {"labels": {"app": "d%d" % i}},
                               "spec": {"containers": [container(r, n)
                                                       for n in names]}}}}
    if r.random() < 0.4:
        d["spec"]["template"]["spec"]["volumes"] = [
            {"name": "data", "emptyDir": {}}]
    if r.random() < 0.3:
        d["metadata"]["finalizers"] = ["example.com/f%d" % k
                                       for k in r.sample(range(4), 2)]
    if r.random() < 0.3:
        d["spec"]["template"]["spec"]["tolerations"] = [
            {"key": "k", "operator": "Exists"}]
    return d


def service(r, i):
    return {"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "s%d" % i},
            "spec": {"selector": {"app": "d%d" % i},
                     "ports": [{"name": "p%d" % p, "port": p,
                                "targetPort": p}
                               for p in r.sample([80, 443, 8080],
                                                 r.randint(1, 2))]}}


def configmap(r, i):
    return {"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "c%d" % i},
            "data": {"k%d" % k: str(r.randint(0, 99))
                     for k in r.sample(range(6), r.randint(1, 4))}}


def change(r, o):
    """One revision's change to an object: what a chart upgrade does."""
    o = copy.deepcopy(o)
    kind = o["kind"]
    if kind == "ConfigMap":
        d = o["data"]
        k = r.choice(sorted(d))
        if r.random() < 0.5 and len(d) > 1:
            del d[k]
        else:
            d[k] = str(r.randint(100, 199))
            d["new%d" % r.randint(0, 3)] = "n"
        return o
    if kind == "Service":
        ports = o["spec"]["ports"]
        if r.random() < 0.5 and len(ports) > 1:
            ports.pop(r.randrange(len(ports)))
        else:
            ports.append({"name": "p9000", "port": 9000, "targetPort": 9000})
        return o
    spec = o["spec"]["template"]["spec"]
    cs = spec["containers"]
    for _ in range(r.randint(1, 3)):
        what = r.randrange(9)
        c = r.choice(cs)
        if what == 0:
            c["image"] = r.choice(IMAGES)
        elif what == 1:
            c.setdefault("env", []).append({"name": "N%d" % r.randint(0, 5),
                                            "value": "v"})
        elif what == 2 and c.get("env"):
            c["env"].pop(r.randrange(len(c["env"])))
            if not c["env"]:
                del c["env"]
        elif what == 3 and len(cs) > 1:
            cs.pop(r.randrange(len(cs)))
        elif what == 4:
            names = {x["name"] for x in cs}
            for n in ["extra", "metrics"]:
                if n not in names:
                    cs.insert(r.randint(0, len(cs)), container(r, n))
                    break
        elif what == 5:
            r.shuffle(cs)
        elif what == 6:
            o["spec"]["replicas"] = r.randint(1, 6)
        elif what == 7:
            if "finalizers" in o["metadata"]:
                del o["metadata"]["finalizers"]
            else:
                o["metadata"]["finalizers"] = ["example.com/f9"]
        elif what == 8:
            c["args"] = ["--v=%d" % r.randint(4, 6)]
    return o


def gen(seed, n, out):
    r = random.Random(seed)
    v1 = []
    for i in range(n):
        v1.append([deployment, service, configmap][i % 3](r, i))
    v2 = []
    for o in v1:
        x = r.random()
        if x < 0.08:
            continue  # removed by the upgrade
        v2.append(change(r, o) if x < 0.75 else copy.deepcopy(o))
    v2.append(configmap(r, n))  # new with the upgrade
    import os
    os.makedirs(out + "/chart/templates", exist_ok=True)
    with open(out + "/chart/Chart.yaml", "w") as f:
        f.write("apiVersion: v2\nname: tw\nversion: 0.1.0\n")
    with open(out + "/chart/templates/all.yaml", "w") as f:
        f.write("{{- range .Values.objects }}\n---\n{{ toYaml . }}\n"
                "{{- end }}\n")
    for name, objs in (("v1", v1), ("v2", v2)):
        with open("%s/%s.yaml" % (out, name), "w") as f:
            json.dump({"objects": objs}, f, indent=1)


def edit(seed):
    """Hand edits and what a server adds: the live objects drift."""
    r = random.Random(seed)
    items = json.load(sys.stdin)["items"]
    out = []
    for o in items:
        o = copy.deepcopy(o)
        o["status"] = {"observedGeneration": 1}
        o["metadata"]["managedFields"] = [{"manager": "kubectl"}]
        o["metadata"]["generation"] = 1
        if o["kind"] == "Deployment":
            spec = o["spec"]["template"]["spec"]
            for c in spec["containers"]:
                # defaults the server would add
                c["imagePullPolicy"] = "IfNotPresent"
                c["terminationMessagePath"] = "/dev/termination-log"
            spec["restartPolicy"] = "Always"
            o["spec"]["revisionHistoryLimit"] = 10
            x = r.random()
            if x < 0.3 or o["metadata"]["name"] == "d0":
                o["spec"]["replicas"] = 9  # scaled by hand
            elif x < 0.5:
                c = r.choice(spec["containers"])
                c.setdefault("env", []).append({"name": "HAND",
                                                "value": "1"})
            elif x < 0.6:
                spec["containers"].append({"name": "hand", "image": "x:1"})
            elif x < 0.7:
                r.choice(spec["containers"])["image"] = "hand:1"
        elif o["kind"] == "Service":
            o["spec"]["clusterIP"] = "10.0.0.%d" % r.randint(1, 250)
            o["spec"]["type"] = "ClusterIP"
            for p in o["spec"]["ports"]:
                p["protocol"] = "TCP"
        elif o["kind"] == "ConfigMap" and r.random() < 0.3:
            o["data"]["hand"] = "1"
        if r.random() < 0.3:
            o["metadata"].setdefault("labels", {})["hand"] = "yes"
        out.append(o)
    json.dump({"apiVersion": "v1", "kind": "List", "items": out}, sys.stdout)


def ident(o):
    return (o["kind"], o["metadata"]["name"])


def patches(live_file, log_file):
    live = {ident(o): o for o in json.load(open(live_file))["items"]}
    res = {"deployments": "Deployment", "services": "Service",
           "configmaps": "ConfigMap"}
    docs = []
    for line in open(log_file):
        p = json.loads(line)
        parts = p["path"].split("/")
        if p["dry"] or parts[-2] not in res:
            continue
        if "strategic-merge-patch" not in p["type"]:
            sys.exit("helm sent a %s patch to %s" % (p["type"], p["path"]))
        o = live[(res[parts[-2]], parts[-1])]
        body = p["body"]
        md = body.setdefault("metadata", {})
        md["name"] = o["metadata"]["name"]
        md["namespace"] = o["metadata"]["namespace"]
        body["apiVersion"] = o["apiVersion"]
        body["kind"] = o["kind"]
        docs.append(body)
    yaml.safe_dump_all(docs, sys.stdout)


def prune(o):
    o = copy.deepcopy(o)
    o.pop("status", None)
    md = o["metadata"]
    for k in ("managedFields", "generation", "creationTimestamp",
              "resourceVersion", "uid"):
        md.pop(k, None)
    an = md.get("annotations")
    if an is not None:
        for k in ("meta.helm.sh/release-name",
                  "meta.helm.sh/release-namespace",
                  "deployment.kubernetes.io/revision"):
            an.pop(k, None)
        if not an:
            del md["annotations"]
    return o


def sides(v1f, v2f, livef, newlivef, oldf, newf):
    v1 = [d for d in yaml.safe_load_all(open(v1f)) if d]
    v2 = [d for d in yaml.safe_load_all(open(v2f)) if d]
    live = {ident(o): o for o in json.load(open(livef))["items"]}
    newlive = {ident(o): o for o in yaml.safe_load_all(open(newlivef)) if o}
    targets = {ident(o) for o in v2}
    old, new = [], []
    for o in v1:
        if ident(o) not in targets:
            old.append(o)  # removed by the upgrade: as the release has it
    for o in v2:
        k = ident(o)
        if k in live:
            old.append(prune(live[k]))
            new.append(prune(newlive[k]))
        else:
            new.append(o)  # created
    for f, docs in ((oldf, old), (newf, new)):
        with open(f, "w") as out:
            for d in docs:
                out.write("---\n" + json.dumps(d) + "\n")


def main():
    a = sys.argv[1:]
    if a[:1] == ["gen"]:
        gen(int(a[1]), int(a[2]), a[3])
    elif a[:1] == ["edit"]:
        edit(int(a[1]))
    elif a[:1] == ["docs"]:
        for o in json.load(sys.stdin)["items"]:
            sys.stdout.write("---\n" + json.dumps(o) + "\n")
    elif a[:1] == ["patches"]:
        patches(a[1], a[2])
    elif a[:1] == ["sides"]:
        sides(*a[1:7])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
