"""Nominations: a representative nominates a person, the candidate answers by a signed link, a coordinator may withdraw it."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from core.admin_confirm import Preview
from organisations.models import Organisation
from outbox.services import email_queue

from ..models import Nomination, SelectionRound
from ..selectors import is_eligible, nominations_count
from .guards import check_acts_for
from .recipients import mail_each, representatives

CANDIDATE_SALT = "elections.candidate"


def _email_digest(email: str) -> str:
    return salted_hmac(CANDIDATE_SALT, email.lower()).hexdigest()[:16]


def candidate_token(nomination: Nomination) -> str:
    """The candidate's link: the nomination and a keyed digest of the candidate's address, which binds the link
    to the address it was sent to (a corrected address voids it). Signed, not encrypted: the address itself is
    never in it, nor in the server's and browsers' logs of the link."""
    return signing.dumps({"n": nomination.pk, "d": _email_digest(nomination.candidate_email)}, salt=CANDIDATE_SALT)


def nomination_from_token(token: str) -> Nomination | None:
    """The nomination a candidate link is for; None for a forged, altered or outdated link. A link sent before
    links carried the digest (the address itself, "e") is honoured until it expires."""
    max_age = dt.timedelta(days=settings.ELECTIONS_CANDIDATE_LINK_DAYS)
    try:
        data = signing.loads(token, salt=CANDIDATE_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    nomination = Nomination.objects.select_related("round", "candidate_organisation").filter(pk=data.get("n")).first()
    if nomination is None:
        return None
    if "d" in data:
        matches = constant_time_compare(_email_digest(nomination.candidate_email), str(data["d"]))
    else:
        matches = nomination.candidate_email.lower() == data.get("e")
    return nomination if matches else None


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
    check_acts_for(round=round, user=user, organisation=nominating_organisation)
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
    recipients = representatives([nomination.nominating_organisation])
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
    recipients = representatives([nomination.nominating_organisation])
    mail_each(
        recipients,
        template="elections/nomination_withdrawn",
        context={"nomination": nomination, "round": nomination.round},
        kind="elections.nomination_withdrawn",
    )
    return nomination
