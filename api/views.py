"""The API's own views: the index, the OpenAPI schema, the documentation page, the DCAT-AP-SE catalogue
and the JSON 404 for every unknown path under /api/."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.utils import extend_schema, inline_serializer
from drf_spectacular.views import SpectacularAPIView
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.links import absolute_url, region_context, region_name, site_url
from core.pagecache import VersionedCache
from core.region_state import current_region_id

from .conventions import error_body, request_language
from .registry import api


def _absolute(request, name: str, **kwargs) -> str | None:
    try:
        return request.build_absolute_uri(reverse(name, kwargs=kwargs))
    except NoReverseMatch:
        return None


def _on_region(name: str, **kwargs) -> str | None:
    """The absolute URL of ``name`` on the primary host of the region in force (the host's region)."""
    try:
        return absolute_url(reverse(name, kwargs=kwargs))
    except NoReverseMatch:
        return None


class ApiIndex(APIView):
    """The API's root (``/api/v1/``)."""

    api_description = gettext_lazy(
        "What the API offers: every list endpoint, the schema, the documentation and the catalogue."
    )
    http_method_names = ["get", "head", "options"]

    @extend_schema(
        responses=inline_serializer(
            "Index",
            {
                "endpoints": serializers.DictField(
                    child=serializers.URLField(), help_text=gettext_lazy("The list endpoints.")
                ),
                "schema": serializers.URLField(help_text=gettext_lazy("This OpenAPI schema.")),
                "documentation": serializers.URLField(help_text=gettext_lazy("The documentation page.")),
                "catalogue": serializers.URLField(help_text=gettext_lazy("The DCAT-AP-SE catalogue (RDF/XML).")),
                "licence": serializers.URLField(help_text=gettext_lazy("The licence of the data.")),
            },
        )
    )
    def get(self, request):
        endpoints = {
            prefix: _absolute(request, f"api:{basename}-list")
            for prefix, basename in api.endpoints()
            if "(?P<" not in prefix
        }
        return Response(
            {
                "endpoints": endpoints,
                "schema": _absolute(request, "api:schema"),
                "documentation": _absolute(request, "opendata:documentation"),
                "catalogue": _absolute(request, "api:dcat"),
                "licence": settings.OPEN_DATA_LICENSE_URL,
            }
        )


class SchemaView(SpectacularAPIView):
    """OpenAPI 3: YAML by default, JSON with ``?format=json`` (or ``Accept: application/json``).

    The schema only changes with the code, so it is built once per process, language and region: its
    ``servers`` is the region's own address (the host's region, never another's)."""

    http_method_names = ["get", "head", "options"]
    schema = None  # not part of itself

    def perform_content_negotiation(self, request, force=False):
        wanted = request.query_params.get("format")
        for renderer in self.get_renderers():
            if wanted and renderer.format == wanted:
                return renderer, renderer.media_type
        return super().perform_content_negotiation(request, force)

    def get(self, request, *args, **kwargs):
        language = request_language(request)
        return Response(schema_for_docs(language))


@lru_cache(maxsize=64)
def _schema(language: str, region_id: int | None, server: str) -> dict:
    """Keyed by the region as well as its address: a region's schema is never served on another's host."""
    with translation.override(language):
        schema = SchemaGenerator(patterns=None, urlconf=None).get_schema(request=None, public=True)
    schema["servers"] = [{"url": server}]
    return schema


def schema_for_docs(language: str) -> dict:
    """The schema in ``language`` for the region in force, ``servers`` its primary address."""
    return _schema(language, current_region_id(), site_url())


def _type_of(schema: dict, components: dict) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "allOf" in schema:
        return " ".join(_type_of(s, components) for s in schema["allOf"])
    if "oneOf" in schema:
        return " | ".join(_type_of(s, components) for s in schema["oneOf"])
    kind = schema.get("type", "object")
    if kind == "array":
        return f"[{_type_of(schema.get('items', {}), components)}]"
    if schema.get("format"):
        kind = f"{kind} ({schema['format']})"
    if schema.get("nullable"):
        kind += " | null"
    return kind


def _documentation_context(language: str) -> dict:
    schema = schema_for_docs(language)
    components = schema.get("components", {}).get("schemas", {})
    operations = []
    for path, methods in schema.get("paths", {}).items():
        operation = methods.get("get")
        if not operation:
            continue
        parameters = [
            {
                "name": p["name"],
                "where": p["in"],
                "type": _type_of(p.get("schema", {}), components),
                "enum": p.get("schema", {}).get("enum"),
                "description": p.get("description", ""),
                "required": p.get("required", False),
            }
            for p in operation.get("parameters", [])
        ]
        content = operation.get("responses", {}).get("200", {}).get("content", {}).get("application/json", {})
        result = _type_of(content.get("schema", {}), components) if content else ""
        operations.append(
            {
                "id": operation.get("operationId", path),
                "path": path,
                "summary": operation.get("description", "").strip().split("\n")[0],
                "parameters": parameters,
                "result": result,
            }
        )
    models = []
    for name, component in components.items():
        if component.get("type") != "object" or "properties" not in component:
            continue
        fields = [
            {"name": field, "type": _type_of(spec, components), "description": spec.get("description", "")}
            for field, spec in component["properties"].items()
        ]
        models.append({"name": name, "fields": fields})
    return {"operations": operations, "models": models}


# The open data page: the schema changes with a deploy, the downloads it lists with the agreements.
documentation_pages = VersionedCache("opendata", timeout=300, follows=["agreements"])


@require_safe
def documentation(request):
    """The documentation page: rendered on the server from the schema (no script, works under the CSP);
    cached whole for anonymous visitors, per language and the address it was asked on (its links are absolute)."""
    return documentation_pages.cached_page(
        request, page="documentation", parts=[request.scheme, request.get_host()], build=_documentation_page
    )


def _documentation_page(request):
    language = translation.get_language() or settings.LANGUAGE_CODE
    context = _documentation_context(language)
    datasets = []
    for dataset in api.datasets():
        endpoints = (dataset.endpoint,) if isinstance(dataset.endpoint, str) else dataset.endpoint
        datasets.append(
            {
                "title": dataset.title.get(language) or dataset.title["sv"],
                "description": dataset.description.get(language) or dataset.description["sv"],
                "endpoints": [u for u in (_absolute(request, name) for name in endpoints) if u],
                "downloads": [
                    (title, _absolute(request, name, **kwargs), media_type)
                    for source in dataset.downloads
                    for title, name, kwargs, media_type in source()
                    if not name.startswith("api:")
                ],
            }
        )
    return render(
        request,
        "api/documentation.html",
        {
            **context,
            "datasets": datasets,
            "spreadsheets": _spreadsheets(datasets),
            "api_root": _absolute(request, "api:index"),
            "schema_url": _absolute(request, "api:schema"),
            "dcat_url": _absolute(request, "api:dcat"),
            "licence_url": settings.OPEN_DATA_LICENSE_URL,
            "licence_name": settings.OPEN_DATA_LICENSE_NAME,
            "page_size": settings.API_PAGE_SIZE,
            "max_page_size": settings.API_MAX_PAGE_SIZE,
            "rate": settings.API_ANON_RATE,
        },
    )


def _spreadsheets(datasets: list[dict]) -> list[dict]:
    """The downloads that open in a spreadsheet program (CSV, XLSX), per dataset: the box at the top of
    the open data page, for those who want a table rather than an API."""
    found = []
    for dataset in datasets:
        links = [(title, url) for title, url, media_type in dataset["downloads"] if media_type in SPREADSHEET_TYPES]
        if links:
            found.append({"title": dataset["title"], "links": links})
    return found


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SPREADSHEET_TYPES = {"text/csv", XLSX}
FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"
THEME = "http://publications.europa.eu/resource/authority/data-theme/"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
MEDIA_FORMAT = {"application/json": "JSON", "text/csv": "CSV", XLSX: "XLSX"}


class DcatView(APIView):
    """The catalogue in DCAT-AP-SE (RDF/XML, which dataportal.se harvests)."""

    http_method_names = ["get", "head", "options"]
    schema = None  # RDF, described by DCAT-AP-SE rather than by OpenAPI

    def get(self, request):
        # Every URL of the catalogue is on the host's region (its primary host), the publisher is that
        # region: each host serves its own region's catalogue.
        site = site_url()
        datasets = []
        for dataset in api.datasets():
            endpoints = (dataset.endpoint,) if isinstance(dataset.endpoint, str) else dataset.endpoint
            distributions = [
                {
                    "uri": url + "#distribution",
                    "title": {"sv": f"{dataset.title['sv']} (API)", "en": f"{dataset.title['en']} (API)"},
                    "access_url": url,
                    "media_type": "application/json",
                    "format": "JSON",
                    "api": True,
                }
                for url in (_on_region(name) for name in endpoints)
                if url
            ]
            for source in dataset.downloads:
                for title, name, kwargs, media_type in source():
                    url = _on_region(name, **kwargs)
                    if url:
                        distributions.append(
                            {
                                "uri": url + "#distribution",
                                "title": {"sv": title, "en": title},
                                "access_url": url,
                                "media_type": media_type,
                                "format": MEDIA_FORMAT.get(media_type, "JSON"),
                                "api": name.startswith("api:"),
                            }
                        )
            datasets.append(
                {
                    "uri": f"{site}/api/v1/dcat#{dataset.name}",
                    "dataset": dataset,
                    "page": _on_region(dataset.page) if dataset.page else None,
                    "distributions": distributions,
                }
            )
        context = {
            "site": site,
            "catalog_uri": f"{site}/api/v1/dcat",
            "publisher_uri": f"{site}/#publisher",
            "region": region_name(),
            "region_email": region_context()["REGION_CONTACT_EMAIL"],
            "licence": settings.OPEN_DATA_LICENSE_URL,
            "datasets": datasets,
            "frequency": FREQUENCY,
            "theme": THEME,
            "file_type": FILE_TYPE,
            "modified": timezone.localdate().isoformat(),
            "documentation": _on_region("opendata:documentation"),
            "schema": _on_region("api:schema"),
        }
        return render(request, "api/dcat.rdf", context, content_type="application/rdf+xml; charset=utf-8")


def not_found(request, *args, **kwargs):
    """Every unknown path under /api/ answers JSON, never the HTML 404 page; a known path without its
    trailing slash is redirected (the catch-all would otherwise hide it from APPEND_SLASH)."""
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found:
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(request.path + "/" + (f"?{query}" if query else ""))
    with translation.override(_language_or_default(request)):
        body = error_body(
            404,
            _("Nothing here. See %(url)s for what the API offers.") % {"url": request.build_absolute_uri("/api/v1/")},
        )
    return JsonResponse(body, status=404, json_dumps_params={"ensure_ascii": False})


def _language_or_default(request) -> str:
    try:
        return request_language(request)
    except exceptions.ValidationError:
        return settings.LANGUAGE_CODE
