#!/usr/bin/env python3
"""A stand-in for Argo CD's repo-server and argocd-cmp-server, replaying
what they do for one Application (read from argo-cd's source, v3):

- reposerver/repository/repository.go: newEnv (ARGOCD_APP_*),
  getPluginEnvs (KUBE_VERSION as k8sversion.ParseGeneric(...).String(),
  KUBE_API_VERSIONS joined by ','), getPluginParamEnvs (ARGOCD_ENV_NAME
  for the Application's plugin env, then
  ApplicationSourcePluginParameters.Environ: ARGOCD_APP_PARAMETERS as
  json.Marshal writes it, PARAM_NAME, PARAM_NAME_KEY, PARAM_NAME_I with
  names upper-cased and [^A-Z0-9_] as '_');
- cmpserver/plugin/config.go: ReadPluginConfig/ValidatePluginConfig;
- cmpserver/plugin/plugin.go: the repository unpacked into a fresh
  /tmp/_cmp_server/<id>, the app at its path; matchRepository (fileName
  glob, find.glob, or find.command: matched when its stdout is not
  empty), generateManifest (init, then generate: command + args, run in
  the app directory with the sidecar's environment plus the entries
  above; a non-zero exit is an error; stdout split as kube.SplitYAML,
  each document an object with apiVersion and kind).

Usage: cmpserver.py SPEC.json OUT.json
SPEC: {"plugin": plugin.yaml, "repo": DIR, "path": the app's path in it,
       "app": name, "namespace", "kubeVersion", "apiVersions": [...],
       "parameters": [{name, string|array|map}], "env": [{name, value}],
       "runner": ["buildah", ..., "CONTAINER"] or absent (run here),
       "hostEnv": {NAME: VALUE} (run here: the sidecar's environment)}
OUT: {"discover": {exit, stdout, stderr}, "generate": {exit, stdout,
      stderr, objects | error}}
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import uuid

import yaml


def escaped(name):
    return re.sub(r"[^A-Z0-9_]", "_", name.upper())


def param_json(p):
    # ApplicationSourcePluginParameter.MarshalJSON: a Go map, so keys sorted
    out = {"name": p["name"]}
    for k in ("string", "map", "array"):
        if k in p:
            out[k] = p[k] if p[k] is not None else ({} if k == "map" else [])
    return {k: out[k] for k in sorted(out)}


def environ_params(params):
    # encoding/json: Go maps with sorted keys, <, >, & escaped for HTML
    js = json.dumps([param_json(p) for p in params], separators=(",", ":"),
                    sort_keys=True, ensure_ascii=False)
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                    ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        js = js.replace(ch, esc)
    env = [("ARGOCD_APP_PARAMETERS", js)]
    for p in params:
        base = "PARAM_" + escaped(p["name"])
        if "string" in p:
            env.append((base, p["string"]))
        for k in sorted((p.get("map") or {})):
            env.append(("%s_%s" % (base, escaped(k)), p["map"][k]))
        for i, v in enumerate(p.get("array") or []):
            env.append(("%s_%d" % (base, i), v))
    return env


def kube_version(v):
    # k8sversion.ParseGeneric then String(): "v1.31.0" -> "1.31.0"
    if not v:
        return ""
    m = re.match(r"^v?(\d+)\.(\d+)(?:\.(\d+))?", v)
    if not m:
        raise SystemExit("bad kube version %r" % v)
    return "%s.%s.%s" % (m.group(1), m.group(2), m.group(3) or "0")


def envsubst(value, env):
    d = dict(env)
    return re.sub(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?",
                  lambda m: d.get(m.group(1), ""), value)


def app_env(spec):
    env = [
        ("ARGOCD_APP_NAME", spec["app"]),
        ("ARGOCD_APP_NAMESPACE", spec.get("namespace", "")),
        ("ARGOCD_APP_PROJECT_NAME", "default"),
        ("ARGOCD_APP_REVISION", "0123456789abcdef0123456789abcdef01234567"),
        ("ARGOCD_APP_REVISION_SHORT", "0123456"),
        ("ARGOCD_APP_REVISION_SHORT_8", "01234567"),
        ("ARGOCD_APP_SOURCE_REPO_URL", "https://example.com/deploy.git"),
        ("ARGOCD_APP_SOURCE_PATH", spec["path"]),
        ("ARGOCD_APP_SOURCE_TARGET_REVISION", "main"),
    ]
    env.append(("KUBE_VERSION", kube_version(spec.get("kubeVersion", ""))))
    env.append(("KUBE_API_VERSIONS", ",".join(spec.get("apiVersions", []))))
    for e in spec.get("env", []):
        env.append(("ARGOCD_ENV_" + e["name"], envsubst(e["value"], env)))
    if spec.get("parameters") is not None:
        env += environ_params(spec["parameters"])
    return env


def read_config(path):
    with open(path) as fh:
        cfg = yaml.safe_load(fh)
    if not (cfg.get("metadata") or {}).get("name"):
        raise SystemExit("invalid plugin configuration file. metadata.name should be non-empty")
    if cfg.get("kind") != "ConfigManagementPlugin":
        raise SystemExit("invalid plugin configuration file. kind should be ConfigManagementPlugin")
    if not ((cfg.get("spec") or {}).get("generate") or {}).get("command"):
        raise SystemExit("invalid plugin configuration file. spec.generate command should be non-empty")
    return cfg["spec"]


def run_command(spec, command, app_dir, env):
    argv = list(command.get("command", [])) + list(command.get("args", []))
    if spec.get("runner"):
        runner = list(spec["runner"])
        ctr = runner.pop()
        full = runner + ["--workingdir", app_dir]
        for k, v in env:
            full += ["--env", "%s=%s" % (k, v)]
        full += [ctr, "--"] + argv
        r = subprocess.run(full, capture_output=True, text=True)
        # buildah's own lines after a command that failed are not the
        # plugin's stderr
        err = r.stderr.splitlines(True)
        while err and re.match(r"^(subprocess exited with status \d+|"
                               r"Error: exit status \d+)$", err[-1].strip()):
            err.pop()
        return {"exit": r.returncode, "stdout": r.stdout, "stderr": "".join(err)}
    else:
        base = dict(os.environ)
        base.update(spec.get("hostEnv") or {})
        for k, v in env:
            base[k] = v
        r = subprocess.run(argv, cwd=app_dir, env=base, capture_output=True,
                           text=True)
    return {"exit": r.returncode, "stdout": r.stdout, "stderr": r.stderr}


def split_yaml(text):
    # kube.SplitYAML: every non-empty document must be an object
    objs = []
    for d in yaml.safe_load_all(text):
        if d is None:
            continue
        if not isinstance(d, dict) or "kind" not in d or "apiVersion" not in d:
            raise ValueError("not a Kubernetes object: %r" % (d,))
        objs.append(d)
    return objs


def main():
    with open(sys.argv[1]) as fh:
        spec = json.load(fh)
    cfg = read_config(spec["plugin"])
    work_base = spec.get("workBase", "/tmp/_cmp_server")
    work = os.path.join(work_base, str(uuid.uuid4()))
    os.makedirs(work_base, exist_ok=True)
    # the repository as repo-server tars it (without .git)
    shutil.copytree(spec["repo"], work, symlinks=True,
                    ignore=shutil.ignore_patterns(".git"))
    if spec.get("owner") is not None:
        for root, dirs, files in os.walk(work):
            for n in dirs + files:
                os.lchown(os.path.join(root, n), spec["owner"], spec["owner"])
        os.chown(work, spec["owner"], spec["owner"])
    app_dir = os.path.normpath(os.path.join(work, spec["path"]))
    env = app_env(spec)
    out = {}
    try:
        disc = cfg.get("discover") or {}
        if disc.get("fileName"):
            m = glob.glob(os.path.join(app_dir, disc["fileName"]))
            out["discover"] = {"exit": 0, "stdout": "\n".join(m), "stderr": ""}
        elif (disc.get("find") or {}).get("glob"):
            m = glob.glob(os.path.join(app_dir, disc["find"]["glob"]),
                          recursive=True)
            out["discover"] = {"exit": 0, "stdout": "\n".join(m), "stderr": ""}
        elif (disc.get("find") or {}).get("command"):
            out["discover"] = run_command(spec, disc["find"], app_dir, env)
        if (cfg.get("init") or {}).get("command"):
            r = run_command(spec, cfg["init"], app_dir, env)
            if r["exit"]:
                out["generate"] = r
                raise StopIteration
        r = run_command(spec, cfg["generate"], app_dir, env)
        if not r["exit"]:
            try:
                r["objects"] = split_yaml(r["stdout"])
            except (ValueError, yaml.YAMLError) as e:
                r["error"] = str(e)
        out["generate"] = r
    except StopIteration:
        pass
    finally:
        shutil.rmtree(work, ignore_errors=True)
    with open(sys.argv[2], "w") as fh:
        json.dump(out, fh)


main()
