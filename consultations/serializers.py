"""Open data of the consultations (the API's serializers; see ``api.py``): public fields only.

Consultations that have been opened, their sections, and, once the deadline has passed, the submitted
answers with each organisation's positions. Nothing about who in an organisation wrote or submitted
an answer, no drafts, no attachment before it is public. The region's responses and summary appear
once the compilation is published.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.fields import CaseNumberField, PageUrlField, TextLanguageField, TranslatedTextField

from .models import Answer, Consultation, Position, Section, SectionAnswer


class SectionSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text=_("Stable numeric id of the section."))
    order = serializers.IntegerField(read_only=True, help_text=_("Position of the section in the draft."))
    heading = TranslatedTextField(help_text=_("Heading of the section."))
    heading_lang = TextLanguageField("heading")
    text = TranslatedTextField(help_text=_("Text of the section in the draft."))
    text_lang = TextLanguageField("text")
    response = serializers.SerializerMethodField(
        help_text=_("The region's response on the section; null until the compilation is published.")
    )

    class Meta:
        model = Section
        fields = ["id", "order", "heading", "heading_lang", "text", "text_lang", "response"]

    def get_response(self, section) -> str | None:
        if section.consultation.status != Consultation.Status.COMPILED:
            return None
        response = getattr(section, "region_response", None)
        return response.text if response else None


class SectionAnswerSerializer(serializers.ModelSerializer):
    section = serializers.IntegerField(source="section_id", read_only=True, help_text=_("Id of the section."))
    position = serializers.CharField(
        read_only=True, help_text=_("agree, partly, disagree or abstain (empty when none was given).")
    )
    comment = serializers.CharField(read_only=True, help_text=_("The organisation's comment on the section."))

    class Meta:
        model = SectionAnswer
        fields = ["section", "position", "comment"]


class AnswerSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name", read_only=True, help_text=_("The organisation."))
    organisation_number = serializers.CharField(
        source="organisation.organisation_number", read_only=True, help_text=_("Its organisation number, may be empty.")
    )
    submitted_at = serializers.DateTimeField(read_only=True, help_text=_("When it was submitted (ISO 8601)."))
    late = serializers.BooleanField(
        read_only=True, help_text=_("Submitted after the deadline, accepted by the region.")
    )
    general_comment = serializers.CharField(read_only=True, help_text=_("The organisation's general comment."))
    sections = SectionAnswerSerializer(many=True, read_only=True, help_text=_("The position on each section."))

    class Meta:
        model = Answer
        fields = ["organisation", "organisation_number", "submitted_at", "late", "general_comment", "sections"]


class ConsultationSerializer(serializers.ModelSerializer):
    slug = serializers.SlugField(read_only=True, help_text=_("Stable text id, used in the URLs."))
    title = TranslatedTextField(help_text=_("Title of the consultation."))
    title_lang = TextLanguageField("title")
    case_number = CaseNumberField()
    url = PageUrlField()
    background = TranslatedTextField(help_text=_("Background of the draft."))
    background_lang = TextLanguageField("background")
    agreement = serializers.SlugField(
        source="agreement.slug",
        read_only=True,
        allow_null=True,
        help_text=_("Text id of the linked agreement, or null."),
    )
    phase = serializers.SerializerMethodField(help_text=_("open, closed (the deadline has passed) or compiled."))
    opens_at = serializers.DateTimeField(read_only=True, help_text=_("When it opened (ISO 8601)."))
    closes_at = serializers.DateTimeField(read_only=True, help_text=_("Deadline for answers (ISO 8601)."))
    compiled_at = serializers.DateTimeField(read_only=True, help_text=_("When the compilation was published, or null."))
    compilation_summary = serializers.SerializerMethodField(
        help_text=_("The region's summary of the compilation; null until it is published.")
    )
    submitted_count = serializers.SerializerMethodField(help_text=_("Number of organisations that have answered."))
    sections = SectionSerializer(many=True, read_only=True, help_text=_("The draft, section by section."))
    answers = serializers.SerializerMethodField(
        help_text=_("Every submitted answer once the deadline has passed; null before (who answered is not public).")
    )
    modified = serializers.DateTimeField(source="updated_at", read_only=True, help_text=_("Last change (ISO 8601)."))

    class Meta:
        model = Consultation
        fields = [
            "slug", "title", "title_lang", "case_number", "url", "background", "background_lang", "agreement", "phase",
            "opens_at", "closes_at", "compiled_at",
            "compilation_summary", "submitted_count", "sections", "answers", "modified",
        ]  # fmt: skip

    def _submitted(self, consultation) -> list[Answer]:
        return [a for a in consultation.answers.all() if a.state == Answer.State.SUBMITTED]

    def get_phase(self, consultation) -> str:
        return consultation.phase()

    def get_compilation_summary(self, consultation) -> str | None:
        return consultation.compilation_summary if consultation.is_compiled else None

    def get_submitted_count(self, consultation) -> int:
        return len(self._submitted(consultation))

    def get_answers(self, consultation) -> list[dict] | None:
        if not consultation.answers_are_public():
            return None
        return AnswerSerializer(self._submitted(consultation), many=True).data


class _IsoDateTimeField(serializers.Field):
    """A moment as Python's ``isoformat()`` gives it (the downloads' documented format)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return value.isoformat()


class AnswerDownloadSerializer(AnswerSerializer):
    """One answer in the CSV and JSON downloads: ``AnswerSerializer``'s fields, with each section of
    the draft (``context["sections"]``, in order) named by its heading and its position's label."""

    submitted_at = _IsoDateTimeField(help_text=_("When it was submitted (ISO 8601)."))
    sections = serializers.SerializerMethodField(help_text=_("The position on each section."))

    def get_sections(self, answer) -> list[dict]:
        labels = dict(Position.choices)
        given = {row.section_id: row for row in answer.sections.all()}
        rows = []
        for section in self.context["sections"]:
            row = given.get(section.pk)
            rows.append(
                {
                    "section": section.heading,
                    "position": row.position if row else "",
                    "position_label": str(labels.get(row.position, "")) if row else "",
                    "comment": row.comment if row else "",
                }
            )
        return rows


class _DownloadConsultationSerializer(serializers.Serializer):
    title = serializers.CharField(read_only=True)
    slug = serializers.SlugField(read_only=True)
    status = serializers.SerializerMethodField()
    closes_at = serializers.DateTimeField(format=None, read_only=True)  # as the JSON encoder writes it
    url = PageUrlField()

    def get_status(self, consultation) -> str:
        return self.context["phase"]


class AnswersDownloadSerializer(serializers.Serializer):
    """The JSON download of a consultation's public answers (``consultations:answers_json``):
    ``{"consultation": …, "count": …, "answers": […]}``; ``context`` gives ``request``, ``phase``,
    ``sections`` and ``answers``."""

    def to_representation(self, consultation):
        answers = AnswerDownloadSerializer(self.context["answers"], many=True, context=self.context).data
        return {
            "consultation": _DownloadConsultationSerializer(consultation, context=self.context).data,
            "count": len(answers),
            "answers": answers,
        }


def public_queryset():
    """Every opened consultation, with what the serializer reads prefetched (a constant number of queries)."""
    return (
        Consultation.objects.public()
        .select_related("agreement")
        .prefetch_related(
            Prefetch("sections", queryset=Section.objects.select_related("region_response", "consultation")),
            Prefetch(
                "answers",
                queryset=Answer.objects.select_related("organisation")
                .prefetch_related("sections")
                .order_by("organisation__name"),
            ),
        )
    )
