"""A challenge's status steps (coordinators, in the admin) and what their confirmation pages show.

Each step checks its preconditions here (the status it starts from; a reason or an outcome where one
is told or shown) and each ``*_preview`` computes, from the same checks and recipient lists, what the
admin's confirmation page shows (core/admin_confirm.py). A step that mailed nobody (start, conclude)
can be taken back with ``challenge_step_back``; accept and decline mailed the raiser.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.admin_confirm import Preview
from core.events import emit

from ..cache import pages_changed
from ..models import Challenge
from .recipients import mail_context, mail_users, raiser_recipients, raisers
from .rights import require_coordinator

STEP_BACK = {
    Challenge.Status.IN_PROGRESS: Challenge.Status.ACCEPTED,
    Challenge.Status.CONCLUDED: Challenge.Status.IN_PROGRESS,
}


def _status_problems(challenge: Challenge, allowed_from, to: str) -> list[str]:
    if challenge.status in allowed_from:
        return []
    return [
        _("A challenge that is %(status)s cannot be moved to %(target)s.")
        % {"status": challenge.get_status_display(), "target": Challenge.Status(to).label}
    ]


def _transition(challenge: Challenge, allowed_from, to: str) -> Challenge:
    locked = Challenge.objects.select_for_update().get(pk=challenge.pk)
    problems = _status_problems(locked, allowed_from, to)
    if problems:
        raise ValidationError(problems[0], code="wrong_status")
    locked.status = to
    return locked


def challenge_accept_preview(*, challenge: Challenge) -> Preview:
    recipients = raiser_recipients(challenge=challenge)
    return Preview(
        obj=challenge,
        effects=[
            _("The challenge is accepted and published: everyone can see it and organisations can join."),
            _("The raiser is told by e-mail."),
        ],
        recipients=len(recipients),
        irreversible=[_("The e-mail to the raiser cannot be recalled; the challenge cannot go back to proposed.")],
        problems=_status_problems(challenge, [Challenge.Status.PROPOSED], Challenge.Status.ACCEPTED),
    )


def challenge_accept(*, challenge: Challenge, by) -> Challenge:
    """A coordinator accepts a proposed challenge: it is public from now on and the raiser is told."""
    require_coordinator(by)
    with transaction.atomic():
        challenge = _transition(challenge, [Challenge.Status.PROPOSED], Challenge.Status.ACCEPTED)
        challenge.accepted_at = timezone.now()
        challenge.published = True
        if challenge.contact_coordinator_id is None and by is not None:
            challenge.contact_coordinator = by
        challenge._history_user = by
        challenge.save()
        mail_users(
            raisers(challenge),
            template="challenges/accepted",
            context=mail_context(challenge),
            kind="challenges.accepted",
        )
        pages_changed()
        emit(
            "challenges.accepted",
            obj=challenge,
            title=challenge.title,
            url=challenge.get_absolute_url(),
            targets=lambda: (
                [("organisations.area", pk) for pk in challenge.areas.values_list("pk", flat=True)]
                + [("organisations.municipality", pk) for pk in challenge.municipalities.values_list("pk", flat=True)]
            ),
        )
    return challenge


def challenge_decline_preview(*, challenge: Challenge) -> Preview:
    recipients = raiser_recipients(challenge=challenge)
    return Preview(
        obj=challenge,
        effects=[
            _("The challenge is declined and stays hidden from the public."),
            _("The raiser is told by e-mail, with the reason you give below."),
        ],
        recipients=len(recipients),
        irreversible=[_("The e-mail to the raiser cannot be recalled.")],
        problems=_status_problems(challenge, [Challenge.Status.PROPOSED], Challenge.Status.DECLINED),
    )


def challenge_decline(*, challenge: Challenge, by, reason: str) -> Challenge:
    """A coordinator declines a proposed challenge with a reason; the raiser is told why."""
    require_coordinator(by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason: the raiser is told why."), code="reason_required")
    with transaction.atomic():
        challenge = _transition(challenge, [Challenge.Status.PROPOSED], Challenge.Status.DECLINED)
        challenge.declined_at = timezone.now()
        challenge.decline_reason = reason
        challenge.published = False
        challenge._history_user = by
        challenge.save()
        mail_users(
            raisers(challenge),
            template="challenges/declined",
            context=mail_context(challenge),
            kind="challenges.declined",
        )
        pages_changed()
    return challenge


def challenge_start_preview(*, challenge: Challenge) -> Preview:
    return Preview(
        obj=challenge,
        effects=[_("The challenge is shown as in progress.")],
        recipients=0,
        irreversible=[],
        problems=_status_problems(challenge, [Challenge.Status.ACCEPTED], Challenge.Status.IN_PROGRESS),
    )


def challenge_start(*, challenge: Challenge, by) -> Challenge:
    """A coordinator moves an accepted challenge to in progress."""
    require_coordinator(by)
    with transaction.atomic():
        challenge = _transition(challenge, [Challenge.Status.ACCEPTED], Challenge.Status.IN_PROGRESS)
        challenge.started_at = timezone.now()
        challenge._history_user = by
        challenge.save()
        pages_changed()
    return challenge


def challenge_conclude_preview(*, challenge: Challenge) -> Preview:
    return Preview(
        obj=challenge,
        effects=[
            _("The challenge is concluded and the outcome you write below is shown publicly."),
            _("Organisations can no longer join it."),
        ],
        recipients=0,
        irreversible=[],
        problems=_status_problems(
            challenge, [Challenge.Status.ACCEPTED, Challenge.Status.IN_PROGRESS], Challenge.Status.CONCLUDED
        ),
    )


def challenge_conclude(*, challenge: Challenge, by, outcome: str) -> Challenge:
    """A coordinator concludes an accepted or ongoing challenge with its outcome."""
    require_coordinator(by)
    outcome = (outcome or "").strip()
    if not outcome:
        raise ValidationError(_("Describe the outcome before concluding the challenge."), code="outcome_required")
    with transaction.atomic():
        challenge = _transition(
            challenge, [Challenge.Status.ACCEPTED, Challenge.Status.IN_PROGRESS], Challenge.Status.CONCLUDED
        )
        challenge.concluded_at = timezone.now()
        challenge.outcome = outcome
        challenge._history_user = by
        challenge.save()
        pages_changed()
    return challenge


def _step_back_problems(challenge: Challenge) -> list[str]:
    if challenge.status in STEP_BACK:
        return []
    return [
        _("A challenge that is %(status)s cannot be taken back: the raiser has been told.")
        % {"status": challenge.get_status_display()}
    ]


def challenge_step_back_preview(*, challenge: Challenge) -> Preview:
    problems = _step_back_problems(challenge)
    effects = []
    if not problems:
        effects.append(
            _("The challenge goes back to %(status)s.")
            % {"status": Challenge.Status(STEP_BACK[challenge.status]).label}
        )
        if challenge.status == Challenge.Status.CONCLUDED:
            effects.append(_("The outcome is no longer shown; its text is kept for when the challenge is concluded."))
    return Preview(obj=challenge, effects=effects, recipients=0, problems=problems)


def challenge_step_back(*, challenge: Challenge, by) -> Challenge:
    """Take back a step that mailed nobody: in progress back to accepted, concluded back to in progress
    (or to accepted when it was never started). Recorded in the challenge's history."""
    require_coordinator(by)
    with transaction.atomic():
        locked = Challenge.objects.select_for_update().get(pk=challenge.pk)
        problems = _step_back_problems(locked)
        if problems:
            raise ValidationError(problems[0], code="wrong_status")
        if locked.status == Challenge.Status.CONCLUDED:
            locked.status = Challenge.Status.IN_PROGRESS if locked.started_at else Challenge.Status.ACCEPTED
            locked.concluded_at = None
        else:
            locked.status = Challenge.Status.ACCEPTED
            locked.started_at = None
        locked._history_user = by
        locked._change_reason = "step back"
        locked.save()
        pages_changed()
    return locked
