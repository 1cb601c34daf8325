#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""A webhook receiver for tests, written independently of the emulator.

Listens on 127.0.0.1 (port 0 unless --port), prints the port as its first
line, and appends one JSON line per delivery to --out:
  {"n", "path", "headers", "body", "signatureValid", "answered"}
where body is the raw text received and signatureValid says whether the
Smile-Signature header equals hex HMAC-SHA512(body, --secret), computed here
with hmac/hashlib as the docs' Node and Java examples do.

--fail-first N answers 500 to the first N requests (to exercise retries),
--fail-always answers 500 to all, --hang never answers (holds the
connection until exit). Exits after --lifetime seconds at most.
"""
import argparse
import hashlib
import hmac
import http.server
import json
import sys
import threading


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--secret", required=True, help="key to verify signatures with")
    p.add_argument("--out", required=True, help="file to append deliveries to")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--fail-first", type=int, default=0, metavar="N")
    p.add_argument("--fail-always", action="store_true")
    p.add_argument("--hang", action="store_true")
    p.add_argument("--lifetime", type=float, default=120.0, metavar="SECONDS")
    return p.parse_args()


def make_handler(args, done):
    lock = threading.Lock()
    counter = {"n": 0}

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *a):  # keep the test output quiet
            pass

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(length)
            expected = hmac.new(args.secret.encode(), raw, hashlib.sha512).hexdigest()
            got = self.headers.get("Smile-Signature", "")
            with lock:
                counter["n"] += 1
                n = counter["n"]
                failing = args.fail_always or n <= args.fail_first
                status = None if args.hang else (500 if failing else 200)
                record = {
                    "n": n,
                    "path": self.path,
                    "headers": {k: v for k, v in self.headers.items()},
                    "body": raw.decode("utf-8", errors="replace"),
                    "signatureValid": hmac.compare_digest(expected, got),
                    "answered": status,
                }
                with open(args.out, "a", encoding="utf-8") as f:
                    f.write(json.dumps(record) + "\n")
            if status is None:
                done.wait(args.lifetime)  # hold the connection until we exit
                return
            reply = b'{"ok":true}' if status == 200 else b'{"ok":false}'
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

    return Handler


def main():
    args = parse_args()
    done = threading.Event()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(args, done))
    server.daemon_threads = True
    print(server.server_address[1], flush=True)

    def stop():
        done.set()
        server.shutdown()

    timer = threading.Timer(args.lifetime, stop)
    timer.daemon = True
    timer.start()
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        done.set()
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
