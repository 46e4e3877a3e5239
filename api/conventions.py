"""The conventions every endpoint of the open data API follows (pretix's REST API, DIGG's REST API profile).

* Read-only and anonymous: ``GET``/``HEAD`` (and CORS preflight ``OPTIONS``), no cookies, no login.
* Lists are paginated as ``{count, next, previous, results}``; ``page`` and ``page_size`` (capped at
  ``API_MAX_PAGE_SIZE``); ``ordering=`` with the names each endpoint documents.
* Texts in the request's language: ``?lang=sv|en``, else ``Accept-Language``, Swedish by default
  (unlike the pages, which stay Swedish until the switcher is used: an API client says what it wants).
* Responses are cached under the owning app's versioned page cache, per language, host and the
  parameters the endpoint reads (canonical order). Every response has
  an ``ETag`` (hash of the body) and ``Last-Modified``; ``If-None-Match``/``If-Modified-Since`` get a
  ``304``. A hit in the cache costs no database query and skips the framework.
* Errors are JSON ``{"status", "message", "errors"?}``: a bad parameter value is a ``400`` naming the
  parameter, an unknown parameter (``?search=`` where the endpoint has ``q``) a ``400`` naming it and
  listing the endpoint's parameters (``"parameters"``) rather than an answer that silently ignored it, an unknown path a ``404``, past the rate limit a ``429`` with ``Retry-After``, and an
  unexpected error a ``500`` without a traceback.
"""

from __future__ import annotations

import functools
import logging
from hashlib import sha256

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header
from rest_framework import exceptions, viewsets
from rest_framework.filters import BaseFilterBackend
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core import pagecache
from core.db import is_database_unavailable
from core.pagecache import MISSING, STALE_GRACE, VersionedCache, mark_whole, past_fresh, serve_while_rebuilt
from core.regions import all_regions, current_region

from .registry import api

logger = logging.getLogger(__name__)
_EXTENDED: dict = {}

API_LANGUAGES = ("sv", "en")
RETRY_AFTER_SECONDS = 30  # asked of a client while the database is away
CACHE_TIMEOUT = 60  # seconds: the backstop for what time alone changes (a registration window closing)
PASSIVE_PARAMETERS = ("lang",)  # read by every endpoint
# ``?format=json``, DRF's habit, is accepted (and changes nothing) where ``format`` is not a filter.
HARMLESS_PARAMETERS = {"format": "json"}


class UnknownParameters(exceptions.ValidationError):
    """Query parameters the endpoint does not read: a 400 naming them and listing those it does."""

    def __init__(self, unknown: list[str], known: list[str]):
        self.unknown, self.known = unknown, known
        message = _("Unknown parameter. This endpoint reads: %(known)s.") % {"known": ", ".join(known)}
        super().__init__({name: [message] for name in unknown})


# Language ------------------------------------------------------------------------------------


def request_language(request) -> str:
    """``?lang=`` if given (a wrong value is a 400), else the best of ``Accept-Language``, else Swedish."""
    value = request.GET.get("lang")
    if value is not None:
        value = value.strip().lower()
        if value not in API_LANGUAGES:
            raise exceptions.ValidationError({"lang": [_("Choose one of: %(choices)s.") % {"choices": "sv, en"}]})
        return value
    for code, _quality in parse_accept_lang_header(request.META.get("HTTP_ACCEPT_LANGUAGE", "")):
        base = code.split("-")[0].lower()
        if base in API_LANGUAGES:
            return base
    return settings.LANGUAGE_CODE


# Ordering ------------------------------------------------------------------------------------


