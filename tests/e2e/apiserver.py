#!/usr/bin/env python3
"""A stand-in Kubernetes API server for helm-x's end-to-end tests.

Serves what Helm 3.17 and Helm 4.1 need for install, upgrade, get,
test-hook listing and uninstall (see ../shared/TESTING.md): /version,
discovery, an OpenAPI v3 stub, release storage in Secrets or ConfigMaps
(request bodies in Kubernetes' protobuf envelope), and resources created
with POST, updated with JSON merge patch, strategic merge patch (applied as
a merge patch without its directives: the tests read Helm's release
records, not live objects; APISERVER_PATCH_LOG records each patch for the
tests that need it applied exactly) or server-side apply, and deleted.  dryRun=All
never persists.  CustomResourceDefinitions are Established at once; Jobs
are Complete.

Usage: apiserver.py   (prints "PORT <n>" once listening on 127.0.0.1;
stops on SIGTERM or when its stdin closes)
"""
import json
import ssl
import os
import socket
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# group/version -> [(resource, kind, namespaced)]
RESOURCES = {
    "v1": [("secrets", "Secret", True), ("configmaps", "ConfigMap", True),
           ("services", "Service", True), ("pods", "Pod", True),
           ("namespaces", "Namespace", False),
           ("serviceaccounts", "ServiceAccount", True),
           ("persistentvolumeclaims", "PersistentVolumeClaim", True),
           ("events", "Event", True)],
    "apps/v1": [("deployments", "Deployment", True),
                ("statefulsets", "StatefulSet", True),
                ("daemonsets", "DaemonSet", True),
                ("replicasets", "ReplicaSet", True)],
    "batch/v1": [("jobs", "Job", True), ("cronjobs", "CronJob", True)],
    "apiextensions.k8s.io/v1": [
        ("customresourcedefinitions", "CustomResourceDefinition", False)],
    "policy/v1": [("poddisruptionbudgets", "PodDisruptionBudget", True)],
    "networking.k8s.io/v1": [("ingresses", "Ingress", True),
                             ("networkpolicies", "NetworkPolicy", True)],
    "rbac.authorization.k8s.io/v1": [
        ("roles", "Role", True), ("rolebindings", "RoleBinding", True),
        ("clusterroles", "ClusterRole", False),
        ("clusterrolebindings", "ClusterRoleBinding", False)],
}

# kubectl's short names (kubectl get cm/x, deploy/y)
SHORT = {"configmaps": ["cm"], "services": ["svc"], "pods": ["po"],
         "namespaces": ["ns"], "serviceaccounts": ["sa"],
         "persistentvolumeclaims": ["pvc"], "events": ["ev"],
         "deployments": ["deploy"], "statefulsets": ["sts"],
         "daemonsets": ["ds"], "replicasets": ["rs"], "cronjobs": ["cj"],
         "customresourcedefinitions": ["crd", "crds"],
         "poddisruptionbudgets": ["pdb"], "ingresses": ["ing"],
         "networkpolicies": ["netpol"]}

STORE = {}   # (gv, resource, namespace, name) -> object
LOCK = threading.Lock()
RV = [1000]


def next_rv():
    RV[0] += 1
    return str(RV[0])


# ---- protobuf (just enough for Secret and ConfigMap) ----------------------

def varint(b, i):
    n = shift = 0
    while True:
        c = b[i]
        i += 1
        n |= (c & 0x7F) << shift
        shift += 7
        if c < 0x80:
            return n, i


def fields(b):
    """(field number, wire type, value) of one message."""
    i = 0
    while i < len(b):
        key, i = varint(b, i)
        num, wt = key >> 3, key & 7
        if wt == 0:
            v, i = varint(b, i)
        elif wt == 2:
            n, i = varint(b, i)
            v = b[i:i + n]
            i += n
        elif wt == 1:
            v = b[i:i + 8]
            i += 8
        elif wt == 5:
            v = b[i:i + 4]
            i += 4
        else:
            raise ValueError("wire type %d" % wt)
        yield num, wt, v


def map_entry(b):
    k = v = b""
    for num, _, val in fields(b):
        if num == 1:
            k = val
        elif num == 2:
            v = val
    return k.decode(), v


def object_meta(b):
    md = {}
    for num, _, v in fields(b):
        if num in (1, 2, 3, 5, 6) and isinstance(v, bytes):
            md[{1: "name", 2: "generateName", 3: "namespace", 5: "uid",
                6: "resourceVersion"}[num]] = v.decode()
        elif num in (11, 12):
            k, val = map_entry(v)
            md.setdefault("labels" if num == 11 else "annotations",
                          {})[k] = val.decode()
    return md


