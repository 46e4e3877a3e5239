"""After the meeting (issue 24): the evaluation to those who attended, once each and anonymous in the
summary; the organisations that took part, and consented, on the public page."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from meetings import services
from meetings.models import MeetingEvaluation, Registration
from organisations.models import Organisation
from tests.factories import MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def over():
    start = (timezone.now() - timedelta(days=1)).replace(microsecond=0)
    return MeetingFactory(start=start, end=start + timedelta(hours=3))


def _evaluate_url(registration):
    return f"/moten/{registration.meeting.slug}/utvardering/{registration.join_token}/"


def test_the_evaluation_goes_once_to_those_who_attended(over, run_on_commit):
    came = RegistrationFactory(meeting=over, email="kom@example.se", attended=True)
    RegistrationFactory(meeting=over, email="uteblev@example.se", attended=False)
    RegistrationFactory(meeting=over, email="okand@example.se")
    with run_on_commit():
        assert services.meeting_send_evaluation(meeting=over) == 1
        assert services.meeting_send_evaluation(meeting=over) == 0
    assert [m.to for m in mail.outbox] == [["kom@example.se"]]
    assert _evaluate_url(came) in mail.outbox[0].body


def test_not_before_the_meeting_is_over():
    with pytest.raises(ValidationError):
        services.meeting_send_evaluation(meeting=MeetingFactory())


def test_an_attendee_answers_once_and_the_summary_names_nobody(client, over):
    came = RegistrationFactory(meeting=over, name="Anna Andersson", attended=True)
    assert client.get(_evaluate_url(came)).status_code == 200
    response = client.post(_evaluate_url(came), {"rating": "4", "comment": "Bra samtal om folkhälsa"})
    assert "Tack!" in response.content.decode()
    again = client.post(_evaluate_url(came), {"rating": "1", "comment": "igen"})
    assert again.status_code == 200 and MeetingEvaluation.objects.count() == 1
    evaluation = MeetingEvaluation.objects.get()
    assert (evaluation.rating, evaluation.comment) == (4, "Bra samtal om folkhälsa")
    assert not any(field.related_model is Registration for field in MeetingEvaluation._meta.fields)
    summary = services.evaluation_summary(over)
    assert summary.count == 1 and summary.average == 4 and summary.comments == ["Bra samtal om folkhälsa"]


def test_the_summary_on_the_coordinators_page(coordinator_client, over):
    MeetingEvaluation.objects.create(meeting=over, rating=5, comment="Mycket bra")
    MeetingEvaluation.objects.create(meeting=over, rating=3)
    page = coordinator_client.get(f"/admin/meetings/meeting/{over.pk}/change/").content.decode()
    assert "Mycket bra" in page and "medelbetyg 4.0" in page.replace(",", ".")


@pytest.mark.parametrize("rating", ["0", "6", "fem", "\x00", ""])
def test_a_bad_rating_is_a_form_error(client, over, rating):
    came = RegistrationFactory(meeting=over, attended=True)
    response = client.post(_evaluate_url(came), {"rating": rating, "comment": "kvar"})
    assert response.status_code == 422 and "kvar" in response.content.decode()
    assert not MeetingEvaluation.objects.exists()


def test_someone_who_did_not_attend_or_a_forged_link_cannot_answer(client, over):
    absent = RegistrationFactory(meeting=over, attended=False)
    assert client.post(_evaluate_url(absent), {"rating": "5"}).status_code == 403
    assert client.post(f"/moten/{over.slug}/utvardering/{'x' * 32}/", {"rating": "5"}).status_code == 404
    assert not MeetingEvaluation.objects.exists()


def test_the_public_page_names_the_organisations_that_took_part_and_consented(client, over):
    named = Organisation.objects.create(name="Föreningen Gemenskap") if hasattr(Organisation, "name") else None
    RegistrationFactory(meeting=over, organisation=named, attended=True, organisation_public=True)
    RegistrationFactory(meeting=over, organisation_name="Idrottsklubben", attended=True, organisation_public=True)
    RegistrationFactory(meeting=over, organisation_name="Hemliga föreningen", attended=True, organisation_public=False)
    RegistrationFactory(meeting=over, organisation_name="Kom inte", attended=False, organisation_public=True)
    content = client.get(f"/moten/{over.slug}/").content.decode()
    assert "Organisationer som deltog" in content
    assert "Föreningen Gemenskap" in content and "Idrottsklubben" in content
    assert "Hemliga föreningen" not in content and "Kom inte" not in content
