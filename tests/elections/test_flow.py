"""A round from nominations to the working group, through the public pages and the services."""

import datetime as dt
import random
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from agreements.models import WorkingGroupMember
from elections import services
from elections.models import Ballot, BallotCast, Nomination, SealedBallot, SelectionRound, VotingReminder
from tests.elections.conftest import make_round
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _nominate(
    client, user, selection_round, organisation, *, email="kandidat@example.se", name="Karin Kandidat", **extra
):
    client.force_login(user)
    data = {
        "nominating_organisation": organisation.pk,
        "candidate_name": name,
        "candidate_title": "Ordförande",
        "candidate_organisation": organisation.pk,
        "candidate_email": email,
        "presentation": "Erfaren i föreningslivet.",
        **extra,
    }
    return client.post(reverse("elections:nominate", args=[selection_round.slug]), data)


def _candidate_link(email_address):
    message = next(m for m in reversed(mail.outbox) if email_address in m.to)
    return re.search(r"https?://[^\s]+/val/kandidat/[^\s/]+/", message.body).group(0)


def test_opening_nominations_tells_the_verified_signatories_only(agreement, signatories, run_on_commit):
    selection_round = make_round(agreement)
    with run_on_commit():
        sent = services.round_open_nominations(round=selection_round)
    assert sent == 3
    assert sorted(a for m in mail.outbox for a in m.to) == ["rep1@example.se", "rep2@example.se", "rep3@example.se"]


def test_nomination_mails_the_candidate_a_link_that_accepts_once(client, nominating_round, signatories, run_on_commit):
    organisation, user = signatories[0]
    with run_on_commit():
        response = _nominate(client, user, nominating_round, organisation)
    assert response.status_code == 302
    link = _candidate_link("kandidat@example.se")
    client.logout()
    path = link.split("//", 1)[1].split("/", 1)[1]
    page = client.get("/" + path)
    assert page.status_code == 200 and "Karin Kandidat" in page.content.decode()
    with run_on_commit():
        client.post("/" + path, {"answer": "accept"})
    nomination = Nomination.objects.get()
    assert nomination.status == Nomination.Status.ACCEPTED
    # The nominator hears of it; the link, used again, changes nothing.
    assert any("rep1@example.se" in m.to for m in mail.outbox)
    client.post("/" + path, {"answer": "decline"})
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.ACCEPTED


def test_a_forged_candidate_link_is_not_found(client, nominating_round, signatories):
    organisation, user = signatories[0]
    _nominate(client, user, nominating_round, organisation)
    token = services.candidate_token(Nomination.objects.get())
    assert client.get(reverse("elections:candidate", args=[token[:-2] + "xx"])).status_code == 404
    assert client.get(reverse("elections:candidate", args=["nonsense"])).status_code == 404


def test_the_candidate_link_holds_no_address_and_follows_the_address_it_was_sent_to(
    client, nominating_round, signatories
):
    import base64

    from django.core import signing

    organisation, user = signatories[0]
    _nominate(client, user, nominating_round, organisation)
    nomination = Nomination.objects.get()
    token = services.candidate_token(nomination)
    payload = token.split(":")[0]
    decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode()
    assert nomination.candidate_email.lower() not in token.lower() and "@" not in decoded
    assert client.get(reverse("elections:candidate", args=[token])).status_code == 200
    # A corrected address voids the link sent to the old one.
    Nomination.objects.filter(pk=nomination.pk).update(candidate_email="ratt@example.se")
    assert client.get(reverse("elections:candidate", args=[token])).status_code == 404
    # A link sent before links carried a digest (the address itself) works until it expires.
    legacy = signing.dumps({"n": nomination.pk, "e": "ratt@example.se"}, salt="elections.candidate")
    assert client.get(reverse("elections:candidate", args=[legacy])).status_code == 200


def test_only_representatives_of_eligible_organisations_nominate(client, nominating_round, signatories):
    outsider = UserFactory(email="outsider@example.se")
    client.force_login(outsider)
    assert client.get(reverse("elections:nominate", args=[nominating_round.slug])).status_code == 403
    pending_rep = UserFactory._meta.model.objects.get(email="pending@example.se")
    client.force_login(pending_rep)
    assert client.get(reverse("elections:nominate", args=[nominating_round.slug])).status_code == 403
    client.logout()
    response = client.get(reverse("elections:nominate", args=[nominating_round.slug]))
    assert response.status_code == 302 and "/konto/" in response["Location"]


