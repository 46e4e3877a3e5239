"""The open data API's agreements, action plans, working groups and signatories (see api/registry.py).

``SignatoryRowSerializer`` is the one definition of what is public about a signatory: the API's
signatory list extends it, and the CSV/JSON downloads of the public list are made from it (its
fields are their columns, documented by their help texts). Signer names, titles, board decisions
and who asked or verified are never part of it.
"""

import django_filters
from django import forms
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from api.conventions import PublicViewSet, StrictOrderingFilter
from api.fields import (
    NULLABLE_URI,
    ApiUrlField,
    CaseNumberField,
    LabelField,
    PageUrlField,
    TextLanguageField,
    TranslatedTextField,
    absolute_reverse,
)
from api.filters import DateTimeFilter
from api.registry import api
from core.spreadsheets import XLSX_CONTENT_TYPE
from organisations.models import AreaOfActivity, Municipality

from . import selectors
from .api_downloads import SignatoryRowSerializer
from .api_growth import GrowthPointSerializer
from .models import Action, ActionPlan, Agreement, AgreementVersion, Signatory, WorkingGroupMember

# Signatories -----------------------------------------------------------------------------------


class SignatorySerializer(SignatoryRowSerializer):
    id = serializers.IntegerField(read_only=True, help_text=_("Stable numeric id of the signature."))
    organisation_id = serializers.IntegerField(read_only=True, help_text=_("Numeric id of the organisation."))
    organisation_slug = serializers.CharField(
        source="organisation.slug", read_only=True, help_text=_("Text id of the organisation.")
    )
    organisation_url = serializers.SerializerMethodField(
        help_text=_("The organisation's public page, when it is listed in the directory; else null.")
    )
    municipality_id = serializers.IntegerField(
        source="organisation.municipality_id",
        read_only=True,
        allow_null=True,
        help_text=_("Numeric id of the municipality."),
    )
    method = serializers.CharField(read_only=True, help_text=_("on paper, online or imported (code)."))
    modified = serializers.DateTimeField(source="updated_at", read_only=True, help_text=_("Last change (ISO 8601)."))

    @extend_schema_field(NULLABLE_URI)
    def get_organisation_url(self, signatory) -> str | None:
        organisation = signatory.organisation
        if organisation.status == organisation.Status.VERIFIED and organisation.public_listing:
            return absolute_reverse(self.context.get("request"), "organisations:detail", slug=organisation.slug)
        return None


@extend_schema_field(
    {"type": "integer", "minimum": 1900, "maximum": 2999, "description": _("Year signed (1900–2999).")}
)
class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class SignatoryFilter(django_filters.FilterSet):
    """The public list's search and filters (q, municipality, area), plus the year signed."""

    q = django_filters.CharFilter(
        field_name="organisation__name", lookup_expr="icontains", label=_("Search by organisation name")
    )
    # Querysets per request (a callable): read in the region of the host, so an id of another region's
    # municipality or area is a 400, never that region's rows.
    municipality = django_filters.ModelChoiceFilter(
        field_name="organisation__municipality",
        queryset=lambda request: Municipality.objects.all(),
        label=_("Municipality id"),
    )
    area = django_filters.ModelChoiceFilter(
        field_name="organisation__areas",
        queryset=lambda request: AreaOfActivity.objects.all(),
        label=_("Area of activity id"),
    )
    year = YearFilter(
        field_name="signed_on", lookup_expr="year", label=_("Year signed"), min_value=1900, max_value=2999
    )
    signed_until = django_filters.DateFilter(
        field_name="signed_on", lookup_expr="lte", label=_("Signed on or before (YYYY-MM-DD)")
    )
    modified_since = DateTimeFilter(
        field_name="updated_at", lookup_expr="gte", label=_("Changed at or after (ISO 8601)")
    )

    class Meta:
        model = Signatory
        fields = ["q", "municipality", "area", "year", "signed_until", "modified_since"]


