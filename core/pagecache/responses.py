"""What of a request and a response the page cache keeps or shares: the query parameters a page reads,
whether a response may be shared, and its bytes stored with the per-visitor parts (the CSRF token, the
language switcher's "next", a form's idempotency key) as placeholders, filled again per visitor."""

import re
from collections.abc import Iterable

from django.contrib.messages import get_messages
from django.http import HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.utils.html import escape

from core import idempotency

CSRF_PLACEHOLDER = b"__pagecache_csrf_token__"
NEXT_PLACEHOLDER = b"__pagecache_next_path__"
# The markup of Django's {% csrf_token %} and of the language switcher's hidden "next" (base.html).
_CSRF_INPUT = re.compile(rb'(<input type="hidden" name="csrfmiddlewaretoken" value=")[^"]*(")')
_NEXT_INPUT = re.compile(rb'(<input name="next" type="hidden" value=")[^"]*(")')


def canonical_params(request, params: Iterable[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The query parameters ``params`` of ``request``, names sorted, empty values left out."""
    found = []
    for name in sorted(set(params)):
        values = tuple(value for value in request.GET.getlist(name) if value != "")
        if values:
            found.append((name, values))
    return tuple(found)


def _restrict_query(request, params: tuple) -> None:
    """Leave on the request only the parameters the page reads, so a page (its pagination links,
    its filter form) built for the cache holds none of one visitor's junk parameters."""
    query = QueryDict(mutable=True)
    for name, values in params:
        query.setlist(name, list(values))
    query._mutable = False
    request.GET = query


def _may_share(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    return len(get_messages(request)) == 0  # counting does not mark them read


def _storable(response) -> dict | None:
    """What is kept of a response: its content with the per-visitor parts as placeholders."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    content, keys_known = idempotency.with_placeholders(response.content)  # a sign-up form's token
    content, tokens = _CSRF_INPUT.subn(rb"\g<1>" + CSRF_PLACEHOLDER + rb"\g<2>", content)
    if not keys_known or content.count(b"csrfmiddlewaretoken") != tokens or b' nonce="' in content:
        return None  # a token (or CSP nonce) in markup we do not know: never store one visitor's for another
    content = _NEXT_INPUT.sub(rb"\g<1>" + NEXT_PLACEHOLDER + rb"\g<2>", content)
    headers = {name: value for name, value in response.headers.items() if name.lower() in _KEPT_HEADERS}
    return {"content": content, "headers": headers, "tokens": tokens > 0}


_KEPT_HEADERS = {"content-type", "content-language"}


def _served(request, stored: dict) -> HttpResponse:
    content = stored["content"]
    if stored["tokens"]:
        content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
    content = idempotency.filled(content.replace(NEXT_PLACEHOLDER, escape(request.get_full_path()).encode()))
    response = HttpResponse(content)
    for name, value in stored["headers"].items():
        response[name] = value
    return response