def test_cannot_nominate_for_another_organisation(client, nominating_round, signatories):
    (_alfa, alfa_rep), (beta, _beta_rep) = signatories[0], signatories[1]
    response = _nominate(client, alfa_rep, nominating_round, beta)
    assert response.status_code == 400
    assert Nomination.objects.count() == 0


def test_nomination_cap_per_organisation_is_explained_and_keeps_the_typing(client, nominating_round, signatories):
    organisation, user = signatories[0]
    nominating_round.nominations_per_organisation = 1
    nominating_round.save()
    assert _nominate(client, user, nominating_round, organisation).status_code == 302
    response = _nominate(client, user, nominating_round, organisation, email="andra@example.se", name="Andra Person")
    assert response.status_code == 400
    body = response.content.decode()
    assert "error-summary" in body and "Andra Person" in body
    assert Nomination.objects.count() == 1


def test_bad_input_is_refused_with_messages_not_errors(client, nominating_round, signatories):
    organisation, user = signatories[0]
    response = _nominate(
        client, user, nominating_round, organisation, email="x" * 250 + "@example.se", presentation="a\x00b"
    )
    assert response.status_code == 400
    assert Nomination.objects.count() == 0


def test_nominations_outside_the_period_are_refused(client, agreement, signatories):
    selection_round = make_round(agreement, status=SelectionRound.Status.NOMINATING, phase="voting")
    organisation, user = signatories[0]
    response = _nominate(client, user, selection_round, organisation)
    assert response.status_code == 302
    assert Nomination.objects.count() == 0


def _vote(client, user, selection_round, organisation, candidates):
    client.force_login(user)
    return client.post(
        reverse("elections:vote", args=[selection_round.slug, organisation.pk]),
        {"candidates": [c.pk for c in candidates]},
    )


def test_one_ballot_per_organisation_the_second_sees_who_and_when(client, voting_round, signatories):
    organisation, user = signatories[0]
    second = UserFactory(email="second@example.se", full_name="Andra Representanten")
    organisation.representative_links.create(user=second)
    candidates = list(voting_round.nominations.order_by("pk"))
    assert _vote(client, user, voting_round, organisation, candidates[:1]).status_code == 302
    response = _vote(client, second, voting_round, organisation, candidates[1:2])
    assert response.status_code == 409
    assert "Representant 1" in response.content.decode()
    assert BallotCast.objects.count() == 1 and SealedBallot.objects.count() == 1 and Ballot.objects.count() == 0


def test_more_approvals_than_seats_is_refused(client, voting_round, signatories):
    organisation, user = signatories[0]
    response = _vote(client, user, voting_round, organisation, list(voting_round.nominations.all()))
    assert response.status_code == 400
    assert "at most 2" in response.content.decode() or "högst 2" in response.content.decode()
    assert BallotCast.objects.count() == 0


def test_cannot_vote_for_an_organisation_one_does_not_represent(client, voting_round, signatories):
    (_alfa, alfa_rep), (beta, _beta_rep) = signatories[0], signatories[1]
    response = _vote(client, alfa_rep, voting_round, beta, list(voting_round.nominations.all())[:1])
    assert response.status_code == 403
    assert BallotCast.objects.count() == 0


def test_count_is_idempotent_and_a_tie_at_the_last_seat_is_drawn_and_recorded(voting_round, signatories):
    candidates = list(voting_round.nominations.order_by("pk"))
    # A: 3 approvals; B and C: 1 each, for the one remaining seat.
    ballots = [[candidates[0], candidates[1]], [candidates[0], candidates[2]], [candidates[0]]]
    for (organisation, user), choice in zip(signatories, ballots, strict=True):
        services.ballot_cast(
            round=voting_round, user=user, organisation=organisation, nomination_ids=[c.pk for c in choice]
        )
    after_close = voting_round.voting_closes + dt.timedelta(minutes=1)
    services.round_count(round=voting_round, now=after_close, rng=random.Random(1))
    voting_round.refresh_from_db()
    elected = list(voting_round.nominations.filter(elected=True))
    assert len(elected) == 2 and candidates[0] in elected
    assert (
        voting_round.draw_record
        and "Kandidat 2" in voting_round.draw_record
        and "Kandidat 3" in voting_round.draw_record
    )
    assert voting_round.nominations.filter(drawn_by_lot=True).count() == 1
    before = list(voting_round.nominations.values_list("pk", "approvals", "elected"))
    services.round_count(round=voting_round, now=after_close, rng=random.Random(99))
    assert list(voting_round.nominations.values_list("pk", "approvals", "elected")) == before