def decode_protobuf(body):
    import base64
    if body[:4] != b"k8s\x00":
        raise ValueError("no protobuf envelope")
    kind = api = ""
    raw = b""
    for num, _, v in fields(body[4:]):
        if num == 1:
            for n2, _, v2 in fields(v):
                if n2 == 1:
                    api = v2.decode()
                elif n2 == 2:
                    kind = v2.decode()
        elif num == 2:
            raw = v
    obj = {"apiVersion": api, "kind": kind}
    for num, _, v in fields(raw):
        if num == 1:
            obj["metadata"] = object_meta(v)
        elif num == 2:
            k, val = map_entry(v)
            if kind == "Secret":
                obj.setdefault("data", {})[k] = \
                    base64.b64encode(val).decode()
            else:
                obj.setdefault("data", {})[k] = val.decode()
        elif num == 3 and kind == "Secret":
            obj["type"] = v.decode()
    return obj


# ---- patches ---------------------------------------------------------------

def merge_patch(orig, patch):
    if not isinstance(patch, dict):
        return patch
    if not isinstance(orig, dict):
        orig = {}
    for k, v in patch.items():
        if v is None:
            orig.pop(k, None)
        else:
            orig[k] = merge_patch(orig.get(k), v)
    return orig


def drop_directives(v):
    """A strategic merge patch read as a merge patch: no directives."""
    if isinstance(v, dict):
        return {k: drop_directives(x) for k, x in v.items()
                if not k.startswith("$")}
    if isinstance(v, list):
        return [drop_directives(x) for x in v
                if not (isinstance(x, dict) and x.get("$patch") == "delete")]
    return v


# ---- HTTP ------------------------------------------------------------------

