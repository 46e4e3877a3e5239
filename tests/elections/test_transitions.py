"""A round's status steps: preconditions against the dates in the service, the confirmation page in the
admin (what happens, to how many, nothing without ``confirm``), taking a step back, and every page
agreeing on whether nominating or voting is on."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from elections import services
from elections.models import BallotCast, Nomination, SelectionRound
from outbox.models import OutgoingEmail

from .conftest import make_round

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:elections_selectionround_changelist"


def _nominate(selection_round, organisation, user, *, name, status):
    return Nomination.objects.create(
        round=selection_round,
        nominating_organisation=organisation,
        nominated_by=user,
        candidate_name=name,
        candidate_organisation=organisation,
        candidate_email=f"{name.split()[0].lower()}@example.se",
        presentation="Presentation.",
        status=status,
    )


@pytest.fixture
def mid_nominations(agreement, signatories):
    """The issue's round: nominations run for three more weeks; one nomination waits for its candidate."""
    now = timezone.now()
    selection_round = make_round(
        agreement,
        status=SelectionRound.Status.NOMINATING,
        nomination_opens=now - dt.timedelta(days=7),
        nomination_closes=now + dt.timedelta(days=21),
        voting_opens=now + dt.timedelta(days=24),
        voting_closes=now + dt.timedelta(days=38),
    )
    organisation, user = signatories[0]
    _nominate(selection_round, organisation, user, name="Pia Väntar", status=Nomination.Status.PENDING)
    return selection_round


def _another_round(agreement, slug, **fields):
    """A second round beside the fixtures' one (make_round's slug is fixed)."""
    now = timezone.now()
    values = {
        "nomination_opens": now - dt.timedelta(days=1),
        "nomination_closes": now + dt.timedelta(days=5),
        "voting_opens": now + dt.timedelta(days=6),
        "voting_closes": now + dt.timedelta(days=10),
        **fields,
    }
    return SelectionRound.objects.create(agreement=agreement, title=f"Val {slug}", slug=slug, **values)


