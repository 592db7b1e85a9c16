#!/usr/bin/env python3
"""Replay the command lines helmfile runs against its helm binary
(../shared/conformance/helmfile-argv/argv.json) with helm-x as that binary,
and a recording stand-in for helm (tests/cli/fake-helm) behind it.

Usage: replay.py HX FAKE_HELM ARGV_JSON CHART WORKDIR
       replay.py --real HX HELM3 HELM4 ARGV_JSON CHART WORKDIR KUBECONFIG

With --real, the vectors of helm-x's own commands (template, lint, diff
upgrade, upgrade --install) run with real helm behind helm-x (Helm 3 for
the vectors helmfile built for Helm 3, else Helm 4) against the cluster
of KUBECONFIG (the stand-in API server), every context a vector names
being one of it, every chart the local one.  Each template, lint and
upgrade must succeed exactly when plain helm with the same command line
succeeds (a bare --timeout number is seconds for helm-x, as for old
helm-x: helm gets it with "s"); each diff must exit 0 (or 2 with
--detailed-exitcode) when helm renders the release, else 1.

Prints one line per vector: "PASS name" or "FAIL name: why".  What each
vector must do:
- a command helm-x does not have (repo, list, status, delete, test, fetch,
  pull, dependency, registry, plugin, show, ...) reaches helm with exactly
  helmfile's argv, global flags first, stdin passed on, and helm's exit
  status comes back;
- `version` / `version --short` outside `helm x` is helm's own, which
  helmfile's semver regex reads;
- template, lint, diff (helm-diff's `diff upgrade`) and `upgrade --install`
  run through helm-x: never "unknown flag"; exit 0, or 2 for diff with
  --detailed-exitcode when something changed; the global --kube-context /
  --kubeconfig reach every helm that helm-x runs.  The chart is replaced by
  a local one and files the argv names (values, set-file) by empty ones:
  the vectors name charts and files of helmfile's tests.
- a flag helm-x cannot honour is refused in one line (REFUSED below says
  which and why).
"""
import json
import os
import re
import subprocess
import sys

REAL = len(sys.argv) > 1 and sys.argv[1] == "--real"
if REAL:
    HX, HELM3, HELM4, ARGV_JSON, CHART, WORK, KUBECONFIG = sys.argv[2:9]
    FAKE = None
else:
    HX, FAKE, ARGV_JSON, CHART, WORK = sys.argv[1:6]

OWN = {"template", "lint", "diff", "upgrade", "install", "apply", "patch",
       "adopt"}
# vectors whose flags helm-x refuses on purpose, with the line it prints
REFUSED = {
    # Helm 2's; gone from Helm 3.17 and 4, which refuse it too
    "--recreate-pods": "unknown flag '--recreate-pods'",
}
SEMVER = re.compile(r"v([0-9]+)(\.[0-9]+)?(\.[0-9]+)?"
                    r"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
                    r"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?")
RENDER = ("---\n# Source: web/templates/service.yaml\napiVersion: v1\n"
          "kind: Service\nmetadata:\n  name: s\n")


def split_globals(argv):
    """helm's global flags before the command, and the rest."""
    i = 0
    takes = {"--kubeconfig", "--kube-context", "-n", "--namespace"}
    while i < len(argv) and argv[i].startswith("-"):
        i += 2 if argv[i] in takes else 1
    return argv[:i], argv[i:]


