"""A round's status steps (coordinators, in the admin) and what their confirmation pages show.

Each step checks its preconditions here, in the service, against the status *and* the dates the
pages show, so a round can never be "voting" while its vote page says voting is closed:

- open nominations: a draft; the nomination period has not ended; it has begun, or the coordinator
  chooses to move its start to now; at least one organisation can take part.
- open voting: nominations are open; at least one candidate has accepted; the voting period has not
  ended; the nomination period has ended and voting has begun by the dates, or the coordinator
  chooses to end nominations and start voting now; a nomination still waiting for its candidate
  while the period runs is cut off only when the coordinator chooses so (past the period's end,
  nobody can answer it any more, and the confirmation says that it lapses).
- count: see ``voting.round_count``; publish: a counted round.
- step back: voting back to nominations while no ballot is cast, nominations back to draft while
  nobody has nominated. The e-mails already sent cannot be recalled, and the page says so.

Every ``*_preview`` computes, from the same checks and recipient lists as the step, what the admin's
confirmation page shows (core/admin_confirm.py).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from agreements.models import WorkingGroupMember
from core.admin_confirm import Choice, Preview

from ..models import Nomination, SelectionRound
from ..selectors import eligible_organisations
from .events import round_emit
from .guards import raise_problems, status_problem, when
from .recipients import mail_each, result_recipients, round_recipients

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
    problems = status_problem(round, SelectionRound.Status.DRAFT)
    choices = []
    if now >= round.nomination_closes:
        problems.append(
            _("The nomination period ended on %(closes)s. Change the round's dates first.")
            % {"closes": when(round.nomination_closes)}
        )
    elif now < round.nomination_opens:
        choices.append(MOVE_NOMINATION_START)
        if not move_dates:
            problems.append(
                _("Nominations are set to open on %(opens)s. Open them then, or choose to open them now.")
                % {"opens": when(round.nomination_opens)}
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
        % {"closes": when(round.nomination_closes)},
        _("%(count)s organisation(s) are told by e-mail.") % {"count": eligible_organisations(round=round).count()},
    ]
    if choices:
        effects.append(
            _("Only if you choose so below: the nomination period starts now instead of %(opens)s.")
            % {"opens": when(opens)}
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
    raise_problems(problems)
    if now < round.nomination_opens:
        round.nomination_opens = now
    round.status = SelectionRound.Status.NOMINATING
    round._history_user = by
    round.save(update_fields=["status", "nomination_opens", "updated_at"])
    round_emit("elections.nominations_opened", round)
    return mail_each(
        round_recipients(round=round),
        template="elections/nominations_open",
        context={"round": round},
        kind="elections.nominations_open",
    )


def _open_voting_problems(
    round: SelectionRound, now, *, move_dates: bool, lapse_pending: bool
) -> tuple[list[str], list[Choice]]:
    problems = status_problem(round, SelectionRound.Status.NOMINATING)
    choices = []
    if now >= round.voting_closes:
        problems.append(
            _("The voting period ended on %(closes)s. Change the round's dates first.")
            % {"closes": when(round.voting_closes)}
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
                    % {"closes": when(round.nomination_closes)}
                )
            else:
                problems.append(
                    _("Voting is set to open on %(opens)s. Open it then, or choose to open it now.")
                    % {"opens": when(round.voting_opens)}
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
        % {"closes": when(round.voting_closes), "count": accepted},
        _("%(count)s organisation(s) are told by e-mail.") % {"count": eligible_organisations(round=round).count()},
    ]
    if MOVE_VOTING_START in choices:
        effects.append(
            _("Only if you choose so below: nominations end now instead of %(closes)s and voting opens now.")
            % {"closes": when(round.nomination_closes)}
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
    raise_problems(problems)
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
    round_emit("elections.voting_opened", round)
    return mail_each(
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
    raise_problems(_step_back_problems(round))
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
    problems = status_problem(round, SelectionRound.Status.VOTING)
    if not problems and now < round.voting_closes:
        problems.append(
            _("Voting has not closed yet: the round is counted after %(closes)s.")
            % {"closes": when(round.voting_closes)}
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
    problems = status_problem(round, SelectionRound.Status.COUNTED)
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
    round_emit("elections.result_published", round)
    mail_each(
        result_recipients(round=round),
        template="elections/result_published",
        context={"round": round, "elected": elected},
        kind="elections.result",
    )
    return round
