"""Where the open data API's endpoints come from: each app's ``api.py``, discovered like ``admin.py``.

An app adds its resources with a few lines in its own folder; the api app imports no feature app::

    # challenges/api.py
    from api.conventions import PublicViewSet
    from api.registry import api

    class ChallengeViewSet(PublicViewSet):
        queryset = Challenge.objects.public()
        serializer_class = ChallengeSerializer
        cache_namespaces = ("challenges",)          # the VersionedCache namespaces its pages use
        filterset_class = ChallengeFilter            # optional: filters (django-filter)
        ordering_fields = {"title": ("title",)}      # optional: ordering=
        ordering = ("title",)

    api.register("challenges", ChallengeViewSet, basename="challenge")
    api.dataset("challenges", title=..., description=..., endpoint="api:challenge-list")  # the DCAT catalogue

An app can also add a field to another app's objects, e.g. the challenges that address a meeting::

    api.extend("meeting", "challenges", lambda: ChallengeLinkSerializer(many=True, read_only=True,
               source="public_challenges", help_text="Challenges the meeting addresses."),
               prefetch=Prefetch("challenges", queryset=Challenge.objects.published(), to_attr="public_challenges"))

``api.register`` takes the router's arguments (prefix, viewset, basename); ``api.dataset`` describes
the resource in the DCAT-AP-SE catalogue (``/api/v1/dcat``) and on the documentation page. The URLs
are ``api:<basename>-list`` and ``api:<basename>-detail``; nested resources use a prefix with a
parameter (``agreements/(?P<agreement_slug>[-\\w]+)/signatories``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.module_loading import autodiscover_modules
from rest_framework.routers import SimpleRouter


@dataclass
class Dataset:
    """A dataset of the catalogue: the API endpoint and any downloads (``(url_name, kwargs, media type)``)."""

    name: str
    title: dict  # {"sv": ..., "en": ...}
    description: dict
    endpoint: str | tuple  # URL name(s) of the list endpoint(s)
    keywords: dict = field(default_factory=dict)  # {"sv": [...], "en": [...]}
    theme: str = "SOCI"  # EU data theme (http://publications.europa.eu/resource/authority/data-theme/)
    frequency: str = "CONT"  # EU frequency (http://publications.europa.eu/resource/authority/frequency/)
    page: str | None = None  # URL name of the public page
    downloads: list = field(default_factory=list)  # callables returning [(title, url, media_type)]
    order: int = 100


class ApiRegistry:
    def __init__(self):
        self.router = SimpleRouter(trailing_slash=True)
        self._datasets: dict[str, Dataset] = {}
        self._extensions: dict[str, list[tuple[str, object, object]]] = {}
        self._discovered = False

    def register(self, prefix: str, viewset, *, basename: str) -> None:
        self.router.register(prefix, viewset, basename=basename)

    def extend(self, basename: str, name: str, field, *, prefetch=None) -> None:
        """Add the field ``name`` to the objects of ``basename`` (``field``: a callable returning a serializer
        field); ``prefetch`` (a lookup or ``Prefetch``) keeps the list's queries constant."""
        self._extensions.setdefault(basename, []).append((name, field, prefetch))

    def extensions(self, basename: str) -> list[tuple[str, object, object]]:
        return self._extensions.get(basename, [])

    def dataset(self, name: str, **kwargs) -> Dataset:
        entry = Dataset(name=name, **kwargs)
        self._datasets[name] = entry
        return entry

    def datasets(self) -> list[Dataset]:
        self.autodiscover()
        return sorted(self._datasets.values(), key=lambda d: (d.order, d.name))

    def endpoints(self) -> list[tuple[str, str]]:
        """(prefix, basename) of every registered list endpoint, in registration order."""
        self.autodiscover()
        return [(prefix, basename) for prefix, _viewset, basename in self.router.registry]

    def autodiscover(self) -> None:
        if not self._discovered:
            self._discovered = True
            autodiscover_modules("api")


api = ApiRegistry()