@extend_schema_view(
    retrieve=extend_schema(
        examples=[
            OpenApiExample(
                "A signatory",
                summary=_("A signatory"),
                value={
                    "organisation": "Göteborgs Pensionärsförening",
                    "organisation_number": "857200-1234",
                    "municipality": "Göteborg",
                    "date_signed": "2014-04-10",
                    "id": 12,
                    "organisation_id": 40,
                    "organisation_slug": "goteborgs-pensionarsforening",
                    "organisation_url": "https://samverkan.example.se/organisationer/goteborgs-pensionarsforening/",
                    "municipality_id": 3,
                    "method": "paper",
                    "modified": "2026-11-30T10:15:00+01:00",
                },
            )
        ]
    )
)
class SignatoryViewSet(PublicViewSet):
    """``/api/v1/agreements/{slug}/signatories/``."""

    api_description = _("Verified signatories of an agreement shown by name, as on its public list.")

    serializer_class = SignatorySerializer
    cache_namespaces = ("agreements", "organisations")
    filter_backends = [DjangoFilterBackend, StrictOrderingFilter]
    filterset_class = SignatoryFilter
    ordering_fields = {
        "name": ("organisation__name",),
        "date": ("signed_on", "organisation__name"),
        "modified": ("updated_at",),
        "id": ("id",),
    }
    ordering = ("name",)
    lookup_field = "pk"
    lookup_value_regex = r"[0-9]+"

    def get_agreement(self) -> Agreement:
        return get_object_or_404(
            Agreement.objects.exclude(status=Agreement.Status.DRAFT), slug=self.kwargs["agreement_slug"]
        )

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Signatory.objects.none()
        return (
            self.get_agreement()
            .signatories.listed()
            .select_related("organisation", "organisation__municipality")
            .distinct()
        )


# Agreements ------------------------------------------------------------------------------------


class VersionSerializer(serializers.Serializer):
    number = serializers.IntegerField(read_only=True, help_text=_("Version number."))
    case_number = CaseNumberField()
    date = serializers.DateField(read_only=True, help_text=_("Date of the version."))
    change_note = serializers.CharField(read_only=True, help_text=_("What changed."))
    document_url = serializers.SerializerMethodField(help_text=_("The document of this version, or null."))

    @extend_schema_field(NULLABLE_URI)
    def get_document_url(self, version: AgreementVersion) -> str | None:
        if not version.document:
            return None
        return absolute_reverse(
            self.context.get("request"),
            "agreements:version_document",
            slug=version.agreement.slug,
            number=version.number,
        )


class ActionSerializer(serializers.Serializer):
    order = serializers.IntegerField(read_only=True, help_text=_("Position in the plan."))
    area = serializers.CharField(read_only=True, help_text=_("Area of the action, may be empty."))
    title = TranslatedTextField(help_text=_("What is to be done."))
    title_lang = TextLanguageField("title")
    description = TranslatedTextField(help_text=_("Description, may be empty."))
    description_lang = TextLanguageField("description")
    responsible = serializers.CharField(read_only=True, help_text=_("region, civil_society or joint."))
    responsible_label = LabelField("responsible")
    status = serializers.CharField(read_only=True, help_text=_("planned, in_progress, done or cancelled."))
    status_label = LabelField("status")


class ActionPlanSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, help_text=_("Stable numeric id."))
    title = TranslatedTextField(help_text=_("Title of the action plan."))
    title_lang = TextLanguageField("title")
    case_number = CaseNumberField()
    period_start = serializers.IntegerField(read_only=True, help_text=_("First year of the plan."))
    period_end = serializers.IntegerField(read_only=True, help_text=_("Last year of the plan."))
    status = serializers.CharField(read_only=True, help_text=_("draft (being drafted), decided or concluded."))
    status_label = LabelField("status")
    summary = TranslatedTextField(help_text=_("Summary, may be empty."))
    summary_lang = TextLanguageField("summary")
    decided_by = serializers.CharField(read_only=True, help_text=_("The body that decided it, may be empty."))
    decided_on = serializers.DateField(read_only=True, allow_null=True, help_text=_("Date of the decision, or null."))
    document_url = serializers.SerializerMethodField(help_text=_("The plan as a document, or null."))
    actions = ActionSerializer(many=True, read_only=True, help_text=_("The actions, in order."))

    @extend_schema_field(NULLABLE_URI)
    def get_document_url(self, plan: ActionPlan) -> str | None:
        if not plan.document:
            return None
        return absolute_reverse(
            self.context.get("request"), "agreements:action_plan_document", slug=plan.agreement.slug, pk=plan.pk
        )


