"""Every write with a business rule about challenges (keyword-only, atomic).

Rights: only representatives of verified organisations raise challenges or join them, and only
for organisations they represent; coordinators (staff with the challenges' change permission)
move challenges through their statuses and post updates. E-mails go through the outbox, in each
recipient's language, and are sent after commit.
"""

import logging
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.admin_confirm import Preview
from core.db import advisory_xact_lock
from core.permissions import coordinator_emails
from organisations.models import Organisation
from organisations.representation import Recipient, merge_recipients, recipients_for, user_recipients
from outbox.services import email_queue

from . import permissions
from .cache import pages_changed
from .models import Challenge, EmailPreference, Participation, Update

logger = logging.getLogger(__name__)


# Rights ----------------------------------------------------------------------------------------


def _require_representative(user, organisation) -> None:
    if not permissions.can_act_for(user, organisation):
        raise PermissionDenied("not a representative of this verified organisation")


def _require_coordinator(user) -> None:
    if user is not None and not permissions.is_coordinator(user):
        raise PermissionDenied("coordinators only")


# E-mail helpers ----------------------------------------------------------------------------------


def _mail_users(recipients: Iterable[Recipient], *, template: str, context: dict, kind: str) -> int:
    """One e-mail per (address, language), rendered once per language."""
    by_language = defaultdict(list)
    for address, language in recipients:
        by_language[language].append(address)
    count = 0
    for language, emails in by_language.items():
        count += len(email_queue(to=emails, template=template, context=context, language=language, kind=kind))
    return count


def _mail_coordinators(challenge: Challenge, *, template: str, context: dict, kind: str) -> int:
    recipients = coordinator_emails()
    if challenge.contact_coordinator_id and challenge.contact_coordinator.email:
        recipients.append(challenge.contact_coordinator.email)
    if not recipients:
        return 0
    return len(email_queue(to=recipients, template=template, context=context, language="sv", kind=kind))


def _raisers(challenge: Challenge) -> list[Recipient]:
    """Who raised it: the person who sent it and the raising organisation's representatives (never its
    contact persons: the challenge was raised through the portal, ``organisations.representation``)."""
    return merge_recipients(
        user_recipients([challenge.raised_by_user] if challenge.raised_by_user_id else []),
        recipients_for(
            [challenge.raising_organisation_id] if challenge.raising_organisation_id else [], include_contacts=False
        ),
    )


def participant_recipients(*, challenge: Challenge) -> list[Recipient]:
    """Representatives of every participating organisation who have not turned challenge e-mails off
    (never the contact persons: the organisations chose to take part through their representatives)."""
    from django.contrib.auth import get_user_model

    organisations = challenge.participations.order_by("organisation__name", "pk").values_list(
        "organisation_id", flat=True
    )
    opted_out = get_user_model().objects.filter(challenge_email_preference__updates=False)
    return recipients_for(list(organisations), include_contacts=False, exclude_users=opted_out)


def _context(challenge: Challenge, **extra) -> dict:
    return {"challenge": challenge, "url": settings.SITE_URL.rstrip("/") + challenge.get_absolute_url(), **extra}


# Challenges --------------------------------------------------------------------------------------


# Paths of the app's own pages (challenges/urls.py) a challenge's slug must not take.
RESERVED_SLUGS = {"lyft-en-utmaning", "e-postinstallningar"}


def _slug_base(title: str) -> str:
    return (slugify(title) or "utmaning")[:200].strip("-") or "utmaning"


