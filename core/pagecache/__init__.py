"""The one page cache of the portal: versioned keys, one invalidation path, whole anonymous pages.

How an app uses it (a few lines; ``challenges`` as the example)::

    # challenges/cache.py (or the app's selectors)
    pages = VersionedCache("challenges", timeout=60)

    # challenges/apps.py, in ready(): admin edits, imports and the shell move the version on
    register_invalidation(models=[Challenge, ChallengeAnswer], cache=pages)

    # challenges/views.py: the whole page for anonymous visitors, per language and the parameters it reads
    def challenge_list(request):
        return pages.cached_page(request, page="list", params=["q", "sida"], build=_render_list)

    # the page for everyone else: one render(), its body (nothing personal in it) built once per version
    def _render_list(request):
        return pages.render(request, "challenges/challenge_list.html", page="list", params=["q", "sida"],
                            body="challenges/_list_body.html", build=lambda: {"page_obj": ...})

    # the bytes of a download, or any value: built once per version
    content = pages.cached_fragment(request, page="csv", params=["q"], build=lambda: exports.rows_csv(...))
    count = pages.cached("count", build=lambda: Challenge.objects.open().count())

    # challenges/services.py: a write the public sees (optional when the models are registered)
    pages.bump()

Keys. A key is namespace + page + a digest of the language, the parts the caller gives
(a slug) and the query parameters the page reads, in canonical order: ``?page=2&junk=1`` and
``?junk=2&page=2`` are one entry, and a parameter the page does not read never makes a new one.
The page is built from a request that carries only those parameters, so no junk reaches a link.
The key prefix is per instance (``CACHE_KEY_PREFIX``, by default from the database name), so two
instances on one Redis never serve each other's pages.

Versions. An entry is stored with the version it was built under, and read in the same round trip
as the current versions: it is served only when they match, and rebuilt in its place otherwise (so
one page keeps one entry, and a cached page costs one request to the cache). Each namespace has
a version, and optional scopes under it: ``bump("registrations")``
moves only what was cached with ``scopes=["registrations"]`` (the meeting list, not the feed). A
write moves the version on commit, exactly once per transaction however many saves it makes (a
rolled-back write moves nothing). ``register_invalidation`` connects post_save, post_delete and
m2m_changed of the given models, so an admin edit is covered without remembering to; services may
also call ``bump()``: within one transaction that costs nothing more. Timeouts are the backstop for
what time alone changes (a meeting moving to the archive).

Pages made of other apps' parts. A namespace can follow others: ``VersionedCache("home",
follows=["meetings", "meetings:registrations", "agreements"])`` changes its keys whenever any of
those versions moves on (the home page follows what its sections' apps name with
``portal.section(..., caches=[...])``), still in one round trip to the cache.

Whole pages. ``cached_page`` keeps the whole response of an anonymous visitor without messages,
per language. The only per-visitor parts of such a page are the CSRF token of the language switcher
(and any other form) and the switcher's ``next`` address: they are stored as placeholders and filled
in per request, so every visitor gets their own token. A logged-in visitor, or one with a message
waiting, is never served a stored page: their page is built for them (and ``cached`` fragments
inside it, which hold nothing personal, still save the queries). Use ``cached_page`` only for a
page whose anonymous version depends on nothing but the language, the parts and the parameters
(no session data, no per-visitor form state); a page carrying a CSP nonce is never stored. Such a
page is then answered near the top of the middleware (``core/pagecache_fast.py``).

Shared bodies. ``render`` is how a view ends: the body template is rendered from ``build()`` only on
a miss and kept with what the page around it needs (``keep``: its title, say), so a hit costs one
round trip and no query, for logged-in visitors too; the page itself gets the per-request
``context``. A part of such a body that depends on who asks (the agreement's sign card) is written
``{% visitor_part "app/_card.html" %}`` (``core/templatetags/fragments.py``): the body keeps a
marker there and ``render`` fills it per request from ``visitor(kept)``. That is the one way a
per-visitor part enters a shared body; no view renders a fragment to a string or marks one safe
(``tests/core/test_fragments.py`` reads the views).

When the cache (Redis) is away, pages are built uncached and a bump is logged and lost (its pages
expire by their timeout): the public pages stay up. When the database is away (reading the session or
building the page fails with a connection error), ``cached_page`` serves the anonymous page the cache
still keeps, whatever version it was built under; with none kept the error goes on to the 503 page.
For that, a whole page without query parameters is kept an hour past its timeout (``KEPT_FOR_OUTAGE``;
its ``fresh`` time, checked on every hit, says when it is rebuilt). Only the failure path looks for a
kept page: a hit costs one clock reading more than before.

The package: this module holds ``VersionedCache`` and the timing of a kept page (its ``fresh`` mark, the
rebuild claim); ``invalidation`` moves the versions (on commit, and on a model's save or delete through
``register_invalidation``); ``responses`` is what of a request and a response is kept and filled per visitor.
Every name is importable from ``core.pagecache``.
"""

