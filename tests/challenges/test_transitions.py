"""A challenge's status steps: confirmation in the admin before anything is mailed or published, the
preconditions in the service, and taking back a step that mailed nobody."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from challenges import services
from challenges.models import Challenge
from outbox.models import OutgoingEmail
from tests.factories import ChallengeFactory, ParticipationFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:challenges_challenge_changelist")


def test_decline_shows_the_recipients_and_does_nothing_without_confirm(coordinator_client, representative):
    challenge = ChallengeFactory(
        proposed=True, raising_organisation=representative.organisation, raised_by_user=representative
    )
    page = coordinator_client.post(
        CHANGELIST, {"action": "decline", "_selected_action": [challenge.pk], "text": "Utanför uppdraget."}
    ).content.decode()
    assert "1 e-postmeddelande skickas" in page and "kan inte återkallas" in page
    assert '<label for="id_text"' in page  # the reason has its label
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.PROPOSED
    assert not OutgoingEmail.objects.exists()


def test_accept_preview_counts_the_e_mails_accept_queues(representative, coordinator):
    challenge = ChallengeFactory(
        proposed=True, raising_organisation=representative.organisation, raised_by_user=representative
    )
    preview = services.challenge_accept_preview(challenge=challenge)
    services.challenge_accept(challenge=challenge, by=coordinator)
    assert preview.recipients == OutgoingEmail.objects.filter(kind="challenges.accepted").count() == 1


def test_a_step_on_the_wrong_status_is_explained_on_the_confirmation_page(coordinator_client):
    challenge = ChallengeFactory(status=Challenge.Status.CONCLUDED)
    page = coordinator_client.post(
        CHANGELIST, {"action": "accept", "_selected_action": [challenge.pk]}
    ).content.decode()
    assert "kan inte flyttas" in page and 'name="confirm"' not in page


def test_in_progress_can_be_taken_back_to_accepted(coordinator_client):
    challenge = ChallengeFactory(status=Challenge.Status.IN_PROGRESS, started_at=timezone.now())
    data = {"action": "step_back", "_selected_action": [challenge.pk]}
    coordinator_client.post(CHANGELIST, data)
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.IN_PROGRESS  # asked first
    coordinator_client.post(CHANGELIST, {**data, "confirm": "yes"})
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.ACCEPTED and challenge.started_at is None
    assert challenge.history.first().history_change_reason == "step back"


def test_a_conclusion_can_be_taken_back_and_its_outcome_is_hidden(client, coordinator):
    challenge = ChallengeFactory(status=Challenge.Status.IN_PROGRESS, started_at=timezone.now())
    services.challenge_conclude(challenge=challenge, by=coordinator, outcome="Ett nytt nätverk.")
    back = services.challenge_step_back(challenge=challenge, by=coordinator)
    assert back.status == Challenge.Status.IN_PROGRESS and back.concluded_at is None
    assert "Ett nytt nätverk." not in client.get(challenge.get_absolute_url()).content.decode()
    assert not OutgoingEmail.objects.exists()


@pytest.mark.parametrize("status", [Challenge.Status.ACCEPTED, Challenge.Status.DECLINED, Challenge.Status.PROPOSED])
def test_a_step_that_told_the_raiser_cannot_be_taken_back(coordinator, status):
    challenge = ChallengeFactory(status=status)
    with pytest.raises(ValidationError):
        services.challenge_step_back(challenge=challenge, by=coordinator)
    challenge.refresh_from_db()
    assert challenge.status == status


def test_the_change_form_says_how_many_a_new_update_is_mailed_to(coordinator_client, representative):
    challenge = ChallengeFactory(published=True)
    ParticipationFactory(challenge=challenge, organisation=representative.organisation)
    page = coordinator_client.get(reverse("admin:challenges_challenge_change", args=[challenge.pk])).content.decode()
    assert "skickas den med e-post till 1 person som deltar" in page
