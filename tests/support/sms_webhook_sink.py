#!/usr/bin/python3
"""An SMS provider's webhook for the tests of the webhook SMS provider: checks each request's
X-Travio-Signature (HMAC-SHA256 of "<timestamp>.<body>" with the shared secret) with Python's own
hmac, records what it received, and answers as told.

usage: sms_webhook_sink.py <secret> <record.jsonl> <status>
Prints the port it listens on (127.0.0.1), then serves until killed. Each request is appended to
the record as {"path","timestamp","signature_ok","body"}; a request whose signature is wrong is
answered 401, others <status>."""
import hashlib
import hmac
import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

SECRET, RECORD, STATUS = sys.argv[1].encode(), sys.argv[2], int(sys.argv[3])


class Sink(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        timestamp = self.headers.get("X-Travio-Timestamp", "")
        expected = "v1=" + hmac.new(SECRET, timestamp.encode() + b"." + body,
                                    hashlib.sha256).hexdigest()
        ok = hmac.compare_digest(expected, self.headers.get("X-Travio-Signature", ""))
        with open(RECORD, "a", encoding="utf-8") as out:
            out.write(json.dumps({"path": self.path, "timestamp": timestamp, "signature_ok": ok,
                                  "body": json.loads(body)}) + "\n")
        self.send_response(STATUS if ok else 401)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = HTTPServer(("127.0.0.1", 0), Sink)
print(server.server_address[1], flush=True)
server.serve_forever()