import logging
import re
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from hashlib import sha256

from django.core.cache import cache as default_cache
from django.db import InterfaceError, OperationalError, transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString

from core.db import is_database_unavailable

from .invalidation import _new_version, _pending_bumps, register_invalidation
from .responses import (
    _CSRF_INPUT,
    _KEPT_HEADERS,
    _NEXT_INPUT,
    CSRF_PLACEHOLDER,
    NEXT_PLACEHOLDER,
    _may_share,
    _restrict_query,
    _served,
    _storable,
    canonical_params,
)

logger = logging.getLogger(__name__)

_MISSING = MISSING = object()  # what ``lookup`` gives when nothing current is kept

DATABASE_ERRORS = (OperationalError, InterfaceError)
# How long a whole page is kept past its timeout, to be served only while the database is away.
KEPT_FOR_OUTAGE = 3600
# A page past its timeout (its ``fresh`` mark) is rebuilt by one request at a time: the first claims the
# rebuild for REBUILD_CLAIM seconds, and the others are served the page as kept meanwhile, for at most
# STALE_GRACE seconds past the mark. That page was built under the current versions (an edit always shows
# at once); only what time alone changes waits for the rebuild. Before, every request that came while a
# page expired rebuilt it (five workers at once on two cores: the bench's p99 of 85–750 ms on the pages
# with a 60-second timeout, bench/README.md).
REBUILD_CLAIM = 10
STALE_GRACE = 30
_clock = time.time

# Where a per-visitor part sits in a shared fragment: ``{% visitor_part "app/_card.html" %}``
# (core/templatetags/fragments.py) leaves this marker, and ``VersionedCache.render`` fills it per request.
_VISITOR_PREFIX = "<!--pagecache:visitor-part:"
VISITOR_PART = _VISITOR_PREFIX + "{}-->"
_VISITOR_PART = re.compile(r"<!--pagecache:visitor-part:([\w./-]+)-->")


def _cache_down(exc: Exception) -> None:
    # The cache (Redis) being away must not take the public pages with it: they are built uncached.
    logger.warning("pagecache: cache unavailable (%s); building uncached", type(exc).__name__)


