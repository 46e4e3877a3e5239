"""The open data API's organisations, municipalities and areas of activity (see api/registry.py).

Only verified organisations that consented to be listed, with their public profile; never contact
persons, representatives or anything they sent through the interest form.
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import serializers

from api.conventions import PublicViewSet, StrictOrderingFilter
from api.fields import ApiUrlField, LabelField, PageUrlField
from api.filters import DateTimeFilter
from api.registry import api

from .filters import OrganisationDirectoryFilter
from .models import AreaOfActivity, Municipality, Organisation
from .selectors import organisation_directory_queryset


class MunicipalitySerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text=_("Stable numeric id (filter value `municipality=`)."))
    name = serializers.CharField(read_only=True, help_text=_("Name of the municipality (kommun)."))
    code = serializers.CharField(read_only=True, help_text=_("Municipality code (kommunkod, SCB), may be empty."))
    county = serializers.CharField(read_only=True, help_text=_("The county (län) of the municipality, may be empty."))

    class Meta:
        model = Municipality
        fields = ["id", "name", "code", "county"]


class AreaSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text=_("Stable numeric id (filter value `area=`)."))
    slug = serializers.SlugField(read_only=True, help_text=_("Stable text id."))
    name = serializers.CharField(read_only=True, help_text=_("Name of the area of activity (verksamhetsområde)."))

    class Meta:
        model = AreaOfActivity
        fields = ["id", "slug", "name"]


class OrganisationSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text=_("Stable numeric id."))
    slug = serializers.SlugField(read_only=True, help_text=_("Stable text id, used in the URLs."))
    name = serializers.CharField(read_only=True, help_text=_("Name of the organisation."))
    url = PageUrlField()
    api_url = ApiUrlField("api:organisation-detail")
    organisation_number = serializers.CharField(
        read_only=True, help_text=_("Swedish organisation number (NNNNNN-NNNN); empty for networks without one.")
    )
    legal_form = serializers.CharField(read_only=True, help_text=_("Legal form, as a code."))
    legal_form_label = LabelField("legal_form")
    municipality = MunicipalitySerializer(read_only=True, allow_null=True, help_text=_("Home municipality, or null."))
    areas = AreaSerializer(many=True, read_only=True, help_text=_("Areas of activity."))
    website = serializers.URLField(read_only=True, help_text=_("Website, may be empty."))
    description = serializers.CharField(read_only=True, help_text=_("Short description written by the organisation."))
    modified = serializers.DateTimeField(source="updated_at", read_only=True, help_text=_("Last change (ISO 8601)."))

    class Meta:
        model = Organisation
        fields = [
            "id",
            "slug",
            "name",
            "url",
            "api_url",
            "organisation_number",
            "legal_form",
            "legal_form_label",
            "municipality",
            "areas",
            "website",
            "description",
            "modified",
        ]


class OrganisationApiFilter(OrganisationDirectoryFilter):
    """The directory's search and filters (q, municipality, area), plus legal form and modified_since."""

    legal_form = django_filters.ChoiceFilter(choices=Organisation.LegalForm.choices, label=_("Legal form (code)"))
    modified_since = DateTimeFilter(
        field_name="updated_at", lookup_expr="gte", label=_("Changed at or after (ISO 8601)")
    )

    class Meta(OrganisationDirectoryFilter.Meta):
        fields = ["q", "municipality", "area", "legal_form", "modified_since"]


@extend_schema_view(
    retrieve=extend_schema(
        examples=[
            OpenApiExample(
                "An organisation in the directory",
                summary=_("An organisation in the directory"),
                value={
                    "id": 4,
                    "slug": "abf-vasternorrland",
                    "name": "ABF Västernorrland",
                    "url": "https://samverkan.example.se/organisationer/abf-vasternorrland/",
                    "api_url": "https://samverkan.example.se/api/v1/organisations/abf-vasternorrland/",
                    "organisation_number": "802490-0048",
                    "legal_form": "ideell_forening",
                    "legal_form_label": "ideell förening",
                    "municipality": {"id": 4, "name": "Sundsvall", "code": "2281", "county": "Västernorrland"},
                    "areas": [{"id": 7, "slug": "folkbildning", "name": "Folkbildning"}],
                    "website": "https://www.abf.se/",
                    "description": "Studieförbund i arbetarrörelsen.",
                    "modified": "2026-11-30T10:15:00+01:00",
                },
            )
        ]
    )
)
class OrganisationViewSet(PublicViewSet):
    """``/api/v1/organisations/``."""

    api_description = _("The public directory: verified organisations that consented to be listed.")

    serializer_class = OrganisationSerializer
    cache_namespaces = ("organisations",)
    filter_backends = [DjangoFilterBackend, StrictOrderingFilter]
    filterset_class = OrganisationApiFilter
    ordering_fields = {"name": ("name",), "modified": ("updated_at",), "id": ("id",)}
    ordering = ("name",)
    queryset = Organisation.objects.none()  # the model, for the schema; the rows are the region's (get_queryset)

    def get_queryset(self):
        return organisation_directory_queryset()


class MunicipalityViewSet(PublicViewSet):
    """``/api/v1/municipalities/``."""

    api_description = _("Municipalities (filter values of the directory and the signatory lists).")

    queryset = Municipality.objects.none()  # the model, for the schema; the rows are the region's (get_queryset)
    serializer_class = MunicipalitySerializer
    cache_namespaces = ("organisations",)
    filter_backends = [StrictOrderingFilter]
    ordering_fields = {"name": ("name",), "id": ("id",)}
    ordering = ("name",)
    modified_field = None
    lookup_field = "pk"
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return self.queryset.model.objects.all()


class AreaViewSet(MunicipalityViewSet):
    """``/api/v1/areas/``."""

    api_description = _("Areas of activity (filter values of the directory and the signatory lists).")

    queryset = AreaOfActivity.objects.none()
    serializer_class = AreaSerializer


api.register("organisations", OrganisationViewSet, basename="organisation")
api.register("municipalities", MunicipalityViewSet, basename="municipality")
api.register("areas", AreaViewSet, basename="area")
api.dataset(
    "organisations",
    title={"sv": "Idéburna organisationer", "en": "Civil society organisations"},
    description={
        "sv": "Den offentliga katalogen: verifierade idéburna organisationer som samtyckt till att visas, "
        "med kommun, verksamhetsområden, juridisk form, organisationsnummer, webbplats och beskrivning.",
        "en": "The public directory: verified civil society organisations that consented to be listed, with "
        "municipality, areas of activity, legal form, organisation number, website and description.",
    },
    keywords={"sv": ["civilsamhälle", "föreningar", "idéburen sektor"], "en": ["civil society", "associations"]},
    endpoint="api:organisation-list",
    page="organisations:directory",
    order=20,
)
api.dataset(
    "municipalities",
    title={"sv": "Kommuner och verksamhetsområden", "en": "Municipalities and areas of activity"},
    description={
        "sv": "Kommunerna och verksamhetsområdena som organisationer och undertecknare filtreras på.",
        "en": "The municipalities and areas of activity that organisations and signatories are filtered by.",
    },
    keywords={"sv": ["kommuner"], "en": ["municipalities"]},
    endpoint=("api:municipality-list", "api:area-list"),
    frequency="IRREG",
    order=90,
)
