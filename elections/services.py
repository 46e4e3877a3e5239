"""Every write of a selection round: nominations, answers, ballots, the count and the result."""

from __future__ import annotations

import datetime as dt
import logging
import secrets

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import WorkingGroupMember
from organisations.models import Organisation, Representative
from outbox.services import email_queue

from .models import Ballot, BallotCast, BallotChoice, Nomination, SelectionRound, VotingReminder
from .selectors import eligible_organisations, is_eligible, nominations_count

logger = logging.getLogger(__name__)

CANDIDATE_SALT = "elections.candidate"


class AlreadyVotedError(ValidationError):
    """The organisation's ballot is already cast; carries the cast record."""

    def __init__(self, cast: BallotCast):
        self.cast = cast
        super().__init__(_("Your organisation has already voted."), code="already_voted")


# E-mail helpers ---------------------------------------------------------------------------------


def _representatives(organisations) -> list[tuple[str, str | None]]:
    links = (
        Representative.objects.filter(organisation__in=organisations, user__is_active=True)
        .select_related("user")
        .order_by("user__email")
    )
    seen, recipients = set(), []
    for link in links:
        if link.user.email and link.user.email.lower() not in seen:
            seen.add(link.user.email.lower())
            recipients.append((link.user.email, link.user.language or None))
    return recipients


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


def _set_status(round: SelectionRound, status: str, *, allowed_from: tuple[str, ...]) -> SelectionRound:
    if round.status not in allowed_from:
        raise ValidationError(
            _("The round is %(current)s; this step needs it to be %(needed)s.")
            % {
                "current": round.get_status_display(),
                "needed": " / ".join(str(SelectionRound.Status(s).label) for s in allowed_from),
            }
        )
    round.status = status
    round.save(update_fields=["status", "updated_at"])
    return round


@transaction.atomic
def round_open_nominations(*, round: SelectionRound, by=None) -> int:
    """Open the nomination period; the eligible organisations' representatives are told. Returns the mails sent."""
    round = SelectionRound.objects.select_for_update().get(pk=round.pk)
    _set_status(round, SelectionRound.Status.NOMINATING, allowed_from=(SelectionRound.Status.DRAFT,))
    recipients = _representatives(eligible_organisations(round=round))
    return _mail(
        recipients, template="elections/nominations_open", context={"round": round}, kind="elections.nominations_open"
    )


@transaction.atomic
def round_open_voting(*, round: SelectionRound, by=None) -> int:
    """Open voting; every eligible organisation's representatives are told."""
    round = SelectionRound.objects.select_for_update().get(pk=round.pk)
    _set_status(round, SelectionRound.Status.VOTING, allowed_from=(SelectionRound.Status.NOMINATING,))
    # Nominations nobody answered do not stand.
    round.nominations.filter(status=Nomination.Status.PENDING).update(status=Nomination.Status.DECLINED)
    recipients = _representatives(eligible_organisations(round=round))
    return _mail(recipients, template="elections/voting_open", context={"round": round}, kind="elections.voting_open")


@transaction.atomic
def round_count(*, round: SelectionRound, now=None, rng=None) -> SelectionRound:
    """Count the approvals and decide the seats. Idempotent: a counted round is returned as it is.

    Most approvals win; a tie across the last seat is drawn by lot (``secrets`` unless a test
    passes ``rng``) and the draw is recorded on the round for everyone to see.
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


@transaction.atomic
def round_publish(*, round: SelectionRound, now=None) -> SelectionRound:
    """Publish the result: the elected join the working group on the civil-society side; all are told."""
    round = SelectionRound.objects.select_for_update().select_related("agreement").get(pk=round.pk)
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
    round.save(update_fields=["status", "published_at", "updated_at"])
    recipients = _representatives(eligible_organisations(round=round))
    seen = {address.lower() for address, _language in recipients}
    recipients += [
        (n.candidate_email, None)
        for n in round.nominations.filter(status=Nomination.Status.ACCEPTED)
        if n.candidate_email.lower() not in seen
    ]
    _mail(
        recipients,
        template="elections/result_published",
        context={"round": round, "elected": elected},
        kind="elections.result",
    )
    return round


# Nominations ----------------------------------------------------------------------------------------


def _check_acts_for(*, round: SelectionRound, user, organisation: Organisation) -> None:
    if not Representative.objects.filter(user=user, organisation=organisation).exists():
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


@transaction.atomic
def nomination_respond(*, nomination: Nomination, accept: bool, now=None) -> bool:
    """The candidate accepts or declines. Only a waiting nomination in an open period changes: a reused link does nothing."""
    nomination = Nomination.objects.select_for_update().select_related("round").get(pk=nomination.pk)
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


@transaction.atomic
def nomination_withdraw(*, nomination: Nomination, reason: str, by=None) -> Nomination:
    """A coordinator withdraws a nomination with a reason; the nominator is told."""
    nomination = Nomination.objects.select_for_update().select_related("round").get(pk=nomination.pk)
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


def ballot_cast(*, round: SelectionRound, user, organisation: Organisation, nomination_ids, now=None) -> BallotCast:
    """One ballot per organisation: the first representative to submit casts it.

    The cast record (organisation, person, time) and the ballot (random key, the approved
    candidates) are written in one transaction but share nothing. A second ballot — also one
    racing the first from another representative — fails on the unique (round, organisation)
    constraint and raises ``AlreadyVotedError`` with the first cast.
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
    try:
        with transaction.atomic():
            cast = BallotCast.objects.create(round=round, organisation=organisation, cast_by=user, cast_at=now)
            ballot = Ballot.objects.create(round=round)
            BallotChoice.objects.bulk_create([BallotChoice(ballot=ballot, nomination_id=pk) for pk in sorted(valid)])
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
