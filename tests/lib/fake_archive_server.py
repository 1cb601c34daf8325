#!/usr/bin/python3
"""A fake Smile API that serves archives with hostile file names, for smile's
`archives download` tests.

usage: fake_archive_server.py LOG_FILE
Listens on 127.0.0.1, prints its port on the first line, then serves until
killed (at most 120 s). Each request appends "METHOD PATH AUTH HOST" to
LOG_FILE, AUTH being "auth" or "noauth" as the Authorization header was there
or not, HOST the Host header.

GET /v1/archives/ID answers a Smile envelope whose data.rawFiles is the list
FILES[ID] below (404 with an error envelope for another ID). Each file is
{name, format, url}; a url "@/x" is http://127.0.0.1:PORT/files/x (the API's
own host), "~/x" is http://localhost:PORT/files/x: the same server under
another host name, so smile must treat it as a foreign download host.
GET /files/NAME answers 200 with the bytes "file-content:NAME", or 404 when
NAME starts with "gone".

POST /v1/accounts/ID/exports/generate answers an account export whose file
is /files/export-ID.csv and whose md5 is EXPORTS[ID]: the file's true md5
for "good", a wrong one for "bad", none for "no-md5"; "unsafe" points its
downloadUrl at /files/.. (404 for another ID).
"""
import hashlib
import http.server
import json
import sys
import threading

LOG_FILE = sys.argv[1]

FILES = {
    "escape": [{"name": "../escape.pdf", "format": "PDF", "url": "@/escape.pdf"}],
    "hidden": [{"name": ".hidden", "format": "PDF", "url": "@/hidden.pdf"}],
    "subdir": [{"name": "a/b.pdf", "format": "PDF", "url": "@/b.pdf"}],
    "backslash": [{"name": "..\\escape.pdf", "format": "PDF", "url": "@/escape.pdf"}],
    "absolute": [{"name": "/tmp/escape.pdf", "format": "PDF", "url": "@/escape.pdf"}],
    "control": [{"name": "bad\nname.pdf", "format": "PDF", "url": "@/bad.pdf"}],
    # No name: smile falls back to the URL's last segment, here "..".
    "dotdot-url": [{"format": "PDF", "url": "@/.."}],
    # A good file then a bad one: nothing may be written at all.
    "mixed": [
        {"name": "good.pdf", "format": "PDF", "url": "@/good.pdf"},
        {"name": "../escape.pdf", "format": "PDF", "url": "@/escape.pdf"},
    ],
    "foreign": [{"name": "payslip.pdf", "format": "PDF", "url": "~/payslip.pdf"}],
    "own": [{"name": "own.pdf", "format": "PDF", "url": "@/own.pdf"}],
    # The file host lost the middle file: the other two must still be written.
    "partial": [
        {"name": "first.pdf", "format": "PDF", "url": "@/first.pdf"},
        {"name": "lost.pdf", "format": "PDF", "url": "@/gone.pdf"},
        {"name": "last.pdf", "format": "PDF", "url": "@/last.pdf"},
    ],
    "all-gone": [{"name": "lost.pdf", "format": "PDF", "url": "@/gone.pdf"}],
}

def file_content(name):
    return f"file-content:{name}".encode()


EXPORTS = {
    "good": lambda name: hashlib.md5(file_content(name)).hexdigest(),
    "bad": lambda name: "0" * 32,
    "no-md5": lambda name: None,
    "unsafe": lambda name: hashlib.md5(file_content(name)).hexdigest(),
}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_body(self, status, ctype, body):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        auth = "auth" if self.headers.get("Authorization") else "noauth"
        with open(LOG_FILE, "a") as f:
            f.write(f"{self.command} {self.path} {auth} {self.headers.get('Host')}\n")
        port = self.server.server_address[1]
        if self.path.startswith("/files/"):
            name = self.path[len("/files/"):]
            if name.startswith("gone"):
                self.send_body(404, "text/plain", b"no such file")
                return
            self.send_body(200, "application/octet-stream", file_content(name))
            return
        prefix = "/v1/archives/"
        key = self.path[len(prefix):] if self.path.startswith(prefix) else None
        if key not in FILES:
            body = {"code": "MISSING_RESOURCE", "message": f"no archive {key}",
                    "requestId": "r-1", "data": None}
            self.send_body(404, "application/json", json.dumps(body).encode())
            return
        files = []
        for f in FILES[key]:
            f = dict(f)
            host = "127.0.0.1" if f["url"][0] == "@" else "localhost"
            f["url"] = f"http://{host}:{port}/files{f['url'][1:]}"
            files.append(f)
        data = {"id": key, "userId": "emulator-1", "fileType": "PAYSLIP", "rawFiles": files}
        body = {"code": "OK", "message": "Success", "requestId": "r-1", "data": data}
        self.send_body(200, "application/json", json.dumps(body).encode())

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        with open(LOG_FILE, "a") as f:
            f.write(f"{self.command} {self.path} \n")
        port = self.server.server_address[1]
        parts = self.path.split("/")  # "", v1, accounts, ID, exports, generate
        key = parts[3] if len(parts) == 6 and parts[2] == "accounts" else None
        if key not in EXPORTS:
            body = {"code": "MISSING_RESOURCE", "message": f"no account {key}",
                    "requestId": "r-1", "data": None}
            self.send_body(404, "application/json", json.dumps(body).encode())
            return
        name = ".." if key == "unsafe" else f"export-{key}.csv"
        data = {"id": f"export-{key}", "accountId": key, "exportExtensionType": "CSV",
                "downloadUrl": f"http://127.0.0.1:{port}/files/{name}"}
        md5 = EXPORTS[key](name)
        if md5:
            data["md5"] = md5
        body = {"code": "OK", "message": "Success", "requestId": "r-1", "data": data}
        self.send_body(200, "application/json", json.dumps(body).encode())


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
threading.Timer(120, server.shutdown).start()
server.serve_forever()
