"""Questions at sign-up (issue 24): five kinds, required or not, Swedish and English; answers kept with
the question as asked, in the admin, the export and "download my data", gone with the retention rule;
bad input is a form error that keeps what was typed."""

import pytest
from django.utils import timezone

from meetings import retention, services
from meetings.models import Registration, RegistrationAnswer, RegistrationQuestion
from meetings.resources import RegistrationResource
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    meeting = MeetingFactory(capacity=None)
    Kind = RegistrationQuestion.Kind
    RegistrationQuestion.objects.create(
        meeting=meeting,
        order=1,
        kind=Kind.ONE_CHOICE,
        text="Vill ni presentera ett gott exempel?",
        text_en="Would you like to present a good example?",
        required=True,
        choices="Ja, från 2015\nNej",
        choices_en="Yes, from 2015\nNo",
    )
    RegistrationQuestion.objects.create(
        meeting=meeting, order=2, kind=Kind.SEVERAL_CHOICES, text="Vilka teman?", choices="Folkhälsa\nKultur\nIdrott"
    )
    RegistrationQuestion.objects.create(meeting=meeting, order=3, kind=Kind.SHORT_TEXT, text="Er kommun")
    RegistrationQuestion.objects.create(meeting=meeting, order=4, kind=Kind.LONG_TEXT, text="Övrigt")
    RegistrationQuestion.objects.create(
        meeting=meeting, order=5, kind=Kind.YES_NO, text="Vill ni delta i fortsatt arbete?"
    )
    return meeting


def _fields(meeting) -> dict:
    return {q.kind: f"question_{q.pk}" for q in meeting.questions.all()}


def _post(client, meeting, extra, email="anna@example.se"):
    data = {"name": "Anna", "email": email, "consent": "on", **extra}
    return client.post(f"/moten/{meeting.slug}/anmalan/", data)


def test_the_form_asks_the_questions_and_keeps_the_answers_with_the_question(client, meeting):
    f = _fields(meeting)
    page = client.get(f"/moten/{meeting.slug}/anmalan/").content.decode()
    assert "Vill ni presentera ett gott exempel?" in page and "Folkhälsa" in page
    response = _post(
        client,
        meeting,
        {
            f["one_choice"]: "Ja, från 2015",
            f["several_choices"]: ["Folkhälsa", "Idrott"],
            f["short_text"]: "Sundsvall",
            f["yes_no"]: "yes",
        },
    )
    assert response.status_code == 302
    registration = Registration.objects.get(email="anna@example.se")
    answers = {a.question_text: a.value for a in registration.answers.all()}
    assert answers == {
        "Vill ni presentera ett gott exempel?": "Ja, från 2015",
        "Vilka teman?": "Folkhälsa; Idrott",
        "Er kommun": "Sundsvall",
        "Vill ni delta i fortsatt arbete?": "Ja",
    }
    # The question changed, then removed, after the sign-up: the answer stays as it was given.
    question = meeting.questions.get(order=3)
    question.text = "Kommun eller region"
    question.save()
    question.delete()
    answer = RegistrationAnswer.objects.get(registration=registration, question_text="Er kommun")
    assert answer.value == "Sundsvall" and answer.question is None


def test_english_labels_store_the_swedish_choice(client, meeting):
    f = _fields(meeting)
    client.cookies["django_language"] = "en"
    page = client.get(f"/moten/{meeting.slug}/anmalan/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Would you like to present a good example?" in page and "Yes, from 2015" in page
    assert _post(client, meeting, {f["one_choice"]: "Ja, från 2015"}).status_code == 302
    assert RegistrationAnswer.objects.get().value == "Ja, från 2015"


@pytest.mark.parametrize(
    "kind,value",
    [
        ("one_choice", "Kanske"),  # a choice not offered
        ("several_choices", ["Folkhälsa", "Schack"]),
        ("short_text", "x" * 201),  # longer than the field
        ("long_text", "y" * 2001),
        ("short_text", "Sunds\x00vall"),  # a NUL character
        ("yes_no", "kanske"),
    ],
)
def test_bad_answers_are_a_form_error_that_keeps_what_was_typed(client, meeting, postgres_nul_rule, kind, value):
    f = _fields(meeting)
    data = {f["one_choice"]: "Nej", f["long_text"]: "Det här står kvar", kind and f[kind]: value}
    if kind == "one_choice":
        data[f["one_choice"]] = value
    response = _post(client, meeting, data)
    content = response.content.decode()
    assert response.status_code == 200 and 'id="error-summary"' in content
    assert "Det här står kvar" in content or kind == "long_text"
    assert not Registration.objects.exists()


def test_a_required_question_must_be_answered(client, meeting):
    response = _post(client, meeting, {})
    assert response.status_code == 200 and 'id="error-summary"' in response.content.decode()
    assert not Registration.objects.exists()


def test_answers_in_the_export_and_the_admin(client, meeting, coordinator_client):
    f = _fields(meeting)
    _post(client, meeting, {f["one_choice"]: "Nej", f["short_text"]: "Timrå"})
    registration = Registration.objects.get()
    row = RegistrationResource().export(queryset=Registration.objects.all()).dict[0]
    answers = next(value for key, value in row.items() if "Svar" in key or "Answers" in key)
    assert "Er kommun: Timrå" in answers
    page = coordinator_client.get(f"/admin/meetings/registration/{registration.pk}/change/").content.decode()
    assert "Er kommun" in page and "Timrå" in page


def test_copying_a_meeting_copies_its_questions(meeting):
    copy = services.meeting_copy(meeting=meeting)
    assert [q.text for q in copy.questions.all()] == [q.text for q in meeting.questions.all()]


def test_retention_removes_the_answers_with_the_person(client, meeting):
    f = _fields(meeting)
    _post(client, meeting, {f["one_choice"]: "Nej", f["long_text"]: "Jag heter Anna och har allergi"})
    assert RegistrationAnswer.objects.count() == 2
    later = meeting.end + timezone.timedelta(days=10_000)
    retention.purge(now=later)
    assert RegistrationAnswer.objects.count() == 0


def test_a_meeting_without_questions_keeps_its_fast_sign_up(client):
    """The questions are fetched with the meeting (kept in the page cache): no query of their own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plain = MeetingFactory(capacity=None)
    assert _post(client, plain, {}, email="first@example.se").status_code == 302
    with CaptureQueriesContext(connection) as queries:
        assert _post(client, plain, {}, email="second@example.se").status_code == 302
    # The one SELECT is the meeting's status read under the lock a cancellation takes (test_cancel_race.py).
    assert [q["sql"].split()[0] for q in queries.captured_queries] == [
        "SAVEPOINT",
        "SELECT",
        "INSERT",
        "INSERT",
        "RELEASE",
    ]


def test_answers_in_the_participant_list(client, meeting, coordinator_client):
    f = _fields(meeting)
    _post(client, meeting, {f["one_choice"]: "Nej", f["short_text"]: "Kramfors"})
    page = coordinator_client.get(f"/admin/meetings/meeting/{meeting.pk}/deltagarlista/").content.decode()
    assert "Svar på frågorna" in page and "Er kommun" in page and "Kramfors" in page
