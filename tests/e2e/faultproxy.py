#!/usr/bin/env python3
"""A fault-injecting proxy in front of a Kubernetes API server, for the
end-to-end tests: the stand-in (tests/e2e/apiserver.py) or the real
cluster of HELM_X_E2E_KUBECONFIG.

    faultproxy.py KUBECONFIG.json FAULTS

It reads the current context's cluster and user of KUBECONFIG.json (as
`kubectl config view --raw --minify -o json` writes it: server,
certificate-authority(-data), insecure-skip-tls-verify,
client-certificate(-data), client-key(-data), token), listens on
127.0.0.1 (port 0, printed as "PORT N" on stdout) for plain HTTP, and
forwards every request upstream with those credentials; the clients need
none (a kubeconfig with an empty user). It stops when stdin closes.

FAULTS is a file read on every request; each line is

    METHOD PATH-REGEX ACTION [TIMES]

and applies to a request whose method matches METHOD (a regular
expression: "POST|PATCH"; "*" for any) and whose path
(without the query) matches PATH-REGEX from its start. ACTION is an HTTP
status (500, 409, 429, ...) answered with a Kubernetes Status object,
"drop" (the connection is closed with no answer), or "slow:SECONDS" (then
forwarded). A line fires TIMES times (default 1; "*" for always), counted
by its text, so rewriting the file with new lines starts over. Every
request is logged to stderr as "METHOD PATH -> RESULT".
"""
import base64
import http.client
import json
import os
import re
import socket
import ssl
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding",
       "te", "trailer", "upgrade", "host", "content-length"}


def load_kubeconfig(path):
    """The server URL, an ssl context and extra headers of the current
    context."""
    with open(path) as f:
        kc = json.load(f)
    ctx_name = kc.get("current-context")
    ctx = next(c["context"] for c in kc["contexts"] if c["name"] == ctx_name)
    cluster = next(c["cluster"] for c in kc["clusters"]
                   if c["name"] == ctx["cluster"])
    user = next((u.get("user") or {} for u in kc.get("users") or []
                 if u["name"] == ctx.get("user")), {})
    base = os.path.dirname(os.path.abspath(path))
    tmp = tempfile.mkdtemp(prefix="faultproxy.")

    def file_of(obj, key):
        if obj.get(key + "-data"):
            p = os.path.join(tmp, key)
            with open(p, "wb") as f:
                f.write(base64.b64decode(obj[key + "-data"]))
            return p
        if obj.get(key):
            return os.path.join(base, obj[key])
        return None

    server = cluster["server"]
    context = None
    headers = {}
    if server.startswith("https:"):
        context = ssl.create_default_context(
            cafile=file_of(cluster, "certificate-authority"))
        if cluster.get("insecure-skip-tls-verify"):
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        cert = file_of(user, "client-certificate")
        if cert:
            context.load_cert_chain(cert, file_of(user, "client-key"))
    if user.get("token"):
        headers["Authorization"] = "Bearer " + user["token"]
    return server, context, headers


class Faults:
    def __init__(self, path):
        self.path = path
        self.fired = {}
        self.lock = threading.Lock()

    def match(self, method, path):
        try:
            lines = open(self.path).read().splitlines()
        except OSError:
            return None
        with self.lock:
            for line in lines:
                words = line.split()
                if len(words) < 3 or line.startswith("#"):
                    continue
                m, pattern, action = words[:3]
                times = words[3] if len(words) > 3 else "1"
                if (m != "*" and not re.fullmatch(m, method)) or \
                        not re.match(pattern, path):
                    continue
                n = self.fired.get(line, 0)
                if times != "*" and n >= int(times):
                    continue
                self.fired[line] = n + 1
                return action
        return None


def make_handler(upstream, context, headers, faults):
    u = urlsplit(upstream)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self):
            super().setup()
            # no Nagle: a 40 ms wait for the client's delayed ACK on
            # each answer written in two parts
            self.connection.setsockopt(socket.IPPROTO_TCP,
                                       socket.TCP_NODELAY, 1)

        def log_message(self, fmt, *args):
            pass

        def note(self, what):
            sys.stderr.write("%s %s -> %s\n" % (self.command, self.path,
                                                what))
            sys.stderr.flush()

        def fail(self, code):
            body = json.dumps({
                "kind": "Status", "apiVersion": "v1", "metadata": {},
                "status": "Failure", "code": code,
                "reason": "InternalError" if code >= 500 else "Conflict",
                "message": "injected fault %d" % code}).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def handle_any(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            action = faults.match(self.command, self.path.split("?")[0])
            if action == "drop":
                self.note("drop")
                self.close_connection = True
                try:
                    self.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                return
            if action and action.startswith("slow:"):
                time.sleep(float(action[5:]))
            elif action:
                self.note(action)
                self.fail(int(action))
                return
            if u.scheme == "https":
                conn = http.client.HTTPSConnection(u.hostname, u.port or 443,
                                                   context=context,
                                                   timeout=120)
            else:
                conn = http.client.HTTPConnection(u.hostname, u.port or 80,
                                                  timeout=120)
            hdrs = {k: v for k, v in self.headers.items()
                    if k.lower() not in HOP and k.lower() != "authorization"}
            hdrs.update(headers)
            path = (u.path.rstrip("/") + self.path) if u.path else self.path
            try:
                conn.request(self.command, path, body=body, headers=hdrs)
                resp = conn.getresponse()
                watch = "watch=" in self.path
                self.send_response(resp.status)
                for k, v in resp.getheaders():
                    if k.lower() not in HOP:
                        self.send_header(k, v)
                if watch:
                    # a watch streams until either side closes
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    while True:
                        chunk = resp.read1(65536)
                        if not chunk:
                            break
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk),
                                                            chunk))
                        self.wfile.flush()
                    self.wfile.write(b"0\r\n\r\n")
                else:
                    data = resp.read()
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                self.note("%d%s" % (resp.status, " (slow)" if action else ""))
            except (OSError, http.client.HTTPException) as e:
                self.note("upstream error %s" % e)
                self.close_connection = True
            finally:
                conn.close()

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any
        do_HEAD = do_OPTIONS = handle_any

    return Handler


def main():
    if len(sys.argv) != 3:
        sys.stderr.write("usage: faultproxy.py KUBECONFIG.json FAULTS\n")
        return 2
    upstream, context, headers = load_kubeconfig(sys.argv[1])
    srv = ThreadingHTTPServer(("127.0.0.1", 0),
                              make_handler(upstream, context, headers,
                                           Faults(sys.argv[2])))
    srv.daemon_threads = True
    print("PORT %d" % srv.server_address[1], flush=True)

    def stop_on_eof():
        sys.stdin.read()
        srv.shutdown()

    threading.Thread(target=stop_on_eof, daemon=True).start()
    srv.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