class VersionedCache:
    """Cached pages and fragments of one app (``namespace``), moved on together by ``bump()``."""

    def __init__(
        self, namespace: str, *, timeout: int = 300, follows: Sequence[str] | Callable[[], Sequence[str]] = ()
    ):
        self.namespace = namespace
        self.timeout = timeout
        self.version_key = self._version_key(None)
        self._follows = follows

    def _version_key(self, scope) -> str:
        return f"{self.namespace}:version" if scope is None else f"{self.namespace}:version:{scope}"

    def _followed_keys(self) -> list[str]:
        """The version keys of other namespaces this one follows: ``"meetings"`` or ``"meetings:registrations"``."""
        follows = self._follows() if callable(self._follows) else self._follows
        keys = []
        for name in follows:
            namespace, _, scope = name.partition(":")
            keys.append(f"{namespace}:version:{scope}" if scope else f"{namespace}:version")
        return keys

    def _version_keys(self, scopes) -> list[str]:
        return [self.version_key, *(self._version_key(scope) for scope in scopes), *self._followed_keys()]

    def _versions(self, keys: list[str], found: dict) -> str:
        """The version string of ``keys`` from ``found`` (one ``get_many``), creating what is missing."""
        missing = [key for key in keys if key not in found]
        if missing:
            for key in missing:
                default_cache.add(key, _new_version(), None)
            found.update(default_cache.get_many(missing))
        return ".".join(str(found.get(key, "0")) for key in keys)

    def version(self, *scopes) -> str:
        """The current version of the namespace, of each of ``scopes`` and of the namespaces it
        follows (created when missing), read in one round trip."""
        keys = self._version_keys(scopes)
        return self._versions(keys, default_cache.get_many(keys))

    def entry_key(self, page: str, *parts) -> str:
        """Where ``page`` with ``parts`` is kept (the parts hashed). The entry carries the version it
        was built under, so a lookup reads it together with the versions in one round trip."""
        digest = sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()[:32]
        return f"{self.namespace}:{page}:{digest}"

    def lookup(self, page: str, *parts, scopes: Sequence = ()) -> tuple[str, str, object]:
        """(entry key, current version, the value built under that version or ``_MISSING``)."""
        keys = self._version_keys(scopes)
        entry_key = self.entry_key(page, *parts)
        found = default_cache.get_many([*keys, entry_key])
        version = self._versions(keys, found)
        entry = found.get(entry_key)
        if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == version:
            return entry_key, version, entry[1]
        return entry_key, version, _MISSING

    def bump(self, *scopes) -> None:
        """Move the version on (of ``scopes`` only, when given) once the current transaction commits."""
        keys = {self._version_key(scope) for scope in scopes} if scopes else {self.version_key}
        if not transaction.get_connection().in_atomic_block:
            try:
                default_cache.set_many({key: _new_version() for key in keys}, None)
            except Exception as exc:  # the write itself is done; its pages expire by their timeout
                _cache_down(exc)
            return
        pending = _pending_bumps()
        pending.keys.update(keys)
        transaction.on_commit(pending.flush, robust=True)

    def store(self, key: str, version: str, value, timeout: int | None = None) -> None:
        """Keep ``value`` at ``key`` (from ``lookup``) as built under ``version``; a cache that is
        away stores nothing."""
        try:
            default_cache.set(key, (version, value), timeout or self.timeout)
        except Exception as exc:
            _cache_down(exc)

    def cached(self, page: str, *parts, build: Callable, scopes: Sequence = (), timeout: int | None = None):
        """The value of ``build()`` for ``page`` and ``parts``, built once per version."""
        try:
            key, version, value = self.lookup(page, *parts, scopes=scopes)
        except Exception as exc:
            _cache_down(exc)
            return build()
        if value is _MISSING:
            value = build()
            self.store(key, version, value, timeout)
        return value

    def cached_fragment(
        self,
        request,
        *,
        page: str,
        build: Callable,
        params: Iterable[str] = (),
        parts: Sequence = (),
        scopes: Sequence = (),
        timeout: int | None = None,
    ):
        """``build()`` (e.g. a page's rendered body, nothing personal in it) per language and the
        parameters ``params`` the page reads, for every visitor."""
        query = canonical_params(request, params)
        _restrict_query(request, query)
        language = translation.get_language() or ""
        return self.cached(page, language, *parts, repr(query), build=build, scopes=scopes, timeout=timeout)

    def render(
        self,
        request,
        template: str,
        *,
        page: str,
        body: str,
        build: Callable[[], dict],
        keep: Callable[[dict], dict] | None = None,
        context: dict | None = None,
        visitor: Callable[[dict], dict] | None = None,
        params: Iterable[str] = (),
        parts: Sequence = (),
        scopes: Sequence = (),
        timeout: int | None = None,
        shared: bool = True,
        with_request: bool = True,
    ) -> HttpResponse:
        """The one ``render()`` of a page whose body is shared by every visitor.

        ``body`` (a template) is rendered with ``build()`` (called only on a miss) and kept per
        language, ``parts`` and the parameters ``params`` the page reads, like ``cached_fragment``;
        ``keep(build())`` gives the values the page around it needs (its title, say), kept with it so
        that a hit costs one round trip and no query. ``template`` is then rendered with those values,
        ``body`` (safe: our own rendering) and ``context`` (the per-request part, never kept).

        Per-visitor parts inside the body are left as markers by ``{% visitor_part "name.html" %}``
        and rendered here per request with ``visitor(kept)`` (e.g. the sign card, which depends on
        who asks). ``shared=False`` builds the body for this visitor alone (a draft, a representative's
        view); ``with_request=False`` renders the body without the request's context processors."""

        def build_entry() -> dict:
            values = build()
            html = render_to_string(body, values, request=request if with_request else None)
            return {**(keep(values) if keep else {}), "body": html}

        if shared:
            entry = self.cached_fragment(
                request, page=page, params=params, parts=parts, scopes=scopes, timeout=timeout, build=build_entry
            )
        else:
            entry = build_entry()
        html = entry["body"]
        if _VISITOR_PREFIX in html:
            kept = {name: value for name, value in entry.items() if name != "body"}
            values = visitor(kept) if visitor else kept
            html = _VISITOR_PART.sub(lambda found: render_to_string(found[1], values, request=request), html)
        page_context = {**entry, "body": SafeString(html), **(context or {})}
        return render(request, template, page_context)

    def cached_page(
        self,
        request,
        *,
        page: str,
        build: Callable[..., HttpResponse],
        params: Iterable[str] = (),
        parts: Sequence = (),
        scopes: Sequence = (),
        timeout: int | None = None,
        valid_until: Callable[[], datetime | None] | None = None,
        read_in_parts: Iterable[str] = (),
    ) -> HttpResponse:
        """The response of ``build(request)``; for an anonymous visitor without messages, the whole
        page is kept per language and read parameters, and served with their own CSRF token.

        ``valid_until``, asked after a build, gives the moment the page changes by time alone (a
        deadline that passes): it is never served from the cache from then on.

        ``read_in_parts``: parameters the view reads itself and passes in ``parts`` (a page number). The
        fast path may then alias an address that names them; give them only when this request's values
        are the ones the view would write (``?sida=2``, not ``?sida=02``), so that no spelling of a number
        makes an alias of its own."""
        params = tuple(params)
        query = canonical_params(request, params)
        _restrict_query(request, query)
        parts = (translation.get_language() or "", *parts, repr(query))
        try:
            if not _may_share(request):
                return build(request)
        except DATABASE_ERRORS as exc:
            # The database is away (reading the session failed, or the page's own queries): whatever
            # the cache still keeps of the anonymous page is better than an error.
            return self._kept_page(request, page, parts, exc)
        try:
            key, version, stored = self.lookup(f"{page}:response", *parts, scopes=scopes)
        except Exception as exc:
            _cache_down(exc)
            return build(request)
        if stored is not _MISSING and _stale(stored) and not serve_while_rebuilt(key, stored):
            stored = _MISSING
        if stored is _MISSING:
            try:
                response = build(request)
            except DATABASE_ERRORS as exc:
                return self._kept_page(request, page, parts, exc)
            stored = _storable(response)
            if stored is None:
                return response
            ttl = _stored_ttl(stored, timeout or self.timeout, valid_until, shared_long=not query)
            if ttl is None:
                return response
            self.store(key, version, stored, ttl)
        response = _served(request, stored)
        read = params + tuple(read_in_parts)
        mark_whole(request, response, cache=self, key=key, scopes=scopes, params=read, ttl=timeout or self.timeout)
        return response

    def cached_download(
        self,
        request,
        *,
        page: str,
        build: Callable[[], bytes],
        respond: Callable[[bytes], HttpResponse],
        params: Iterable[str] = (),
        parts: Sequence = (),
        scopes: Sequence = (),
        timeout: int | None = None,
    ) -> HttpResponse:
        """``respond(content)``, the bytes of ``build()`` kept as ``cached_fragment`` keeps them (a feed, a
        CSV: the same for every visitor, nothing personal): ``respond`` only adds headers that depend on
        nothing but ``parts`` (type, file name). The response is then the entry's bytes as they are, so the
        fast path (``core/pagecache_fast.py``) may answer the address from the entry with its headers."""
        params = tuple(params)
        query = canonical_params(request, params)
        _restrict_query(request, query)
        try:
            key, version, content = self.lookup(
                page, translation.get_language() or "", *parts, repr(query), scopes=scopes
            )
        except Exception as exc:
            _cache_down(exc)
            return respond(build())
        if content is _MISSING:
            content = build()
            self.store(key, version, content, timeout)
        response = respond(content)
        if isinstance(content, bytes) and response.content == content:
            ttl = timeout or self.timeout
            mark_whole(request, response, cache=self, key=key, scopes=scopes, params=params, ttl=ttl, kind="bytes")
        return response

    def _kept_page(self, request, page: str, parts: tuple, exc: Exception) -> HttpResponse:
        """The anonymous page as last kept, whatever version it was built under, when the database is
        away; else ``exc`` goes on (the error handler answers 503). Only on that path: a page served
        from the cache never comes here."""
        if not is_database_unavailable(exc):
            raise exc
        try:
            entry = default_cache.get(self.entry_key(f"{page}:response", *parts))
        except Exception as cache_exc:
            _cache_down(cache_exc)
            raise exc from None
        if not (isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[1], dict)):
            raise exc
        if entry[1].get("until") is not None and timezone.now() >= entry[1]["until"]:
            raise exc  # changed at a deadline since: not even now
        logger.warning(
            "pagecache: database unavailable (%s); serving %s:%s as kept", type(exc).__name__, self.namespace, page
        )
        return _served(request, entry[1])