def resource_info(gv, resource):
    for r, kind, namespaced in RESOURCES.get(gv, []):
        if r == resource:
            return kind, namespaced
    return None, None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        # headers and body are two writes: without this, Nagle's
        # algorithm holds the body until the client's delayed ACK, 40 ms
        # a request on a kept-alive connection
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY,
                                   1)

    def log_message(self, fmt, *args):
        if os.environ.get("APISERVER_LOG"):
            sys.stderr.write("apiserver: " + fmt % args + "\n")

    def reply(self, code, obj):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def status(self, code, reason, msg):
        self.reply(code, {"kind": "Status", "apiVersion": "v1",
                          "status": "Failure", "message": msg,
                          "reason": reason, "code": code})

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        ctype = self.headers.get("Content-Type", "")
        if "protobuf" in ctype:
            return decode_protobuf(raw)
        return json.loads(raw.decode() or "null")

    def route(self):
        u = urllib.parse.urlparse(self.path)
        q = urllib.parse.parse_qs(u.query)
        parts = [p for p in u.path.split("/") if p]
        return u.path, parts, q

    # -- discovery: True when it answered
    def discovery(self, path, parts):
        answer = self.discovery_answer(path, parts)
        if answer is None:
            return False
        code, obj = answer
        if code == 404:
            self.status(404, "NotFound", obj)
        else:
            self.reply(code, obj)
        return True

    def discovery_answer(self, path, parts):
        if path == "/version":
            return (200, {"major": "1", "minor": "32",
                                    "gitVersion": "v1.32.0",
                                    "platform": "linux/amd64"})
        if path == "/api":
            return (200, {"kind": "APIVersions",
                                    "versions": ["v1"],
                                    "serverAddressByClientCIDRs": []})
        if path == "/apis":
            groups = {}
            for gv in RESOURCES:
                if "/" in gv:
                    g, v = gv.split("/")
                    groups.setdefault(g, []).append(v)
            return (200, {"kind": "APIGroupList",
                                    "apiVersion": "v1", "groups": [
                {"name": g, "versions": [{"groupVersion": g + "/" + v,
                                          "version": v} for v in vs],
                 "preferredVersion": {"groupVersion": g + "/" + vs[0],
                                      "version": vs[0]}}
                for g, vs in groups.items()]})
        gv = None
        if parts[:1] == ["api"] and len(parts) == 2:
            gv = parts[1]
        elif parts[:1] == ["apis"] and len(parts) == 3:
            gv = parts[1] + "/" + parts[2]
        if gv is not None:
            if gv not in RESOURCES:
                return (404, "no " + gv)
            return (200, {"kind": "APIResourceList",
                                    "apiVersion": "v1", "groupVersion": gv,
                                    "resources": [
                {"name": r, "singularName": k.lower(), "namespaced": ns,
                 "kind": k, "shortNames": SHORT.get(r, []),
                 "verbs": ["create", "delete", "get", "list",
                           "patch", "update", "watch"]}
                for r, k, ns in RESOURCES[gv]]})
        if path == "/openapi/v3":
            return (200, {"paths": {
                ("api/" if "/" not in gv2 else "apis/") + gv2:
                {"serverRelativeURL": "/openapi/v3/" +
                 ("api/" if "/" not in gv2 else "apis/") + gv2 + "?hash=1"}
                for gv2 in RESOURCES}})
        if parts[:2] == ["openapi", "v3"]:
            gv2 = "/".join(parts[3:]) if parts[2] == "apis" else parts[3]
            paths = {}
            for r, k, ns in RESOURCES.get(gv2, []):
                g, _, v = gv2.rpartition("/")
                base = ("/api/" if not g else "/apis/") + gv2
                p = base + ("/namespaces/{namespace}/" if ns else "/") + \
                    r + "/{name}"
                paths[p] = {"patch": {
                    "x-kubernetes-group-version-kind":
                        {"group": g, "version": v, "kind": k},
                    "parameters": [{"name": "fieldValidation",
                                    "in": "query",
                                    "schema": {"type": "string"}}]}}
            return (200, {"openapi": "3.0.0",
                                    "info": {"title": "stand-in",
                                             "version": "v1"},
                                    "paths": paths,
                                    "components": {"schemas": {}}})
        return None

    # -- resources: /api/v1/[namespaces/NS/]RES[/NAME] and /apis/G/V/...
    def parse_resource(self, parts):
        if parts[:1] == ["api"] and len(parts) >= 3:
            gv, rest = parts[1], parts[2:]
        elif parts[:1] == ["apis"] and len(parts) >= 4:
            gv, rest = parts[1] + "/" + parts[2], parts[3:]
        else:
            return None
        ns = None
        if len(rest) >= 3 and rest[0] == "namespaces":
            ns, rest = rest[1], rest[2:]
        if not rest:
            return None
        resource = rest[0]
        name = rest[1] if len(rest) > 1 else None
        sub = rest[2] if len(rest) > 2 else None
        if resource == "namespaces" and ns is None and name is None and \
                len(parts) >= 3 and parts[2] == "namespaces" and \
                len(parts) == 4:
            name = parts[3]
        return gv, resource, ns, name, sub

    def fault(self, method, path):
        """APISERVER_FAULTS names a file of lines "METHOD PATH CODE" (or
        "METHOD PATH drop"), read at each request: a matching request
        gets that status, or its connection closed, instead of an
        answer."""
        faults = os.environ.get("APISERVER_FAULTS")
        if not faults or not os.path.exists(faults):
            return False
        with open(faults) as f:
            for line in f:
                w = line.split()
                if len(w) != 3 or w[0] != method or w[1] != path:
                    continue
                # the body is read first, as a server would
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if w[2] == "drop":
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return True
                code = int(w[2])
                self.status(code, "InternalError" if code >= 500 else
                            "Conflict", "fault injected by the test")
                return True
        return False

    def handle_any(self, method):
        path, parts, q = self.route()
        if self.fault(method, path):
            return
        # APISERVER_AUTH_LOG: each request's method, path and bearer token
        # (a real server checks it; this one only records it)
        auth_log = os.environ.get("APISERVER_AUTH_LOG")
        if auth_log:
            auth = self.headers.get("Authorization", "")
            with open(auth_log, "a") as f:
                f.write("%s %s %s\n" % (method, path, auth or "-"))
        if method == "GET" and self.discovery(path, parts):
            return
        r = self.parse_resource(parts)
        if r is None:
            return self.status(404, "NotFound", "no route " + path)
        gv, resource, ns, name, sub = r
        kind, namespaced = resource_info(gv, resource)
        if kind is None:
            return self.status(404, "NotFound",
                               "the server could not find the requested "
                               "resource (%s %s)" % (gv, resource))
        dry = "All" in q.get("dryRun", [])
        key = (gv, resource, ns if namespaced else None, name)
        with LOCK:
            if method == "GET" and name is None:
                sel = q.get("labelSelector", [""])[0]
                # as the real server's typed lists: items carry no
                # apiVersion or kind (the list's kind says them)
                items = [{k: v for k, v in o.items()
                          if k not in ("apiVersion", "kind")}
                         for (g2, r2, n2, _), o in STORE.items()
                         if g2 == gv and r2 == resource and
                         (ns is None or n2 == ns) and
                         matches(o, sel)]
                return self.reply(200, {"kind": kind + "List",
                                        "apiVersion": gv,
                                        "metadata": {"resourceVersion":
                                                     str(RV[0])},
                                        "items": items})
            if method == "GET":
                if resource == "namespaces":
                    return self.reply(200, {"apiVersion": "v1",
                                            "kind": "Namespace",
                                            "metadata": {"name": name},
                                            "status": {"phase": "Active"}})
                if key in STORE:
                    return self.reply(200, STORE[key])
                return self.status(404, "NotFound",
                                   '%s "%s" not found' % (resource, name))
            if method == "DELETE":
                self.body()  # delete options; must be read off the wire
                if key not in STORE:
                    return self.status(404, "NotFound",
                                       '%s "%s" not found' %
                                       (resource, name))
                obj = STORE[key]
                if not dry:
                    del STORE[key]
                return self.reply(200, obj)
            try:
                body = self.body()
            except Exception as e:
                return self.status(400, "BadRequest", "body: %s" % e)
            if method == "POST":
                if resource == "namespaces":
                    return self.reply(201, body)
                name = body["metadata"]["name"]
                key = (gv, resource, ns if namespaced else None, name)
                if key in STORE:
                    return self.status(409, "AlreadyExists",
                                       '%s "%s" already exists' %
                                       (resource, name))
                return self.store(key, body, 201, dry, kind, gv, ns)
            if method == "PUT":
                return self.store(key, body, 200, dry, kind, gv, ns)
            if method == "PATCH":
                ctype = self.headers.get("Content-Type", "")
                # APISERVER_PATCH_LOG: every PATCH as a JSON line (the
                # patch helm computed, for tests to apply themselves)
                plog = os.environ.get("APISERVER_PATCH_LOG")
                if plog:
                    with open(plog, "a") as f:
                        f.write(json.dumps({"path": path, "type": ctype,
                                            "dry": dry, "body": body})
                                + "\n")
                if "apply-patch" in ctype:
                    code = 200 if key in STORE else 201
                    return self.store(key, body, code, dry, kind, gv, ns)
                if key not in STORE:
                    return self.status(404, "NotFound",
                                       '%s "%s" not found' %
                                       (resource, name))
                orig = json.loads(json.dumps(STORE[key]))
                try:
                    if "strategic-merge-patch" in ctype:
                        new = merge_patch(orig, drop_directives(body))
                    elif "merge-patch" in ctype:
                        new = merge_patch(orig, body)
                    else:
                        return self.status(415, "UnsupportedMediaType",
                                           ctype)
                except Exception as e:
                    return self.status(422, "Invalid", str(e))
                return self.store(key, new, 200, dry, kind, gv, ns)
        return self.status(405, "MethodNotAllowed", method)

    def store(self, key, obj, code, dry, kind, gv, ns):
        obj.setdefault("apiVersion", gv)
        obj.setdefault("kind", kind)
        md = obj.setdefault("metadata", {})
        if ns and key[2]:
            md["namespace"] = ns
        md["resourceVersion"] = next_rv()
        md.setdefault("uid", "uid-" + md["resourceVersion"])
        md.setdefault("creationTimestamp", time.strftime(
            "%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
        if kind == "CustomResourceDefinition":
            obj["status"] = {"conditions": [
                {"type": "Established", "status": "True"},
                {"type": "NamesAccepted", "status": "True"}],
                "acceptedNames": obj.get("spec", {}).get("names", {})}
        if kind == "Job":
            obj["status"] = {"succeeded": 1, "conditions": [
                {"type": "Complete", "status": "True"}]}
        if not dry:
            STORE[key] = obj
        return self.reply(code, obj)

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def do_PUT(self):
        self.handle_any("PUT")

    def do_PATCH(self):
        self.handle_any("PATCH")

    def do_DELETE(self):
        self.handle_any("DELETE")


def matches(obj, sel):
    labels = obj.get("metadata", {}).get("labels") or {}
    for req in [s for s in sel.split(",") if s]:
        if "!=" in req:
            k, v = req.split("!=", 1)
            if labels.get(k) == v:
                return False
        elif "=" in req:
            k, v = req.replace("==", "=").split("=", 1)
            if labels.get(k) != v:
                return False
        elif labels.get(req) is None:
            return False
    return True


def preload(path):
    """APISERVER_PRELOAD: a JSON list of objects the server starts with."""
    for obj in json.load(open(path)):
        gv, kind = obj["apiVersion"], obj["kind"]
        for r, k, namespaced in RESOURCES.get(gv, []):
            if k == kind:
                md = obj["metadata"]
                ns = md.setdefault("namespace", "default") \
                    if namespaced else None
                md["resourceVersion"] = next_rv()
                md.setdefault("uid", "uid-" + md["resourceVersion"])
                STORE[(gv, r, ns, md["name"])] = obj


def main():
    if os.environ.get("APISERVER_PRELOAD"):
        preload(os.environ["APISERVER_PRELOAD"])
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    # HTTPS with APISERVER_TLS_CERT and APISERVER_TLS_KEY (PEM): kubectl
    # sends a bearer token only over TLS
    cert = os.environ.get("APISERVER_TLS_CERT")
    if cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, os.environ["APISERVER_TLS_KEY"])
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    print("PORT %d" % srv.server_address[1], flush=True)

    def stop_on_eof():
        sys.stdin.read()
        srv.shutdown()
    threading.Thread(target=stop_on_eof, daemon=True).start()
    srv.serve_forever()


if __name__ == "__main__":
    main()
