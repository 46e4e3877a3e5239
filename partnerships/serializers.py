"""Open data (DRF): published calls, announced grants (organisation, amount, purpose, year, area) and
public partnerships. Never a person, never an application's text or a refused application."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.fields import ApiUrlField, LabelField, PageUrlField

from .models import Decision, GrantCall, Partnership


class GrantCallSerializer(serializers.ModelSerializer):
    url = PageUrlField()
    api_url = ApiUrlField("api:grant-call-detail")
    status_label = LabelField("status")
    area = serializers.CharField(source="area.name", default=None, read_only=True, help_text=_("Area, if any."))
    criteria = serializers.SerializerMethodField(help_text=_("What applications are assessed against."))

    class Meta:
        model = GrantCall
        fields = [
            "slug",
            "title",
            "url",
            "api_url",
            "status",
            "status_label",
            "purpose",
            "who_may_apply",
            "area",
            "amount_available",
            "ceiling",
            "opens_on",
            "closes_at",
            "case_number",
            "criteria",
        ]

    def get_criteria(self, call) -> list[str]:
        return [c.name for c in call.criteria.all()]


class GrantSerializer(serializers.ModelSerializer):
    """An announced grant as the region publishes it."""

    id = serializers.IntegerField(read_only=True)
    api_url = ApiUrlField("api:grant-detail", lookup="pk")
    organisation = serializers.CharField(source="application.organisation.name", read_only=True)
    organisation_slug = serializers.SlugField(source="application.organisation.slug", read_only=True)
    call = serializers.CharField(source="application.call.title", read_only=True)
    call_slug = serializers.SlugField(source="application.call.slug", read_only=True)
    area = serializers.CharField(source="application.call.area.name", default=None, read_only=True)
    purpose = serializers.CharField(read_only=True)
    year = serializers.SerializerMethodField(help_text=_("Year of the decision."))
    decided_on = serializers.SerializerMethodField(help_text=_("Date of the decision (ISO 8601)."))

    class Meta:
        model = Decision
        fields = [
            "id",
            "api_url",
            "organisation",
            "organisation_slug",
            "amount",
            "purpose",
            "year",
            "decided_on",
            "call",
            "call_slug",
            "area",
            "case_number",
        ]

    def get_year(self, decision) -> int:
        return timezone.localdate(decision.decided_at).year

    def get_decided_on(self, decision) -> str:
        return timezone.localdate(decision.decided_at).isoformat()


class PartnershipSerializer(serializers.ModelSerializer):
    url = PageUrlField()
    api_url = ApiUrlField("api:partnership-detail")
    status_label = LabelField("status")
    organisations = serializers.SerializerMethodField(help_text=_("The partner organisations (names)."))
    challenges = serializers.SerializerMethodField(help_text=_("Slugs of the linked public challenges."))

    class Meta:
        model = Partnership
        fields = [
            "slug",
            "title",
            "url",
            "api_url",
            "status",
            "status_label",
            "purpose",
            "starts_on",
            "ends_on",
            "region_contribution",
            "case_number",
            "organisations",
            "challenges",
        ]

    def get_organisations(self, partnership) -> list[str]:
        return [o.name for o in partnership.organisations.all()]

    def get_challenges(self, partnership) -> list[str]:
        return [c.slug for c in partnership.challenges.all() if c.published and c.status in c.PUBLIC_STATUSES]