def mark_whole(request, response, *, cache, key: str, scopes, params, ttl: int, kind: str = "page") -> None:
    """Say that ``response`` is the entry ``key`` of ``cache`` served whole to an anonymous visitor, for the
    fast path (``core/pagecache_fast.py``), which may alias the address to the entry. ``kind``: how the entry
    becomes a response there: ``"page"`` (``cached_page``), ``"bytes"`` (``cached_download``: the body as
    kept) or ``"api"`` (the API's ``{body, etag, last_modified}``, its ETag and Last-Modified from the entry)."""
    request._pagecache_whole = (response, cache, key, tuple(scopes), tuple(params), ttl, kind)


def _stale(stored: dict) -> bool:
    """A kept page not to be served as it is: past its timeout (``fresh``), or a deadline passed."""
    return past_fresh(stored) or (stored.get("until") is not None and timezone.now() >= stored["until"])


def past_fresh(stored: dict) -> bool:
    """Whether a kept value marked with ``fresh`` (a whole page, an API answer) is past its timeout."""
    return "fresh" in stored and _clock() >= stored["fresh"]


def serve_while_rebuilt(key: str, stored: dict) -> bool:
    """Whether ``stored`` (kept at ``key``, built under the current versions, past its ``fresh`` mark) is
    served while another request rebuilds it: only within STALE_GRACE of the mark, never past a deadline,
    and only when the rebuild is claimed already; else this request claims it (and rebuilds)."""
    if stored.get("until") is not None and timezone.now() >= stored["until"]:
        return False
    if "fresh" not in stored or _clock() >= stored["fresh"] + STALE_GRACE:
        return False
    try:
        return not default_cache.add(f"{key}:rebuild", 1, REBUILD_CLAIM)
    except Exception as exc:
        _cache_down(exc)
        return False


