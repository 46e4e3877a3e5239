"""Open data (DRF): published challenges and their public participations, ready for the API app.

Only what the public pages show: no people (no raiser, coordinator or author), and only
organisations listed in the public directory. ``public_challenges_queryset()`` is the queryset a
read-only viewset should use (prefetched, so the query count does not grow with the rows).
"""

from django.db.models import Prefetch
from rest_framework import serializers

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
            "meetings",
        )
        .order_by("-accepted_at", "-pk")
    )


class PublicParticipationSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name")
    organisation_slug = serializers.CharField(source="organisation.slug")

    class Meta:
        model = Participation
        fields = ["organisation", "organisation_slug", "role", "joined_at"]


class UpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Update
        fields = ["date", "kind", "title", "text"]


class ChallengeSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    raising_organisation = serializers.SerializerMethodField()
    areas = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    municipalities = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    participations = PublicParticipationSerializer(many=True, read_only=True, source="public_participations")
    updates = UpdateSerializer(many=True, read_only=True)
    meetings = serializers.SerializerMethodField()

    class Meta:
        model = Challenge
        fields = [
            "slug",
            "url",
            "title",
            "summary",
            "description",
            "status",
            "raised_by",
            "raising_organisation",
            "areas",
            "municipalities",
            "accepted_at",
            "started_at",
            "concluded_at",
            "outcome",
            "participations",
            "updates",
            "meetings",
        ]
        read_only_fields = fields

    def get_url(self, challenge) -> str:
        request = self.context.get("request")
        path = challenge.get_absolute_url()
        return request.build_absolute_uri(path) if request else path

    def get_raising_organisation(self, challenge) -> str | None:
        org = challenge.raising_organisation
        if org is None or org.status != Organisation.Status.VERIFIED or not org.public_listing:
            return None
        return org.name

    def get_meetings(self, challenge) -> list[str]:
        from meetings.models import Meeting

        return [m.slug for m in challenge.meetings.all() if m.status != Meeting.Status.DRAFT]
