"""Open data (DRF): published challenges and their public participations (see challenges/api.py).

Only what the public pages show: no people (no raiser, coordinator or author), and of the
participating organisations only those listed in the public directory.
``public_challenges_queryset()`` is prefetched, so a list's queries do not grow with its rows.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.fields import ApiUrlField, CaseNumberField, LabelField, PageUrlField, TextLanguageField, TranslatedTextField
from meetings.models import Meeting
from organisations.models import Organisation

from .models import Challenge, Participation, Update


def public_challenges_queryset():
    participations = Participation.objects.filter(
        organisation__status=Organisation.Status.VERIFIED, organisation__public_listing=True
    ).select_related("organisation")
    return (
        Challenge.objects.public()
        .select_related("raising_organisation")
        .prefetch_related(
            "areas",
            "municipalities",
            Prefetch("participations", queryset=participations, to_attr="public_participations"),
            Prefetch("updates", queryset=Update.objects.order_by("-date", "-pk")),
            Prefetch("meetings", queryset=Meeting.objects.visible().order_by("start"), to_attr="public_meetings"),
        )
    )


class PublicParticipationSerializer(serializers.Serializer):
    organisation = serializers.CharField(
        source="organisation.name", read_only=True, help_text=_("Name of the participating organisation.")
    )
    organisation_slug = serializers.SlugField(
        source="organisation.slug", read_only=True, help_text=_("The organisation's id in /api/v1/organisations/.")
    )
    role = serializers.CharField(read_only=True, help_text=_("raised, coordinates, takes_part or follows."))
    role_label = LabelField("role")
    joined = serializers.DateTimeField(source="joined_at", read_only=True, help_text=_("When it joined (ISO 8601)."))


class UpdateSerializer(serializers.Serializer):
    date = serializers.DateField(read_only=True, help_text=_("Date of the progress note or decision."))
    kind = serializers.CharField(read_only=True, help_text=_("progress or decision."))
    kind_label = LabelField("kind")
    title = TranslatedTextField(help_text=_("Title of the update."))
    title_lang = TextLanguageField("title")
    text = TranslatedTextField(help_text=_("Text of the update (plain text), may be empty."))
    text_lang = TextLanguageField("text")


class ChallengeSerializer(serializers.ModelSerializer):
    slug = serializers.SlugField(read_only=True, help_text=_("Stable text id, used in the URLs."))
    url = PageUrlField()
    api_url = ApiUrlField("api:challenge-detail")
    title = TranslatedTextField(help_text=_("Title of the challenge."))
    title_lang = TextLanguageField("title")
    case_number = CaseNumberField()
    summary = TranslatedTextField(help_text=_("Short summary."))
    summary_lang = TextLanguageField("summary")
    description = TranslatedTextField(help_text=_("Description (plain text), may be empty."))
    description_lang = TextLanguageField("description")
    status = serializers.ChoiceField(
        choices=[s.value for s in Challenge.PUBLIC_STATUSES],
        read_only=True,
        help_text=_("accepted, in_progress or concluded (proposed and declined ones are never published)."),
    )
    status_label = LabelField("status")
    raised_by = serializers.CharField(read_only=True, help_text=_("region or civil_society."))
    raised_by_label = LabelField("raised_by")
    raising_organisation = serializers.SerializerMethodField(
        help_text=_("Name of the raising organisation when civil society raised it and it is listed, else null.")
    )
    areas = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="name", help_text=_("Areas of activity.")
    )
    municipalities = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="name", help_text=_("Municipalities the challenge concerns.")
    )
    accepted = serializers.DateTimeField(
        source="accepted_at", read_only=True, allow_null=True, help_text=_("Accepted.")
    )
    started = serializers.DateTimeField(
        source="started_at", read_only=True, allow_null=True, help_text=_("Work started, or null.")
    )
    concluded = serializers.DateTimeField(
        source="concluded_at", read_only=True, allow_null=True, help_text=_("Concluded, or null.")
    )
    outcome = TranslatedTextField(help_text=_("What came of it (concluded challenges), may be empty."))
    outcome_lang = TextLanguageField("outcome")
    participations = PublicParticipationSerializer(
        many=True, read_only=True, source="public_participations", help_text=_("Listed organisations taking part.")
    )
    updates = UpdateSerializer(many=True, read_only=True, help_text=_("The timeline, newest first."))
    meetings = serializers.SerializerMethodField(help_text=_("Slugs of the meetings about it (/api/v1/meetings/)."))
    modified = serializers.DateTimeField(source="updated_at", read_only=True, help_text=_("Last change (ISO 8601)."))

    class Meta:
        model = Challenge
        fields = [
            "slug",
            "url",
            "api_url",
            "title",
            "title_lang",
            "case_number",
            "summary",
            "summary_lang",
            "description",
            "description_lang",
            "status",
            "status_label",
            "raised_by",
            "raised_by_label",
            "raising_organisation",
            "areas",
            "municipalities",
            "accepted",
            "started",
            "concluded",
            "outcome",
            "outcome_lang",
            "participations",
            "updates",
            "meetings",
            "modified",
        ]

    @extend_schema_field({"type": ["string", "null"]})
    def get_raising_organisation(self, challenge) -> str | None:
        org = challenge.raising_organisation
        if org is None or org.status != Organisation.Status.VERIFIED or not org.public_listing:
            return None
        return org.name

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_meetings(self, challenge) -> list[str]:
        return [m.slug for m in challenge.public_meetings]
