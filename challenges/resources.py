"""The challenges' export (django-import-export): public facts and counts, no personal data."""

from import_export import fields

from core.spreadsheets import SafeResource

from .models import Challenge


class ChallengeResource(SafeResource):
    status = fields.Field(attribute="get_status_display", column_name="status")
    raised_by = fields.Field(attribute="get_raised_by_display", column_name="raised_by")
    raising_organisation = fields.Field(attribute="raising_organisation__name", column_name="raising_organisation")
    areas = fields.Field(column_name="areas")
    municipalities = fields.Field(column_name="municipalities")
    participants = fields.Field(column_name="participants")
    meetings = fields.Field(column_name="meetings")

    class Meta:
        model = Challenge
        fields = [
            "id",
            "title",
            "slug",
            "summary",
            "status",
            "raised_by",
            "raising_organisation",
            "areas",
            "municipalities",
            "published",
            "proposed_at",
            "accepted_at",
            "started_at",
            "concluded_at",
            "declined_at",
            "decline_reason",
            "outcome",
            "participants",
            "meetings",
        ]
        export_order = fields

    def get_export_queryset(self, request=None):
        return (
            super()
            .get_export_queryset(request)
            .select_related("raising_organisation")
            .prefetch_related("areas", "municipalities", "participations__organisation", "meetings")
        )

    def dehydrate_areas(self, challenge):
        return ", ".join(a.name for a in challenge.areas.all())

    def dehydrate_municipalities(self, challenge):
        return ", ".join(m.name for m in challenge.municipalities.all())

    def dehydrate_participants(self, challenge):
        return ", ".join(f"{p.organisation.name} ({p.get_role_display()})" for p in challenge.participations.all())

    def dehydrate_meetings(self, challenge):
        return ", ".join(str(m) for m in challenge.meetings.all())
