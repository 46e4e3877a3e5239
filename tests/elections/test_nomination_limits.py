"""Nominations are limited per user and per nominating organisation, and so are the candidate e-mails
they send: a representative cannot use the form to mail whatever addresses they type."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from elections.models import Nomination
from outbox.models import OutgoingEmail
from tests.elections.conftest import make_round
from tests.factories import RepresentativeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_round(agreement, signatories):
    from elections.models import SelectionRound

    return make_round(agreement, status=SelectionRound.Status.NOMINATING, nominations_per_organisation=20)


def _nominate(client, user, selection_round, organisation, email):
    client.force_login(user)
    data = {
        "nominating_organisation": organisation.pk,
        "candidate_name": "Karin Kandidat",
        "candidate_title": "Ordförande",
        "candidate_organisation": organisation.pk,
        "candidate_email": email,
        "presentation": "Erfaren i föreningslivet.",
    }
    return client.post(reverse("elections:nominate", args=[selection_round.slug]), data)


def _candidate_emails():
    return OutgoingEmail.objects.filter(kind="elections.candidate_asked").count()


def test_one_user_is_stopped_after_the_nomination_rate(client, open_round, signatories, settings):
    settings.ELECTIONS_NOMINATION_RATE = "2/h"
    settings.ELECTIONS_CANDIDATE_EMAILS_PER_USER_HOUR = 100
    organisation, user = signatories[0]
    for n in range(2):
        assert _nominate(client, user, open_round, organisation, f"k{n}@example.se").status_code == 302
    response = _nominate(client, user, open_round, organisation, "k3@example.se")
    assert response.status_code == 429
    assert "För många nomineringar på kort tid" in response.content.decode()
    assert 'value="k3@example.se"' in response.content.decode()
    assert Nomination.objects.count() == _candidate_emails() == 2


def test_an_organisations_representatives_share_its_limit(client, open_round, signatories, settings):
    settings.ELECTIONS_NOMINATION_ORGANISATION_RATE = "2/h"
    organisation, first = signatories[0]
    second = UserFactory(email="andra@example.se")
    RepresentativeFactory(user=second, organisation=organisation)
    assert _nominate(client, first, open_round, organisation, "a@example.se").status_code == 302
    assert _nominate(client, second, open_round, organisation, "b@example.se").status_code == 302
    response = _nominate(client, second, open_round, organisation, "c@example.se")
    assert response.status_code == 429
    assert "Er organisation har gjort många nomineringar" in response.content.decode()
    # Another organisation is not held back by it.
    other_organisation, other = signatories[1]
    assert _nominate(client, other, open_round, other_organisation, "d@example.se").status_code == 302
    assert Nomination.objects.count() == _candidate_emails() == 3


def test_candidate_emails_per_user_and_hour_are_capped(client, open_round, signatories, settings):
    settings.ELECTIONS_CANDIDATE_EMAILS_PER_USER_HOUR = 2
    organisation, user = signatories[0]
    for n in range(2):
        assert _nominate(client, user, open_round, organisation, f"k{n}@example.se").status_code == 302
    response = _nominate(client, user, open_round, organisation, "k9@example.se")
    assert response.status_code == 400
    assert "Du har gjort 2 nomineringar den senaste timmen" in response.content.decode()
    assert Nomination.objects.count() == _candidate_emails() == 2
    # An hour later the user may go on.
    Nomination.objects.update(created_at=timezone.now() - dt.timedelta(minutes=61))
    assert _nominate(client, user, open_round, organisation, "k9@example.se").status_code == 302
    assert _candidate_emails() == 3


def test_an_address_is_not_asked_again_soon_whoever_asks(client, open_round, signatories, settings):
    settings.ELECTIONS_CANDIDATE_EMAIL_INTERVAL_HOURS = 24
    (first_org, first), (second_org, second) = signatories[:2]
    assert _nominate(client, first, open_round, first_org, "karin@example.se").status_code == 302
    Nomination.objects.update(status=Nomination.Status.DECLINED)  # she said no; the round would allow asking again
    response = _nominate(client, second, open_round, second_org, "KARIN@example.se")
    assert response.status_code == 400
    assert "Adressen fick en fråga om att kandidera för mindre än 24 timmar sedan" in response.content.decode()
    assert _candidate_emails() == 1
    Nomination.objects.update(created_at=timezone.now() - dt.timedelta(hours=25))
    assert _nominate(client, second, open_round, second_org, "KARIN@example.se").status_code == 302
    assert _candidate_emails() == 2


def test_the_defaults_limit_candidate_emails(settings):
    assert settings.ELECTIONS_CANDIDATE_EMAILS_PER_USER_HOUR <= 10
    assert settings.ELECTIONS_CANDIDATE_EMAIL_INTERVAL_HOURS >= 24
    assert settings.ELECTIONS_NOMINATION_RATE.endswith("/h")