def substitute(rest, pos_out=None):
    """The chart and the files of a helm-x command, made local (pos_out
    gets the positional words' indices)."""
    out = list(rest)
    cmd = out[0]
    if cmd == "diff" and len(out) > 1 and out[1] == "upgrade":
        start = 2
    elif cmd == "upgrade":
        start = 1
    else:
        start = 1
    pos = []
    i = start
    value_flags = {"--version", "--namespace", "-n", "--kube-context",
                   "--values", "-f", "--set", "--set-string", "--set-file",
                   "--set-json", "--set-literal", "--timeout",
                   "--history-max", "--description", "--kube-version",
                   "--api-versions", "--post-renderer",
                   "--post-renderer-args", "--context", "--suppress",
                   "--suppress-output-line-regex", "--output", "-o",
                   "--labels", "--adopt", "--repo", "--output-dir",
                   "--show-only", "--cascade", "--kubeconfig",
                   "--wait-strategy", "-C", "--find-renames", "-D"}
    while i < len(out):
        w = out[i]
        if w.startswith("-"):
            name = w.split("=", 1)[0]
            if name in ("--values", "-f") and "=" not in w and \
                    i + 1 < len(out):
                out[i + 1] = os.path.join(WORK, "values.yaml")
            elif name in ("--values", "-f"):
                out[i] = name + "=" + os.path.join(WORK, "values.yaml")
            elif name == "--set-file" and i + 1 < len(out):
                k = out[i + 1].split("=", 1)[0]
                out[i + 1] = k + "=" + os.path.join(WORK, "values.yaml")
            if "=" not in w and (name in value_flags or (
                    name == "--server-side" and i + 1 < len(out) and
                    out[i + 1] in ("true", "false", "auto"))):
                i += 1
        else:
            pos.append(i)
        i += 1
    # the chart is the last positional (RELEASE CHART, or lint's CHART):
    # a path of helmfile's tests becomes the local chart; a chart of a
    # repository (repo/chart, oci://, https://) stays, and the stand-in
    # helm's pull hands over the local chart
    if pos:
        c = out[pos[-1]]
        remote = re.match(r"(oci|https?)://", c) or \
            re.fullmatch(r"[^/.][^/]*/[^/]+", c)
        if not remote or REAL:
            out[pos[-1]] = CHART
        if pos_out is not None:
            pos_out.extend(pos)
            pos_out.append(bool(remote))
    return out


def show_only(rest):
    """The templates --show-only names."""
    got = []
    for i, w in enumerate(rest):
        if w in ("--show-only", "-s") and i + 1 < len(rest):
            got.append(rest[i + 1])
        elif w.startswith("--show-only="):
            got.append(w.split("=", 1)[1])
    return got


def helm_calls(log):
    calls, cur = [], None
    for line in log.splitlines():
        if line == "fake-helm":
            cur = []
            calls.append(cur)
        elif cur is not None and line.startswith("[") and line.endswith("]"):
            cur.append(line[1:-1])
        elif cur is not None and "=" in line:
            cur.append("ENV:" + line)
    return calls


