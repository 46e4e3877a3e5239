"""Selection rounds in several regions: region B's rounds, candidates and ballots never appear on region A's
host (pages, API, admin), a URL or id naming B's round on A's host is a 404, slugs are unique per region,
the reminders run in every region from a clean worker, and a count in one region stays in it."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from agreements.models import Signatory
from core.regions import no_region, region_scope
from elections import services
from elections.models import Ballot, BallotCast, BallotChoice, Nomination, SelectionRound, VotingReminder
from tests.elections.conftest import make_round
from tests.factories import (
    AgreementFactory,
    MandatedRepresentativeFactory,
    OrganisationFactory,
    SignatoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

B_HOST = "halland.testserver"


def _election(label: str, *, slug="val-arbetsgrupp", voters=2):
    """A voting round of this region with ``voters`` verified signatories (each a representative) and
    one accepted candidate per signatory."""
    agreement = AgreementFactory(title=f"Överenskommelse {label}", slug=f"overenskommelse-{label.lower()}")
    people = []
    for index in range(voters):
        organisation = OrganisationFactory(name=f"Förening {label} {index}")
        SignatoryFactory(agreement=agreement, organisation=organisation, status=Signatory.Status.VERIFIED)
        user = UserFactory(email=f"rep{index}@{label.lower()}.example.se")
        MandatedRepresentativeFactory(user=user, organisation=organisation)
        people.append((organisation, user))
    selection_round = make_round(
        agreement, status=SelectionRound.Status.VOTING, phase="voting", seats=1, slug=slug, title=f"Val {label}"
    )
    for index, (organisation, _user) in enumerate(people):
        Nomination.objects.create(
            round=selection_round,
            nominating_organisation=organisation,
            candidate_name=f"Kandidat {label} {index}",
            candidate_organisation=organisation,
            candidate_email=f"kandidat{index}@{label.lower()}.example.se",
            presentation="Presentation.",
            status=Nomination.Status.ACCEPTED,
        )
    return selection_round, people


@pytest.fixture
def two_elections(region, other_region):
    ours = _election("Norr")
    with region_scope(other_region):
        theirs = _election("Syd")
        only_theirs = make_round(theirs[0].agreement, slug="bara-halland", title="Val bara Syd")
        only_theirs.status = SelectionRound.Status.NOMINATING
        only_theirs.save()
    return ours, theirs, only_theirs


def test_each_host_shows_its_own_round_under_the_same_slug(client, two_elections):
    for url in (reverse("elections:list"), reverse("elections:detail", args=["val-arbetsgrupp"])):
        ours = client.get(url).content.decode()
        theirs = client.get(url, HTTP_HOST=B_HOST).content.decode()
        assert "Val Norr" in ours and "Syd" not in ours
        assert "Val Syd" in theirs and "Norr" not in theirs


def test_a_url_naming_another_regions_round_is_a_404(client, two_elections):
    (_round, people), _theirs, _only = two_elections
    client.force_login(people[0][1])
    assert client.get(reverse("elections:detail", args=["bara-halland"])).status_code == 404
    assert client.get(reverse("elections:nominate", args=["bara-halland"])).status_code == 404


def test_a_representative_cannot_vote_for_another_regions_organisation(client, two_elections):
    (ours, _people), (_theirs, their_people), _only = two_elections
    organisation_b, user_b = their_people[0]
    client.force_login(user_b)
    # Region B's representative on region A's host, naming B's organisation under A's round.
    url = reverse("elections:vote", args=[ours.slug, organisation_b.pk])
    response = client.post(url, {"nominations": [ours.nominations.first().pk]})
    assert response.status_code in (403, 404)
    assert not BallotCast.objects.exists()


def test_a_candidate_link_of_another_region_is_not_found_on_this_host(client, two_elections, other_region):
    from elections.services.nominations import candidate_token

    with region_scope(other_region):
        nomination = two_elections[1][0].nominations.first()
        token = candidate_token(nomination)
    response = client.get(reverse("elections:candidate", args=[token]))
    assert response.status_code in (400, 404)
    assert "Kandidat Syd" not in response.content.decode()
    assert "Kandidat Syd" in client.get(reverse("elections:candidate", args=[token]), HTTP_HOST=B_HOST).content.decode()


def test_the_api_lists_only_the_hosts_rounds(client, two_elections):
    ours = client.get("/api/v1/selection-rounds/").json()
    theirs = client.get("/api/v1/selection-rounds/", HTTP_HOST=B_HOST).json()
    assert [r["title"] for r in ours["results"]] == ["Val Norr"]
    assert sorted(r["title"] for r in theirs["results"]) == ["Val Syd", "Val bara Syd"]
    assert client.get("/api/v1/selection-rounds/bara-halland/").status_code == 404


def test_admin_changelists_show_nothing_of_another_region(coordinator_client, two_elections):
    for model in ("selectionround", "nomination", "ballotcast"):
        content = coordinator_client.get(reverse(f"admin:elections_{model}_changelist")).content.decode()
        assert "Syd" not in content


@pytest.mark.parametrize("model", ["selectionround", "nomination"])
@pytest.mark.parametrize("view", ["change", "delete", "history"])
def test_an_admin_id_of_another_region_is_a_404(coordinator_client, two_elections, other_region, model, view):
    with region_scope(other_region):
        theirs = two_elections[1][0] if model == "selectionround" else two_elections[1][0].nominations.first()
    assert coordinator_client.get(reverse(f"admin:elections_{model}_{view}", args=[theirs.pk])).status_code == 404


def test_an_admin_action_acts_only_on_the_hosts_rounds(coordinator_client, two_elections, other_region):
    only_theirs = two_elections[2]
    ours = make_round(two_elections[0][0].agreement, slug="eget", status=SelectionRound.Status.NOMINATING)
    coordinator_client.post(
        reverse("admin:elections_selectionround_changelist"),
        {"action": "step_back", "_selected_action": [ours.pk, only_theirs.pk], "confirm": "yes"},
    )
    assert SelectionRound.objects.get(pk=ours.pk).status == SelectionRound.Status.DRAFT
    with region_scope(other_region):
        assert SelectionRound.objects.get(pk=only_theirs.pk).status == SelectionRound.Status.NOMINATING


def _round_form(agreement, slug):
    now = timezone.localtime()
    data = {
        "agreement": agreement.pk,
        "title": "Nytt val",
        "slug": slug,
        "working_group": "Arbetsgruppen",
        "seats": "3",
        "nominations_per_organisation": "2",
        "nominations-TOTAL_FORMS": "0",
        "nominations-INITIAL_FORMS": "0",
        "nominations-MIN_NUM_FORMS": "0",
        "nominations-MAX_NUM_FORMS": "1000",
    }
    for index, name in enumerate(["nomination_opens", "nomination_closes", "voting_opens", "voting_closes"]):
        moment = now + dt.timedelta(days=index + 1)
        data[f"{name}_0"], data[f"{name}_1"] = moment.date().isoformat(), moment.strftime("%H:%M:%S")
    return data


def test_a_slug_is_unique_per_region_with_a_form_error_not_a_500(coordinator_client, two_elections):
    agreement = two_elections[0][0].agreement
    url = reverse("admin:elections_selectionround_add")
    response = coordinator_client.post(url, _round_form(agreement, "val-arbetsgrupp"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    # Halland's slug is free here.
    assert coordinator_client.post(url, _round_form(agreement, "bara-halland")).status_code == 302
    assert SelectionRound.objects.get(slug="bara-halland").title == "Nytt val"


def test_the_reminders_run_in_every_region_from_a_clean_worker_and_link_on_each_host(
    two_elections, run_on_commit, settings
):
    from elections.tasks import send_voting_reminders

    settings.SITE_URL = "http://127.0.0.1:8000"
    with run_on_commit(), no_region():
        send_voting_reminders.apply()
    bodies = {message.to[0]: message.body for message in mail.outbox}
    assert sorted(bodies) == [
        "rep0@norr.example.se",
        "rep0@syd.example.se",
        "rep1@norr.example.se",
        "rep1@syd.example.se",
    ]
    assert "http://halland.testserver:8000/val/val-arbetsgrupp/" in bodies["rep0@syd.example.se"]
    assert "halland.testserver" not in bodies["rep0@norr.example.se"]
    assert VotingReminder.objects.count() == 2


def test_a_count_in_one_region_stores_its_ballots_in_that_region(two_elections, other_region, region):
    (ours, our_people), (theirs, their_people), _only = two_elections
    with region_scope(other_region):
        for organisation, user in their_people:
            services.ballot_cast(
                round=theirs, user=user, organisation=organisation, nomination_ids=[theirs.nominations.first().pk]
            )
        SelectionRound.objects.filter(pk=theirs.pk).update(voting_closes=timezone.now() - dt.timedelta(minutes=1))
        counted = services.round_count(round=SelectionRound.objects.get(pk=theirs.pk), now=timezone.now())
        assert counted.status == SelectionRound.Status.COUNTED
        assert Ballot.objects.count() == 2 and BallotChoice.objects.count() == 2
        assert set(Ballot.objects.values_list("region_id", flat=True)) == {other_region.pk}
    # Nothing of it in region A.
    assert not Ballot.objects.exists() and not BallotCast.objects.exists()


def test_the_demo_loads_into_the_first_region_from_a_command_with_no_region(media_root, region):
    from agreements import demo as agreements_demo
    from elections import demo as elections_demo
    from tests.demo_regions import demo_regions

    with no_region():
        agreements_demo.load()
        elections_demo.load()
    # The first region's story (Västernorrland's) has no round: the agreement is Västra Götalandsregionen's.
    assert not SelectionRound.objects.exists()
    vgr = demo_regions()["vgr"]
    with region_scope(vgr):
        agreements_demo.load()
        elections_demo.load()
        published = SelectionRound.objects.get(slug="arbetsgrupp-handlingsplan-2019")
        assert published.region == vgr and published.agreement.region == vgr
        assert Ballot.objects.filter(round=published).count() == 64
