"""Spreadsheet export of registrations (django-import-export) for the coordinators.

The names, organisations and needs come from the public sign-up form: every cell goes through
``core.spreadsheets.SafeResource`` (no formulas, no control characters).
"""

from import_export import fields

from core.spreadsheets import SafeResource

from .models import Registration


class RegistrationResource(SafeResource):
    meeting = fields.Field(attribute="meeting__title", column_name="meeting")
    organisation = fields.Field(attribute="organisation_display", column_name="organisation")

    class Meta:
        model = Registration
        fields = (
            "id",
            "meeting",
            "name",
            "email",
            "phone",
            "organisation",
            "role",
            "present_example",
            "example_description",
            "needs",
            "status",
            "attended",
            "language",
            "created_at",
        )
        export_order = fields

    def get_queryset(self):
        return super().get_queryset().select_related("meeting", "organisation")