def run(vec, n):
    argv = vec["argv"]
    major = vec.get("helm_major") or 4
    glob, rest = split_globals(argv)
    if not rest:
        return "no command"
    cmd = rest[0]
    own = cmd in OWN
    pos = []
    sent = glob + (substitute(rest, pos) if own else rest)
    log = os.path.join(WORK, "log-%d" % n)
    open(log, "w").close()
    env = dict(os.environ)
    env.pop("HELM_PLUGIN_NAME", None)
    env.update(vec.get("env") or {})
    env.update({"HELM_BIN": FAKE, "FAKE_HELM_LOG": log,
                "FAKE_HELM_OUT": os.path.join(WORK, "render.yaml"),
                "FAKE_HELM_VERSION": "v3.17.2" if major == 3 else "v4.1.4",
                "FAKE_HELM_ENV": "HELM_KUBECONTEXT|KUBECONFIG"})
    render = RENDER
    for t in show_only(rest):
        render += ("---\n# Source: web/%s\napiVersion: v1\nkind: ConfigMap"
                   "\nmetadata:\n  name: %s\n" % (t, re.sub(r"[^a-z0-9]",
                                                           "-", t)))
    with open(os.path.join(WORK, "render.yaml"), "w") as f:
        f.write(render)
    env["FAKE_HELM_PULL_CHART"] = CHART
    # --three-way-merge reads the live objects: a stand-in kubectl with
    # none (every object then shows as new)
    env["KUBECTL_BIN"] = os.path.join(os.path.dirname(FAKE), "fake-kubectl")
    env["FAKE_KUBECTL_OBJ"] = '{"apiVersion": "v1", "kind": "List", ' \
        '"items": []}'
    p = subprocess.run([HX] + sent, input=(vec.get("stdin") or "").encode(),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=env, cwd=WORK, timeout=60)
    err = p.stderr.decode(errors="replace")
    out = p.stdout.decode(errors="replace")
    calls = helm_calls(open(log).read())
    for flag, line in REFUSED.items():
        if any(w.split("=", 1)[0] == flag for w in rest):
            if p.returncode == 1 and line in err and \
                    len(err.strip().splitlines()) == 1:
                return None
            return "%s: want a one-line refusal '%s', got exit %d: %s" % (
                flag, line, p.returncode, err.strip()[:200])
    if "unknown flag" in err:
        return "unknown flag: " + err.strip()[:200]
    # a release name helm refuses (helmfile's tests use "releaseName"):
    # helm-x refuses it as helm does, in one line, before helm runs
    rel = rest[pos[0]] if own and len(pos) > 2 and cmd != "lint" else None
    if rel is not None and not RELEASE_NAME.fullmatch(rel) or \
            rel is not None and len(rel) > 53:
        if p.returncode == 1 and "invalid release name '%s'" % rel in err \
                and len(err.strip().splitlines()) == 1 and not calls:
            return None
        return "release %r: want helm's refusal, got exit %d: %s" % (
            rel, p.returncode, err.strip()[:200])
    if cmd == "version":
        got = [w for w in calls[0] if not w.startswith("ENV:")] if calls \
            else None
        if p.returncode != 0 or got != argv:
            return "version not handed to helm as it is (exit %d): %r" % (
                p.returncode, got)
        if "--short" in rest and not SEMVER.search("v" + out.strip().lstrip("v")):
            return "no semver in %r" % out
        return None
    if not own:
        got = [w for w in calls[0] if not w.startswith("ENV:")] if calls \
            else None
        if p.returncode != 0 or got != argv:
            return "not handed to helm as it is: exit %d, helm got %r" % (
                p.returncode, got)
        return None
    want = {0}
    if cmd == "diff" and "--detailed-exitcode" in rest:
        want = {0, 2}
    if p.returncode not in want:
        return "exit %d: %s" % (p.returncode, err.strip()[:300])
    ctx = None
    if "--kube-context" in glob:
        ctx = glob[glob.index("--kube-context") + 1]
    if ctx and calls:
        for c in calls:
            has = ("ENV:HELM_KUBECONTEXT=" + ctx) in c or (
                "--kube-context" in c and
                c[c.index("--kube-context") + 1] == ctx)
            # pulls and the version need no cluster
            if not has and c[:1] not in (["version"], ["pull"]):
                return "global --kube-context %s missing from helm %s" % (
                    ctx, " ".join(c[:3]))
    return None


# helm's ValidateReleaseName (pkg/chartutil), with at most 53 characters
RELEASE_NAME = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"
                          r"(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")

# helm-x's own flags: plain helm has no such flag, so no comparison
HX_ONLY = {"--adopt", "--three-way-merge", "--recreate-pods"}


