"""What the apps tell followers (issue 25): consultations, selection rounds, meetings linked to a challenge;
registering follows the meeting; what is addressed to an organisation is never held for a digest."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from consultations import services as consultations
from consultations.models import Announcement, Consultation
from elections import services as elections
from elections.models import SelectionRound
from meetings.services.registrations import registration_create
from notifications.models import Follow, Notification
from notifications.services import follow
from tests.elections.conftest import agreement, make_round, signatories  # noqa: F401 - the fixtures
from tests.factories import MandatedRepresentativeFactory, OrganisationFactory, UserFactory
from tests.factories.challenges import ChallengeFactory
from tests.factories.consultations import ConsultationFactory, SectionFactory
from tests.factories.meetings import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return UserFactory(email="foljare@example.se", language="sv")


@pytest.fixture
def invited():
    organisation = OrganisationFactory(name="Föreningen Inbjuden")
    user = UserFactory(email="inbjuden@example.se")
    MandatedRepresentativeFactory(user=user, organisation=organisation)
    return organisation, user


def _draft(invited_organisation, **fields):
    consultation = ConsultationFactory(
        title="Remiss om kulturplanen",
        slug="kulturplanen",
        invited=[invited_organisation],
        **{"closes_at": dt.datetime.now(dt.UTC) + dt.timedelta(days=20), **fields},
    )
    SectionFactory(consultation=consultation)
    return consultation


def test_a_consultation_is_followed_from_its_page_and_its_steps_reach_the_follower(
    client, person, invited, coordinator, run_on_commit
):
    organisation, representative = invited
    consultation = _draft(organisation)
    client.force_login(person)
    url = reverse("notifications:follow")
    # A draft cannot be followed (404); once open, its page has the button.
    assert client.post(url, {"kind": "consultations.consultation", "key": consultation.slug}).status_code == 404
    with run_on_commit():
        consultations.consultation_open(consultation=consultation, by=coordinator)
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert "Följ Remiss om kulturplanen" in page
    assert client.post(url, {"kind": "consultations.consultation", "key": consultation.slug}).status_code == 302
    # The invited organisation's representative: told at once by the invitation, listed, never in a digest.
    told = Notification.objects.get(user=representative, event="consultations.opened")
    assert told.emailed_at is not None
    assert any("inbjuden@example.se" in m.to for m in mail.outbox)
    Consultation.objects.filter(pk=consultation.pk).update(closes_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1))
    consultation.refresh_from_db()
    with run_on_commit():
        consultations.compilation_publish(consultation=consultation, by=coordinator)
    assert list(Notification.objects.filter(user=person).values_list("event", flat=True)) == ["consultations.compiled"]


def test_closing_soon_is_told_once_whatever_the_beat_does(person, invited, run_on_commit):
    organisation, _representative = invited
    now = dt.datetime.now(dt.UTC)
    consultation = _draft(organisation, status=Consultation.Status.OPEN, opens_at=now - dt.timedelta(days=3))
    follow(user=person, kind="consultations.consultation", obj=consultation)
    with run_on_commit():
        assert consultations.consultations_announce_closing(now=now) == 0  # 20 days left: not yet
        assert consultations.consultations_announce_closing(now=now + dt.timedelta(days=13, hours=1)) == 1
        assert consultations.consultations_announce_closing(now=now + dt.timedelta(days=14)) == 0
    assert Announcement.objects.filter(consultation=consultation).count() == 1
    notification = Notification.objects.get(user=person)
    assert notification.event == "consultations.closing_soon" and notification.emailed_at is None  # the digest's


def test_a_selection_round_is_followed_and_its_steps_reach_the_follower(
    client,
    person,
    agreement,  # noqa: F811 - the fixture
    signatories,  # noqa: F811
    run_on_commit,
):
    selection_round = make_round(agreement, status=SelectionRound.Status.NOMINATING)
    client.force_login(person)
    assert "Följ Val till arbetsgruppen" in client.get(selection_round.get_absolute_url()).content.decode()
    response = client.post(reverse("notifications:follow"), {"kind": "elections.round", "key": selection_round.slug})
    assert response.status_code == 302
    from elections.models import Nomination

    organisation, user = signatories[0]
    Nomination.objects.create(
        round=selection_round,
        nominating_organisation=organisation,
        nominated_by=user,
        candidate_name="Kandidat",
        candidate_organisation=organisation,
        presentation="En kandidat.",
        candidate_email="kandidat@example.se",
        status=Nomination.Status.ACCEPTED,
    )
    with run_on_commit():
        elections.round_open_voting(round=selection_round, move_dates=True)
    assert Notification.objects.get(user=person).event == "elections.voting_opened"
    # Voting opened for its ballot: each eligible representative is told at once, whatever their choice.
    for _organisation, representative in signatories:
        told = Notification.objects.get(user=representative, event="elections.voting_opened")
        assert told.emailed_at is not None


def test_registering_follows_the_meeting_and_a_linked_challenge_reaches_them(person, coordinator, run_on_commit):
    meeting = MeetingFactory(title="Dialog om fritid")
    registration_create(meeting=meeting, name="Fia Följare", email=person.email, consent=True, user=person)
    assert Follow.objects.filter(user=person, kind="meetings.meeting", object_id=meeting.pk).exists()
    challenge = ChallengeFactory(title="Fler fritidsgårdar")
    from challenges import services as challenges

    with run_on_commit():
        challenges.challenge_meetings_link(challenge=challenge, meetings=[meeting], by=coordinator)
    notification = Notification.objects.get(user=person)
    assert notification.event == "challenges.meeting_linked"
    assert notification.title == "Fler fritidsgårdar: Dialog om fritid"


def test_the_meeting_page_has_the_follow_button(client, person):
    meeting = MeetingFactory(title="Dialog om fritid", slug="dialog-om-fritid")
    client.force_login(person)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Följ Dialog om fritid" in page


def test_the_lists_have_a_follow_button_per_item_without_a_query_each(client, person, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(person)
    ChallengeFactory(title="Utmaning 0")
    with CaptureQueriesContext(connection) as one:
        assert "Följ Utmaning 0" in client.get(reverse("challenges:list")).content.decode()
    for n in range(1, 6):
        ChallengeFactory(title=f"Utmaning {n}")
    with django_assert_max_num_queries(len(one.captured_queries) + 2):  # the list's own prefetches may grow
        page = client.get(reverse("challenges:list")).content.decode()
    assert all(f"Följ Utmaning {n}" in page for n in range(6))
    follow(user=person, kind="challenges.challenge", obj=ChallengeFactory(title="Följd utmaning"))
    assert "Sluta följa Följd utmaning" in client.get(reverse("challenges:list")).content.decode()


def test_consultation_and_round_lists_offer_follow(client, person, invited, agreement, signatories):  # noqa: F811
    organisation, _representative = invited
    _draft(organisation, status=Consultation.Status.OPEN)
    make_round(agreement, status=SelectionRound.Status.NOMINATING)
    client.force_login(person)
    assert "Följ Remiss om kulturplanen" in client.get(reverse("consultations:list")).content.decode()
    assert "Följ Val till arbetsgruppen" in client.get(reverse("elections:list")).content.decode()