class StrictOrderingFilter(BaseFilterBackend):
    """``ordering=name,-date``: the names are the view's ``ordering_fields`` (name -> ORM expressions);
    an unknown name is a 400 naming ``ordering`` instead of being silently ignored."""

    param = "ordering"

    def filter_queryset(self, request, queryset, view):
        choices = view.ordering_fields
        raw = request.query_params.get(self.param, "").strip()
        names = [n.strip() for n in raw.split(",") if n.strip()] or list(view.ordering)
        expressions = []
        for name in names:
            descending = name.startswith("-")
            fields = choices.get(name.lstrip("-"))
            if fields is None:
                raise exceptions.ValidationError(
                    {
                        self.param: [
                            _("Unknown ordering %(name)s. Choose from: %(choices)s.")
                            % {"name": name, "choices": ", ".join(choices)}
                        ]
                    }
                )
            expressions += [("-" + f.lstrip("-") if descending != f.startswith("-") else f.lstrip("-")) for f in fields]
        return queryset.order_by(*expressions, "pk")

    def get_schema_operation_parameters(self, view):
        names = list(view.ordering_fields)
        return [
            {
                "name": self.param,
                "required": False,
                "in": "query",
                "description": _(
                    "Sort order: comma-separated names, '-' in front for descending. "
                    "Names: %(names)s. Default: %(default)s."
                )
                % {"names": ", ".join(names), "default": ",".join(view.ordering)},
                "schema": {"type": "string", "example": view.ordering[0]},
            }
        ]


def _cache_down(exc: Exception) -> None:
    logger.warning("api: cache unavailable (%s); answering uncached", type(exc).__name__)


# Errors --------------------------------------------------------------------------------------


def _messages(value) -> list[str]:
    if isinstance(value, dict):
        return [f"{key}: {message}" for key, inner in value.items() for message in _messages(inner)]
    if isinstance(value, list | tuple):
        return [message for item in value for message in _messages(item)]
    return [str(value)]


def error_body(status: int, message: str, errors: dict | None = None) -> dict:
    body = {"status": status, "message": message}
    if errors:
        body["errors"] = errors
    return body


def exception_handler(exc, context):
    """DRF's handler, with every error as ``{"status", "message", "errors"?}``."""
    if isinstance(exc, Http404):  # get_object_or_404's message is English and names the model
        exc = exceptions.NotFound(_("Nothing with that id or slug."))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, UnknownParameters):
        message = _("Unknown parameter %(names)s. This endpoint reads: %(known)s.") % {
            "names": ", ".join(exc.unknown),
            "known": ", ".join(exc.known),
        }
        response.data = {**error_body(response.status_code, message, response.data), "parameters": exc.known}
    elif isinstance(exc, exceptions.ValidationError) and isinstance(response.data, dict):
        errors = {name: _messages(value) for name, value in response.data.items()}
        message = _("Invalid value for %(names)s: %(first)s") % {
            "names": ", ".join(errors),
            "first": next(iter(errors.values()))[0],
        }
        response.data = error_body(response.status_code, message, errors)
    else:
        detail = response.data.get("detail") if isinstance(response.data, dict) else response.data
        response.data = error_body(response.status_code, " ".join(_messages(detail)))
    return response


# The viewset ---------------------------------------------------------------------------------