def _stored_ttl(stored: dict, ttl: int, valid_until, *, shared_long: bool) -> int | None:
    """How long to keep a page just built (None: not at all), marking ``stored`` with when it changes.

    A page with a deadline (``valid_until``) is kept until then. Otherwise a page without query
    parameters (``shared_long``) is served up to its timeout and kept an hour longer for when the
    database is away (``_kept_page``); not a page of search or filter results: there are as many of
    those as visitors type (those are kept STALE_GRACE longer, for ``serve_while_rebuilt``)."""
    until = valid_until() if valid_until else None
    if until is not None:
        left = (until - timezone.now()).total_seconds()
        if left <= 0:
            return None
        stored["until"] = until
        return max(1, min(ttl, int(left) + 1))
    stored["fresh"] = _clock() + ttl
    return ttl + (KEPT_FOR_OUTAGE if shared_long else STALE_GRACE)


__all__ = [
    "CSRF_PLACEHOLDER",
    "DATABASE_ERRORS",
    "KEPT_FOR_OUTAGE",
    "MISSING",
    "NEXT_PLACEHOLDER",
    "REBUILD_CLAIM",
    "STALE_GRACE",
    "VISITOR_PART",
    "VersionedCache",
    "_CSRF_INPUT",
    "_KEPT_HEADERS",
    "_NEXT_INPUT",
    "_cache_down",
    "_clock",
    "_may_share",
    "_new_version",
    "_pending_bumps",
    "_restrict_query",
    "_served",
    "_stale",
    "_storable",
    "canonical_params",
    "mark_whole",
    "past_fresh",
    "register_invalidation",
    "serve_while_rebuilt",
]
