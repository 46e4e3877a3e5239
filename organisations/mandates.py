"""Mandates (issue 23): a representative asks, a coordinator verifies, refuses or revokes, the holder is told.

Every write on a ``Mandate`` goes through these services; each coordinator step has a ``*_preview``
for the admin's confirmation page (core/admin_confirm.py) computed from the same rules. Every e-mail
goes to the holder only (their account's address, in their language) through the outbox. What a
mandate allows is read in ``representation`` (``ACTS``, ``may_act``), never here.
"""

from __future__ import annotations

import logging
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.admin_confirm import Preview
from core.links import site_url
from notifications.services import notify_person
from outbox.services import email_queue

from .models import Mandate, Organisation
from .representation import representation

logger = logging.getLogger("organisations.mandates")

EXPIRY_NOTICE_DAYS = 30
REQUESTABLE_KINDS = (Mandate.Kind.SIGNATORY, Mandate.Kind.BOARD)


# --- The representative -------------------------------------------------------------------------------


def mandate_request(
    *,
    user,
    organisation: Organisation,
    kind: str,
    valid_to: date,
    evidence,
    message: str = "",
) -> Mandate:
    """A representative asks for a mandate for an organisation they represent, with the statutes or the
    board's minutes (a PDF already checked by the form's validators). One request waits at a time."""
    link = representation(user, organisation)
    if link is None:
        raise PermissionDenied
    if kind not in REQUESTABLE_KINDS:
        raise ValidationError({"kind": _("Choose the kind of mandate.")})
    today = timezone.localdate()
    if valid_to < today:
        raise ValidationError({"valid_to": _("The last day must be today or later.")})
    if not evidence:
        raise ValidationError({"evidence": _("Upload the statutes or the board's minutes as a PDF.")})
    waiting = _("A request for a mandate is already waiting for the coordinators.")
    if Mandate.objects.filter(representative=link, status=Mandate.Status.REQUESTED).exists():
        raise ValidationError(waiting)
    mandate = Mandate(
        representative=link,
        kind=kind,
        valid_from=today,
        valid_to=valid_to,
        evidence=evidence,
        message=message.strip(),
        status=Mandate.Status.REQUESTED,
        requested_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            mandate.save()
    except IntegrityError:  # the same form sent twice at once: the constraint lets one through
        if mandate.evidence:
            mandate.evidence.delete(save=False)
        raise ValidationError(waiting) from None
    logger.info("mandate %s requested for organisation %s", mandate.pk, organisation.pk)
    return mandate


def mandate_of_holder(*, user, pk: int) -> Mandate:
    """A mandate held by ``user`` (404 for anyone else's, like one that does not exist)."""
    mandate = (
        Mandate.objects.select_related("representative__organisation").filter(pk=pk, representative__user=user).first()
    )
    if mandate is None or not getattr(user, "is_active", False):
        raise Http404
    return mandate


def mandate_withdraw(*, mandate: Mandate, user) -> Mandate:
    """The holder takes back a request that is still waiting (a decided one stays as it was decided)."""
    with transaction.atomic():
        mandate = Mandate.objects.select_for_update().get(pk=mandate.pk)
        if mandate.representative.user_id != user.pk:
            raise PermissionDenied
        if mandate.status != Mandate.Status.REQUESTED:
            raise ValidationError(_("Only a request that is still waiting can be withdrawn."))
        mandate.status = Mandate.Status.WITHDRAWN
        mandate.save(update_fields=["status"])
    return mandate


# --- The coordinators ---------------------------------------------------------------------------------


def _holder(mandate: Mandate):
    user = mandate.representative.user
    return user if user.is_active and user.email else None


def _preview(mandate: Mandate, *, effects, problems) -> Preview:
    return Preview(
        obj=mandate,
        effects=effects,
        recipients=1 if _holder(mandate) is not None and not problems else 0,
        irreversible=[_("The e-mail cannot be recalled.")],
        problems=problems,
    )


def mandate_verify_preview(*, mandate: Mandate) -> Preview:
    problems = []
    if mandate.status != Mandate.Status.REQUESTED:
        problems.append(_("Only a waiting request can be verified (this one is %(status)s).") % _status(mandate))
    elif mandate.is_expired:
        problems.append(_("Its last day has passed."))
    elif mandate.kind == Mandate.Kind.CONTACT:
        problems.append(_("A contact person without a mandate has nothing to verify."))
    return _preview(
        mandate,
        effects=[
            _("The mandate is marked verified, with you as the one who verified it."),
            _("The holder may then do what the mandate allows for the organisation until its last day."),
            _("The holder is told by e-mail."),
        ],
        problems=problems,
    )


def mandate_verify(*, mandate: Mandate, by, note: str = "") -> Mandate:
    """A coordinator verifies a waiting request, on its evidence or on the note of how it was checked."""
    with transaction.atomic():
        mandate = (
            Mandate.objects.select_for_update(of=("self",)).select_related("representative__user").get(pk=mandate.pk)
        )
        problems = mandate_verify_preview(mandate=mandate).problems
        if problems:
            raise ValidationError(problems)
        note = note.strip()
        if not mandate.evidence and not note and not mandate.verification_note:
            raise ValidationError(_("Write how the mandate was checked: it has no evidence file."))
        mandate.status = Mandate.Status.VERIFIED
        mandate.verified_by = by
        mandate.verified_at = timezone.now()
        if note:
            mandate.verification_note = note
        mandate.save(update_fields=["status", "verified_by", "verified_at", "verification_note"])
        _mail(mandate, "verified")
    logger.info("mandate %s verified by user %s", mandate.pk, getattr(by, "pk", None))
    return mandate


def mandate_refuse_preview(*, mandate: Mandate) -> Preview:
    problems = []
    if mandate.status != Mandate.Status.REQUESTED:
        problems.append(_("Only a waiting request can be refused (this one is %(status)s).") % _status(mandate))
    return _preview(
        mandate,
        effects=[_("The request is refused; the holder is told why by e-mail and may ask again.")],
        problems=problems,
    )


def mandate_refuse(*, mandate: Mandate, by, reason: str) -> Mandate:
    """A coordinator refuses a waiting request, saying why (the reason is mailed to the holder)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the request is refused."))
    with transaction.atomic():
        mandate = (
            Mandate.objects.select_for_update(of=("self",)).select_related("representative__user").get(pk=mandate.pk)
        )
        problems = mandate_refuse_preview(mandate=mandate).problems
        if problems:
            raise ValidationError(problems)
        mandate.status = Mandate.Status.REFUSED
        mandate.refused_at = timezone.now()
        mandate.refusal_reason = reason
        mandate.save(update_fields=["status", "refused_at", "refusal_reason"])
        _mail(mandate, "refused")
    logger.info("mandate %s refused by user %s", mandate.pk, getattr(by, "pk", None))
    return mandate


def mandate_revoke_preview(*, mandate: Mandate) -> Preview:
    problems = []
    if mandate.status != Mandate.Status.VERIFIED:
        problems.append(_("Only a verified mandate can be revoked (this one is %(status)s).") % _status(mandate))
    return _preview(
        mandate,
        effects=[
            _("The mandate is revoked at once: acts that need it can no longer rest on it."),
            _("The holder is told why by e-mail."),
        ],
        problems=problems,
    )


def mandate_revoke(*, mandate: Mandate, by, reason: str) -> Mandate:
    """A coordinator revokes a verified mandate (the board withdrew it, the person left the organisation)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the mandate is revoked."))
    with transaction.atomic():
        mandate = (
            Mandate.objects.select_for_update(of=("self",)).select_related("representative__user").get(pk=mandate.pk)
        )
        problems = mandate_revoke_preview(mandate=mandate).problems
        if problems:
            raise ValidationError(problems)
        mandate.status = Mandate.Status.REVOKED
        mandate.revoked_by = by
        mandate.revoked_at = timezone.now()
        mandate.refusal_reason = reason
        mandate.save(update_fields=["status", "revoked_by", "revoked_at", "refusal_reason"])
        _mail(mandate, "revoked")
    logger.info("mandate %s revoked by user %s", mandate.pk, getattr(by, "pk", None))
    return mandate


# --- Expiry -------------------------------------------------------------------------------------------


def mandate_expiry_notices_send() -> int:
    """Tell each holder of a current mandate whose last day is within 30 days, once (``expiry_notice_sent_at``
    is set in the same transaction as the e-mail is queued, under a row lock: a run twice mails once)."""
    sent = 0
    ids = list(
        Mandate.objects.expiring(within_days=EXPIRY_NOTICE_DAYS)
        .filter(expiry_notice_sent_at__isnull=True)
        .values_list("pk", flat=True)
    )
    for pk in ids:
        with transaction.atomic():
            mandate = (
                Mandate.objects.select_for_update(of=("self",))
                .select_related("representative__user", "representative__organisation")
                .filter(pk=pk, expiry_notice_sent_at__isnull=True)
                .first()
            )
            if mandate is None:
                continue
            mandate.expiry_notice_sent_at = timezone.now()
            mandate.save(update_fields=["expiry_notice_sent_at"])
            sent += _mail(mandate, "expiring")
    return sent


# --- E-mail -------------------------------------------------------------------------------------------


def _status(mandate: Mandate) -> dict:
    return {"status": mandate.state_display}


def _mail(mandate: Mandate, event: str) -> int:
    """Tell the holder (only them: the mandate is about their person) what happened, by e-mail and among the
    notifications on their page (with the e-mail's subject, in their language); the number of e-mails queued."""
    user = _holder(mandate)
    if user is None:
        return 0
    language = getattr(user, "language", "") or None
    context = {
        "event": event,
        "mandate": mandate,
        "organisation": mandate.representative.organisation,
        "name": user.get_full_name(),
        "mypages_url": f"{site_url()}{reverse('accounts:mypages')}",
        "request_url": f"{site_url()}"
        + reverse("organisations:mandate_request", kwargs={"slug": mandate.representative.organisation.slug}),
    }
    rows = email_queue(
        to=user.email,
        template="organisations/mandate",
        context=context,
        language=language,
        kind=f"organisations.mandate_{event}",
    )
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):  # as the e-mail
        notify_person(
            user=user,
            event=f"organisations.mandate_{event}",
            obj=mandate,
            title=render_to_string("emails/organisations/mandate_subject.txt", context).strip(),
            url=reverse("accounts:mypages") + "#mypages-organisations-heading",
        )
    return len(rows)