class PublicViewSet(viewsets.ReadOnlyModelViewSet):
    """Base of every endpoint: language, cached JSON bytes, ETag/Last-Modified/304, JSON errors.

    A subclass sets ``queryset``/``get_queryset``, ``serializer_class``, ``cache_namespaces`` (the
    versioned caches whose version covers what it shows, e.g. ``("organisations",)``),
    ``modified_field`` (for ``Last-Modified``), and for lists ``filterset_class``,
    ``ordering_fields`` (name -> ORM expressions) and ``ordering`` (the default).
    """

    http_method_names = ["get", "head", "options"]
    renderer_classes = [JSONRenderer]

    def __init_subclass__(cls, **kwargs):
        """A subclass's ``get_queryset``, called by the schema generator outside any request (drf-spectacular's
        system check, ``manage.py spectacular``) to learn the model, runs over every region: a regional
        manager raises with no region in force. In a request the region of the host is in force, as always."""
        super().__init_subclass__(**kwargs)
        own = cls.__dict__.get("get_queryset")
        if own is None or getattr(own, "_schema_safe", False):
            return

        @functools.wraps(own)
        def get_queryset(self):
            if getattr(self, "swagger_fake_view", False) and current_region() is None:
                with all_regions():
                    return own(self)
            return own(self)

        get_queryset._schema_safe = True
        cls.get_queryset = get_queryset

    filter_backends = []
    ordering_fields: dict[str, tuple[str, ...]] = {}
    ordering: tuple[str, ...] = ()
    cache_namespaces: tuple[str, ...] = ()
    cached_actions: tuple[str, ...] = ("list", "retrieve")
    modified_field: str | None = "updated_at"
    lookup_field = "slug"
    lookup_value_regex = r"[-\w]+"

    # Cache key and version

    def cache_follows(self) -> list[str]:
        """The page-cache versions (``core.pagecache``) a cached answer follows: by default every
        version of ``cache_namespaces``; a subclass may name scopes (``"meetings:registrations"``)."""
        return list(self.cache_namespaces)

    def cache_parts(self) -> tuple:
        """More parts of the key, for what time alone changes (a subclass's hook)."""
        return ()

    def response_cache(self) -> VersionedCache:
        return VersionedCache("api", timeout=CACHE_TIMEOUT, follows=self.cache_follows())

    def known_parameters(self) -> list[str]:
        names = list(PASSIVE_PARAMETERS)
        if self.action_name() == "list":
            names += ["page", "page_size"]
            if self.ordering_fields:
                names.append("ordering")
            if getattr(self, "filterset_class", None):
                names += list(self.filterset_class.base_filters)
        return names

    def unknown_parameters(self, request) -> list[str]:
        """The query parameters of ``request`` this endpoint does not read (in the order given)."""
        known = self.known_parameters()
        return [
            name
            for name in request.GET
            if name not in known and request.GET.getlist(name) != [HARMLESS_PARAMETERS.get(name)]
        ]

    def action_name(self) -> str | None:
        return getattr(self, "action", None) or self.action_map.get(self.request.method.lower())

    def response_cache_parts(self, request, language: str) -> tuple:
        params = sorted((name, value) for name in self.known_parameters() for value in request.GET.getlist(name))
        return (
            self.basename,
            self.action_name(),
            repr(sorted(self.kwargs.items())),
            language,
            request.scheme,
            request.get_host(),
            repr(params),
            *self.cache_parts(),
        )

    def cached_entry(self, request, language: str):
        """(cache, key, version, entry or MISSING): the versions and the entry in one round trip."""
        cache = self.response_cache()
        key, version, entry = cache.lookup("response", *self.response_cache_parts(request, language))
        return cache, key, version, entry

    # Serving

    def dispatch(self, request, *args, **kwargs):
        """A cached representation is served before the framework runs: no query, no serializer."""
        self.args, self.kwargs, self.request = args, kwargs, request
        if (
            request.method in ("GET", "HEAD")
            and self.action_map.get(request.method.lower()) in self.cached_actions
            and not self.unknown_parameters(request)  # else initial() answers 400, never a cached answer
        ):
            try:
                language = request_language(request)
            except exceptions.ValidationError:
                language = None
            throttles_pass = all(throttle().allow_request(request, self) for throttle in self.throttle_classes)
            if throttles_pass:
                request._api_throttled_once = True  # counted here; not again in initial()
            if language and throttles_pass:
                with translation.override(language):
                    try:
                        cache, key, _version, entry = self.cached_entry(request, language)
                    except Exception as exc:  # the cache (Redis) is away: answer uncached
                        _cache_down(exc)
                        entry = MISSING
                    if entry is not MISSING and past_fresh(entry) and not serve_while_rebuilt(key, entry):
                        entry = MISSING  # this request rebuilds it (``_cached``); others get it as kept meanwhile
                    if entry is not MISSING:
                        response = self._respond(request, entry, language)
                        if response.status_code == 200:
                            # For the fast path (core/pagecache_fast.py): a later request for this address
                            # (host, language, query) is answered from the entry before the middleware and
                            # the framework, with these headers and the entry's ETag and Last-Modified.
                            # Only an answer served from the cache as it is; the API is anonymous (no user,
                            # no session), so it depends on nothing but the address.
                            known = self.known_parameters()
                            mark_whole(
                                request,
                                response,
                                cache=cache,
                                key=key,
                                scopes=(),
                                params=known,
                                ttl=CACHE_TIMEOUT,
                                kind="api",
                            )
                        return response
        return super().dispatch(request, *args, **kwargs)

    def check_throttles(self, request):
        if getattr(request._request, "_api_throttled_once", False):
            return
        super().check_throttles(request)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.language = request_language(request)
        translation.activate(self.language)
        request.LANGUAGE_CODE = self.language
        if self.action_name() in self.cached_actions:
            unknown = self.unknown_parameters(request._request)
            if unknown:
                raise UnknownParameters(unknown, self.known_parameters())

    def list(self, request, *args, **kwargs):
        return self._cached(request, lambda: super(PublicViewSet, self).list(request, *args, **kwargs))

    def retrieve(self, request, *args, **kwargs):
        return self._cached(request, lambda: super(PublicViewSet, self).retrieve(request, *args, **kwargs))

    def _cached(self, request, build):
        try:
            cache, key, version, entry = self.cached_entry(request._request, self.language)
        except Exception as exc:  # the cache (Redis) is away: build the answer, store nothing
            _cache_down(exc)
            key, entry = None, MISSING
        if entry is not MISSING and past_fresh(entry):
            entry = MISSING  # past its timeout: dispatch() left the rebuild to this request
        if entry is MISSING:
            self._modified = []
            response = build()
            body = JSONRenderer().render(response.data)
            built_at = timezone.now().replace(microsecond=0)
            last_modified = max([m for m in self._modified if m] or [built_at])
            entry = {
                "body": body,
                "etag": '"' + sha256(body).hexdigest()[:32] + '"',
                "last_modified": min(last_modified, built_at).timestamp(),
                "fresh": pagecache._clock() + CACHE_TIMEOUT,
            }
            if key is not None:
                cache.store(key, version, entry, CACHE_TIMEOUT + STALE_GRACE)
        return self._respond(request._request, entry, self.language)

    def _respond(self, request, entry, language):
        response = HttpResponse(entry["body"], content_type="application/json")
        response["ETag"] = entry["etag"]
        response["Last-Modified"] = http_date(entry["last_modified"])
        response["Cache-Control"] = f"public, max-age={CACHE_TIMEOUT}"
        response["Content-Language"] = language
        patch_vary_headers(response, ("Accept-Language",))
        conditional = get_conditional_response(
            request, etag=entry["etag"], last_modified=int(entry["last_modified"]), response=response
        )
        return conditional

    # Hooks for subclasses

    def get_serializer_class(self):
        """The serializer, with the fields other apps added through ``api.extend`` (see registry.py)."""
        base = super().get_serializer_class()
        extensions = api.extensions(self.basename) if getattr(self, "basename", None) else []
        if not extensions:
            return base
        key = (base, tuple(name for name, _field, _prefetch in extensions))
        if key not in _EXTENDED:
            attrs = {name: field() for name, field, _prefetch in extensions}
            meta = getattr(base, "Meta", None)
            if meta is not None and isinstance(getattr(meta, "fields", None), list | tuple):
                attrs["Meta"] = type("Meta", (meta,), {"fields": [*meta.fields, *attrs]})
            _EXTENDED[key] = type(base.__name__, (base,), attrs)
        return _EXTENDED[key]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        prefetches = [p for _name, _field, p in api.extensions(getattr(self, "basename", "")) if p is not None]
        return queryset.prefetch_related(*prefetches) if prefetches else queryset

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self._note_modified(page if page is not None else queryset)
        return page

    def get_object(self):
        obj = super().get_object()
        self._note_modified([obj])
        return obj

    def _note_modified(self, objects):
        if self.modified_field and hasattr(self, "_modified"):
            self._modified += [getattr(obj, self.modified_field, None) for obj in objects]

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "language": getattr(self, "language", settings.LANGUAGE_CODE)}

    def handle_exception(self, exc):
        try:
            return super().handle_exception(exc)
        except Exception as error:
            if is_database_unavailable(error):
                logger.warning("API: database unavailable in %s", self.__class__.__name__, exc_info=True)
                response = Response(
                    error_body(503, _("The data cannot be read just now. Please try again shortly.")), 503
                )
                response["Retry-After"] = str(RETRY_AFTER_SECONDS)
                return response
            logger.exception("API error in %s", self.__class__.__name__)
            return Response(error_body(500, _("Something went wrong on our side. Please try again later.")), 500)
