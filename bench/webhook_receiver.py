"""A partner's webhook receiver for the webhook drill (``bench/drills_webhooks.py``): an HTTP server on
127.0.0.1 that checks each request's signature with the secret in ``WEBHOOK_SECRET`` and appends one JSON
line per request to ``--log`` (event id, delivery id, attempt, signature good or not) before it answers 200,
so that what it logged it received. The drill kills it (SIGKILL) and starts it again on the same port.

    python bench/webhook_receiver.py --port 8765 --log /tmp/receiver.jsonl
"""

import argparse
import hashlib
import hmac
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()


def verify(secret: str, headers, body: bytes) -> bool:
    timestamp = headers.get("X-Samverkan-Timestamp", "")
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return hmac.compare_digest("sha256=" + mac.hexdigest(), headers.get("X-Samverkan-Signature", ""))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--log", required=True)
    args = parser.parse_args()
    secret = os.environ["WEBHOOK_SECRET"]
    log = open(args.log, "a", encoding="utf-8")  # noqa: SIM115 - open for the process's life

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            try:
                event_id = json.loads(body)["id"]
            except (ValueError, KeyError):
                event_id = None
            line = {
                "event": event_id,
                "delivery": self.headers.get("X-Samverkan-Delivery"),
                "attempt": self.headers.get("X-Samverkan-Attempt"),
                "signature_ok": verify(secret, self.headers, body),
            }
            with LOCK:
                log.write(json.dumps(line) + "\n")
                log.flush()
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    main()
