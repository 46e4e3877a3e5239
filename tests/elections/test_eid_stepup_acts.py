"""e-ID and mandates together (issue 23, items 3 and 4): with e-ID configured for the region (the local
provider), a representative with a verified mandate who logged in with a password casts the organisation's
ballot through the e-ID step-up, the POST replayed. The cast record names the mandate and the e-ID login;
the ballot records nothing of it, and nothing stored with the ballot links it to the cast."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.assurance import EID_SESSION_KEY, STEPUP_WINDOW
from elections.models import Ballot, BallotCast, BallotChoice, SealedBallot
from organisations.models import Mandate
from tests.accounts.conftest import log_in
from tests.factories import MandatedRepresentativeFactory

pytestmark = pytest.mark.django_db

NUMBER = "199001012389"


def _vote(client, selection_round, organisation):
    candidate = selection_round.nominations.order_by("pk").first()
    return client.post(
        reverse("elections:vote", args=[selection_round.slug, organisation.pk]), {"candidates": [candidate.pk]}
    )


def _step_up(client, eid_region, location, sub="rep"):
    return client.get(eid_region.authorize(eid_region.start(client, url=location), sub))


def test_a_password_login_casts_through_the_e_id_and_only_the_cast_records_it(
    client, eid_region, voting_round, signatories
):
    organisation, user = signatories[0]
    eid_region.person("rep", level="EXTENDED", number=NUMBER)
    log_in(client, user)
    response = _vote(client, voting_round, organisation)
    assert response.status_code == 302 and "process=redirect" in response["Location"]
    assert not BallotCast.objects.exists()

    before = timezone.now()
    done = _step_up(client, eid_region, response["Location"])

    assert done.status_code == 302 and done["Location"] == voting_round.get_absolute_url()
    cast = BallotCast.objects.get()
    assert cast.organisation == organisation
    assert cast.mandate == Mandate.objects.get(representative__user=user, representative__organisation=organisation)
    assert (cast.auth_method, cast.auth_level) == ("eid", "EXTENDED")
    assert before - dt.timedelta(seconds=5) <= cast.authenticated_at <= timezone.now()

    # The ballot stays apart: none of its tables has a field for who, how or when, and no stored value of
    # a ballot is one of the cast record's (ids aside: the region's and the round's are small numbers too).
    for model in (Ballot, SealedBallot, BallotChoice):
        names = {field.name for field in model._meta.concrete_fields}
        assert not names & {"mandate", "auth_method", "auth_level", "authenticated_at", "cast_by", "organisation"}
        assert not any(field.get_internal_type() == "DateTimeField" for field in model._meta.concrete_fields)
    stored = [
        value
        for model in (Ballot, SealedBallot, BallotChoice)
        for row in model.objects.values()
        for value in row.values()
    ]
    assert stored  # the ballot is there
    for value in (cast.auth_level, cast.authenticated_at, cast.cast_at, user.email):
        assert value not in stored
    assert not any(isinstance(value, bytes) and b"EXTENDED" in value for value in stored)


def test_an_e_id_login_older_than_fifteen_minutes_is_asked_again(client, eid_region, voting_round, signatories):
    organisation, user = signatories[0]
    other, _other_user = signatories[1]
    eid_region.person("rep", level="EXTENDED", number=NUMBER)
    log_in(client, user)
    _step_up(client, eid_region, _vote(client, voting_round, organisation)["Location"])
    assert BallotCast.objects.count() == 1
    session = client.session
    record = session[EID_SESSION_KEY]
    record["at"] -= STEPUP_WINDOW.total_seconds() + 1
    session[EID_SESSION_KEY] = record
    session.save()
    # The same person also represents a second organisation with a mandate: its ballot needs a new e-ID login.
    MandatedRepresentativeFactory(user=user, organisation=other)

    response = _vote(client, voting_round, other)

    assert response.status_code == 302 and "process=redirect" in response["Location"]
    assert BallotCast.objects.count() == 1


def test_a_level_below_the_requirement_is_refused_and_no_ballot_is_cast(client, eid_region, voting_round, signatories):
    organisation, user = signatories[0]
    eid_region.person("rep", level="BASIC", number=NUMBER)
    log_in(client, user)

    refused = _step_up(client, eid_region, _vote(client, voting_round, organisation)["Location"])

    assert refused.status_code == 401
    assert not BallotCast.objects.exists() and not SealedBallot.objects.exists() and not Ballot.objects.exists()