class WorkingGroupMemberSerializer(serializers.Serializer):
    name = serializers.CharField(
        read_only=True,
        help_text=_(
            "Name (members are public office holders or appointed representatives, named on the agreement's page)."
        ),
    )
    side = serializers.CharField(read_only=True, help_text=_("politician or civil_society."))
    side_label = LabelField("side")
    affiliation = serializers.CharField(read_only=True, help_text=_("Party or organisation, may be empty."))
    role = serializers.CharField(read_only=True, help_text=_("Role in the group (e.g. chair), may be empty."))
    term_start = serializers.DateField(read_only=True, allow_null=True, help_text=_("Term from, or null."))
    term_end = serializers.DateField(read_only=True, allow_null=True, help_text=_("Term until, or null."))


class AgreementSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text=_("Stable numeric id."))
    slug = serializers.SlugField(read_only=True, help_text=_("Stable text id, used in the URLs."))
    url = PageUrlField()
    api_url = ApiUrlField("api:agreement-detail")
    title = TranslatedTextField(help_text=_("Title of the agreement."))
    title_lang = TextLanguageField("title")
    case_number = CaseNumberField()
    status = serializers.CharField(read_only=True, help_text=_("in_force, expired or replaced."))
    status_label = LabelField("status")
    adopted_on = serializers.DateField(read_only=True, allow_null=True, help_text=_("Date adopted, or null."))
    parties = serializers.ListField(
        source="party_list", child=serializers.CharField(), read_only=True, help_text=_("The parties to the agreement.")
    )
    summary = TranslatedTextField(help_text=_("Summary."))
    summary_lang = TextLanguageField("summary")
    text = serializers.CharField(read_only=True, help_text=_("Text of the agreement, may be empty."))
    replaced_by = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text=_("Text id of the agreement that replaced it, or null."),
    )
    signatory_count = serializers.IntegerField(
        source="verified_count", read_only=True, help_text=_("Verified signatories (also those not listed by name).")
    )
    signatories_url = serializers.SerializerMethodField(help_text=_("The signatories listed by name (API)."))
    growth_url = serializers.SerializerMethodField(help_text=_("Signatories per year (API)."))
    downloads = serializers.SerializerMethodField(help_text=_("The public signatory list as CSV and JSON."))
    versions = VersionSerializer(many=True, read_only=True, help_text=_("Versions, newest first."))
    action_plans = ActionPlanSerializer(many=True, read_only=True, help_text=_("Action plans with their actions."))
    working_group = WorkingGroupMemberSerializer(many=True, read_only=True, help_text=_("The working group."))
    modified = serializers.DateTimeField(source="updated_at", read_only=True, help_text=_("Last change (ISO 8601)."))

    class Meta:
        model = Agreement
        fields = [
            "id", "slug", "url", "api_url", "title", "title_lang", "case_number", "status", "status_label",
            "adopted_on", "parties", "summary", "summary_lang", "text", "replaced_by", "signatory_count",
            "signatories_url", "growth_url", "downloads", "versions", "action_plans", "working_group", "modified",
        ]  # fmt: skip

    @extend_schema_field(NULLABLE_URI)
    def get_signatories_url(self, agreement) -> str | None:
        return absolute_reverse(self.context.get("request"), "api:signatory-list", agreement_slug=agreement.slug)

    @extend_schema_field(NULLABLE_URI)
    def get_growth_url(self, agreement) -> str | None:
        return absolute_reverse(self.context.get("request"), "api:agreement-growth", slug=agreement.slug)

    @extend_schema_field(
        inline_serializer(
            "AgreementDownloads",
            {
                "csv": serializers.URLField(
                    help_text=_("The public signatory list as CSV (columns as the signatories).")
                ),
                "json": serializers.URLField(help_text=_("The public signatory list as JSON.")),
            },
        )
    )
    def get_downloads(self, agreement):
        request = self.context.get("request")
        return {
            "csv": absolute_reverse(request, "agreements:signatories_csv", slug=agreement.slug),
            "json": absolute_reverse(request, "agreements:signatories_json", slug=agreement.slug),
        }


class AgreementFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=[(k, v) for k, v in Agreement.Status.choices if k != "draft"], label=_("in_force, expired or replaced")
    )
    modified_since = DateTimeFilter(
        field_name="updated_at", lookup_expr="gte", label=_("Changed at or after (ISO 8601)")
    )

    class Meta:
        model = Agreement
        fields = ["status", "modified_since"]


