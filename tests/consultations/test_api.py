"""The consultations in the open data API: sections at once, the answers only after the deadline."""

import datetime as dt

import pytest

from tests.factories.consultations import AnswerFactory, SectionAnswerFactory

pytestmark = pytest.mark.django_db


def test_api_lists_the_consultation_and_publishes_answers_after_the_deadline(client, clock, consultation, organisation):
    answer = AnswerFactory(consultation=consultation, organisation=organisation, general_comment="Vi instämmer.")
    SectionAnswerFactory(answer=answer, section=consultation.sections.first(), position="agree")
    data = client.get("/api/v1/consultations/").json()
    item = data["results"][0]
    assert item["slug"] == "handlingsplanen" and item["phase"] == "open"
    assert item["submitted_count"] == 1 and item["answers"] is None
    assert "Vi instämmer." not in str(data)

    clock.set(consultation.closes_at + dt.timedelta(minutes=1))  # no write: only time passes
    item = client.get("/api/v1/consultations/handlingsplanen/").json()
    assert item["phase"] == "closed"
    assert item["answers"][0]["organisation"] == "Föreningen Gemenskap"
    assert item["answers"][0]["general_comment"] == "Vi instämmer."
