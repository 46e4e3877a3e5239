"""Every write of a selection round: nominations, answers, ballots, the count and the result."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import uuid

from django.conf import settings
from django.core import signing
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from agreements.models import WorkingGroupMember
from core.admin_confirm import Choice, Preview
from organisations.models import Organisation
from organisations.representation import Recipient, acts_for, merge_recipients, recipients_for
from outbox.services import email_queue

from . import ballots, permissions
from .models import Ballot, BallotCast, BallotChoice, Nomination, SealedBallot, SelectionRound, VotingReminder
from .selectors import eligible_organisations, is_eligible, nominations_count

logger = logging.getLogger(__name__)

CANDIDATE_SALT = "elections.candidate"


class AlreadyVotedError(ValidationError):
    """The organisation's ballot is already cast; carries the cast record."""

    def __init__(self, cast: BallotCast):
        self.cast = cast
        super().__init__(_("Your organisation has already voted."), code="already_voted")


# E-mail helpers ---------------------------------------------------------------------------------


def _representatives(organisations) -> list[Recipient]:
    """Everything about a round is done by the organisations' representatives (nominating, voting):
    its e-mails go to them, never to the contact persons (``organisations.representation``)."""
    return recipients_for(organisations, include_contacts=False)


def _mail(recipients, *, template: str, context: dict, kind: str) -> int:
    for address, language in recipients:
        email_queue(to=address, template=template, context=context, language=language, kind=kind)
    return len(recipients)


# Candidate links ----------------------------------------------------------------------------------


def candidate_token(nomination: Nomination) -> str:
    return signing.dumps({"n": nomination.pk, "e": nomination.candidate_email.lower()}, salt=CANDIDATE_SALT)


