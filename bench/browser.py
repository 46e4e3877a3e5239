"""The benchmark's HTTP client that behaves like a browser: GET a form with its cookies, fill it, POST it."""

import http.client
import secrets
import urllib.parse
from html.parser import HTMLParser

from bench.common import HOST


def http_get(port: int, path: str, cookies: dict | None = None, timeout=30.0):
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        headers = {"Host": f"{HOST}:{port}"}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        return response.status, response.getheaders(), body
    finally:
        conn.close()


def http_post(port: int, path: str, data: dict | str, cookies: dict, timeout=60.0):
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        body = data if isinstance(data, str) else urllib.parse.urlencode(data, doseq=True)
        headers = {
            "Host": f"{HOST}:{port}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            "Origin": f"http://{HOST}:{port}",
            "Referer": f"http://{HOST}:{port}{path}",
        }
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        content = response.read()
        return response.status, response.getheaders(), content
    finally:
        conn.close()


def cookies_from(headers) -> dict:
    cookies = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            cookies[key.strip()] = rest.split(";", 1)[0]
    return cookies


class _FormParser(HTMLParser):
    """The fields of the form that posts to ``action`` (or the first POST form)."""

    def __init__(self, action: str):
        super().__init__()
        self.action = action
        self.in_form = False
        self.done = False
        self.fields: list[dict] = []
        self.select: dict | None = None
        self.textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self.done and (attrs.get("method") or "").lower() == "post":
            action = attrs.get("action") or ""
            if not action or action == self.action or action.endswith(self.action):
                self.in_form = True
        if not self.in_form:
            return
        if tag == "input":
            self.fields.append({"tag": "input", **attrs})
        elif tag == "select":
            self.select = {"tag": "select", "options": [], **attrs}
            self.fields.append(self.select)
        elif tag == "option" and self.select is not None:
            self.select["options"].append(attrs.get("value", ""))
        elif tag == "textarea":
            self.textarea = {"tag": "textarea", **attrs}
            self.fields.append(self.textarea)

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form = False
            self.done = True
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


EMAIL_MARK = "EMAILXXXX"
# The form's idempotency token (core/idempotency.py): one per rendered form, so every POST of the bench gets
# its own, as every browser that fetched the form would. Re-sending one form's token with another address is
# "the form filled in again for someone else": the unique index refuses the first INSERT and the sign-up is
# stored by a second one (about twice the work), which is what the bench measured until 2026-12-07.
KEY_MARK = "IDEMKEYXXXX"


def registration_form_data(html: str, action: str) -> list[tuple[str, str]]:
    """What a person fills in on the registration form: every required field, consent ticked,
    honeypot empty; the e-mail is ``EMAILXXXX`` for the caller to replace."""
    parser = _FormParser(action)
    parser.feed(html)
    data: list[tuple[str, str]] = []
    for field in parser.fields:
        name = field.get("name")
        if not name:
            continue
        kind = (field.get("type") or "text").lower()
        tag = field["tag"]
        if name in ("website_address",):
            data.append((name, ""))
        elif tag == "input" and kind == "hidden" and (name == "idempotency_key" or name.endswith("-idempotency_key")):
            data.append((name, KEY_MARK))
        elif tag == "input" and kind == "hidden":
            data.append((name, field.get("value", "")))
        elif tag == "input" and kind in ("submit", "button", "reset", "file"):
            continue
        elif tag == "input" and kind == "checkbox":
            if "consent" in name or "required" in field:
                data.append((name, field.get("value") or "on"))
        elif tag == "input" and kind == "radio":
            if not any(k == name for k, _ in data):
                data.append((name, field.get("value", "")))
        elif tag == "select":
            options = [o for o in field["options"] if o]
            if "required" in field and options:
                data.append((name, options[0]))
        elif kind == "email" or "email" in name:
            data.append((name, EMAIL_MARK))
        elif tag == "textarea":
            data.append((name, ""))
        elif "name" in name:
            data.append((name, "Bench Deltagare" if name == "name" else "Benchföreningen i Sundsvall"))
        elif "phone" in name:
            data.append((name, "070-123 45 67"))
        elif "required" in field:
            data.append((name, "Bench"))
    return data


def fill(data: list[tuple[str, str]], email: str, key: str | None = None) -> str:
    """The form's body with ``email`` and a fresh idempotency token (``key``, else a random one); the wrk
    script fills a body of ``EMAIL_MARK`` and ``KEY_MARK`` per request itself."""
    values = {EMAIL_MARK: email, KEY_MARK: key or secrets.token_urlsafe(16)}
    return urllib.parse.urlencode([(k, values.get(v, v)) for k, v in data])


def browser_form(port: int, path: str) -> tuple[dict, list[tuple[str, str]]]:
    """GET the form like a browser: its cookies (csrftoken) and the fields to post."""
    status, headers, body = http_get(port, path)
    if status != 200:
        raise RuntimeError(f"GET {path} answered {status}")
    return cookies_from(headers), registration_form_data(body.decode("utf-8", "replace"), path)
