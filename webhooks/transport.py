"""Requests to partners' endpoints, only to public addresses (SSRF guard).

An address is checked twice: when the coordinator saves the endpoint (``check_url``, a form error) and
before every attempt (``post``, a failed attempt, never a request). The host is resolved once per
attempt, every address it resolves to must be public (no private, loopback, link-local, multicast,
reserved or unspecified address), and the connection goes to that resolved address, so that a second
DNS answer (rebinding) cannot send the request elsewhere; TLS still checks the certificate against the
host's name. Redirects are never followed (``http.client`` does not), the timeouts are short and only a
short start of the response is read. ``WEBHOOKS_ALLOW_LOOPBACK`` (tests, drills) also lets http and
https go to 127.0.0.0/8 and ::1.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

SNIPPET_BYTES = 200
PATH_SAFE = "/%:@!$&'()*+,;=~-._?"  # kept as they are; anything else percent-encoded


class UnsafeURL(ValueError):
    """The address may not be called; the message is for the coordinator (translated)."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str


@dataclass(frozen=True)
class Response:
    status: int
    snippet: str
    duration_ms: int


def getaddrinfo(host: str, port: int):
    """The resolver (tests replace it)."""
    return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)


def _loopback_allowed() -> bool:
    return bool(getattr(settings, "WEBHOOKS_ALLOW_LOOPBACK", False))


def parse(url: str) -> Target:
    try:
        parts = urlsplit((url or "").strip())
        port = parts.port
    except ValueError as exc:
        raise UnsafeURL(_("Give a complete address such as https://example.org/webhooks.")) from exc
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise UnsafeURL(_("Give a complete address such as https://example.org/webhooks."))
    if parts.username or parts.password:
        raise UnsafeURL(_("The address may not hold a user name or password."))
    if any(ord(c) < 33 for c in url.strip()):
        raise UnsafeURL(_("The address may not hold spaces or control characters."))
    try:  # an international name in its ASCII form (the Host header and DNS take no other)
        host = parts.hostname.encode("idna").decode("ascii") if not parts.hostname.isascii() else parts.hostname
    except UnicodeError as exc:
        raise UnsafeURL(_("Give a complete address such as https://example.org/webhooks.")) from exc
    path = quote(parts.path or "/", safe=PATH_SAFE)
    if parts.query:
        path += "?" + quote(parts.query, safe=PATH_SAFE)
    return Target(parts.scheme, host, port or (443 if parts.scheme == "https" else 80), path)


def is_public(address) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    refused = (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )
    return not refused


def _is_loopback(address) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback


def resolve(target: Target) -> str:
    """The address to connect to: every address ``target.host`` resolves to must be public (or loopback
    where the setting allows it); an http URL is allowed only to loopback under the setting."""
    try:
        infos = getaddrinfo(target.host, target.port)
    except (OSError, UnicodeError) as exc:
        raise UnsafeURL(_("The host name could not be resolved.")) from exc
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise UnsafeURL(_("The host name could not be resolved."))
    loopback = _loopback_allowed() and all(_is_loopback(a) for a in addresses)
    if target.scheme != "https" and not loopback:
        raise UnsafeURL(_("The address must start with https://."))
    if not loopback and not all(is_public(a) for a in addresses):
        raise UnsafeURL(
            _("The address leads to a private, local or reserved network address; only public addresses are allowed.")
        )
    return addresses[0]


def check_url(url: str) -> Target:
    """Refuse what may not be called (on save): a ``UnsafeURL`` with the coordinator's message."""
    target = parse(url)
    if target.scheme != "https" and not _loopback_allowed():
        raise UnsafeURL(_("The address must start with https://."))
    resolve(target)
    return target


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, port, *, address, connect_timeout, read_timeout):
        super().__init__(host, port, timeout=read_timeout)
        self._address, self._connect_timeout, self._read_timeout = address, connect_timeout, read_timeout

    def _open(self):
        sock = socket.create_connection((self._address, self.port), timeout=self._connect_timeout)
        sock.settimeout(self._read_timeout)
        return sock

    def connect(self):
        self.sock = self._open()


class _PinnedHTTPSConnection(_PinnedHTTPConnection):
    def __init__(self, host, port, *, address, connect_timeout, read_timeout):
        super().__init__(host, port, address=address, connect_timeout=connect_timeout, read_timeout=read_timeout)
        self._context = ssl.create_default_context()

    def connect(self):
        self.sock = self._context.wrap_socket(self._open(), server_hostname=self.host)


def post(url: str, body: bytes, headers: dict[str, str]) -> Response:
    """POST ``body`` to ``url`` once, checked and pinned as above. Raises ``UnsafeURL`` (no request made)
    or ``OSError``/``http.client.HTTPException`` (connection, TLS, timeout); any status is a ``Response``."""
    target = parse(url)
    address = resolve(target)
    cls = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = cls(
        target.host,
        target.port,
        address=address,
        connect_timeout=settings.WEBHOOKS_CONNECT_TIMEOUT,
        read_timeout=settings.WEBHOOKS_READ_TIMEOUT,
    )
    started = time.monotonic()
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        snippet = response.read(SNIPPET_BYTES)
    finally:
        connection.close()
    duration_ms = int((time.monotonic() - started) * 1000)
    return Response(response.status, snippet.decode("utf-8", "replace"), duration_ms)
