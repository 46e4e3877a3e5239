"""Mina sidor tells where each invited consultation stands for the organisation: a consultation whose
deadline has passed without an answer is closed, not "not started", and offers no answer link."""

import datetime as dt

import pytest

from consultations.models import Answer, Consultation
from tests.factories.consultations import NOW, AnswerFactory, ConsultationFactory

pytestmark = pytest.mark.django_db


def _answer_cell(page: str, title: str) -> str:
    row = page[page.index(title) :]
    row = row[: row.index("</tr>")]
    return row


@pytest.mark.parametrize(
    ("status", "closes_in_days", "answer_state", "expected", "link"),
    [
        (Consultation.Status.OPEN, 14, None, "Inte påbörjat", True),
        (Consultation.Status.OPEN, 14, Answer.State.DRAFT, "Utkast", True),
        (Consultation.Status.OPEN, -1, None, "Stängd – inte besvarad", False),
        (Consultation.Status.CLOSED, -30, Answer.State.DRAFT, "Stängd – utkastet lämnades inte in", False),
        (Consultation.Status.COMPILED, -2000, None, "Stängd – inte besvarad", False),
        (Consultation.Status.COMPILED, -2000, Answer.State.SUBMITTED, "Inskickat", False),
    ],
)
def test_mypages_answer_state(
    client, clock, organisation, representative, status, closes_in_days, answer_state, expected, link
):
    consultation = ConsultationFactory(
        title="Remiss om handlingsplan 2019–2022",
        invited=[organisation],
        status=status,
        opens_at=NOW + dt.timedelta(days=closes_in_days - 30),
        closes_at=NOW + dt.timedelta(days=closes_in_days),
    )
    if answer_state:
        AnswerFactory(consultation=consultation, organisation=organisation, state=answer_state)
    client.force_login(representative)
    cell = _answer_cell(client.get("/mina-sidor/").content.decode(), "Remiss om handlingsplan 2019–2022")
    assert expected in cell
    assert ("Svara för Föreningen Gemenskap" in cell) is link


def test_a_late_answer_allowed_by_a_coordinator_can_still_be_written(client, clock, organisation, representative):
    consultation = ConsultationFactory(
        title="Remiss om stadgarna",
        invited=[organisation],
        status=Consultation.Status.CLOSED,
        opens_at=NOW - dt.timedelta(days=40),
        closes_at=NOW - dt.timedelta(days=10),
    )
    AnswerFactory(consultation=consultation, organisation=organisation, state=Answer.State.DRAFT, late_allowed=True)
    client.force_login(representative)
    cell = _answer_cell(client.get("/mina-sidor/").content.decode(), "Remiss om stadgarna")
    assert "Utkast" in cell and "Svara för Föreningen Gemenskap" in cell
