"""The fast path: a whole anonymous page kept by ``VersionedCache.cached_page``, answered right after the
region is known, before sessions, locale, CORS, CSRF, auth, messages, CSP, allauth and history run.

Who: a GET or HEAD from a visitor who sends no cookie but the CSRF token and the language (so no
session, hence no login and no message waiting), no ``Origin`` (CORS answers those) and no
``Authorization``. Anyone else, and any doubt (the cache away, an entry of an unknown shape), goes the
normal way, which is always right.

What. When the normal path serves a page whole from ``cached_page`` to such a visitor, this
middleware, on the way out, keeps an *alias* for the address (region by the cache's key function,
method, language, path, query): which entry holds the page, the version keys it is checked against,
and the headers the stack below added to it (CSP, X-Frame-Options, Permissions-Policy, Vary,
Content-Language …; never a cookie, and not Content-Length, which is counted per copy). The alias is
kept in the cache (for the other processes) and in this process (``_known``, also "none here" for
30 s, so a page that is never cached costs no extra round trip), so that a later visitor costs one
``get_many``: the entry and its versions, exactly the read ``cached_page`` does (two round trips the
first time a process meets the address). The version the page was built under and its ``fresh`` and
``until`` marks are the entry's own, read in that same round trip; the alias does not copy the page. The page is
served only when the entry was built under the current versions and is not stale (its ``fresh`` and
``until`` marks), with the per-visitor parts filled as ``cached_page`` fills them (``_served``); the
CSRF cookie is read and, when needed, set by Django's own ``CsrfViewMiddleware`` methods, so the
cookie, its settings and the form's token are what the normal path gives.

Query strings. An alias is kept only for a query that names nothing but the parameters the page reads
(``params``); its key is the query's non-empty pairs in sorted order, as the entry's key is made, so
an order or an empty field changes nothing and a junk parameter never makes an alias: those requests
go the normal way (which still serves them from the entry). So there are at most two aliases (GET,
HEAD) per entry. A page number the view reads itself (the meeting list's ``sida`` and ``arkiv``, passed to
``cached_page`` as ``read_in_parts``) is aliased only as the page's links write it (``?sida=2``, never
``?sida=02``).

Downloads (``cached_download``: the calendar feed, the signatory CSVs) are aliased the same way, their body
the entry's bytes as kept. The API (``register_prefix("/api/", …)`` in ``api/apps.py``) is aliased under its
own rules: its language (``?lang``, ``Accept-Language``), the query exactly as given (a blank value too, which
its links carry), its rate limit counted per answer, conditional requests left to the view, and the
``ETag``/``Last-Modified`` of the entry served.

An alias lives as long as the page's timeout: code deployed with other headers is followed within it.
"""

import logging
from collections import OrderedDict
from hashlib import sha256

from django.conf import settings
from django.core.cache import cache as default_cache
from django.core.exceptions import MiddlewareNotUsed, SuspiciousOperation
from django.core.signals import setting_changed
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.http import http_date

from core import pagecache
from core.language import visitor_language

logger = logging.getLogger(__name__)

# Aliases this process knows, by address (region, method, language, path, query): (alias or None for "none kept", until when it is trusted).
_known: dict[tuple, tuple[dict | None, float]] = {}
KNOWN_MAX = 5000
# How long "no alias here" is believed before the cache is asked again.
NOT_KEPT_FOR = 30.0
_NOT_COPIED = {"content-length", "set-cookie"}
# Not copied for an "api" entry either: they are the entry's own, set from it per copy.
_FROM_API_ENTRY = {"etag", "last-modified"}
# Paths answered by other rules than the pages (the API): path prefix -> (language, admit).
_prefixes: dict[str, tuple] = {}


def register_prefix(prefix: str, *, language, admit=None) -> None:
    """Addresses under ``prefix`` (the API, from its ``AppConfig.ready``) take their language from
    ``language(request)`` (an exception: the normal way), keep every query pair as given (a blank value
    too: the answer's links carry it), and are served only when ``admit(request)`` says so (the API's rate
    limit, counted there as the normal path would) and the request is not conditional (the normal path
    answers ``If-None-Match``/``If-Modified-Since``)."""
    _prefixes[prefix] = (language, admit)


def _rules(path: str):
    for prefix, rules in _prefixes.items():
        if path.startswith(prefix):
            return rules
    return None


