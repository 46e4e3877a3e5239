"""The open data serializers (for the API app): public data only, answers only after the deadline."""

import datetime as dt

import pytest

from consultations.serializers import ConsultationSerializer, public_queryset
from tests.factories.consultations import AnswerFactory, ConsultationFactory, SectionAnswerFactory

pytestmark = pytest.mark.django_db


def test_open_consultation_has_sections_but_no_answers(clock, consultation, organisation):
    AnswerFactory(consultation=consultation, organisation=organisation, general_comment="Ännu hemligt")
    ConsultationFactory(slug="utkast")  # a draft is not listed
    items = list(public_queryset())
    assert [c.slug for c in items] == ["handlingsplanen"]
    data = ConsultationSerializer(items[0]).data
    assert [s["heading"] for s in data["sections"]] == ["Syfte", "Upphandling", "Uppföljning"]
    assert data["answers"] is None and data["phase"] == "open"
    assert "Ännu hemligt" not in str(data)


def test_after_the_deadline_submitted_answers_without_who_wrote_them(
    clock, consultation, organisation, other_organisation, representative
):
    answer = AnswerFactory(consultation=consultation, organisation=organisation, submitted_by=representative)
    SectionAnswerFactory(answer=answer, section=consultation.sections.first(), position="partly", comment="Delvis")
    AnswerFactory(consultation=consultation, organisation=other_organisation, state="draft", submitted_at=None)
    clock.set(consultation.closes_at + dt.timedelta(hours=1))
    data = ConsultationSerializer(public_queryset().get()).data
    assert data["phase"] == "closed"
    assert [a["organisation"] for a in data["answers"]] == ["Föreningen Gemenskap"]
    assert data["answers"][0]["sections"][0]["position"] == "partly"
    assert "representant@example.se" not in str(data) and "Rita" not in str(data)
