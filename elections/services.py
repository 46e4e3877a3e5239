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

from agreements.models import WorkingGroupMember
from organisations.models import Organisation, Representative
from outbox.services import email_queue

from . import ballots
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