class AgreementViewSet(PublicViewSet):
    """``/api/v1/agreements/``."""

    api_description = _(
        "Agreements (not drafts) with versions, action plans and actions, working group and signatory count."
    )

    serializer_class = AgreementSerializer
    cache_namespaces = ("agreements",)
    cached_actions = ("list", "retrieve", "growth")
    filter_backends = [DjangoFilterBackend, StrictOrderingFilter]
    filterset_class = AgreementFilter
    ordering_fields = {"adopted": ("adopted_on",), "title": ("title",), "modified": ("updated_at",), "id": ("id",)}
    ordering = ("-adopted",)

    def get_queryset(self):
        return (
            Agreement.objects.exclude(status=Agreement.Status.DRAFT)
            .select_related("replaced_by")
            .annotate(verified_count=Count("signatories", filter=Q(signatories__status=Signatory.Status.VERIFIED)))
            .prefetch_related(
                Prefetch("versions", queryset=AgreementVersion.objects.published().select_related("agreement")),
                Prefetch(
                    "action_plans",
                    queryset=ActionPlan.objects.select_related("agreement").prefetch_related(
                        Prefetch("actions", queryset=Action.objects.order_by("order", "id"))
                    ),
                ),
                Prefetch("working_group", queryset=WorkingGroupMember.objects.order_by("side", "order", "name")),
            )
        )

    @extend_schema(
        responses=GrowthPointSerializer(many=True),
        filters=False,
        description=_("Verified signatories per year, as the chart on the public list."),
    )
    @action(detail=True, filter_backends=[], pagination_class=None)
    def growth(self, request, slug=None):
        def build():
            agreement = get_object_or_404(Agreement.objects.exclude(status=Agreement.Status.DRAFT), slug=slug)
            self._note_modified([agreement])
            points = selectors.signatory_growth(agreement=agreement, until_year=timezone.localdate().year)
            return Response(GrowthPointSerializer(points, many=True).data)

        return self._cached(request, build)


api.register("agreements", AgreementViewSet, basename="agreement")
api.register(r"agreements/(?P<agreement_slug>[-\w]+)/signatories", SignatoryViewSet, basename="signatory")
api.dataset(
    "agreements",
    title={"sv": "Överenskommelser och handlingsplaner", "en": "Agreements and action plans"},
    description={
        "sv": "Överenskommelserna mellan regionen och det civila samhället: versioner, handlingsplaner med "
        "åtgärder och status, arbetsgruppen och antalet undertecknare.",
        "en": "The agreements between the region and civil society: versions, action plans with actions and "
        "status, the working group and the number of signatories.",
    },
    keywords={"sv": ["överenskommelse", "handlingsplan"], "en": ["agreement", "action plan"]},
    endpoint="api:agreement-list",
    page="agreements:list",
    frequency="IRREG",
    order=30,
)


def _signatory_downloads():
    """(title, URL name, kwargs, media type) of the XLSX/CSV/JSON downloads of every public agreement's list."""
    rows = []
    for slug, title in Agreement.objects.exclude(status=Agreement.Status.DRAFT).values_list("slug", "title"):
        rows.append((f"{title} (Excel, XLSX)", "agreements:signatories_xlsx", {"slug": slug}, XLSX_CONTENT_TYPE))
        rows.append((f"{title} (CSV, Excel)", "agreements:signatories_excel_csv", {"slug": slug}, "text/csv"))
        rows.append((f"{title} (CSV)", "agreements:signatories_csv", {"slug": slug}, "text/csv"))
        rows.append((f"{title} (JSON)", "agreements:signatories_json", {"slug": slug}, "application/json"))
        rows.append((f"{title} (API)", "api:signatory-list", {"agreement_slug": slug}, "application/json"))
    return rows


api.dataset(
    "signatories",
    title={"sv": "Undertecknare av överenskommelserna", "en": "Signatories of the agreements"},
    description={
        "sv": "Verifierade undertecknande organisationer som visas med namn: organisation, organisationsnummer, "
        "kommun och datum för undertecknandet, samt antalet undertecknare per år.",
        "en": "Verified signatory organisations listed by name: organisation, organisation number, municipality "
        "and date signed, and the number of signatories per year.",
    },
    keywords={"sv": ["undertecknare", "överenskommelse"], "en": ["signatories", "agreement"]},
    endpoint=(),
    downloads=[_signatory_downloads],
    frequency="CONT",
    order=40,
)
