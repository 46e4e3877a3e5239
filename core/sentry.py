"""Error reporting to Sentry without personal data.

``sentry_init`` starts sentry-sdk (Django and Celery integrations) when ``SENTRY_DSN`` is set, with
``send_default_pii`` off, no request bodies or local variables, and ``scrub_event`` as ``before_send``:
e-mail addresses and tokens in URLs never leave the machine. No Django imports at module level:
samverkan/settings/logging.py calls ``sentry_init`` while the settings are being loaded.
"""

import logging
import re

# An address starts where a run of the characters a local part may hold starts (the look-behind): a
# match is tried once per run, not at every character of it, so a long run without "@" (a query string
# of 5,000 digits in a log line) costs linear time, not quadratic.
_LOCAL = r"A-Za-z0-9.!#$%&'*+/=?^_`{|}~-"
# "@" percent-encoded too: a browser sends an address typed into a GET form (the search) as "%40".
EMAIL = re.compile(rf"(?<![{_LOCAL}])[{_LOCAL}]+(?:@|%40)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# Query parameters that carry secrets or personal data (allauth keys, our tokens, signed URLs).
SECRET_PARAMS = re.compile(
    r"(?i)((?:^|[?&;])(?:token|key|code|signature|sig|password|secret|session|csrfmiddlewaretoken|email|e-?post|kvitto|"
    r"x-amz-[a-z-]+|awsaccesskeyid)=)[^&;#\s]*"
)
# Path segments that are tokens: a registration's manage link (django.core.signing), allauth's
# confirmation and reset keys. Long, with a digit, and with capitals, ":" or "_" (a slug has none).
TOKEN_SEGMENT = re.compile(r"(?<=/)(?=[^/?#]*\d)(?=[^/?#]*[A-Z:_])[A-Za-z0-9_:=-]{20,}(?=/|$|\?|#)")
# The segment after these is a secret whatever it looks like (allauth's keys, our registration links).
KEYED_SEGMENT = re.compile(r"(/(?:key|confirm-email|moten/anmalan|login/code)/)[^/?#\s]+")
FILTERED = "[Filtered]"


def scrub_text(value: str) -> str:
    """E-mail addresses, secret query values and token-like path segments replaced by ``[Filtered]``."""
    value = EMAIL.sub(FILTERED, value)
    value = SECRET_PARAMS.sub(lambda m: m.group(1) + FILTERED, value)
    value = KEYED_SEGMENT.sub(lambda m: m.group(1) + FILTERED, value)
    return TOKEN_SEGMENT.sub(FILTERED, value)


def without_query(url: str) -> str:
    """The URL without its query's values (what a visitor typed into a GET form): ``/sok/?q=…``."""
    path, mark, _query = url.partition("?")
    return f"{path}?{FILTERED}" if mark else path


def _scrub(value, depth=0):
    if depth > 20:
        return value
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {k: _scrub(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(v, depth + 1) for v in value]
    return value


def scrub_event(event, hint=None):
    """sentry-sdk's ``before_send`` (and ``before_send_transaction``): the event without personal data.

    Request bodies, query strings, cookies and the user are dropped whole; every other string (message, exception
    values, frame variables, breadcrumbs, URLs, headers) has e-mail addresses and tokens replaced.
    """
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("data", "cookies", "query_string"):
            request.pop(key, None)
        if isinstance(request.get("url"), str):
            request["url"] = without_query(request["url"])
        headers = request.get("headers")
        if isinstance(headers, dict):
            for name in list(headers):
                if name.lower() in (
                    "cookie",
                    "authorization",
                    "x-csrftoken",
                    "referer",
                    "x-forwarded-for",
                    "x-real-ip",
                ):
                    headers.pop(name)
    event.pop("user", None)
    return _scrub(event)


def sentry_init(*, dsn: str, environment: str, release: str | None, traces_sample_rate: float, transport=None):
    """Start sentry-sdk with the Django and Celery integrations and the scrubber."""
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.logging import LoggingIntegration

    options = {
        "dsn": dsn,
        "environment": environment,
        "release": release,
        "send_default_pii": False,
        "max_request_body_size": "never",
        "include_local_variables": False,
        "traces_sample_rate": traces_sample_rate,
        "before_send": scrub_event,
        "before_send_transaction": scrub_event,
        "integrations": [
            DjangoIntegration(),
            CeleryIntegration(monitor_beat_tasks=False),
            LoggingIntegration(level=logging.INFO, event_level=logging.ERROR),
        ],
    }
    if transport is not None:
        options["transport"] = transport
    return sentry_sdk.init(**options)