def challenge_slug_unique(title: str, *, exclude_pk=None) -> str:
    base = _slug_base(title)
    slug, n = base, 2
    if slug in RESERVED_SLUGS:
        slug = f"{base}-{n}"
        n += 1
    queryset = Challenge.objects.all()
    if exclude_pk:
        queryset = queryset.exclude(pk=exclude_pk)
    while queryset.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def challenge_raise(
    *,
    user,
    organisation: Organisation,
    title: str,
    summary: str,
    description: str = "",
    areas: Iterable = (),
    municipalities: Iterable = (),
) -> Challenge:
    """A representative raises a challenge for their verified organisation: it is proposed, the
    coordinators are told and the raiser gets a receipt."""
    _require_representative(user, organisation)
    now = timezone.now()
    with transaction.atomic():
        # Parallel raises (a double click, a retry) would pick the same free slug, and store the same
        # proposal twice: one at a time per slug, and an identical pending proposal is the one raised.
        advisory_xact_lock(f"challenges.slug:{_slug_base(title)}")
        pending = Challenge.objects.filter(
            raising_organisation=organisation,
            title=title.strip(),
            summary=summary.strip(),
            description=description.strip(),
            status=Challenge.Status.PROPOSED,
        ).first()
        if pending is not None:
            return pending
        challenge = Challenge(
            title=title.strip(),
            slug=challenge_slug_unique(title),
            summary=summary.strip(),
            description=description.strip(),
            raised_by=Challenge.RaisedBy.CIVIL_SOCIETY,
            raising_organisation=organisation,
            raised_by_user=user,
            status=Challenge.Status.PROPOSED,
            proposed_at=now,
        )
        challenge.full_clean()
        challenge.save()
        challenge.areas.set(list(areas))
        challenge.municipalities.set(list(municipalities))
        Participation.objects.create(
            challenge=challenge, organisation=organisation, role=Participation.Role.RAISED, joined_by=user
        )
        _mail_coordinators(
            challenge,
            template="challenges/proposed_coordinators",
            context=_context(challenge, admin_url=_admin_url(challenge)),
            kind="challenges.proposed",
        )
        _mail_users(
            user_recipients([user]),
            template="challenges/receipt",
            context=_context(challenge),
            kind="challenges.receipt",
        )
        pages_changed()
    logger.info("challenge %s raised by user %s for organisation %s", challenge.pk, user.pk, organisation.pk)
    return challenge


def _admin_url(challenge: Challenge) -> str:
    from django.urls import reverse

    return settings.SITE_URL.rstrip("/") + reverse("admin:challenges_challenge_change", args=[challenge.pk])


def challenge_from_interest(*, submission, by=None) -> Challenge:
    """Turn an interest submission that wishes to raise a challenge into a proposed challenge (one
    admin action); the submission is marked handled. Nothing is mailed: the coordinator acts."""
    _require_coordinator(by)
    if not submission.wants_raise_challenge:
        raise ValidationError(_("The submission does not wish to raise a challenge."), code="no_wish")
    message = (submission.message or "").strip()
    first_line = message.splitlines()[0].strip() if message else ""
    title = (first_line or _("Challenge raised by %(organisation)s") % {"organisation": submission.organisation})[:200]
    summary = (first_line or title)[:400]
    with transaction.atomic():
        challenge = Challenge.objects.create(
            title=title,
            slug=challenge_slug_unique(title),
            summary=summary,
            description=message,
            raised_by=Challenge.RaisedBy.CIVIL_SOCIETY,
            raising_organisation=submission.organisation,
            status=Challenge.Status.PROPOSED,
            proposed_at=submission.created_at or timezone.now(),
            contact_coordinator=by if by is not None and by.is_staff else None,
        )
        challenge.areas.set(list(submission.organisation.areas.all()))
        if submission.organisation.municipality_id:
            challenge.municipalities.set([submission.organisation.municipality_id])
        Participation.objects.get_or_create(
            challenge=challenge, organisation=submission.organisation, defaults={"role": Participation.Role.RAISED}
        )
        submission.handled = True
        submission.save(update_fields=["handled"])
        pages_changed()
    return challenge


# Status steps. Each checks its preconditions here (the status it starts from; a reason or an outcome
# where one is told or shown) and each ``*_preview`` computes, from the same checks and recipient lists,
# what the admin's confirmation page shows (core/admin_confirm.py). A step that mailed nobody (start,
# conclude) can be taken back with ``challenge_step_back``; accept and decline mailed the raiser.

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


