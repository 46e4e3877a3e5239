"""Retention in challenges: after a challenge is concluded or declined, who raised or joined it by person is
forgotten; the organisations, their roles and the challenge's story stay."""

import datetime as dt

import pytest
from django.urls import reverse

from challenges import services
from challenges.models import Challenge, Participation
from core.retention import personal_data_purge

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("disposal_decisions")]


def _raise(client, representative, title):
    """Raise a challenge through the page, as a representative does (the history records who did it)."""
    client.force_login(representative)
    client.post(
        reverse("challenges:raise"),
        {
            "organisation": representative.organisation.pk,
            "title": title,
            "summary": "Sammanfattning.",
            "description": "",
        },
    )
    client.logout()
    return Challenge.objects.get(title=title)


def _join(client, challenge, representative):
    client.force_login(representative)
    client.post(
        reverse("challenges:join", kwargs={"slug": challenge.slug}),
        {"organisation": representative.organisation.pk, "role": Participation.Role.TAKES_PART},
    )
    client.logout()
    return Participation.objects.get(challenge=challenge, organisation=representative.organisation)


@pytest.fixture
def concluded(client, representative, other_representative, coordinator):
    challenge = _raise(client, representative, "Långa avstånd till vården")
    services.challenge_accept(challenge=challenge, by=coordinator)
    _join(client, challenge, other_representative)
    return services.challenge_conclude(challenge=challenge, by=coordinator, outcome="Mobila team i tre kommuner.")


def _purge(now):
    return personal_data_purge(now=now)["challenges"]


def test_a_concluded_challenge_keeps_its_people_until_the_retention_period_has_passed(
    concluded, representative, other_representative, settings
):
    settings.CHALLENGES_RETENTION_DAYS = 90
    assert _purge(concluded.concluded_at + dt.timedelta(days=89)) == {
        "challenges_anonymised": 0,
        "participations_anonymised": 0,
    }
    concluded.refresh_from_db()
    assert concluded.raised_by_user == representative
    assert Participation.objects.filter(challenge=concluded, joined_by=other_representative).exists()


def test_after_the_retention_period_the_people_go_and_the_organisations_stay(
    concluded, representative, other_representative, settings
):
    settings.CHALLENGES_RETENTION_DAYS = 90
    assert Challenge.history.filter(id=concluded.pk, history_user=representative).exists()
    assert Participation.history.filter(challenge_id=concluded.pk, history_user=other_representative).exists()

    result = _purge(concluded.concluded_at + dt.timedelta(days=91))

    assert result == {"challenges_anonymised": 1, "participations_anonymised": 2}
    concluded.refresh_from_db()
    assert concluded.raised_by_user is None
    assert concluded.status == Challenge.Status.CONCLUDED and concluded.outcome == "Mobila team i tre kommuner."
    assert concluded.raising_organisation == representative.organisation
    roles = dict(Participation.objects.filter(challenge=concluded).values_list("organisation", "role"))
    assert roles == {
        representative.organisation.pk: Participation.Role.RAISED,
        other_representative.organisation.pk: Participation.Role.TAKES_PART,
    }
    assert not Participation.objects.filter(challenge=concluded, joined_by__isnull=False).exists()
    people = {representative.pk, other_representative.pk}
    assert not Challenge.history.filter(id=concluded.pk, history_user_id__in=people).exists()
    assert not Challenge.history.filter(id=concluded.pk, raised_by_user__isnull=False).exists()
    assert not Participation.history.filter(challenge_id=concluded.pk, history_user_id__in=people).exists()
    assert not Participation.history.filter(challenge_id=concluded.pk, joined_by__isnull=False).exists()


def test_a_coordinators_edits_stay_in_the_history(concluded, coordinator, settings):
    settings.CHALLENGES_RETENTION_DAYS = 90
    concluded._history_user = coordinator  # as the admin records a coordinator's change
    concluded.save()
    # The services record the coordinator too (accept, conclude): none of it is purged.
    before = Challenge.history.filter(id=concluded.pk, history_user=coordinator).count()
    assert before == 3
    _purge(concluded.concluded_at + dt.timedelta(days=91))
    assert Challenge.history.filter(id=concluded.pk, history_user=coordinator).count() == before


def test_a_declined_challenge_forgets_its_raiser_after_the_retention_period(
    client, representative, coordinator, settings
):
    settings.CHALLENGES_RETENTION_DAYS = 90
    challenge = _raise(client, representative, "Frivilliga efter pandemin")
    declined = services.challenge_decline(challenge=challenge, by=coordinator, reason="Ligger utanför samverkan.")
    assert _purge(declined.declined_at + dt.timedelta(days=89))["challenges_anonymised"] == 0
    assert _purge(declined.declined_at + dt.timedelta(days=91)) == {
        "challenges_anonymised": 1,
        "participations_anonymised": 1,
    }
    declined.refresh_from_db()
    assert declined.raised_by_user is None and declined.decline_reason == "Ligger utanför samverkan."


def test_a_running_challenge_is_never_purged(client, representative, coordinator, settings):
    settings.CHALLENGES_RETENTION_DAYS = 90
    challenge = _raise(client, representative, "Pågående arbete")
    services.challenge_accept(challenge=challenge, by=coordinator)
    services.challenge_start(challenge=challenge, by=coordinator)
    later = challenge.proposed_at + dt.timedelta(days=1000)
    assert _purge(later) == {"challenges_anonymised": 0, "participations_anonymised": 0}
    assert Challenge.objects.get(pk=challenge.pk).raised_by_user == representative


def test_purging_twice_changes_nothing_more(concluded, settings):
    settings.CHALLENGES_RETENTION_DAYS = 90
    later = concluded.concluded_at + dt.timedelta(days=91)
    assert _purge(later) == {"challenges_anonymised": 1, "participations_anonymised": 2}
    rows = list(Challenge.objects.values()), list(Participation.objects.values())
    history = Challenge.history.count(), Participation.history.count()
    assert _purge(later + dt.timedelta(days=1)) == {"challenges_anonymised": 0, "participations_anonymised": 0}
    assert (list(Challenge.objects.values()), list(Participation.objects.values())) == rows
    assert (Challenge.history.count(), Participation.history.count()) == history


def test_the_privacy_page_says_how_long_challenges_are_linked_to_people(client):
    assert "90 dagar efter att utmaningen avslutats eller avböjts" in client.get("/personuppgifter/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "90 days after the challenge is concluded or declined" in client.get("/personuppgifter/").content.decode()
