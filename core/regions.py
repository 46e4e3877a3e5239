"""Regions: which region a request, a task or a query belongs to.

One installation serves several regions, each on its own host(s) (``core.models.Region``). Every
regional record has a ``region`` column (``core.models.RegionalModel``) and a manager made by
``regional_manager``: a query on it outside a region scope **raises** (django-scopes), so a forgotten
filter is an error, never another region's rows.

Where the region comes from:

- a request: ``RegionMiddleware`` resolves the host (an unknown host gets a plain 404; a secondary host
  redirects to the primary one) and runs the rest of the request inside ``region_scope(region)``;
- a task: ``@in_region`` (first argument the region's id, always explicit) and ``@for_each_region``
  (a periodic job, run once in every active region);
- a command or the shell: ``with region_scope(Region.objects.get(short_name="halland")):``.

Inside a scope new regional rows get that region by default, and saving a row of another region
raises ``RegionMismatch`` (a form or URL naming another region's object cannot write across).
``all_regions()`` is the explicit scope over every region (a system job, a purge, the demo loader).

Cache keys carry the region (``cache_key``, the cache's ``KEY_FUNCTION``): page-cache versions, cached
pages and rate-limit buckets of two hosts never meet. Uploaded files go under the region's immutable key
(``region_file_path``).
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from contextlib import contextmanager
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponseNotFound, HttpResponsePermanentRedirect
from django_scopes import ScopedManager, scope, scopes_disabled
from django_scopes.state import state as _scopes_state

from core.region_state import (  # noqa: F401 - the public names of regions live here
    RegionMismatch,
    RegionMissing,
    _current,
    check_region,
    current_region,
    current_region_id,
    region_file_path,
)

if TYPE_CHECKING:
    from core.models import Region

logger = logging.getLogger(__name__)


def _as_region(region_or_id) -> Region:
    from core.models import Region

    if isinstance(region_or_id, Region):
        return region_or_id
    found = host_map.region_by_id(region_or_id)
    if found is None:
        raise Region.DoesNotExist(f"no region with id {region_or_id!r}")
    return found


@contextmanager
def region_scope(region_or_id):
    """Run the block in one region: queries are filtered to it, new rows belong to it."""
    region = _as_region(region_or_id)
    token = _current.set(region)
    try:
        with scope(region=region.pk):
            yield region
    finally:
        _current.reset(token)


@contextmanager
def all_regions():
    """Run the block over every region at once (explicitly: a system job, the demo loader, a purge)."""
    token = _current.set(None)
    try:
        with scope(region=None):
            yield
    finally:
        _current.reset(token)


@contextmanager
def no_region():
    """Run the block with no region and no scope at all, as a fresh process does (used by tests that check
    that a task or a command sets its own region)."""
    token = _current.set(None)
    scopes_token = _scopes_state.set({})
    try:
        yield
    finally:
        _scopes_state.reset(scopes_token)
        _current.reset(token)


def regional_manager(queryset_class=None):
    """The manager of a regional model: scoped by region (a query without a region scope raises);
    ``queryset_class`` keeps the model's own queryset methods."""
    from django.db import models

    base = models.Manager.from_queryset(queryset_class) if queryset_class else models.Manager
    return ScopedManager(_manager_class=base, region="region")


def unscoped(model):
    """``model``'s rows of every region, for the few places that must see across (the purge, a
    system check): say so where it is used."""
    return model._default_manager.with_scopes_disabled()


# Tasks -------------------------------------------------------------------------------------------------


def in_region(func):
    """A task that works in one region: called as ``task.delay(region_id, *args)``, it runs ``func(*args)``
    inside that region's scope. Every regional task takes the region explicitly: a worker has no host."""

    def task(region_id, *args, **kwargs):
        with region_scope(region_id):
            return func(*args, **kwargs)

    functools.update_wrapper(task, func)
    del task.__wrapped__  # Celery checks the call against this signature, not func's
    return task


def for_each_region(func):
    """A periodic job: runs ``func()`` once in every active region, each in its own scope. One region
    failing is logged and does not stop the others (and is raised at the end)."""

    def job():
        from core.models import Region

        with all_regions():
            regions = list(Region.objects.active().prefetch_related("hosts"))  # primary_host without a query each
        results, failed = {}, None
        for region in regions:
            try:
                with region_scope(region):
                    results[region.short_name] = func()
            except Exception as exc:
                logger.exception("periodic job %s failed in region %s", func.__name__, region.short_name)
                failed = exc
        if failed is not None:
            raise failed
        return results

    functools.update_wrapper(job, func)
    del job.__wrapped__
    return job


# Hosts --------------------------------------------------------------------------------------------------


def normalise_host(host: str) -> str:
    """``Halland.Example.SE:8000`` → ``halland.example.se`` (no port, no trailing dot)."""
    host = (host or "").strip().lower()
    if host.startswith("["):  # [::1]:8000
        return host.split("]", 1)[0] + "]"
    return host.rsplit(":", 1)[0].rstrip(".") if ":" in host else host.rstrip(".")


