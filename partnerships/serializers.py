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
        extra_kwargs = {
            "slug": {"help_text": _("Stable text id, used in the URLs.")},
            "title": {"help_text": _("Title of the call.")},
            "status": {"help_text": _("published or closed.")},
            "purpose": {"help_text": _("What the call supports.")},
            "who_may_apply": {"help_text": _("Who may apply.")},
            "amount_available": {"help_text": _("Amount to give out, in whole kronor.")},
            "ceiling": {"help_text": _("Highest amount per application, in whole kronor.")},
            "opens_on": {"help_text": _("First day to apply (ISO 8601).")},
            "closes_at": {"help_text": _("Last moment to apply (ISO 8601).")},
            "case_number": {"help_text": _("The region's case number, may be empty.")},
        }

    def get_criteria(self, call) -> list[str]:
        return [c.name for c in call.criteria.all()]


# An announced grant as the region publishes it (no docstring: it would be the schema's English description).
class GrantSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text=_("Id of the grant."))
    api_url = ApiUrlField("api:grant-detail", lookup="pk")
    organisation = serializers.CharField(
        source="application.organisation.name", read_only=True, help_text=_("Name of the organisation granted.")
    )
    organisation_slug = serializers.SlugField(
        source="application.organisation.slug",
        read_only=True,
        help_text=_("The organisation's id in /api/v1/organisations/."),
    )
    call = serializers.CharField(source="application.call.title", read_only=True, help_text=_("Title of the call."))
    call_slug = serializers.SlugField(
        source="application.call.slug", read_only=True, help_text=_("The call's id in /api/v1/grant-calls/.")
    )
    area = serializers.CharField(
        source="application.call.area.name", default=None, read_only=True, help_text=_("Area, if any.")
    )
    purpose = serializers.CharField(read_only=True, help_text=_("What the money is for, as the region publishes it."))
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
        extra_kwargs = {
            "amount": {"help_text": _("Granted amount, in whole kronor.")},
            "case_number": {"help_text": _("The region's case number, may be empty.")},
        }

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
        extra_kwargs = {
            "slug": {"help_text": _("Stable text id, used in the URLs.")},
            "title": {"help_text": _("Title of the partnership.")},
            "status": {"help_text": _("in_force or ended.")},
            "purpose": {"help_text": _("The shared purpose of the partnership.")},
            "starts_on": {"help_text": _("First day of the period (ISO 8601).")},
            "ends_on": {"help_text": _("Last day of the period (ISO 8601).")},
            "region_contribution": {"help_text": _("The region's contribution, in whole kronor.")},
            "case_number": {"help_text": _("The region's case number, may be empty.")},
        }

    def get_organisations(self, partnership) -> list[str]:
        return [o.name for o in partnership.organisations.all()]

    def get_challenges(self, partnership) -> list[str]:
        return [c.slug for c in partnership.challenges.all() if c.published and c.status in c.PUBLIC_STATUSES]