def nomination_from_token(token: str) -> Nomination | None:
    """The nomination a candidate link is for; None for a forged, altered or outdated link."""
    max_age = dt.timedelta(days=settings.ELECTIONS_CANDIDATE_LINK_DAYS)
    try:
        data = signing.loads(token, salt=CANDIDATE_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    nomination = Nomination.objects.select_related("round", "candidate_organisation").filter(pk=data.get("n")).first()
    if nomination is None or nomination.candidate_email.lower() != data.get("e"):
        return None
    return nomination


# Round status (coordinators, in the admin) ------------------------------------------------------------
#
# Each step checks its preconditions here, in the service, against the status *and* the dates the
# pages show, so a round can never be "voting" while its vote page says voting is closed:
#
# - open nominations: a draft; the nomination period has not ended; it has begun, or the coordinator
#   chooses to move its start to now; at least one organisation can take part.
# - open voting: nominations are open; at least one candidate has accepted; the voting period has not
#   ended; the nomination period has ended and voting has begun by the dates, or the coordinator
#   chooses to end nominations and start voting now; a nomination still waiting for its candidate
#   while the period runs is cut off only when the coordinator chooses so (past the period's end,
#   nobody can answer it any more, and the confirmation says that it lapses).
# - count: see ``round_count``; publish: a counted round.
# - step back: voting back to nominations while no ballot is cast, nominations back to draft while
#   nobody has nominated. The e-mails already sent cannot be recalled, and the page says so.
#
# Every ``*_preview`` computes, from the same checks and recipient lists as the step, what the admin's
# confirmation page shows (core/admin_confirm.py).


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def round_recipients(*, round: SelectionRound) -> list[Recipient]:
    """Who a round's status e-mails go to: the eligible organisations' representatives, once each."""
    return _representatives(eligible_organisations(round=round))


def result_recipients(*, round: SelectionRound) -> list[Recipient]:
    """Who the published result goes to: the representatives and every standing candidate, once each."""
    candidates = round.nominations.filter(status=Nomination.Status.ACCEPTED).order_by("pk")
    return merge_recipients(
        round_recipients(round=round),
        ((address, None) for address in candidates.values_list("candidate_email", flat=True)),
    )


def _status_problem(round: SelectionRound, *needed: str) -> list[str]:
    if round.status in needed:
        return []
    return [
        _("The round is %(current)s; this step needs it to be %(needed)s.")
        % {
            "current": round.get_status_display(),
            "needed": " / ".join(str(SelectionRound.Status(s).label) for s in needed),
        }
    ]


def _raise(problems: list[str]) -> None:
    if problems:
        raise ValidationError(problems)


MOVE_NOMINATION_START = Choice(
    "move_dates",
    _lazy("Open nominations now instead of on the date set"),
    _lazy("The nomination period then starts now; its end stays as it is."),
)
MOVE_VOTING_START = Choice(
    "move_dates",
    _lazy("End nominations and open voting now instead of on the dates set"),
    _lazy("The nomination period then ends now and the voting period starts now; voting still closes as set."),
)
LAPSE_PENDING = Choice(
    "lapse_pending",
    _lazy("Let the nominations still waiting for the candidate's answer lapse"),
    _lazy("Their candidates can no longer accept, and they do not stand."),
)


def _open_nominations_problems(round: SelectionRound, now, *, move_dates: bool) -> tuple[list[str], list[Choice]]:
    problems = _status_problem(round, SelectionRound.Status.DRAFT)
    choices = []
    if now >= round.nomination_closes:
        problems.append(
            _("The nomination period ended on %(closes)s. Change the round's dates first.")
            % {"closes": _when(round.nomination_closes)}
        )
    elif now < round.nomination_opens:
        choices.append(MOVE_NOMINATION_START)
        if not move_dates:
            problems.append(
                _("Nominations are set to open on %(opens)s. Open them then, or choose to open them now.")
                % {"opens": _when(round.nomination_opens)}
            )
    if not eligible_organisations(round=round).exists():
        problems.append(_("No organisation has a verified signature on the agreement: nobody could nominate or vote."))
    return problems, choices


def round_open_nominations_preview(*, round: SelectionRound, now=None) -> Preview:
    now = now or timezone.now()
    problems, choices = _open_nominations_problems(round, now, move_dates=True)
    recipients = round_recipients(round=round)
    opens = now if now >= round.nomination_opens else round.nomination_opens
    effects = [
        _("Nominations open; signatory organisations can nominate candidates until %(closes)s.")
        % {"closes": _when(round.nomination_closes)},
        _("%(count)s organisation(s) are told by e-mail.") % {"count": eligible_organisations(round=round).count()},
    ]
    if choices:
        effects.append(
            _("Only if you choose so below: the nomination period starts now instead of %(opens)s.")
            % {"opens": _when(opens)}
        )
    return Preview(
        obj=round,
        effects=effects,
        recipients=len(recipients),
        irreversible=[_("The e-mails cannot be recalled once sent.")] if recipients else [],
        problems=problems,
        choices=choices,
    )


@transaction.atomic
def round_open_nominations(*, round: SelectionRound, by=None, now=None, move_dates: bool = False) -> int:
    """Open the nomination period; the eligible organisations' representatives are told. Returns the mails sent.

    With ``move_dates`` the period starts now when it was set to start later.
    """
    round = SelectionRound.objects.select_for_update().get(pk=round.pk)
    now = now or timezone.now()  # read under the lock: an answer that got the lock first came before it
    problems, _choices = _open_nominations_problems(round, now, move_dates=move_dates)
    _raise(problems)
    if now < round.nomination_opens:
        round.nomination_opens = now
    round.status = SelectionRound.Status.NOMINATING
    round._history_user = by
    round.save(update_fields=["status", "nomination_opens", "updated_at"])
    return _mail(
        round_recipients(round=round),
        template="elections/nominations_open",
        context={"round": round},
        kind="elections.nominations_open",
    )


def _open_voting_problems(
    round: SelectionRound, now, *, move_dates: bool, lapse_pending: bool
) -> tuple[list[str], list[Choice]]:
    problems = _status_problem(round, SelectionRound.Status.NOMINATING)
    choices = []
    if now >= round.voting_closes:
        problems.append(
            _("The voting period ended on %(closes)s. Change the round's dates first.")
            % {"closes": _when(round.voting_closes)}
        )
    early = now < round.nomination_closes or now < round.voting_opens
    if early and not problems:
        choices.append(MOVE_VOTING_START)
        if now <= round.nomination_opens:
            problems.append(_("The nomination period has not begun. Change the round's dates first."))
        elif not move_dates:
            if now < round.nomination_closes:
                problems.append(
                    _(
                        "The nomination period runs until %(closes)s. Open voting when it has ended, "
                        "or choose to end it now."
                    )
                    % {"closes": _when(round.nomination_closes)}
                )
            else:
                problems.append(
                    _("Voting is set to open on %(opens)s. Open it then, or choose to open it now.")
                    % {"opens": _when(round.voting_opens)}
                )
    if not round.nominations.filter(status=Nomination.Status.ACCEPTED).exists():
        problems.append(_("No candidate has accepted a nomination: there is nobody to vote for."))
    pending = round.nominations.filter(status=Nomination.Status.PENDING).count()
    if pending and now < round.nomination_closes:
        choices.append(LAPSE_PENDING)
        if not lapse_pending:
            problems.append(
                _(
                    "%(count)s nomination(s) still wait for the candidate's answer, and the nomination period "
                    "is not over. Choose to let them lapse, or wait until the period has ended."
                )
                % {"count": pending}
            )
    return problems, choices


def round_open_voting_preview(*, round: SelectionRound, now=None) -> Preview:
    now = now or timezone.now()
    problems, choices = _open_voting_problems(round, now, move_dates=True, lapse_pending=True)
    recipients = round_recipients(round=round)
    accepted = round.nominations.filter(status=Nomination.Status.ACCEPTED).count()
    pending = round.nominations.filter(status=Nomination.Status.PENDING).count()
    effects = [
        _("Voting opens until %(closes)s. Candidates who accepted and stand: %(count)s; they are shown publicly.")
        % {"closes": _when(round.voting_closes), "count": accepted},
        _("%(count)s organisation(s) are told by e-mail.") % {"count": eligible_organisations(round=round).count()},
    ]
    if MOVE_VOTING_START in choices:
        effects.append(
            _("Only if you choose so below: nominations end now instead of %(closes)s and voting opens now.")
            % {"closes": _when(round.nomination_closes)}
        )
    if pending:
        effects.append(
            _("%(count)s nomination(s) not answered by the candidate lapse and do not stand.") % {"count": pending}
        )
    return Preview(
        obj=round,
        effects=effects,
        recipients=len(recipients),
        irreversible=[
            _(
                "The e-mails cannot be recalled once sent. The round can go back to nominations only while "
                "no organisation has voted."
            )
        ],
        problems=problems,
        choices=choices,
    )


@transaction.atomic
def round_open_voting(
    *, round: SelectionRound, by=None, now=None, move_dates: bool = False, lapse_pending: bool = False
) -> int:
    """Open voting; every eligible organisation's representatives are told. Returns the mails sent.

    ``move_dates`` ends the nomination period and starts the voting period now when the dates set
    them later; ``lapse_pending`` lets nominations still waiting for their candidate lapse while the
    period runs. Nominations nobody answered do not stand (they are marked declined without an answer
    time, which is how ``round_step_back`` knows them).
    """
    round = SelectionRound.objects.select_for_update().get(pk=round.pk)
    now = now or timezone.now()  # read under the lock: an answer that got the lock first came before it
    problems, _choices = _open_voting_problems(round, now, move_dates=move_dates, lapse_pending=lapse_pending)
    _raise(problems)
    round.nomination_closes = min(round.nomination_closes, now)
    round.voting_opens = min(round.voting_opens, now)
    round.status = SelectionRound.Status.VOTING
    round._history_user = by
    round.save(update_fields=["status", "nomination_closes", "voting_opens", "updated_at"])
    for nomination in round.nominations.filter(status=Nomination.Status.PENDING):
        nomination.status = Nomination.Status.DECLINED
        nomination._history_user = by
        nomination._change_reason = "lapsed: voting opened"
        nomination.save(update_fields=["status"])
    return _mail(
        round_recipients(round=round),
        template="elections/voting_open",
        context={"round": round},
        kind="elections.voting_open",
    )


def _step_back_problems(round: SelectionRound) -> list[str]:
    if round.status == SelectionRound.Status.VOTING:
        if round.casts.exists():
            return [_("Organisations have already voted: the round cannot go back to nominations.")]
        return []
    if round.status == SelectionRound.Status.NOMINATING:
        if round.nominations.exists():
            return [_("Organisations have already nominated: the round cannot go back to draft.")]
        return []
    return [
        _("A round that is %(current)s cannot be taken back: its result is counted or published.")
        % {"current": round.get_status_display()}
    ]


def round_step_back_preview(*, round: SelectionRound, now=None) -> Preview:
    problems = _step_back_problems(round)
    if round.status == SelectionRound.Status.VOTING:
        lapsed = round.nominations.filter(status=Nomination.Status.DECLINED, responded_at__isnull=True).count()
        effects = [
            _("The round goes back to nominations, with the dates it had before voting opened."),
            _("%(count)s nomination(s) that lapsed when voting opened wait for the candidate's answer again.")
            % {"count": lapsed},
        ]
    else:
        effects = [_("The round goes back to draft and is no longer shown publicly.")]
    return Preview(
        obj=round,
        effects=effects,
        recipients=0,
        irreversible=[
            _(
                "Nobody is told. The e-mail the organisations got when the step was taken cannot be recalled: "
                "tell them yourself if needed."
            )
        ],
        problems=problems,
    )


def _dates_before(round: SelectionRound, status: str) -> dict:
    """The round's dates as they were the last time it had ``status`` (from its history)."""
    record = round.history.filter(status=status).order_by("-history_date", "-history_id").first()
    if record is None:
        return {}
    return {
        "nomination_opens": record.nomination_opens,
        "nomination_closes": record.nomination_closes,
        "voting_opens": record.voting_opens,
    }


@transaction.atomic
def round_step_back(*, round: SelectionRound, by=None, now=None) -> SelectionRound:
    """Take a wrong step back where nothing irreversible followed it.

    Voting goes back to nominations while no organisation has voted (the dates the step moved are
    restored from the history, and nominations that lapsed when voting opened wait again); nominations
    go back to draft while nobody has nominated. Nobody is mailed; the step is in the round's history.
    """
    round = SelectionRound.objects.select_for_update().get(pk=round.pk)
    _raise(_step_back_problems(round))
    if round.status == SelectionRound.Status.VOTING:
        for name, value in _dates_before(round, SelectionRound.Status.NOMINATING).items():
            setattr(round, name, value)
        round.status = SelectionRound.Status.NOMINATING
        for nomination in round.nominations.filter(status=Nomination.Status.DECLINED, responded_at__isnull=True):
            nomination.status = Nomination.Status.PENDING
            nomination._history_user = by
            nomination._change_reason = "back to nominations"
            nomination.save(update_fields=["status"])
    else:
        for name, value in _dates_before(round, SelectionRound.Status.DRAFT).items():
            setattr(round, name, value)
        round.status = SelectionRound.Status.DRAFT
    round._history_user = by
    round._change_reason = "step back"
    round.save()
    return round


def round_count_preview(*, round: SelectionRound, now=None) -> Preview:
    """What the count does (its checks are ``round_count``'s own): nobody is mailed, nothing is published."""
    now = now or timezone.now()
    problems = _status_problem(round, SelectionRound.Status.VOTING)
    if not problems and now < round.voting_closes:
        problems.append(
            _("Voting has not closed yet: the round is counted after %(closes)s.")
            % {"closes": _when(round.voting_closes)}
        )
    return Preview(
        obj=round,
        effects=[
            _("The approvals are counted and the seats decided; nothing is published and nobody is told yet."),
            _("%(voted)s organisation(s) have voted.") % {"voted": round.casts.count()},
        ],
        recipients=0,
        irreversible=[_("A tie at the last seat is drawn by lot now, and the draw is recorded for everyone to see.")],
        problems=problems,
    )


def round_publish_preview(*, round: SelectionRound, now=None) -> Preview:
    problems = _status_problem(round, SelectionRound.Status.COUNTED)
    recipients = result_recipients(round=round)
    elected = round.nominations.filter(elected=True).count()
    return Preview(
        obj=round,
        effects=[
            _("The result is published on the round's page.")
            + " "
            + _("%(count)s elected candidate(s) join %(group)s.") % {"count": elected, "group": round.working_group},
            _("The representatives of the signatory organisations and every candidate are told by e-mail."),
        ],
        recipients=len(recipients),
        irreversible=[_("The result is public and the e-mails cannot be recalled.")],
        problems=problems,
    )


@transaction.atomic
def round_count(*, round: SelectionRound, now=None, rng=None, shuffle_rng=None) -> SelectionRound:
    """Open the sealed ballots, count the approvals and decide the seats. Idempotent: a counted
    round is returned as it is.

    The boxes are opened, shuffled (``secrets`` unless a test passes ``shuffle_rng``) and stored as
    ballots with fresh random keys, and the boxes deleted, all in this one transaction
    (``_open_sealed_ballots``). Most approvals win; a tie across the last seat is drawn by lot
    (``secrets`` unless a test passes ``rng``) and the draw is recorded on the round for everyone to see.
    """
    round = SelectionRound.objects.select_for_update().get(pk=round.pk)
    if round.status in (SelectionRound.Status.COUNTED, SelectionRound.Status.PUBLISHED):
        return round
    if round.status != SelectionRound.Status.VOTING:
        raise ValidationError(_("Only a round in its voting period can be counted."))
    now = now or timezone.now()
    if now < round.voting_closes:
        raise ValidationError(
            _("Voting has not closed yet: the round is counted after %(closes)s.")
            % {"closes": timezone.localtime(round.voting_closes).strftime("%Y-%m-%d %H:%M")}
        )
    _open_sealed_ballots(round=round, rng=shuffle_rng)
    candidates = list(
        round.nominations.filter(status=Nomination.Status.ACCEPTED)
        .annotate(count=Count("ballot_choices"))
        .order_by("-count", "candidate_name", "pk")
    )
    for candidate in candidates:
        candidate.approvals = candidate.count
        candidate.elected = False
        candidate.drawn_by_lot = False
    seats = round.seats
    draw_record = ""
    if len(candidates) <= seats:
        winners = candidates
    else:
        cutoff = candidates[seats - 1].approvals
        above = [c for c in candidates if c.approvals > cutoff]
        tied = [c for c in candidates if c.approvals == cutoff]
        free = seats - len(above)
        if len(tied) > free:
            chooser = rng or secrets.SystemRandom()
            drawn = chooser.sample(tied, free)
            for candidate in drawn:
                candidate.drawn_by_lot = True
            winners = above + drawn
            draw_record = _(
                "%(count)s candidates had %(approvals)s approvals each for the last %(free)s seat(s): %(tied)s. "
                "Drawn by lot on %(when)s: %(drawn)s."
            ) % {
                "count": len(tied),
                "approvals": cutoff,
                "free": free,
                "tied": ", ".join(c.candidate_name for c in tied),
                "when": timezone.localtime(now).strftime("%Y-%m-%d %H:%M"),
                "drawn": ", ".join(c.candidate_name for c in drawn),
            }
        else:
            winners = above + tied
    for candidate in winners:
        candidate.elected = True
    Nomination.objects.bulk_update(candidates, ["approvals", "elected", "drawn_by_lot"])
    round.status = SelectionRound.Status.COUNTED
    round.counted_at = now
    round.draw_record = draw_record
    round.save(update_fields=["status", "counted_at", "draw_record", "updated_at"])
    return round


def _open_sealed_ballots(*, round: SelectionRound, rng=None) -> int:
    """Turn the round's sealed ballots into plain ballots that pair with no cast. Returns how many.

    Every box is opened before anything is written: one that does not open stops the count (a vote
    is never dropped). The contents are shuffled and written with new random keys in one statement
    per table, inside the count's transaction, so every stored ballot carries the count's
    transaction id and lies in random order; the boxes, which carry the casts' transaction ids, are
    deleted in the same transaction. Runs with the round locked (``round_count``).
    """
    sealed = list(SealedBallot.objects.filter(round=round).only("id", "box"))
    casts = round.casts.count()
    stored = len(sealed) + round.ballots.count()
    if stored != casts:
        logger.error("elections: round %s has %s cast records but %s ballots; not counted", round.pk, casts, stored)
        raise ValidationError(
            _(
                "%(casts)s organisations have voted but %(ballots)s ballots are stored, so the round is not counted "
                "and nothing was changed. Ask the portal's operators to look into it."
            )
            % {"casts": casts, "ballots": stored}
        )
    if not sealed:
        return 0
    try:
        if not round.ballot_public_key:
            raise ballots.BallotKeyError(f"round {round.pk} has sealed ballots but no ballot key")
        key = ballots.key_for_round(round.pk, round.ballot_public_key)
        contents = [ballots.open_box(box.box, private_key=key.private) for box in sealed]
    except (ballots.BallotKeyError, ballots.BallotOpenError) as exc:
        logger.error("elections: the sealed ballots of round %s do not open: %s", round.pk, exc)
        raise ValidationError(
            _(
                "The round's sealed ballots cannot be opened with the ballot key in the server's environment "
                "(ELECTIONS_BALLOT_KEY), so the round is not counted and nothing was changed. Restore the key "
                "the ballots were sealed with and count again."
            ),
            code="ballot_key",
        ) from exc
    known = set(round.nominations.values_list("pk", flat=True))
    unknown = sum(1 for ids in contents for pk in ids if pk not in known)
    if unknown:
        # Only a nomination deleted since the vote: its approvals had nobody left to count for.
        logger.warning("elections: round %s: %s approvals of nominations that no longer exist", round.pk, unknown)
    (rng or secrets.SystemRandom()).shuffle(contents)
    opened = [Ballot(id=uuid.uuid4(), round=round) for _ids in contents]
    Ballot.objects.bulk_create(opened)
    BallotChoice.objects.bulk_create(
        [
            BallotChoice(id=uuid.uuid4(), ballot=ballot, nomination_id=pk)
            for ballot, ids in zip(opened, contents, strict=True)
            for pk in ids
            if pk in known
        ]
    )
    SealedBallot.objects.filter(pk__in=[box.pk for box in sealed]).delete()
    return len(opened)


@transaction.atomic
def round_publish(*, round: SelectionRound, now=None, by=None) -> SelectionRound:
    """Publish the result: the elected join the working group on the civil-society side; all are told.

    Needs a counted round (a published one is returned as it is, mailing nobody again).
    """
    round = SelectionRound.objects.select_for_update(of=("self",)).select_related("agreement").get(pk=round.pk)
    if round.status == SelectionRound.Status.PUBLISHED:
        return round
    if round.status != SelectionRound.Status.COUNTED:
        raise ValidationError(_("Count the round before publishing its result."))
    elected = list(
        round.nominations.filter(elected=True).select_related("candidate_organisation").order_by("candidate_name")
    )
    order_start = (round.agreement.working_group.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    for offset, nomination in enumerate(elected):
        WorkingGroupMember.objects.update_or_create(
            agreement=round.agreement,
            name=nomination.candidate_name,
            side=WorkingGroupMember.Side.CIVIL_SOCIETY,
            defaults={
                "affiliation": nomination.candidate_organisation.name,
                "term_start": round.term_start,
                "term_end": round.term_end,
                "order": order_start + offset,
            },
        )
    round.status = SelectionRound.Status.PUBLISHED
    round.published_at = now or timezone.now()
    round._history_user = by
    round.save(update_fields=["status", "published_at", "updated_at"])
    _mail(
        result_recipients(round=round),
        template="elections/result_published",
        context={"round": round, "elected": elected},
        kind="elections.result",
    )
    return round


# Nominations ----------------------------------------------------------------------------------------


def _check_acts_for(*, round: SelectionRound, user, organisation: Organisation) -> None:
    if permissions.takes_part(user, round, organisation):
        return
    if not acts_for(user, organisation):
        raise PermissionDenied(_("You do not represent this organisation."))
    if not is_eligible(round=round, organisation=organisation):
        raise PermissionDenied(_("Only organisations that have signed the agreement take part in the round."))


@transaction.atomic
def nomination_create(
    *,
    round: SelectionRound,
    user,
    nominating_organisation: Organisation,
    candidate_organisation: Organisation,
    candidate_name: str,
    candidate_title: str = "",
    candidate_email: str,
    presentation: str,
    now=None,
) -> Nomination:
    """A representative nominates a person; the candidate gets a link to accept or decline."""
    round = SelectionRound.objects.select_for_update().get(pk=round.pk)
    if not round.nominations_open_now(now):
        raise ValidationError(_("Nominations are not open in this round."))
    _check_acts_for(round=round, user=user, organisation=nominating_organisation)
    if not is_eligible(round=round, organisation=candidate_organisation):
        raise ValidationError(
            {"candidate_organisation": _("The candidate's organisation must be one that has signed the agreement.")}
        )
    if nominations_count(round=round, organisation=nominating_organisation) >= round.nominations_per_organisation:
        raise ValidationError(
            _("Your organisation has already made %(count)s nomination(s), the most this round allows.")
            % {"count": round.nominations_per_organisation}
        )
    if (
        round.nominations.filter(candidate_email__iexact=candidate_email)
        .exclude(status__in=[Nomination.Status.DECLINED, Nomination.Status.WITHDRAWN])
        .exists()
    ):
        raise ValidationError({"candidate_email": _("This person is already nominated in this round.")})
    _check_candidate_email_limits(user=user, candidate_email=candidate_email)
    nomination = Nomination.objects.create(
        round=round,
        nominating_organisation=nominating_organisation,
        nominated_by=user,
        candidate_name=candidate_name,
        candidate_title=candidate_title,
        candidate_organisation=candidate_organisation,
        candidate_email=candidate_email,
        presentation=presentation,
    )
    email_queue(
        to=candidate_email,
        template="elections/candidate_asked",
        context={"nomination": nomination, "round": round, "token": candidate_token(nomination)},
        kind="elections.candidate_asked",
    )
    return nomination


def _check_candidate_email_limits(*, user, candidate_email: str) -> None:
    """Every nomination e-mails the address typed: a person may cause only so many such e-mails an
    hour, and an address is asked at most once in ELECTIONS_CANDIDATE_EMAIL_INTERVAL_HOURS, whoever
    asks (in any round). Counted from the nominations themselves, so it holds across processes."""
    now = timezone.now()
    per_hour = settings.ELECTIONS_CANDIDATE_EMAILS_PER_USER_HOUR
    if Nomination.objects.filter(nominated_by=user, created_at__gte=now - dt.timedelta(hours=1)).count() >= per_hour:
        raise ValidationError(
            _("You have made %(count)s nominations in the last hour, the most allowed. Try again later.")
            % {"count": per_hour},
            code="nominations_per_hour",
        )
    hours = settings.ELECTIONS_CANDIDATE_EMAIL_INTERVAL_HOURS
    if Nomination.objects.filter(
        candidate_email__iexact=candidate_email, created_at__gte=now - dt.timedelta(hours=hours)
    ).exists():
        raise ValidationError(
            {
                "candidate_email": ValidationError(
                    _("This address was asked to stand less than %(hours)s hours ago. Try again later.")
                    % {"hours": hours},
                    code="candidate_asked_recently",
                )
            }
        )


def _lock_nomination(nomination: Nomination) -> Nomination:
    """Lock the round, then the nomination: the order of every write to a round and its nominations
    (a ``select_related("round")`` under ``select_for_update`` locked the nomination before the round
    and could deadlock with a status step that locks the round and then its nominations)."""
    round_id = Nomination.objects.values_list("round_id", flat=True).get(pk=nomination.pk)
    SelectionRound.objects.select_for_update().get(pk=round_id)
    return Nomination.objects.select_for_update(of=("self",)).select_related("round").get(pk=nomination.pk)


@transaction.atomic
def nomination_respond(*, nomination: Nomination, accept: bool, now=None) -> bool:
    """The candidate accepts or declines. Only a waiting nomination in an open period changes: a reused link does nothing."""
    nomination = _lock_nomination(nomination)
    if nomination.status != Nomination.Status.PENDING or not nomination.round.nominations_open_now(now):
        return False
    nomination.status = Nomination.Status.ACCEPTED if accept else Nomination.Status.DECLINED
    nomination.responded_at = now or timezone.now()
    nomination.save(update_fields=["status", "responded_at"])
    if nomination.nominated_by and nomination.nominated_by.email:
        email_queue(
            to=nomination.nominated_by.email,
            template="elections/candidate_answered",
            context={"nomination": nomination, "round": nomination.round},
            language=nomination.nominated_by.language or None,
            kind="elections.candidate_answered",
        )
    return True


def nomination_withdraw_preview(*, nomination: Nomination) -> Preview:
    problems = []
    if nomination.status == Nomination.Status.WITHDRAWN:
        problems.append(_("The nomination is already withdrawn."))
    if nomination.round.status in (SelectionRound.Status.COUNTED, SelectionRound.Status.PUBLISHED):
        problems.append(_("The round is already counted."))
    recipients = _representatives([nomination.nominating_organisation])
    effects = [_("The nomination is withdrawn: %(name)s does not stand.") % {"name": nomination.candidate_name}]
    if nomination.round.status == SelectionRound.Status.VOTING:
        effects.append(_("Voting is open: approvals already given to the candidate are not counted."))
    effects.append(_("The nominating organisation is told, with the reason."))
    return Preview(
        obj=nomination,
        effects=effects,
        recipients=len(recipients),
        irreversible=[_("The e-mail cannot be recalled once sent.")] if recipients else [],
        problems=problems,
    )


@transaction.atomic
def nomination_withdraw(*, nomination: Nomination, reason: str, by=None) -> Nomination:
    """A coordinator withdraws a nomination with a reason; the nominator is told."""
    nomination = _lock_nomination(nomination)
    if not reason.strip():
        raise ValidationError(_("Give a reason: the nominating organisation is told."))
    if nomination.status == Nomination.Status.WITHDRAWN:
        return nomination
    if nomination.round.status in (SelectionRound.Status.COUNTED, SelectionRound.Status.PUBLISHED):
        raise ValidationError(_("The round is already counted."))
    nomination.status = Nomination.Status.WITHDRAWN
    nomination.withdrawal_reason = reason.strip()
    nomination.save(update_fields=["status", "withdrawal_reason"])
    recipients = _representatives([nomination.nominating_organisation])
    _mail(
        recipients,
        template="elections/nomination_withdrawn",
        context={"nomination": nomination, "round": nomination.round},
        kind="elections.nomination_withdrawn",
    )
    return nomination


# Voting -------------------------------------------------------------------------------------------------


def _sealing_key(round: SelectionRound) -> ballots.RoundKey:
    """The round's ballot key; the first vote of a round stores its public half on the round.

    Only a key the environment can derive is used (``ballots.key_for_round``): if the stored public
    key belongs to none, the vote is refused rather than sealed to a key nobody here can open.
    """
    try:
        key = ballots.key_for_round(round.pk, "")
        SelectionRound.objects.filter(pk=round.pk, ballot_public_key="").update(ballot_public_key=key.public_b64)
        stored = SelectionRound.objects.values_list("ballot_public_key", flat=True).get(pk=round.pk)
        return ballots.key_for_round(round.pk, stored)
    except (ballots.BallotKeyError, ImproperlyConfigured) as exc:
        logger.error("elections: no ballot key for round %s: %s", round.pk, exc)
        raise ValidationError(
            _(
                "Votes cannot be received right now because of a fault in the portal's ballot key. Nothing was "
                "recorded; please tell the coordinators."
            ),
            code="ballot_key",
        ) from exc


def ballot_cast(*, round: SelectionRound, user, organisation: Organisation, nomination_ids, now=None) -> BallotCast:
    """One ballot per organisation: the first representative to submit casts it.

    The cast record (organisation, person, time) and the ballot are written in one transaction, so
    in PostgreSQL they share a transaction id: the ballot is therefore sealed to the round's public
    key (``ballots.seal``), padded to the same length whatever it approves, and only the count opens
    it. A second ballot — also one racing the first from another representative — fails on the
    unique (round, organisation) constraint and raises ``AlreadyVotedError`` with the first cast.
    """
    now = now or timezone.now()
    if not round.voting_open_now(now):
        raise ValidationError(_("Voting is not open in this round."))
    _check_acts_for(round=round, user=user, organisation=organisation)
    chosen = set(int(pk) for pk in nomination_ids)
    if len(chosen) > round.seats:
        raise ValidationError(
            {
                "candidates": _("Approve at most %(seats)s candidates (you chose %(count)s).")
                % {"seats": round.seats, "count": len(chosen)}
            }
        )
    valid = set(round.nominations.filter(status=Nomination.Status.ACCEPTED, pk__in=chosen).values_list("pk", flat=True))
    if valid != chosen:
        raise ValidationError({"candidates": _("Choose only among the candidates who stand.")})
    key = _sealing_key(round)
    try:
        with transaction.atomic():
            # The count locks the round before it reads the boxes: holding the round here makes a
            # cast either land before the count (and be counted) or see the round counted (and be
            # refused), never be stored in a round that was counted without it.
            locked = SelectionRound.objects.select_for_update(no_key=True).get(pk=round.pk)
            if not locked.voting_open_now(now):
                raise ValidationError(_("Voting is not open in this round."))
            box = ballots.seal(valid, public_key=key.public, seats=locked.seats)
            cast = BallotCast.objects.create(round=locked, organisation=organisation, cast_by=user, cast_at=now)
            SealedBallot.objects.create(round=locked, box=box)
    except IntegrityError:
        existing = BallotCast.objects.select_related("cast_by").filter(round=round, organisation=organisation).first()
        if existing is None:
            raise
        raise AlreadyVotedError(existing) from None
    return cast


def voting_reminders_send(*, now=None) -> int:
    """Two days before voting closes, remind each eligible organisation that has not voted, once."""
    now = now or timezone.now()
    window = dt.timedelta(days=settings.ELECTIONS_REMINDER_DAYS)
    sent = 0
    rounds = SelectionRound.objects.filter(
        status=SelectionRound.Status.VOTING,
        voting_opens__lte=now,
        voting_closes__gt=now,
        voting_closes__lte=now + window,
    )
    for selection_round in rounds:
        voted = selection_round.casts.values("organisation_id")
        reminded = selection_round.reminders.values("organisation_id")
        for organisation in (
            eligible_organisations(round=selection_round).exclude(pk__in=voted).exclude(pk__in=reminded)
        ):
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        VotingReminder.objects.create(round=selection_round, organisation=organisation)
                except IntegrityError:
                    continue  # another run got there first
                sent += (
                    _mail(
                        _representatives([organisation]),
                        template="elections/voting_reminder",
                        context={"round": selection_round, "organisation": organisation},
                        kind="elections.voting_reminder",
                    )
                    and 1
                )
    return sent
