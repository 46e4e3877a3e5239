"""The idempotency token of a public form (``core.forms.IdempotencyMixin``): one random token per
rendered form, so that the same POST sent twice (a retry after a dropped connection, by the visitor
or by a proxy) is recognised and answered from what the first one stored.

A page kept by ``core.pagecache`` must not hand one visitor's token to the next (two people would
then send the same token, and the second be answered as a repeat): the cache stores the input with
a placeholder, as it does the CSRF token, and every copy it serves gets fresh tokens.
"""

import re
import secrets

PLACEHOLDER = b"__pagecache_idempotency_key__"
KEY_RE = re.compile(r"[A-Za-z0-9_-]{16,64}")
# Django's HiddenInput as rendered (with or without a form prefix); any other markup naming the field
# is unknown, and a page holding it is not kept.
_INPUT = re.compile(rb'(<input type="hidden" name="(?:[\w-]+-)?idempotency_key" value=")[^"]*(")')
_NAMED = re.compile(rb'name="(?:[\w-]+-)?idempotency_key"')


def new_key() -> str:
    """128 random bits, URL-safe: a fresh token for one rendered form."""
    return secrets.token_urlsafe(16)


def with_placeholders(content: bytes) -> tuple[bytes, bool]:
    """``content`` with every token replaced by the placeholder, and whether every token was found
    (False: a token in markup we do not know, which must never be shared)."""
    named = len(_NAMED.findall(content))
    content, replaced = _INPUT.subn(rb"\g<1>" + PLACEHOLDER + rb"\g<2>", content)
    return content, named == replaced


def filled(content: bytes) -> bytes:
    """A served copy: a fresh token for every form on the page."""
    while PLACEHOLDER in content:
        content = content.replace(PLACEHOLDER, new_key().encode(), 1)
    return content
