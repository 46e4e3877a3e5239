"""Export of answers from the admin (django-import-export), every cell neutralised (core.spreadsheets)."""

from import_export import fields

from core.spreadsheets import SafeResource

from .models import Answer, SectionAnswer


class AnswerResource(SafeResource):
    consultation = fields.Field(attribute="consultation__title", column_name="consultation")
    organisation = fields.Field(attribute="organisation__name", column_name="organisation")
    organisation_number = fields.Field(attribute="organisation__organisation_number", column_name="organisation_number")

    class Meta:
        model = Answer
        fields = (
            "id",
            "consultation",
            "organisation",
            "organisation_number",
            "state",
            "late",
            "submitted_at",
            "general_comment",
        )
        export_order = fields


class SectionAnswerResource(SafeResource):
    consultation = fields.Field(attribute="answer__consultation__title", column_name="consultation")
    organisation = fields.Field(attribute="answer__organisation__name", column_name="organisation")
    section = fields.Field(attribute="section__heading", column_name="section")
    state = fields.Field(attribute="answer__state", column_name="state")

    class Meta:
        model = SectionAnswer
        fields = ("id", "consultation", "organisation", "state", "section", "position", "comment")
        export_order = fields