def run_real(vec, n):
    """One vector of helm-x's own commands, real helm behind it."""
    glob, rest = split_globals(vec["argv"])
    cmd = rest[0]
    glob = list(glob)
    for i, w in enumerate(glob):
        if w == "--kubeconfig" and i + 1 < len(glob):
            glob[i + 1] = KUBECONFIG
    pos = []
    sent = glob + substitute(rest, pos)
    # a release of its own, so that vectors can run side by side, and
    # helm-x's and plain helm's each new (an install, not an upgrade)
    ri = len(glob) + pos[0] if len(pos) > 2 else None
    if ri is not None and len(sent[ri]) + 6 > 53:
        ri = None
    if ri is not None:
        base = sent[ri]
        sent[ri] = "%s-%dx" % (base, n)
    if pos and pos[-1]:
        # a chart of a repository became the local chart: its TLS and
        # plain-HTTP flags, which helm ignores for a local chart and
        # helm-x refuses, go (the recording helm replays them as they are)
        sent = [w for w in sent if w.split("=", 1)[0] not in
                ("--plain-http", "--insecure-skip-tls-verify")]
    helm = HELM3 if vec.get("helm_major") == 3 else HELM4
    home = os.path.join(WORK, "home-%d" % n)
    env = dict(os.environ)
    env.pop("HELM_PLUGIN_NAME", None)
    env.update(vec.get("env") or {})
    env.update({"HELM_BIN": helm, "KUBECONFIG": KUBECONFIG,
                "HELM_DATA_HOME": home + "/data",
                "HELM_CONFIG_HOME": home + "/config",
                "HELM_CACHE_HOME": home + "/cache",
                "HELM_PLUGINS": home + "/plugins"})
    os.makedirs(home + "/plugins", exist_ok=True)

    def go(args):
        p = subprocess.run(args, input=(vec.get("stdin") or "").encode(),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           env=env, cwd=WORK, timeout=120)
        return p.returncode, p.stderr.decode(errors="replace").strip()

    rc, err = go([HX] + sent)
    for flag, line in REFUSED.items():
        if any(w.split("=", 1)[0] == flag for w in rest):
            if rc == 1 and line in err and len(err.splitlines()) == 1:
                return None
            return "%s: want a one-line refusal, got exit %d: %s" % (
                flag, rc, err[:200])
    if "unknown flag" in err:
        return "unknown flag: " + err[:200]
    if cmd == "diff":
        # helm-diff's diff has no plain helm twin: whether helm renders
        # the release at all (a release name helm refuses, say) decides
        rel = sent[len(glob) + pos[-3]] if len(pos) >= 3 else "release"
        # with the vector's post-renderer, which helm template runs too
        pr = []
        for i, w in enumerate(rest):
            if w.split("=", 1)[0] in ("--post-renderer",
                                      "--post-renderer-args"):
                pr += [w] if "=" in w else rest[i:i + 2]
        hrc, herr = go([helm] + glob + ["template", rel, CHART] + pr)
        want = ({0, 2} if "--detailed-exitcode" in rest else {0}) \
            if hrc == 0 else {1}
        if rc not in want:
            return "diff exit %d (helm template exit %d): %s" % (
                rc, hrc, err[:300])
        return None
    if any(w.split("=", 1)[0] in HX_ONLY for w in rest):
        return None if rc == 0 else "exit %d: %s" % (rc, err[:300])
    # helm-x reads a bare --timeout number as seconds, as old helm-x did
    plain = list(sent)
    if ri is not None:
        plain[ri] = "%s-%dh" % (base, n)
    for i, w in enumerate(plain[:-1]):
        if w == "--timeout" and plain[i + 1].isdigit():
            plain[i + 1] += "s"
    hrc, herr = go([helm] + plain)
    if (rc == 0) != (hrc == 0):
        return "helm-x exit %d, plain helm exit %d: %s | helm: %s" % (
            rc, hrc, err[:200], herr[:200])
    return None


def release_of(vec):
    """The release a vector shares with others, or None."""
    rest = split_globals(vec["argv"])[1]
    pos = []
    words = substitute(rest, pos)
    if len(pos) > 2 and len(words[pos[0]]) + 6 <= 53:
        return None  # renamed apart by run_real
    return words[pos[0]] if len(pos) > 1 else "-"


def main_real():
    """Vectors of one release run in order; releases run side by side."""
    import concurrent.futures
    os.makedirs(WORK, exist_ok=True)
    open(os.path.join(WORK, "values.yaml"), "w").close()
    vecs = [(n, v) for n, v in enumerate(json.load(open(ARGV_JSON)))
            if v.get("binary", "helm") == "helm" and
            v.get("helm_major") != 2 and
            split_globals(v["argv"])[1][:1] and
            split_globals(v["argv"])[1][0] in OWN]
    groups = {}
    for n, v in vecs:
        groups.setdefault(release_of(v) or n, []).append((n, v))
    why = {}

    def run_group(items):
        for n, v in items:
            why[n] = run_real(v, n)

    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        for f in [pool.submit(run_group, g) for g in groups.values()]:
            f.result()
    for n, v in vecs:
        name = "%s [%s]" % (v["name"], v["helmfile_command"])
        print(("PASS " + name) if why[n] is None else ("FAIL %s: %s" %
                                                      (name, why[n])))


def main():
    os.makedirs(WORK, exist_ok=True)
    open(os.path.join(WORK, "values.yaml"), "w").close()
    vecs = json.load(open(ARGV_JSON))
    for n, vec in enumerate(vecs):
        if vec.get("binary", "helm") != "helm" or \
                vec.get("helm_major") == 2:
            continue
        why = run(vec, n)
        name = "%s [%s]" % (vec["name"], vec["helmfile_command"])
        print(("PASS " + name) if why is None else ("FAIL %s: %s" %
                                                   (name, why)))


if __name__ == "__main__":
    main_real() if REAL else main()
