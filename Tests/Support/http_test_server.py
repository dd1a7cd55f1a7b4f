#!/usr/bin/env python3
"""A small HTTP server for the health-check tests; listens on 127.0.0.1 only.

Usage: http_test_server.py RECORD_DIR [--tls CERT KEY]

Binds an ephemeral port and prints "PORT <n>" on stdout once it accepts connections, so tests need
neither a fixed port nor a readiness poll. Routes (any method):
  /ok                 200 "ok"
  /status/<code>      <code> "status <code>"
  /body/<text>        200 <text>
  /slow/<ms>          waits <ms> milliseconds, then 200 "slow ok"
  /echo               200 "echoed"; writes the request (method, path, headers, body) as JSON to
                      RECORD_DIR/last-request.json
  /flaky/<key>/<n>    503 for the first <n> requests with this key, then 200 "ok"; each arrival time
                      (Unix seconds) is appended to RECORD_DIR/hits-<key>.txt
  /chunked            200 "ok" sent as three chunks
  /close              200 "closed ok" without a length: the body ends when the connection closes
  /redirect           302 to /ok
  /big/<code>         <code> with 3000 bytes of "x"
  /hangup             closes the connection without answering
"""
import http.server
import json
import os
import ssl
import sys
import threading
import time

RECORD_DIR = sys.argv[1]
counters = {}
lock = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_text(self, code, text, extra=None):
        data = text.encode()
        self.send_response(code)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        parts = self.path.split("?")[0].strip("/").split("/")
        route = parts[0]
        if route == "ok":
            self.send_text(200, "ok")
        elif route == "status":
            self.send_text(int(parts[1]), "status " + parts[1])
        elif route == "body":
            self.send_text(200, "/".join(parts[1:]))
        elif route == "slow":
            time.sleep(int(parts[1]) / 1000)
            self.send_text(200, "slow ok")
        elif route == "echo":
            record = {
                "method": self.command,
                "path": self.path,
                "headers": [[name, value] for name, value in self.headers.items()],
                "body": body.decode("utf-8", "replace"),
            }
            with open(os.path.join(RECORD_DIR, "last-request.json"), "w") as out:
                json.dump(record, out)
            self.send_text(200, "echoed")
        elif route == "flaky":
            key, failures = parts[1], int(parts[2])
            with lock:
                count = counters.get(key, 0)
                counters[key] = count + 1
                with open(os.path.join(RECORD_DIR, "hits-" + key + ".txt"), "a") as out:
                    out.write("%.6f\n" % time.time())
            if count < failures:
                self.send_text(503, "failing %d of %d" % (count + 1, failures))
            else:
                self.send_text(200, "ok")
        elif route == "chunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for piece in (b"o", b"k", b"!"):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                self.wfile.flush()
            self.wfile.write(b"0\r\n\r\n")
        elif route == "close":
            self.send_response(200)
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b"closed ok")
            self.close_connection = True
        elif route == "redirect":
            self.send_text(302, "moved", {"Location": "/ok"})
        elif route == "hangup":
            self.close_connection = True
        elif route == "big":
            self.send_text(int(parts[1]), "x" * 3000)
        else:
            self.send_text(404, "no route " + self.path)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = handle_any


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256


server = Server(("127.0.0.1", 0), Handler)
if len(sys.argv) >= 5 and sys.argv[2] == "--tls":
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(sys.argv[3], sys.argv[4])
    server.socket = context.wrap_socket(server.socket, server_side=True)
print("PORT %d" % server.server_address[1], flush=True)
server.serve_forever()
