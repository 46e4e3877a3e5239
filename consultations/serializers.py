"""Open data for the API (api/ app, when it lands): public fields only.

Consultations that have been opened, their sections, and, once the deadline has passed, the submitted
answers with each organisation's positions. Nothing about who in an organisation wrote or submitted
an answer, no drafts, no attachment before it is public.
"""

from rest_framework import serializers

from .models import Answer, Consultation, Section, SectionAnswer


class SectionSerializer(serializers.ModelSerializer):
    response = serializers.SerializerMethodField()

    class Meta:
        model = Section
        fields = ["id", "order", "heading", "text", "response"]

    def get_response(self, section) -> str | None:
        if section.consultation.status != Consultation.Status.COMPILED:
            return None
        response = getattr(section, "region_response", None)
        return response.text if response else None


class SectionAnswerSerializer(serializers.ModelSerializer):
    section = serializers.IntegerField(source="section_id")

    class Meta:
        model = SectionAnswer
        fields = ["section", "position", "comment"]


class AnswerSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name")
    organisation_number = serializers.CharField(source="organisation.organisation_number")
    sections = SectionAnswerSerializer(many=True)

    class Meta:
        model = Answer
        fields = ["organisation", "organisation_number", "submitted_at", "late", "general_comment", "sections"]


class ConsultationSerializer(serializers.ModelSerializer):
    phase = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    sections = SectionSerializer(many=True)
    answers = serializers.SerializerMethodField()

    class Meta:
        model = Consultation
        fields = [
            "title",
            "slug",
            "url",
            "background",
            "phase",
            "opens_at",
            "closes_at",
            "compiled_at",
            "compilation_summary",
            "sections",
            "answers",
        ]

    def get_phase(self, consultation) -> str:
        return consultation.phase()

    def get_url(self, consultation) -> str:
        request = self.context.get("request")
        path = consultation.get_absolute_url()
        return request.build_absolute_uri(path) if request else path

    def get_answers(self, consultation) -> list | None:
        """Submitted answers, only once the deadline has passed (before that: null)."""
        if not consultation.answers_are_public():
            return None
        answers = [a for a in consultation.answers.all() if a.state == Answer.State.SUBMITTED]
        return AnswerSerializer(answers, many=True).data

    def to_representation(self, consultation):
        data = super().to_representation(consultation)
        if not consultation.is_compiled:
            data["compilation_summary"] = None
        return data


def public_queryset():
    """What the API may list: every opened consultation, with what the serializer reads prefetched."""
    from django.db.models import Prefetch

    return Consultation.objects.public().prefetch_related(
        Prefetch("sections", queryset=Section.objects.select_related("region_response", "consultation")),
        Prefetch(
            "answers",
            queryset=Answer.objects.select_related("organisation")
            .prefetch_related("sections")
            .order_by("organisation__name"),
        ),
    )
