"""e-ID and mandates together (issue 23, items 3 and 4): with e-ID configured for the region (the local
provider), a representative with a verified mandate who logged in with a password confirms with e-ID before
the ballot is shown, then casts it. The cast record names the mandate and the e-ID login; the ballot records
nothing of it, and nothing stored with the ballot links it to the cast. A ballot POSTed after the e-ID
window ended is not kept for a replay (other acts' POSTs are): it would lie in the session table beside the
person's id."""

import datetime as dt
import html
import re

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from accounts.assurance import EID_SESSION_KEY, STEPUP_SESSION_KEY, STEPUP_WINDOW
from elections.models import Ballot, BallotCast, BallotChoice, SealedBallot
from organisations.models import Mandate
from tests.accounts.conftest import log_in
from tests.factories import MandatedRepresentativeFactory

pytestmark = pytest.mark.django_db

NUMBER = "199001012389"


def _vote_url(selection_round, organisation):
    return reverse("elections:vote", args=[selection_round.slug, organisation.pk])


def _vote(client, selection_round, organisation):
    candidate = selection_round.nominations.order_by("pk").first()
    return client.post(_vote_url(selection_round, organisation), {"candidates": [candidate.pk]})


def _step_up(client, eid_region, location, sub="rep"):
    return client.get(eid_region.authorize(eid_region.start(client, url=location), sub))


def _confirm_button(page):
    """The e-ID page's button: the login URL it posts to (which comes back to the ballot)."""
    assert page.status_code == 200
    found = re.search(r'<form method="post" action="([^"]*process=redirect[^"]*)"', page.content.decode())
    assert found, "no e-ID confirmation on the page"
    return html.unescape(found.group(1))


def _confirm_on_get(client, eid_region, selection_round, organisation, sub="rep"):
    return _step_up(client, eid_region, _confirm_button(client.get(_vote_url(selection_round, organisation))), sub)


def _sessions_text():
    """What every stored session holds, decoded (Django signs session data but does not encrypt it)."""
    return " ".join(str(session.get_decoded()) for session in Session.objects.all())


def test_a_password_login_confirms_with_e_id_before_the_ballot_and_only_the_cast_records_it(
    client, eid_region, voting_round, signatories
):
    organisation, user = signatories[0]
    eid_region.person("rep", level="EXTENDED", number=NUMBER)
    log_in(client, user)
    page = client.get(_vote_url(voting_round, organisation))
    assert "Candidates you approve" not in page.content.decode() and "Kandidater" not in page.content.decode()

    before = timezone.now()
    back = _step_up(client, eid_region, _confirm_button(page))
    assert back.status_code == 302 and back["Location"] == _vote_url(voting_round, organisation)
    assert 'name="candidates"' in client.get(back["Location"]).content.decode()
    assert not BallotCast.objects.exists()
    done = _vote(client, voting_round, organisation)

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


def test_a_ballot_posted_after_the_window_is_not_cast_and_not_kept(client, eid_region, voting_round, signatories):
    organisation, user = signatories[0]
    other, _other_user = signatories[1]
    eid_region.person("rep", level="EXTENDED", number=NUMBER)
    log_in(client, user)
    _confirm_on_get(client, eid_region, voting_round, organisation)
    assert _vote(client, voting_round, organisation).status_code == 302
    assert BallotCast.objects.count() == 1
    session = client.session
    record = session[EID_SESSION_KEY]
    record["at"] -= STEPUP_WINDOW.total_seconds() + 1
    session[EID_SESSION_KEY] = record
    session.save()
    # The same person also represents a second organisation with a mandate: its ballot needs a new e-ID login.
    MandatedRepresentativeFactory(user=user, organisation=other)

    response = _vote(client, voting_round, other)

    assert "not kept" in response.content.decode() or "sparades inte" in response.content.decode()
    assert BallotCast.objects.count() == 1
    assert STEPUP_SESSION_KEY not in client.session and "candidates" not in _sessions_text()
    # Confirmed again, the ballot is shown empty and cast when posted.
    back = _step_up(client, eid_region, _confirm_button(response))
    assert back["Location"] == _vote_url(voting_round, other)
    assert "checked" not in client.get(back["Location"]).content.decode()
    assert _vote(client, voting_round, other).status_code == 302
    assert BallotCast.objects.count() == 2


def test_a_level_below_the_requirement_is_refused_and_no_ballot_is_cast(client, eid_region, voting_round, signatories):
    organisation, user = signatories[0]
    eid_region.person("rep", level="BASIC", number=NUMBER)
    log_in(client, user)
    # Also a ballot POSTed without the confirmation (a form kept open in another tab): not cast, not kept.
    assert _vote(client, voting_round, organisation).status_code == 200

    refused = _confirm_on_get(client, eid_region, voting_round, organisation)

    assert refused.status_code == 401
    assert not BallotCast.objects.exists() and not SealedBallot.objects.exists() and not Ballot.objects.exists()
    assert "candidates" not in _sessions_text()
