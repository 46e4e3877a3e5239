"""Spreadsheet export of registrations (django-import-export) for the coordinators.

Headers and values in the coordinator's language (Swedish first): "Möte", "Status: Bekräftad",
"Deltog: Ja". The names, organisations and needs come from the public sign-up form: every cell
goes through ``core.spreadsheets.SafeResource`` (no formulas, no control characters); the admin
offers XLSX beside a CSV that Swedish Excel opens (BOM, ``;``).
"""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields

from core.spreadsheets import SafeResource

from .models import Registration


def attendance_label(registration) -> str:
    """How a person takes part in a hybrid meeting ("På plats", "Digitalt"); "" for one-format meetings.
    A hybrid registration without a choice counts as on site, as the meeting's counts do."""
    if registration.meeting.format != registration.meeting.Format.HYBRID:
        return ""
    attendance = registration.attendance or Registration.Attendance.ON_SITE
    return str(Registration.Attendance(attendance).label)


def _yes_no(value) -> str:
    if value is None:
        return ""
    return _("Yes") if value else _("No")


class RegistrationResource(SafeResource):
    id = fields.Field(attribute="id", column_name=gettext_lazy("Number"))
    meeting = fields.Field(attribute="meeting__title", column_name=gettext_lazy("Meeting"))
    meeting_start = fields.Field(column_name=gettext_lazy("Meeting starts"))
    name = fields.Field(attribute="name", column_name=gettext_lazy("Name"))
    email = fields.Field(attribute="email", column_name=gettext_lazy("E-mail"))
    phone = fields.Field(attribute="phone", column_name=gettext_lazy("Phone"))
    organisation = fields.Field(attribute="organisation_display", column_name=gettext_lazy("Organisation"))
    role = fields.Field(attribute="role", column_name=gettext_lazy("Role"))
    present_example = fields.Field(column_name=gettext_lazy("Wishes to present a good example"))
    example_description = fields.Field(attribute="example_description", column_name=gettext_lazy("The good example"))
    needs = fields.Field(attribute="needs", column_name=gettext_lazy("Access or dietary needs"))
    status = fields.Field(column_name=gettext_lazy("Status"))
    attendance = fields.Field(column_name=gettext_lazy("Takes part"))
    attended = fields.Field(column_name=gettext_lazy("Attended"))
    joined_at = fields.Field(column_name=gettext_lazy("Joined online"))
    checked_in_at = fields.Field(column_name=gettext_lazy("Checked in"))
    organisation_public = fields.Field(column_name=gettext_lazy("Organisation may be named"))
    answers = fields.Field(column_name=gettext_lazy("Answers to the questions"))
    language = fields.Field(column_name=gettext_lazy("Language"))
    created_at = fields.Field(column_name=gettext_lazy("Registered"))

    class Meta:
        model = Registration
        fields = (
            "id",
            "meeting",
            "meeting_start",
            "name",
            "email",
            "phone",
            "organisation",
            "role",
            "present_example",
            "example_description",
            "needs",
            "status",
            "attendance",
            "attended",
            "joined_at",
            "checked_in_at",
            "organisation_public",
            "answers",
            "language",
            "created_at",
        )
        export_order = fields

    def get_queryset(self):
        return super().get_queryset().select_related("meeting", "organisation").prefetch_related("answers")

    # Dates stay values: a date cell in XLSX, "2026-12-06 14:30" (local time) in CSV (core.spreadsheets).
    def dehydrate_meeting_start(self, registration):
        return timezone.localtime(registration.meeting.start)

    def dehydrate_present_example(self, registration):
        return _yes_no(registration.present_example)

    def dehydrate_status(self, registration):
        return str(registration.get_status_display()).capitalize()

    def dehydrate_attendance(self, registration):
        return attendance_label(registration)

    def dehydrate_attended(self, registration):
        return _yes_no(registration.attended)

    def dehydrate_language(self, registration):
        return str(dict(settings.LANGUAGES).get(registration.language, registration.language))

    def dehydrate_created_at(self, registration):
        return timezone.localtime(registration.created_at)

    def dehydrate_joined_at(self, registration):
        return timezone.localtime(registration.joined_at) if registration.joined_at else ""

    def dehydrate_checked_in_at(self, registration):
        return timezone.localtime(registration.checked_in_at) if registration.checked_in_at else ""

    def dehydrate_organisation_public(self, registration):
        return _yes_no(registration.organisation_public)

    def dehydrate_answers(self, registration):
        """Each answer on its own line, after the question as it was asked."""
        return "\n".join(f"{answer.question_text}: {answer.value}" for answer in registration.answers.all())