# Large bodies (a CSV of every signatory, the open data page) kept in this process as well, by region and entry
# key: a later visitor costs a read of the small version keys instead of the body's bytes from the cache. A copy
# is served only when the versions read now are the ones it was built under and its own marks allow it (as the
# entry's are checked), and for at most LOCAL_SECONDS: an entry rebuilt in the cache under the same versions (a
# timeout) reaches this process within that (issue 29).
_bodies: OrderedDict[tuple, tuple[str, object, float, int]] = OrderedDict()
LOCAL_MIN_BYTES = 32 * 1024
LOCAL_MAX_BYTES = 16 * 1024 * 1024  # per process
LOCAL_SECONDS = 5.0


def _forget(**_kwargs) -> None:
    _known.clear()
    _bodies.clear()


# Settings decide the headers an alias holds (tests change them): start again when one changes.
setting_changed.connect(_forget, dispatch_uid="core.pagecache_fast.forget")


class FastPathMiddleware:
    """Answer a cached anonymous page at once (placed right after ``core.regions.RegionMiddleware``)."""

    def __init__(self, get_response):
        if settings.CSRF_USE_SESSIONS or settings.DISALLOWED_USER_AGENTS:
            raise MiddlewareNotUsed  # the token lives in the session, or the agent must be checked
        self.get_response = get_response
        self.allowed_cookies = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request):
        address = self._address(request)
        if address is None:
            return self.get_response(request)
        try:
            alias = self._alias(address)
            response = self._serve(request, alias) if alias is not None else None
        except Exception:  # the cache away, an entry of another shape: the normal way knows what to do
            logger.debug("pagecache fast path: not served", exc_info=True)
            alias, response = None, None
        if response is not None:
            return response
        response = self.get_response(request)
        if alias is None:
            self._learn(request, address, response)
        return response

    def _address(self, request) -> tuple | None:
        """(the address, the query's names) when the visitor may be served the shared page, else None."""
        region = getattr(request, "region", None)
        if request.method not in ("GET", "HEAD") or region is None:
            return None
        if not self.allowed_cookies.issuperset(request.COOKIES):
            return None
        meta = request.META
        if "HTTP_ORIGIN" in meta or "HTTP_AUTHORIZATION" in meta:
            return None
        rules = _rules(request.path)
        if rules is None:
            language, exact = visitor_language(request), False
        else:
            if "HTTP_IF_NONE_MATCH" in meta or "HTTP_IF_MODIFIED_SINCE" in meta:
                return None
            try:
                language, exact = rules[0](request), True
            except Exception:  # a bad ?lang=: the normal way answers it
                return None
        names, query = set(), []
        if meta.get("QUERY_STRING"):
            try:
                lists = request.GET.lists()  # parsed as the page will read it (too many fields: a 400 there)
            except SuspiciousOperation:
                return None
            for name, values in lists:
                names.add(name)
                query.extend((name, value) for value in values if exact or value != "")
        try:
            host = request.get_host()
        except SuspiciousOperation:  # a bad Host header: the normal way answers it, in the visitor's language
            return None
        # Names sorted, each name's values in their order, blanks out: as ``canonical_params`` keys the entry.
        # The scheme and host too: a page with absolute links (the API's, the documentation) is kept per host.
        where = (
            region.pk,
            request.method,
            language,
            request.scheme,
            host,
            request.path,
            tuple(sorted(query, key=_name)),
        )
        return where, names

    def _alias(self, address) -> dict | None:
        where, _names = address
        known = _known.get(where)
        if known is not None and pagecache._clock() < known[1]:
            return known[0]
        alias = default_cache.get(_cache_key(where))
        if not (isinstance(alias, dict) and {"entry", "keys", "headers", "ttl", "kind"} <= alias.keys()):
            alias = None
        _remember(where, alias, alias["ttl"] if alias else NOT_KEPT_FOR)
        return alias

    def _serve(self, request, alias: dict):
        """The page from the entry the alias names, when it is current; else None."""
        keys = alias["keys"]
        entry = _local_copy((request.region.pk, alias["entry"]), keys)
        if entry is None:
            found = default_cache.get_many([alias["entry"], *keys])
            entry = found.get(alias["entry"])
            if not (isinstance(entry, tuple) and len(entry) == 2):
                return None
            if any(key not in found for key in keys) or entry[0] != ".".join(str(found[key]) for key in keys):
                return None
            _keep_copy((request.region.pk, alias["entry"]), entry)
        kind, value = alias["kind"], entry[1]
        if kind == "page":
            if not isinstance(value, dict) or pagecache._stale(value):
                return None
        elif kind == "bytes":
            if not isinstance(value, bytes):
                return None
        elif not (kind == "api" and isinstance(value, dict) and {"body", "etag", "last_modified"} <= value.keys()):
            return None
        elif pagecache.past_fresh(value):
            return None  # past its timeout: the view decides (rebuild, or the kept answer while another rebuilds)
        rules = _rules(request.path)
        if rules is not None and rules[1] is not None and not rules[1](request):
            return None  # over the rate limit: the normal way answers 429
        self.csrf.process_request(request)  # the visitor's CSRF secret, or a new one for a bad cookie
        if kind == "page":
            response = pagecache._served(request, value)
        else:
            response = HttpResponse(value if kind == "bytes" else value["body"])
        for name, value_ in alias["headers"]:
            response[name] = value_
        if kind == "api":
            response["ETag"] = value["etag"]
            response["Last-Modified"] = http_date(value["last_modified"])
        response["Content-Length"] = str(len(response.content))
        request._pagecache_fast = True
        return self.csrf.process_response(request, response)  # the cookie, as the normal path sets it

    def _learn(self, request, address, response) -> None:
        """Keep an alias when the normal path served the page whole from the cache to this visitor."""
        whole = getattr(request, "_pagecache_whole", None)
        if whole is None or whole[0] is not response or response.status_code != 200:
            return
        _response, cache, entry_key, scopes, params, ttl, kind = whole
        where, names = address
        if not names <= set(params) or not {settings.CSRF_COOKIE_NAME}.issuperset(response.cookies):
            return  # a parameter the page does not read, or a cookie of its own: never aliased
        if (kind == "api") != (_rules(request.path) is not None):
            return  # an API answer is aliased only under the API's rules, and only an API answer there
        skip = _NOT_COPIED | _FROM_API_ENTRY if kind == "api" else _NOT_COPIED
        headers = [(name, value) for name, value in response.items() if name.lower() not in skip]
        alias = {"entry": entry_key, "keys": cache._version_keys(scopes), "headers": headers, "ttl": ttl, "kind": kind}
        try:
            default_cache.set(_cache_key(where), alias, ttl)
        except Exception as exc:
            pagecache._cache_down(exc)
            return
        _remember(where, alias, ttl)


