"""The demo's dialogue meeting (4 May 2022): questions, answers, attendance and evaluations, loaded twice."""

import pytest

from meetings.models import Meeting, MeetingEvaluation, RegistrationAnswer

pytestmark = pytest.mark.django_db


def test_the_demo_dialogue_meeting_has_questions_attendances_and_evaluations(client):
    from meetings.demo import load

    load()
    load()  # idempotent
    may = Meeting.objects.get(slug="samverkan-civilsamhallet-4-maj-2022")
    assert may.questions.count() == 2
    assert may.registrations.filter(attended=True, joined_at__isnull=False).count() == 3
    assert MeetingEvaluation.objects.filter(meeting=may).count() == 2
    assert RegistrationAnswer.objects.filter(registration__meeting=may).count() == 5
    content = client.get(may.get_absolute_url()).content.decode()
    assert "Föreningen Gemenskap i Sundsvall" in content and "Röda Korset Härnösand" not in content
