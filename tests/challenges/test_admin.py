"""The coordinators' admin: the moderation queue, status actions through the services, inline
updates and linked meetings that mail the participants, the interest action and the export."""

import pytest
from django.urls import reverse

from challenges.models import Challenge, Update
from organisations.models import InterestSubmission
from outbox.models import OutgoingEmail
from tests.factories import (
    ChallengeFactory,
    InterestSubmissionFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipationFactory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:challenges_challenge_changelist")


def test_the_queue_shows_proposed_challenges_first(coordinator_client):
    ChallengeFactory(title="Redan godtagen")
    ChallengeFactory(title="Väntar på granskning", proposed=True)
    page = coordinator_client.get(CHANGELIST).content.decode()
    assert page.index("Väntar på granskning") < page.index("Redan godtagen")


def test_the_queue_filters_and_searches(coordinator_client):
    ChallengeFactory(title="Flyktingsituationen", status=Challenge.Status.IN_PROGRESS)
    ChallengeFactory(title="Nära vård")
    page = coordinator_client.get(CHANGELIST, {"status__exact": "in_progress"}).content.decode()
    assert "Flyktingsituationen" in page and "Nära vård" not in page
    page = coordinator_client.get(CHANGELIST, {"q": "vård"}).content.decode()
    assert "Nära vård" in page and "Flyktingsituationen" not in page


def test_the_queue_query_count_is_bounded(coordinator_client, django_assert_max_num_queries):
    for _ in range(30):
        ChallengeFactory(raised_by="civil_society", raising_organisation=OrganisationFactory())
    with django_assert_max_num_queries(20):
        assert coordinator_client.get(CHANGELIST).status_code == 200


def test_accept_action_publishes_through_the_service(coordinator_client, representative):
    challenge = ChallengeFactory(
        proposed=True, raising_organisation=representative.organisation, raised_by_user=representative
    )
    data = {"action": "accept", "_selected_action": [challenge.pk]}
    page = coordinator_client.post(CHANGELIST, data).content.decode()
    assert "1 e-postmeddelande skickas" in page  # asked first: what happens, to how many
    challenge.refresh_from_db()
    assert not challenge.is_public and not OutgoingEmail.objects.exists()
    response = coordinator_client.post(CHANGELIST, {**data, "confirm": "yes"}, follow=True)
    assert "godtagen och publicerad" in response.content.decode()
    challenge.refresh_from_db()
    assert challenge.is_public
    assert OutgoingEmail.objects.filter(to=representative.email, kind="challenges.accepted").exists()


def test_decline_action_asks_for_a_reason_first(coordinator_client, representative):
    challenge = ChallengeFactory(
        proposed=True, raising_organisation=representative.organisation, raised_by_user=representative
    )
    form = coordinator_client.post(CHANGELIST, {"action": "decline", "_selected_action": [challenge.pk]})
    assert form.status_code == 200 and 'name="text"' in form.content.decode()
    empty = coordinator_client.post(
        CHANGELIST, {"action": "decline", "_selected_action": [challenge.pk], "confirm": "yes", "text": ""}
    )
    assert empty.status_code == 200
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.PROPOSED
    coordinator_client.post(
        CHANGELIST,
        {
            "action": "decline",
            "_selected_action": [challenge.pk],
            "confirm": "yes",
            "text": "Ligger utanför uppdraget.",
        },
    )
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.DECLINED
    assert "Ligger utanför uppdraget." in OutgoingEmail.objects.get(kind="challenges.declined").body_text


def test_conclude_action_stores_the_outcome(coordinator_client):
    challenge = ChallengeFactory(status=Challenge.Status.IN_PROGRESS)
    coordinator_client.post(
        CHANGELIST,
        {"action": "conclude", "_selected_action": [challenge.pk], "confirm": "yes", "text": "En ny mötesplats."},
    )
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.CONCLUDED and challenge.outcome == "En ny mötesplats."


def test_an_action_on_the_wrong_status_explains_and_changes_nothing(coordinator_client):
    challenge = ChallengeFactory(status=Challenge.Status.CONCLUDED)
    response = coordinator_client.post(CHANGELIST, {"action": "start", "_selected_action": [challenge.pk]}, follow=True)
    assert "kan inte flyttas" in response.content.decode()
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.CONCLUDED


def _change_data(challenge, **extra):
    data = {
        "title": challenge.title,
        "slug": challenge.slug,
        "summary": challenge.summary,
        "description": challenge.description,
        "raised_by": challenge.raised_by,
        "published": "on",
        "outcome": "",
        "participations-TOTAL_FORMS": "0",
        "participations-INITIAL_FORMS": "0",
        "updates-TOTAL_FORMS": "0",
        "updates-INITIAL_FORMS": "0",
        "documents-TOTAL_FORMS": "0",
        "documents-INITIAL_FORMS": "0",
    }
    data.update(extra)
    return data


def test_an_update_added_inline_mails_the_participants(coordinator_client, other_representative, coordinator):
    challenge = ChallengeFactory()
    ParticipationFactory(challenge=challenge, organisation=other_representative.organisation)
    response = coordinator_client.post(
        reverse("admin:challenges_challenge_change", args=[challenge.pk]),
        _change_data(
            challenge,
            **{
                "updates-TOTAL_FORMS": "1",
                "updates-0-date": "2026-05-04",
                "updates-0-kind": "decision",
                "updates-0-title": "Beslut om arbetsgrupp",
                "updates-0-text": "Arbetsgruppen startar i juni.",
            },
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    update = Update.objects.get()
    assert update.author == coordinator and update.notified_at is not None
    assert OutgoingEmail.objects.filter(to=other_representative.email, kind="challenges.update").count() == 1


def test_a_meeting_linked_in_the_admin_mails_the_participants(coordinator_client, other_representative):
    challenge = ChallengeFactory()
    ParticipationFactory(challenge=challenge, organisation=other_representative.organisation)
    meeting = MeetingFactory(title="Dialogmöte i Sundsvall")
    response = coordinator_client.post(
        reverse("admin:challenges_challenge_change", args=[challenge.pk]),
        _change_data(challenge, meetings=[meeting.pk]),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(challenge.meetings.all()) == [meeting]
    assert OutgoingEmail.objects.filter(to=other_representative.email, kind="challenges.meeting").count() == 1


def test_the_region_raises_its_own_challenge_in_the_admin(coordinator_client, coordinator):
    response = coordinator_client.post(
        reverse("admin:challenges_challenge_add"),
        _change_data(
            Challenge(
                title="God och nära vård", slug="", summary="Regionens utmaning.", description="", raised_by="region"
            )
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    challenge = Challenge.objects.get()
    assert challenge.status == Challenge.Status.PROPOSED and challenge.slug == "god-och-nara-vard"
    assert challenge.contact_coordinator == coordinator and not challenge.published


def test_civil_society_challenge_without_organisation_is_refused_by_the_database():
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Challenge.objects.create(title="x", slug="x", summary="x", raised_by="civil_society")


def test_the_interest_action_makes_proposed_challenges(coordinator_client):
    wish = InterestSubmissionFactory(wants_raise_challenge=True, message="Långa avstånd till vårdcentralen")
    other = InterestSubmissionFactory()
    response = coordinator_client.post(
        reverse("admin:organisations_interestsubmission_changelist"),
        {"action": "make_challenges", "_selected_action": [wish.pk, other.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "1 föreslagen utmaning har skapats" in page and "hoppades över" in page
    challenge = Challenge.objects.get()
    assert challenge.title == "Långa avstånd till vårdcentralen" and challenge.status == "proposed"
    assert InterestSubmission.objects.get(pk=wish.pk).handled


def test_the_interest_action_on_a_handled_submission_makes_nothing_and_says_so(coordinator_client):
    wish = InterestSubmissionFactory(wants_raise_challenge=True, message="Långa avstånd", handled=True)
    response = coordinator_client.post(
        reverse("admin:organisations_interestsubmission_changelist"),
        {"action": "make_challenges", "_selected_action": [wish.pk]},
        follow=True,
    )
    assert "1 intresseanmälan hade redan hanterats och hoppades över" in response.content.decode()
    assert not Challenge.objects.exists()


def test_the_export_neutralises_formulas(coordinator_client):
    ChallengeFactory(title='=HYPERLINK("http://evil")', summary="+1\x07")
    response = coordinator_client.post(
        reverse("admin:challenges_challenge_export"),
        {"format": "0", "resource": "0", **{f"challengeresource_{f}": "on" for f in ("id", "title", "summary")}},
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    body = response.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in body and "\x07" not in body