def _local_copy(key: tuple, keys: list) -> tuple | None:
    """This process's copy of a large entry, when the versions read now are the ones it was built under."""
    kept = _bodies.get(key)
    if kept is None:
        return None
    if pagecache._clock() >= kept[2]:
        _drop(key)
        return None
    found = default_cache.get_many(keys)
    if any(name not in found for name in keys) or kept[0] != ".".join(str(found[name]) for name in keys):
        _drop(key)
        return None
    return kept[0], kept[1]


def _keep_copy(key: tuple, entry: tuple) -> None:
    value = entry[1]
    body = value
    if isinstance(value, dict):  # a page keeps its "content", an API answer its "body"
        body = value.get("body", value.get("content"))
    size = len(body) if isinstance(body, (bytes, str)) else 0
    if size < LOCAL_MIN_BYTES or size > LOCAL_MAX_BYTES // 4:
        return
    _drop(key)
    _bodies[key] = (entry[0], value, pagecache._clock() + LOCAL_SECONDS, size)
    total = sum(kept[3] for kept in _bodies.values())
    while total > LOCAL_MAX_BYTES and _bodies:
        _oldest, dropped = _bodies.popitem(last=False)
        total -= dropped[3]


def _drop(key: tuple) -> None:
    _bodies.pop(key, None)


def _name(pair: tuple[str, str]) -> str:
    return pair[0]


def _cache_key(where: tuple) -> str:
    """The alias's key in the cache (whose key function adds the region): method, language, a digest."""
    _region_id, method, language, *_rest = where
    digest = sha256(repr(where).encode(errors="surrogateescape")).hexdigest()[:32]
    return f"pagecache:fast:{method}:{language}:{digest}"


def _remember(where: tuple, alias: dict | None, seconds: float) -> None:
    if len(_known) >= KNOWN_MAX:
        _known.clear()  # bounded; what is still used is learnt again
    _known[where] = (alias, pagecache._clock() + seconds)
