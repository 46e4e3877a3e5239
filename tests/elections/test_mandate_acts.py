"""Casting the organisation's ballot needs a verified mandate in force (issue 23): in the service and in
the view (the clear page instead of the ballot); the e-ID step-up is asked before the act; the cast
record, never the ballot, records the mandate and how the person was authenticated."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from accounts.assurance import STEPUP_SESSION_KEY
from elections import services
from elections.models import Ballot, BallotCast, SealedBallot
from organisations.models import Mandate
from tests.factories import MandateFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def unmandated(signatories):
    """A second representative of the first signatory organisation, without a mandate."""
    organisation, _user = signatories[0]
    user = UserFactory(email="utan.mandat@example.se", full_name="Ulla Utan")
    link = organisation.representative_links.create(user=user)
    return organisation, user, link


def _post(client, user, selection_round, organisation):
    client.force_login(user)
    candidate = selection_round.nominations.order_by("pk").first()
    return client.post(
        reverse("elections:vote", args=[selection_round.slug, organisation.pk]), {"candidates": [candidate.pk]}
    )


@pytest.mark.parametrize(
    "mandate",
    [None, {"status": Mandate.Status.REVOKED}, {"status": Mandate.Status.REQUESTED, "verified_at": None}],
    ids=["none", "revoked", "waiting"],
)
def test_the_service_refuses_a_representative_without_a_mandate(voting_round, unmandated, mandate):
    organisation, user, link = unmandated
    if mandate is not None:
        MandateFactory(representative=link, **mandate)
    candidate = voting_round.nominations.order_by("pk").first()
    with pytest.raises(PermissionDenied):
        services.ballot_cast(round=voting_round, user=user, organisation=organisation, nomination_ids=[candidate.pk])
    assert not BallotCast.objects.exists() and not SealedBallot.objects.exists()


def test_a_mandate_for_another_organisation_does_not_count(voting_round, signatories, unmandated):
    organisation, user, _link = unmandated
    other, _other_user = signatories[1]
    MandateFactory(representative=other.representative_links.create(user=user))
    candidate = voting_round.nominations.order_by("pk").first()
    with pytest.raises(PermissionDenied):
        services.ballot_cast(round=voting_round, user=user, organisation=organisation, nomination_ids=[candidate.pk])


def test_the_ballot_page_says_a_mandate_is_needed(client, voting_round, unmandated):
    organisation, user, _link = unmandated
    client.force_login(user)
    response = client.get(reverse("elections:vote", args=[voting_round.slug, organisation.pk]))
    assert response.status_code == 403
    content = response.content.decode()
    assert "Du behöver ett mandat" in content
    assert reverse("organisations:mandate_request", args=[organisation.slug]) in content
    assert 'name="candidates"' not in content


def test_a_vote_without_a_mandate_is_refused_and_nothing_is_cast(client, voting_round, unmandated):
    organisation, user, _link = unmandated
    assert _post(client, user, voting_round, organisation).status_code == 403
    assert not BallotCast.objects.exists() and not SealedBallot.objects.exists()


def test_the_step_up_comes_first_and_nothing_is_cast_or_kept(client, monkeypatch, voting_round, signatories):
    organisation, user = signatories[0]
    seen = []

    def stepup(request, region, **page):
        seen.append(request.method)
        return HttpResponse("Bekräfta med e-legitimation")

    monkeypatch.setattr("accounts.assurance.stepup_page", stepup)
    response = _post(client, user, voting_round, organisation)
    assert response.content == b"Bekr\xc3\xa4fta med e-legitimation"
    assert seen == ["POST"]  # the ballot reaches the step-up, which does not keep it
    assert STEPUP_SESSION_KEY not in client.session
    assert not BallotCast.objects.exists() and not SealedBallot.objects.exists()


def test_the_cast_record_names_the_mandate_and_the_ballot_nothing(voting_round, signatories):
    organisation, user = signatories[0]
    candidate = voting_round.nominations.order_by("pk").first()
    at = timezone.now().replace(microsecond=0)
    cast = services.ballot_cast(
        round=voting_round,
        user=user,
        organisation=organisation,
        nomination_ids=[candidate.pk],
        authentication={"method": "eid", "level": "substantial", "at": at},
    )
    cast.refresh_from_db()
    assert cast.mandate == Mandate.objects.get(representative__user=user)
    assert (cast.auth_method, cast.auth_level, cast.authenticated_at) == ("eid", "substantial", at)
    for model in (SealedBallot, Ballot):
        names = {field.name for field in model._meta.get_fields()}
        assert not names & {"mandate", "auth_method", "auth_level", "authenticated_at", "cast", "organisation"}


def test_the_admin_shows_the_cast_record_with_its_mandate(coordinator_client, voting_round, signatories):
    organisation, user = signatories[0]
    candidate = voting_round.nominations.order_by("pk").first()
    cast = services.ballot_cast(
        round=voting_round,
        user=user,
        organisation=organisation,
        nomination_ids=[candidate.pk],
        authentication={"method": "password", "level": "", "at": timezone.now()},
    )
    content = coordinator_client.get(reverse("admin:elections_ballotcast_change", args=[cast.pk])).content.decode()
    assert "Mandat och inloggning" in content
    assert reverse("admin:organisations_mandate_change", args=[cast.mandate.pk]) in content
    assert "lösenord" in content