def raiser_recipients(*, challenge: Challenge) -> list:
    """The addresses a message to the raiser reaches (``_raisers``)."""
    return _raisers(challenge)


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
    _require_coordinator(by)
    with transaction.atomic():
        challenge = _transition(challenge, [Challenge.Status.PROPOSED], Challenge.Status.ACCEPTED)
        challenge.accepted_at = timezone.now()
        challenge.published = True
        if challenge.contact_coordinator_id is None and by is not None:
            challenge.contact_coordinator = by
        challenge._history_user = by
        challenge.save()
        _mail_users(
            _raisers(challenge), template="challenges/accepted", context=_context(challenge), kind="challenges.accepted"
        )
        pages_changed()
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
    _require_coordinator(by)
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
        _mail_users(
            _raisers(challenge), template="challenges/declined", context=_context(challenge), kind="challenges.declined"
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
    _require_coordinator(by)
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
    _require_coordinator(by)
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
    _require_coordinator(by)
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


# Participation -------------------------------------------------------------------------------------


def participation_join(*, challenge: Challenge, organisation: Organisation, user, role: str) -> Participation:
    """A representative lets their verified organisation join an open challenge; coordinators are told."""
    _require_representative(user, organisation)
    if role not in Participation.JOINABLE_ROLES:
        raise ValidationError(_("Choose whether the organisation takes part or follows."), code="bad_role")
    with transaction.atomic():
        locked = Challenge.objects.select_for_update().get(pk=challenge.pk)
        if not locked.is_open_for_joining:
            raise ValidationError(_("This challenge is not open for new participants."), code="closed")
        if Participation.objects.filter(challenge=locked, organisation=organisation).exists():
            raise ValidationError(
                _("%(organisation)s already takes part in this challenge.") % {"organisation": organisation.name},
                code="already",
            )
        try:
            with transaction.atomic():
                participation = Participation.objects.create(
                    challenge=locked, organisation=organisation, role=role, joined_by=user
                )
        except IntegrityError:
            raise ValidationError(
                _("%(organisation)s already takes part in this challenge.") % {"organisation": organisation.name},
                code="already",
            ) from None
        _mail_coordinators(
            locked,
            template="challenges/joined_coordinators",
            context=_context(locked, organisation=organisation, role=participation.get_role_display()),
            kind="challenges.joined",
        )
        pages_changed()
    return participation


def participation_leave(*, participation: Participation, user) -> None:
    """A representative takes their organisation out of a challenge; coordinators are told.
    The raising organisation stays (it is part of the challenge's story)."""
    _require_representative(user, participation.organisation)
    if participation.role == Participation.Role.RAISED:
        raise ValidationError(
            _("The organisation that raised the challenge cannot leave it. Contact the coordinators."), code="raiser"
        )
    challenge, organisation = participation.challenge, participation.organisation
    with transaction.atomic():
        participation.delete()
        _mail_coordinators(
            challenge,
            template="challenges/left_coordinators",
            context=_context(challenge, organisation=organisation),
            kind="challenges.left",
        )
        pages_changed()


# Updates and meetings --------------------------------------------------------------------------------


def update_post(
    *, challenge: Challenge, by, title: str, text: str = "", kind: str = Update.Kind.PROGRESS, date=None
) -> Update:
    """A coordinator posts a dated progress note or decision; every participant is mailed once."""
    _require_coordinator(by)
    with transaction.atomic():
        update = Update(
            challenge=challenge,
            title=title.strip(),
            text=(text or "").strip(),
            kind=kind,
            date=date or timezone.localdate(),
            author=by,
        )
        update.full_clean()
        update.save()
        update_notify(update=update)
        pages_changed()
    return update


def update_notify(*, update: Update) -> int:
    """Mail the participants about an update, once: a second call mails nobody."""
    with transaction.atomic():
        locked = Update.objects.select_for_update().select_related("challenge").get(pk=update.pk)
        if locked.notified_at is not None:
            return 0
        count = 0
        if locked.challenge.is_public:
            count = _mail_users(
                participant_recipients(challenge=locked.challenge),
                template="challenges/update_posted",
                context=_context(locked.challenge, update=locked),
                kind="challenges.update",
            )
        locked.notified_at = timezone.now()
        locked.save(update_fields=["notified_at"])
    update.notified_at = locked.notified_at
    return count


def challenge_meetings_link(*, challenge: Challenge, meetings: Iterable, by) -> list:
    """Link meetings to a challenge; participants get one e-mail per newly linked meeting."""
    _require_coordinator(by)
    with transaction.atomic():
        already = set(challenge.meetings.values_list("pk", flat=True))
        added = [meeting for meeting in meetings if meeting.pk not in already]
        if added:
            challenge.meetings.add(*added)
            challenge_meetings_notify(challenge=challenge, meetings=added)
            pages_changed()
    return added


def challenge_meetings_notify(*, challenge: Challenge, meetings: Iterable) -> int:
    """Tell the participants about meetings just linked to the challenge (public, non-draft meetings only)."""
    from meetings.models import Meeting

    if not challenge.is_public:
        return 0
    recipients = participant_recipients(challenge=challenge)
    count = 0
    for meeting in meetings:
        if meeting.status == Meeting.Status.DRAFT:
            continue
        count += _mail_users(
            recipients,
            template="challenges/meeting_linked",
            context=_context(
                challenge, meeting=meeting, meeting_url=settings.SITE_URL.rstrip("/") + meeting.get_absolute_url()
            ),
            kind="challenges.meeting",
        )
    return count


# Preferences -----------------------------------------------------------------------------------------


def email_preference_set(*, user, updates: bool) -> EmailPreference:
    """Turn the e-mails about challenge news on or off for a person."""
    preference, _created = EmailPreference.objects.update_or_create(user=user, defaults={"updates": bool(updates)})
    return preference


def email_preference_get(*, user) -> bool:
    return not EmailPreference.objects.filter(user=user, updates=False).exists()
