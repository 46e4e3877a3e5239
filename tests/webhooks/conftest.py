"""What the webhook tests share: a resolver the test controls (no DNS), an endpoint, and a local receiver
(an http.server thread on 127.0.0.1) that records what it was sent and answers as told."""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from webhooks import transport
from webhooks.models import Endpoint

PUBLIC_IP = "93.184.215.14"  # a global address: the resolver's answer for "partner.example.org"
SECRET = "whsec_test-secret"


@pytest.fixture
def resolver(monkeypatch):
    """Host name → addresses, instead of DNS; an unknown name does not resolve."""
    table = {"partner.example.org": [PUBLIC_IP]}

    def getaddrinfo(host, port):
        addresses = table.get(host) or ([host] if _is_ip(host) else None)
        if not addresses:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in addresses
        ]

    monkeypatch.setattr(transport, "getaddrinfo", getaddrinfo)
    return table


def _is_ip(host):
    import ipaddress

    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


class Sent:
    """What ``transport.post`` was asked to send (the stand-in for a partner answering ``status``)."""

    def __init__(self):
        self.requests = []
        self.answers = []  # statuses to answer in turn (then 200), or an exception to raise

    def __call__(self, url, body, headers):
        self.requests.append({"url": url, "body": body, "headers": dict(headers)})
        answer = self.answers.pop(0) if self.answers else 200
        if isinstance(answer, Exception):
            raise answer
        return transport.Response(answer, "ok" if answer < 300 else "error", 12)

    def bodies(self):
        return [json.loads(r["body"]) for r in self.requests]


@pytest.fixture
def sent(monkeypatch, resolver):
    recorder = Sent()
    monkeypatch.setattr(transport, "post", recorder)
    return recorder


def make_endpoint(**kwargs):
    values = {
        "name": "Partnerns system",
        "url": "https://partner.example.org/hook",
        "events": ["meetings.published"],
        "secret": SECRET,
    }
    values.update(kwargs)
    return Endpoint.objects.create(**values)


@pytest.fixture
def endpoint(db, coordinator):
    return make_endpoint(coordinator=coordinator)


class Receiver:
    """A partner's server on 127.0.0.1: records each request, answers the next of ``statuses`` (then 200)."""

    def __init__(self):
        self.requests = []
        self.statuses = []
        self.location = ""
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                if receiver.location:
                    self.send_header("Location", receiver.location)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path="/hook"):
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = True
    server = Receiver()
    yield server
    server.close()