def test_counting_before_voting_closes_is_refused(voting_round):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.round_count(round=voting_round)
    voting_round.refresh_from_db()
    assert voting_round.status == SelectionRound.Status.VOTING


def test_publishing_fills_the_working_group_and_shows_the_result(client, voting_round, signatories, run_on_commit):
    candidates = list(voting_round.nominations.order_by("pk"))
    for (organisation, user), choice in zip(signatories, [[0, 1], [0, 1], [2]], strict=True):
        services.ballot_cast(
            round=voting_round, user=user, organisation=organisation, nomination_ids=[candidates[i].pk for i in choice]
        )
    services.round_count(round=voting_round, now=voting_round.voting_closes + dt.timedelta(seconds=1))
    with run_on_commit():
        services.round_publish(round=voting_round)
    members = WorkingGroupMember.objects.filter(
        agreement=voting_round.agreement, side=WorkingGroupMember.Side.CIVIL_SOCIETY
    )
    assert sorted(members.values_list("name", flat=True)) == ["Kandidat 1", "Kandidat 2"]
    assert all(m.term_start == dt.date(2027, 1, 1) for m in members)
    assert any("rep3@example.se" in m.to for m in mail.outbox)
    page = client.get(voting_round.get_absolute_url()).content.decode()
    assert "Kandidat 1" in page and "3 av 3" in page or "3 of 3" in page
    agreement_page = client.get(voting_round.agreement.get_absolute_url()).content.decode()
    assert "Kandidat 1" in agreement_page and voting_round.title in agreement_page
    services.round_publish(round=voting_round)  # again: nothing doubles
    assert members.count() == 2


def test_candidates_are_shown_only_once_nominations_close(client, nominating_round, signatories, run_on_commit):
    organisation, user = signatories[0]
    _nominate(client, user, nominating_round, organisation, name="Hemlig Tills Vidare")
    Nomination.objects.update(status=Nomination.Status.ACCEPTED)
    client.logout()
    assert "Hemlig Tills Vidare" not in client.get(nominating_round.get_absolute_url()).content.decode()
    nominating_round.status = SelectionRound.Status.VOTING
    with run_on_commit():  # the cached round page moves on when the change commits
        nominating_round.save()
    assert "Hemlig Tills Vidare" in client.get(nominating_round.get_absolute_url()).content.decode()


def test_draft_rounds_are_not_public(client, agreement):
    selection_round = make_round(agreement)
    assert client.get(selection_round.get_absolute_url()).status_code == 404


def test_voting_reminder_runs_twice_mails_once(voting_round, signatories, run_on_commit):
    organisation, user = signatories[0]
    services.ballot_cast(
        round=voting_round, user=user, organisation=organisation, nomination_ids=[voting_round.nominations.first().pk]
    )
    from elections.tasks import send_voting_reminders

    with run_on_commit():
        send_voting_reminders.apply()
        send_voting_reminders.apply()
    reminded = sorted(a for m in mail.outbox for a in m.to)
    assert reminded == ["rep2@example.se", "rep3@example.se"]
    assert VotingReminder.objects.count() == 2


def test_no_reminder_before_the_last_two_days(agreement, signatories, run_on_commit):
    now = timezone.now()
    make_round(
        agreement,
        status=SelectionRound.Status.VOTING,
        phase="voting",
        voting_closes=now + dt.timedelta(days=5),
    )
    with run_on_commit():
        assert services.voting_reminders_send(now=now) == 0
    assert mail.outbox == []


def test_round_page_query_count_does_not_grow_with_candidates(
    client, voting_round, signatories, django_assert_max_num_queries
):
    organisation, user = signatories[0]
    for index in range(30):
        Nomination.objects.create(
            round=voting_round,
            nominating_organisation=organisation,
            candidate_name=f"Extra {index}",
            candidate_organisation=organisation,
            candidate_email=f"extra{index}@example.se",
            presentation="P",
            status=Nomination.Status.ACCEPTED,
        )
    with django_assert_max_num_queries(8):
        assert client.get(voting_round.get_absolute_url()).status_code == 200


def test_admin_start_page_shows_a_round_waiting_to_be_counted(coordinator_client, voting_round):
    SelectionRound.objects.filter(pk=voting_round.pk).update(voting_closes=timezone.now() - dt.timedelta(minutes=1))
    page = coordinator_client.get(reverse("admin:index")).content.decode()
    assert "/admin/elections/selectionround/?status__exact=voting" in page
