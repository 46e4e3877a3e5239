"""Selection rounds in the open data API: what the round page shows, nothing more."""

import datetime as dt
import json

import pytest

from elections import services
from elections.models import Nomination, SelectionRound

pytestmark = pytest.mark.django_db


def _round(client, slug):
    response = client.get(f"/api/v1/selection-rounds/{slug}/")
    assert response.status_code == 200
    return response.json()


def test_candidates_appear_when_nominations_close_and_numbers_when_published(
    client,
    voting_round,
    signatories,
    run_on_commit,
):
    body = _round(client, voting_round.slug)
    assert body["organisations_eligible"] == 3 and body["organisations_voted"] == 0
    assert {c["name"] for c in body["candidates"]} == {"Kandidat 1", "Kandidat 2", "Kandidat 3"}
    assert all(c["approvals"] is None and c["elected"] is None for c in body["candidates"])
    organisation, user = signatories[0]
    with run_on_commit():
        services.ballot_cast(
            round=voting_round,
            user=user,
            organisation=organisation,
            nomination_ids=[voting_round.nominations.get(candidate_name="Kandidat 3").pk],
        )
    assert _round(client, voting_round.slug)["organisations_voted"] == 1
    with run_on_commit():
        services.round_count(round=voting_round, now=voting_round.voting_closes + dt.timedelta(seconds=1))
    counted = _round(client, voting_round.slug)["candidates"]
    assert all(c["approvals"] is None for c in counted)  # counted, not published
    # ... and their order does not tell who won either: name order until the result is published.
    assert [c["name"] for c in counted] == ["Kandidat 1", "Kandidat 2", "Kandidat 3"]
    with run_on_commit():
        services.round_publish(round=voting_round)
    published = _round(client, voting_round.slug)
    assert [(c["name"], c["approvals"]) for c in published["candidates"]][0] == ("Kandidat 3", 1)
    assert sorted(c["approvals"] for c in published["candidates"]) == [0, 0, 1]
    raw = json.dumps(published)
    assert "@example.se" not in raw and "Representant" not in raw


def test_candidates_are_not_listed_during_nominations(client, nominating_round, signatories):
    organisation, user = signatories[0]
    Nomination.objects.create(
        round=nominating_round,
        nominating_organisation=organisation,
        nominated_by=user,
        candidate_name="Ännu Hemlig",
        candidate_organisation=organisation,
        candidate_email="hemlig@example.se",
        presentation="P",
        status=Nomination.Status.ACCEPTED,
    )
    assert _round(client, nominating_round.slug)["candidates"] == []


def test_draft_rounds_are_not_in_the_api(client, agreement):
    from tests.elections.conftest import make_round

    selection_round = make_round(agreement, status=SelectionRound.Status.DRAFT)
    assert client.get(f"/api/v1/selection-rounds/{selection_round.slug}/").status_code == 404
    assert client.get("/api/v1/selection-rounds/").json()["count"] == 0


def test_the_counting_rule_is_in_the_language_asked_for(client, voting_round):
    path = f"/api/v1/selection-rounds/{voting_round.slug}/"
    swedish = client.get(path, {"lang": "sv"}).json()["counting_rule"]
    english = client.get(path, {"lang": "en"}).json()["counting_rule"]
    assert swedish.startswith("Varje röstberättigad organisation lägger en valsedel")
    assert english.startswith("Each eligible organisation casts one ballot")
