"""A challenge is raised: by a representative on the site, or by a coordinator from an interest submission."""

import logging
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.db import advisory_xact_lock
from core.links import site_url
from organisations.models import Organisation
from organisations.representation import user_recipients

from ..cache import pages_changed
from ..models import Challenge, Participation
from .recipients import mail_context, mail_coordinators, mail_users
from .rights import require_coordinator, require_representative

logger = logging.getLogger(__name__)


# Paths of the app's own pages (challenges/urls.py) a challenge's slug must not take.
RESERVED_SLUGS = {"lyft-en-utmaning", "e-postinstallningar"}


def _slug_base(title: str) -> str:
    return (slugify(title) or "utmaning")[:200].strip("-") or "utmaning"


def challenge_slug_unique(title: str, *, exclude_pk=None) -> str:
    """A slug from the title that no other challenge and none of the app's own pages has."""
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
    require_representative(user, organisation)
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
        mail_coordinators(
            challenge,
            template="challenges/proposed_coordinators",
            context=mail_context(challenge, admin_url=_admin_url(challenge)),
            kind="challenges.proposed",
        )
        mail_users(
            user_recipients([user]),
            template="challenges/receipt",
            context=mail_context(challenge),
            kind="challenges.receipt",
        )
        pages_changed()
    logger.info("challenge %s raised by user %s for organisation %s", challenge.pk, user.pk, organisation.pk)
    return challenge


def _admin_url(challenge: Challenge) -> str:
    from django.urls import reverse

    return site_url() + reverse("admin:challenges_challenge_change", args=[challenge.pk])


def challenge_from_interest(*, submission, by=None) -> Challenge:
    """Turn an interest submission that wishes to raise a challenge into a proposed challenge (one
    admin action); the submission is marked handled. Nothing is mailed: the coordinator acts."""
    require_coordinator(by)
    if not submission.wants_raise_challenge:
        raise ValidationError(_("The submission does not wish to raise a challenge."), code="no_wish")
    message = (submission.message or "").strip()
    first_line = message.splitlines()[0].strip() if message else ""
    title = (first_line or _("Challenge raised by %(organisation)s") % {"organisation": submission.organisation})[:200]
    summary = (first_line or title)[:400]
    with transaction.atomic():
        # Two coordinators (or a double click) acting on one submission: the second waits for the first,
        # then finds it handled; the slug is taken one at a time, as a representative's raise takes it.
        locked = type(submission).objects.select_for_update().filter(pk=submission.pk).values("handled").first()
        if locked is None or locked["handled"]:
            raise ValidationError(_("The submission has already been handled."), code="handled")
        advisory_xact_lock(f"challenges.slug:{_slug_base(title)}")
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