def _messages(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# The service --------------------------------------------------------------------------------------------


def test_opening_voting_in_the_middle_of_nominations_is_refused_and_nothing_is_sent(mid_nominations):
    with pytest.raises(ValidationError) as caught:
        services.round_open_voting(round=mid_nominations)
    text = _messages(caught.value)
    assert "Nomineringsperioden pågår till" in text
    assert "Ingen kandidat har tackat ja" in text
    assert "väntar fortfarande på kandidatens svar" in text
    mid_nominations.refresh_from_db()
    assert mid_nominations.status == SelectionRound.Status.NOMINATING
    assert mid_nominations.nominations.get().status == Nomination.Status.PENDING
    assert OutgoingEmail.objects.count() == 0


def test_opening_voting_early_needs_both_explicit_choices_and_then_moves_the_dates(mid_nominations, signatories):
    organisation, user = signatories[1]
    _nominate(mid_nominations, organisation, user, name="Anna Ja", status=Nomination.Status.ACCEPTED)
    with pytest.raises(ValidationError) as caught:
        services.round_open_voting(round=mid_nominations, move_dates=True)
    assert "väntar fortfarande på kandidatens svar" in _messages(caught.value)
    now = timezone.now()
    sent = services.round_open_voting(round=mid_nominations, move_dates=True, lapse_pending=True, now=now)
    assert sent == 3
    mid_nominations.refresh_from_db()
    assert mid_nominations.status == SelectionRound.Status.VOTING
    assert mid_nominations.nomination_closes == now and mid_nominations.voting_opens == now
    assert mid_nominations.voting_open_now(now + dt.timedelta(seconds=1))
    assert mid_nominations.nominations.get(candidate_name="Pia Väntar").status == Nomination.Status.DECLINED


def test_opening_voting_after_the_nomination_period_needs_no_choice(agreement, signatories):
    selection_round = make_round(agreement, status=SelectionRound.Status.NOMINATING, phase="voting")
    organisation, user = signatories[0]
    _nominate(selection_round, organisation, user, name="Anna Ja", status=Nomination.Status.ACCEPTED)
    stale = _nominate(selection_round, organisation, user, name="Olle Tyst", status=Nomination.Status.PENDING)
    preview = services.round_open_voting_preview(round=selection_round)
    assert preview.possible and preview.choices == []
    assert any("1 nominering" in effect for effect in preview.effects)  # the lapse is said, not silent
    assert services.round_open_voting(round=selection_round) == preview.recipients == 3
    stale.refresh_from_db()
    assert stale.status == Nomination.Status.DECLINED


def test_voting_cannot_open_after_its_period_or_without_candidates(agreement, signatories):
    now = timezone.now()
    selection_round = make_round(
        agreement,
        status=SelectionRound.Status.NOMINATING,
        nomination_opens=now - dt.timedelta(days=20),
        nomination_closes=now - dt.timedelta(days=10),
        voting_opens=now - dt.timedelta(days=9),
        voting_closes=now - dt.timedelta(days=1),
    )
    with pytest.raises(ValidationError) as caught:
        services.round_open_voting(round=selection_round, move_dates=True, lapse_pending=True)
    text = _messages(caught.value)
    assert "Röstningsperioden slutade" in text and "Ingen kandidat har tackat ja" in text


def test_opening_nominations_checks_the_dates_and_that_someone_can_take_part(agreement, signatories):
    now = timezone.now()
    early = make_round(
        agreement, nomination_opens=now + dt.timedelta(days=2), nomination_closes=now + dt.timedelta(days=5)
    )
    with pytest.raises(ValidationError) as caught:
        services.round_open_nominations(round=early)
    assert "öppna dem nu" in _messages(caught.value)
    assert services.round_open_nominations(round=early, move_dates=True, now=now) == 3
    early.refresh_from_db()
    assert early.status == SelectionRound.Status.NOMINATING and early.nomination_opens == now
    assert early.nominations_open_now(now)

    late = _another_round(
        agreement,
        "sent",
        nomination_opens=now - dt.timedelta(days=9),
        nomination_closes=now - dt.timedelta(days=8),
        voting_opens=now - dt.timedelta(days=7),
    )
    with pytest.raises(ValidationError) as caught:
        services.round_open_nominations(round=late, move_dates=True)
    assert "Nomineringsperioden slutade" in _messages(caught.value)


def test_opening_nominations_needs_a_verified_signatory(agreement):
    selection_round = make_round(agreement)
    with pytest.raises(ValidationError) as caught:
        services.round_open_nominations(round=selection_round)
    assert "Ingen organisation" in _messages(caught.value)


def test_voting_goes_back_to_nominations_with_its_dates_and_lapsed_nominations(mid_nominations, signatories):
    organisation, user = signatories[1]
    _nominate(mid_nominations, organisation, user, name="Anna Ja", status=Nomination.Status.ACCEPTED)
    closes_before = mid_nominations.nomination_closes
    services.round_open_voting(round=mid_nominations, move_dates=True, lapse_pending=True)
    queued = OutgoingEmail.objects.count()
    back = services.round_step_back(round=mid_nominations)
    assert back.status == SelectionRound.Status.NOMINATING
    back.refresh_from_db()
    assert back.nomination_closes == closes_before and back.nominations_open_now()
    assert back.nominations.get(candidate_name="Pia Väntar").status == Nomination.Status.PENDING
    assert OutgoingEmail.objects.count() == queued  # nobody is mailed
    assert back.history.first().history_change_reason == "step back"


def test_voting_cannot_go_back_once_an_organisation_has_voted(voting_round, signatories):
    organisation, user = signatories[0]
    BallotCast.objects.create(round=voting_round, organisation=organisation, cast_by=user)
    with pytest.raises(ValidationError) as caught:
        services.round_step_back(round=voting_round)
    assert "redan röstat" in _messages(caught.value)
    voting_round.refresh_from_db()
    assert voting_round.status == SelectionRound.Status.VOTING


def test_nominations_go_back_to_draft_only_while_nobody_has_nominated(mid_nominations, agreement, signatories):
    with pytest.raises(ValidationError):
        services.round_step_back(round=mid_nominations)
    empty = _another_round(agreement, "tom", status=SelectionRound.Status.NOMINATING)
    assert services.round_step_back(round=empty).status == SelectionRound.Status.DRAFT


def test_publish_preview_counts_the_recipients_the_step_mails(voting_round, run_on_commit):
    voting_round = services.round_count(round=voting_round, now=voting_round.voting_closes)
    preview = services.round_publish_preview(round=voting_round)
    assert preview.possible
    with run_on_commit():
        services.round_publish(round=voting_round)
    # three representatives and three candidates
    assert preview.recipients == len(mail.outbox) == 6


# The admin ----------------------------------------------------------------------------------------------


def test_admin_open_voting_shows_a_confirmation_and_does_nothing_without_confirm(
    coordinator_client, mid_nominations, signatories
):
    organisation, user = signatories[1]
    _nominate(mid_nominations, organisation, user, name="Anna Ja", status=Nomination.Status.ACCEPTED)
    response = coordinator_client.post(
        reverse(CHANGELIST), {"action": "open_voting", "_selected_action": [mid_nominations.pk]}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Öppna röstningen" in page
    assert "3 e-postmeddelanden skickas" in page
    assert "1 nominering" in page  # the pending one lapses, and the page says so
    assert 'name="confirm" value="yes"' in page
    assert (
        f'for="id_move_dates-{mid_nominations.pk}"' in page and f'for="id_lapse_pending-{mid_nominations.pk}"' in page
    )
    mid_nominations.refresh_from_db()
    assert mid_nominations.status == SelectionRound.Status.NOMINATING
    assert OutgoingEmail.objects.count() == 0


def test_admin_confirm_without_the_choices_is_refused_with_the_reason(coordinator_client, mid_nominations, signatories):
    organisation, user = signatories[1]
    _nominate(mid_nominations, organisation, user, name="Anna Ja", status=Nomination.Status.ACCEPTED)
    response = coordinator_client.post(
        reverse(CHANGELIST),
        {"action": "open_voting", "_selected_action": [mid_nominations.pk], "confirm": "yes"},
        follow=True,
    )
    assert "Nomineringsperioden pågår till" in response.content.decode()
    mid_nominations.refresh_from_db()
    assert mid_nominations.status == SelectionRound.Status.NOMINATING
    assert OutgoingEmail.objects.count() == 0


def test_admin_confirm_with_the_choices_opens_voting(coordinator_client, mid_nominations, signatories):
    organisation, user = signatories[1]
    _nominate(mid_nominations, organisation, user, name="Anna Ja", status=Nomination.Status.ACCEPTED)
    pk = mid_nominations.pk
    response = coordinator_client.post(
        reverse(CHANGELIST),
        {
            "action": "open_voting",
            "_selected_action": [pk],
            "confirm": "yes",
            f"move_dates-{pk}": "on",
            f"lapse_pending-{pk}": "on",
        },
    )
    assert response.status_code == 302
    mid_nominations.refresh_from_db()
    assert mid_nominations.status == SelectionRound.Status.VOTING
    assert mid_nominations.history.first().history_user.email == "samordnare@example.se"
    assert OutgoingEmail.objects.filter(kind="elections.voting_open").count() == 3


def test_admin_confirmation_page_explains_an_impossible_step_and_offers_no_button(coordinator_client, voting_round):
    response = coordinator_client.post(
        reverse(CHANGELIST), {"action": "publish", "_selected_action": [voting_round.pk]}
    )
    page = response.content.decode()
    assert "kan inte göras nu" in page
    assert 'name="confirm"' not in page


def test_admin_step_back_needs_confirmation(coordinator_client, agreement, signatories):
    selection_round = make_round(agreement, status=SelectionRound.Status.NOMINATING)
    data = {"action": "step_back", "_selected_action": [selection_round.pk]}
    page = coordinator_client.post(reverse(CHANGELIST), data).content.decode()
    assert "kan inte återkallas" in page
    selection_round.refresh_from_db()
    assert selection_round.status == SelectionRound.Status.NOMINATING
    coordinator_client.post(reverse(CHANGELIST), {**data, "confirm": "yes"})
    selection_round.refresh_from_db()
    assert selection_round.status == SelectionRound.Status.DRAFT


def test_admin_withdraw_shows_the_recipients_and_needs_the_reason_and_confirm(coordinator_client, voting_round):
    nomination = voting_round.nominations.first()
    url = reverse("admin:elections_nomination_changelist")
    data = {"action": "withdraw", "_selected_action": [nomination.pk]}
    page = coordinator_client.post(url, data).content.decode()
    assert "1 e-postmeddelande skickas" in page
    coordinator_client.post(url, {**data, "confirm": "yes", "reason": ""})
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.ACCEPTED
    coordinator_client.post(url, {**data, "confirm": "yes", "reason": "Kandidaten har flyttat."})
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.WITHDRAWN


# The pages agree ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("opens", "closes", "label"),
    [(-3, -1, "Röstningen har stängt"), (1, 3, "Röstningen öppnar snart")],
)
def test_a_round_outside_its_voting_dates_offers_no_vote_anywhere(
    client, voting_round, signatories, opens, closes, label
):
    now = timezone.now()
    SelectionRound.objects.filter(pk=voting_round.pk).update(
        voting_opens=now + dt.timedelta(days=opens), voting_closes=now + dt.timedelta(days=closes)
    )
    organisation, user = signatories[0]
    client.force_login(user)
    vote_url = reverse("elections:vote", args=[voting_round.slug, organisation.pk])
    detail = client.get(voting_round.get_absolute_url()).content.decode()
    assert vote_url not in detail
    assert label in detail
    assert "Röstningen är inte öppen" in client.get(vote_url).content.decode()
    assert vote_url not in client.get(reverse("accounts:mypages")).content.decode()


def test_a_round_in_its_voting_dates_offers_the_vote_on_the_round_page(client, voting_round, signatories):
    organisation, user = signatories[0]
    client.force_login(user)
    vote_url = reverse("elections:vote", args=[voting_round.slug, organisation.pk])
    assert vote_url in client.get(voting_round.get_absolute_url()).content.decode()
    assert "Röstningen är inte öppen" not in client.get(vote_url).content.decode()
    assert vote_url in client.get(reverse("accounts:mypages")).content.decode()


def test_dates_that_have_taken_effect_cannot_be_edited_in_the_admin(coordinator_client, voting_round):
    page = coordinator_client.get(reverse("admin:elections_selectionround_change", args=[voting_round.pk]))
    html = page.content.decode()
    assert 'name="voting_closes_0"' in html  # voting may be extended
    assert 'name="voting_opens_0"' not in html and 'name="nomination_closes_0"' not in html
    assert 'name="seats"' not in html


def test_the_admin_list_shows_the_phase_the_public_sees(coordinator_client, voting_round):
    SelectionRound.objects.filter(pk=voting_round.pk).update(voting_closes=timezone.now() - dt.timedelta(hours=1))
    page = coordinator_client.get(reverse(CHANGELIST)).content.decode()
    assert 'field-phase_now">röstningen har stängt, rösterna räknas</td>' in page


def _change_form(selection_round, voting_closes):
    moment = timezone.localtime(voting_closes)
    return {
        "agreement": selection_round.agreement_id,
        "title": selection_round.title,
        "slug": selection_round.slug,
        "working_group": selection_round.working_group,
        "nominations_per_organisation": selection_round.nominations_per_organisation,
        "voting_closes_0": moment.date().isoformat(),
        "voting_closes_1": moment.strftime("%H:%M:%S"),
        "term_start": selection_round.term_start.isoformat(),
        "term_end": selection_round.term_end.isoformat(),
        "nominations-TOTAL_FORMS": "0",
        "nominations-INITIAL_FORMS": "0",
        "nominations-MIN_NUM_FORMS": "0",
        "nominations-MAX_NUM_FORMS": "1000",
    }


def test_open_voting_can_be_extended_in_the_admin_but_not_cut_short(coordinator_client, voting_round):
    url = reverse("admin:elections_selectionround_change", args=[voting_round.pk])
    closes = voting_round.voting_closes.replace(microsecond=0)

    earlier = coordinator_client.post(url, _change_form(voting_round, closes - dt.timedelta(hours=12)))

    assert earlier.status_code == 200
    assert "kan dess slut bara flyttas senare" in earlier.content.decode()
    voting_round.refresh_from_db()
    assert voting_round.voting_closes.replace(microsecond=0) == closes
    later = coordinator_client.post(url, _change_form(voting_round, closes + dt.timedelta(days=2)))
    assert later.status_code == 302
    voting_round.refresh_from_db()
    assert voting_round.voting_closes == closes + dt.timedelta(days=2)


def test_a_nomination_cannot_be_deleted_once_voting_has_opened(coordinator_client, voting_round):
    counted = voting_round.nominations.first()
    assert coordinator_client.get(reverse("admin:elections_nomination_delete", args=[counted.pk])).status_code == 403
    bulk = coordinator_client.post(
        reverse("admin:elections_nomination_changelist"),
        {"action": "delete_selected", "_selected_action": [counted.pk], "post": "yes"},
    )
    assert bulk.status_code == 403 and Nomination.objects.filter(pk=counted.pk).exists()
    # During nominations a coordinator may still remove one (a duplicate, a test).
    early = Nomination.objects.create(
        round=make_round(voting_round.agreement, slug="nomineras", status=SelectionRound.Status.NOMINATING),
        nominating_organisation=counted.nominating_organisation,
        candidate_name="Dubblett",
        candidate_organisation=counted.candidate_organisation,
        candidate_email="dubblett@example.se",
        presentation="P",
    )
    assert coordinator_client.get(reverse("admin:elections_nomination_delete", args=[early.pk])).status_code == 200