class HostMap:
    """Host → (region, primary?), kept in each process and read again from the database after
    ``MAX_AGE`` seconds, at once when a region or host is saved in this process, and at most every
    ``MISS_AGE`` seconds when an unknown host asks (so random Host headers cost no query each)."""

    MAX_AGE = 30.0
    MISS_AGE = 5.0

    def __init__(self):
        self._lock = threading.Lock()
        self._hosts: dict[str, tuple[int, bool]] = {}
        self._regions: dict[int, Region] = {}
        self._loaded_at = float("-inf")

    def clear(self, **_kwargs) -> None:
        self._loaded_at = float("-inf")

    def load(self) -> None:
        from core.models import Region

        with scopes_disabled():
            regions = {region.pk: region for region in Region.objects.prefetch_related("hosts")}
        hosts = {
            entry.host: (region.pk, entry.is_primary)
            for region in regions.values()
            if region.is_active
            for entry in region.hosts.all()
        }
        with self._lock:
            self._regions, self._hosts, self._loaded_at = regions, hosts, time.monotonic()

    def lookup(self, host: str) -> tuple[Region, bool] | None:
        """The active region answering on ``host`` and whether ``host`` is its primary host."""
        age = time.monotonic() - self._loaded_at
        if age > self.MAX_AGE:
            self.load()
        found = self._hosts.get(host)
        if found is None and self.MISS_AGE < age <= self.MAX_AGE:
            self.load()
            found = self._hosts.get(host)
        if found is None:
            return None
        return self._regions[found[0]], found[1]

    def region_by_id(self, region_id) -> Region | None:
        """The region (active or not) with this id, read again when unknown or stale."""
        try:
            region_id = int(region_id)
        except (TypeError, ValueError):
            return None
        if region_id not in self._regions or time.monotonic() - self._loaded_at > self.MAX_AGE:
            self.load()
        return self._regions.get(region_id)


host_map = HostMap()


def base_url(region: Region | None = None) -> str:
    """``scheme://primary-host[:port]`` of ``region`` (the one in force when None): the scheme and port
    are the installation's (``SITE_URL``), the host the region's own."""
    site = urlsplit(settings.SITE_URL)
    region = region if region is not None else _current.get()
    host = region.primary_host if region is not None else ""
    if not host:
        return settings.SITE_URL.rstrip("/")
    port = f":{site.port}" if site.port else ""
    return f"{site.scheme}://{host}{port}"


_NOT_FOUND = (
    '<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Sidan finns inte</title></head>'
    "<body><main><h1>Sidan finns inte</h1><p>Den här adressen hör inte till någon region i "
    'Samverkansportalen.</p><p lang="en">This address belongs to no region of the portal.</p>'
    "</main></body></html>"
)


class RegionMiddleware:
    """Resolve the region from the host and run the request inside its scope."""

    EXEMPT = ("/healthz",)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info in self.EXEMPT:
            request.region = None
            return self.get_response(request)
        host = normalise_host(request.META.get("HTTP_HOST") or request.META.get("SERVER_NAME", ""))
        found = host_map.lookup(host)
        if found is None:
            return HttpResponseNotFound(_NOT_FOUND)
        region, primary = found
        if not primary and settings.REGION_REDIRECT_SECONDARY_HOSTS and request.method in ("GET", "HEAD"):
            return HttpResponsePermanentRedirect(base_url(region) + request.get_full_path())
        request.region = region
        # region_scope(region), without its two generator context managers on every request.
        token = _current.set(region)
        scopes_token = _scopes_state.set({**(_scopes_state.get() or {}), "_enabled": True, "region": region.pk})
        try:
            response = self.get_response(request)
        finally:
            _scopes_state.reset(scopes_token)
            _current.reset(token)
        if response.streaming:
            response.streaming_content = _in_scope(region, response.streaming_content)
        return response


def _in_scope(region, iterator):
    """A streamed body (a CSV export) is read after the middleware returned: read it in the region."""
    with region_scope(region):
        yield from iterator


# Cache keys, files ---------------------------------------------------------------------------


def cache_key(key: str, key_prefix: str, version) -> str:
    """The cache's ``KEY_FUNCTION``: every key carries the region in force (``-`` for none)."""
    region = _current.get()
    return f"{key_prefix}:{version}:{region.pk if region is not None else '-'}:{key}"


def current_region_file_path(kind: str, filename: str) -> str:
    region = _current.get()
    if region is None:
        raise RegionMissing("a file uploaded with no region in force")
    return region_file_path(region, kind, filename)


def first_region_id() -> int | None:
    """The first region's id: the one-off default with which a migration moves an app's existing rows into
    the region that core's migration 0002 made from the settings (``AddField(..., preserve_default=False)``)."""
    from core.models import Region

    with scopes_disabled():
        return Region.objects.order_by("pk").values_list("pk", flat=True).first()
