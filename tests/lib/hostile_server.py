#!/usr/bin/python3
"""A deliberately bad HTTP server for smile's resilience tests.

usage: hostile_server.py MODE COUNT_FILE
Prints its port on the first line, then serves until killed (at most 120 s).
Each request appends "METHOD PATH AUTH" to COUNT_FILE, AUTH being "auth" or
"noauth" as the Authorization header was there or not.

Modes:
  html502      502 with an HTML page, as a proxy would answer
  endless      200 JSON that never ends
  truncated    200 with Content-Length larger than what is sent, then close
  drop         close the connection without answering
  status:N     N with a Smile error envelope (e.g. status:500, status:503)
  notjson200   200 with a body that is not JSON
  file         200 with the bytes "file-content" (a download host)
  cursorloop   200 list pages whose nextCursor is always "same"
  cursorcycle  200 list pages whose nextCursor goes a, b, a, b, ...
  body:FILE    200 with FILE's bytes as an application/json body, as they are
"""
import http.server
import socket
import sys
import threading

MODE = sys.argv[1]
COUNT_FILE = sys.argv[2]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def record(self):
        auth = "auth" if self.headers.get("Authorization") else "noauth"
        with open(COUNT_FILE, "a") as f:
            f.write(f"{self.command} {self.path} {auth}\n")
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)

    def send_body(self, status, ctype, body):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def handle_any(self):
        self.record()
        if MODE == "html502":
            self.send_body(502, "text/html", b"<html><body><h1>502 Bad Gateway</h1></body></html>")
        elif MODE == "notjson200":
            self.send_body(200, "text/plain", b"hello, not json")
        elif MODE == "file":
            self.send_body(200, "application/octet-stream", b"file-content")
        elif MODE == "endless":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"code":"OK","data":{"items":["')
            chunk = b"x" * 65536
            try:
                while True:
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True
        elif MODE == "truncated":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b'{"code":"OK","da')
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
        elif MODE == "drop":
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
        elif MODE in ("cursorloop", "cursorcycle"):
            nxt = "same" if MODE == "cursorloop" else ("b" if self.path.endswith("cursor=a") else "a")
            body = ('{"code":"OK","data":{"items":[{"id":"i-1"}],"nextCursor":"%s"}}' % nxt).encode()
            self.send_body(200, "application/json", body)
        elif MODE.startswith("body:"):
            with open(MODE[len("body:"):], "rb") as f:
                self.send_body(200, "application/json", f.read())
        elif MODE.startswith("status:"):
            code = int(MODE.split(":")[1])
            body = ('{"code":"SERVER_ERROR","message":"injected %d","requestId":"r-1","data":null}' % code).encode()
            self.send_body(code, "application/json", body)

    do_GET = do_POST = do_PUT = do_DELETE = handle_any


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
threading.Timer(120, server.shutdown).start()
server.serve_forever()
