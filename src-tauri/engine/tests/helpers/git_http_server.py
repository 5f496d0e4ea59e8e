#!/usr/bin/env python3
"""A smart-HTTP git server for the tests: `git http-backend` (CGI) behind HTTP basic auth,
listening on 127.0.0.1 only.

    git_http_server.py ROOT --user NAME:PASSWORD:rw --user NAME:PASSWORD:r [--tls CERT KEY] [--anonymous]

Repositories are served from ROOT (e.g. ROOT/acme/fabric.git as /acme/fabric.git). Every
request needs one of the users; `r` users may fetch but get 403 for the push service, the way
GitHub answers a read-only token. With --tls it speaks https with that certificate; with
--anonymous a request without credentials may fetch. Prints "PORT <n>" once listening and serves until killed.
Nothing is logged: requests carry tokens.
"""

import argparse
import base64
import hmac
import os
import subprocess
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

USERS = []
ROOT = ""
ANONYMOUS = False


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def do_GET(self):
        self.serve()

    def do_POST(self):
        self.serve()

    def user(self):
        header = self.headers.get("Authorization", "")
        if not header and ANONYMOUS:
            return ("anonymous", "r")
        if not header.startswith("Basic "):
            return None
        try:
            name, _, password = base64.b64decode(header[6:]).decode("utf-8").partition(":")
        except Exception:
            return None
        for user, secret, mode in USERS:
            if hmac.compare_digest(user.encode(), name.encode()) and hmac.compare_digest(secret.encode(), password.encode()):
                return (user, mode)
        return None

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                line = self.rfile.readline().strip()
                size = int(line.split(b";")[0], 16) if line else 0
                if size == 0:
                    # trailers until an empty line
                    while self.rfile.readline().strip():
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def reply(self, status, body, headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def serve(self):
        path, _, query = self.path.partition("?")
        body = self.read_body()
        who = self.user()
        if who is None:
            return self.reply(401, b"authentication required\n", [("WWW-Authenticate", 'Basic realm="git"'), ("Content-Type", "text/plain")])
        name, mode = who
        push = "service=git-receive-pack" in query or path.endswith("/git-receive-pack")
        if push and mode != "rw":
            return self.reply(403, b"Permission denied: this token may not push\n", [("Content-Type", "text/plain")])
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "GIT_PROJECT_ROOT": ROOT,
            "GIT_HTTP_EXPORT_ALL": "1",
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": "/dev/null",
            "HOME": ROOT,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "REQUEST_METHOD": self.command,
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(len(body)),
            "REMOTE_USER": name,
            "REMOTE_ADDR": self.client_address[0],
        }
        if self.headers.get("Content-Encoding"):
            env["HTTP_CONTENT_ENCODING"] = self.headers["Content-Encoding"]
        if self.headers.get("Git-Protocol"):
            env["GIT_PROTOCOL"] = self.headers["Git-Protocol"]
        result = subprocess.run(["git", "http-backend"], input=body, env=env, capture_output=True)
        out = result.stdout
        sep = out.find(b"\r\n\r\n")
        head, rest = (out[:sep], out[sep + 4:]) if sep >= 0 else out.split(b"\n\n", 1) if b"\n\n" in out else (b"", out)
        status = 200
        headers = []
        for line in head.replace(b"\r\n", b"\n").split(b"\n"):
            if not line:
                continue
            key, _, value = line.decode("latin-1").partition(":")
            if key.lower() == "status":
                status = int(value.strip().split()[0])
            else:
                headers.append((key.strip(), value.strip()))
        self.reply(status, rest, headers)


def main():
    global ROOT, ANONYMOUS
    parser = argparse.ArgumentParser()
    parser.add_argument("root")
    parser.add_argument("--user", action="append", default=[], help="NAME:PASSWORD:rw|r")
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--anonymous", action="store_true")
    args = parser.parse_args()
    ROOT = os.path.abspath(args.root)
    ANONYMOUS = args.anonymous
    for spec in args.user:
        name, password, mode = spec.rsplit(":", 2)
        USERS.append((name, password, mode))
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    if args.tls:
        import ssl

        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*args.tls)
        # The handshake happens on accept; a client that refuses the certificate fails only
        # its own connection (an OSError the server's loop ignores).
        server.socket = context.wrap_socket(server.socket, server_side=True)
    print(f"PORT {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
