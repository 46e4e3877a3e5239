"""Verifying an organisation: what it will do (the admin's confirmation page) and doing it, which tells its
confirmed contact persons. Split from services.py, which hands these on."""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.admin_confirm import Preview
from core.links import site_url
from outbox.services import email_queue

from .models import Contact, Organisation

logger = logging.getLogger("organisations.services")


def organisation_verify_preview(*, organisation: Organisation) -> Preview:
    """What verifying this organisation will do; an organisation already verified is left as it is."""
    problems = []
    if organisation.status == Organisation.Status.VERIFIED:
        problems.append(_("The organisation is already verified."))
    effects = [_("The organisation is marked verified, with you as the one who verified it.")]
    if organisation.public_listing:
        effects.append(_("It is shown in the public directory."))
    else:
        effects.append(_("It is not shown in the public directory: it has not agreed to be listed."))
    effects.append(_("Its confirmed contact persons are told by e-mail, with the link to its page."))
    return Preview(
        obj=organisation,
        effects=effects,
        recipients=len(_verified_recipients(organisation)),
        irreversible=[_("The e-mails cannot be recalled.")],
        problems=problems,
    )


def organisation_verify(*, organisation: Organisation, by) -> Organisation:
    """Mark an organisation verified by a coordinator, recording who and when.

    When it becomes verified (not when verified again) its confirmed contact persons are told,
    each in the language of their latest interest submission, with the link to its page.
    """
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        newly_verified = organisation.status != Organisation.Status.VERIFIED
        organisation.status = Organisation.Status.VERIFIED
        organisation.verified_by = by
        organisation.verified_at = timezone.now()
        organisation.save(update_fields=["status", "verified_by", "verified_at", "updated_at"])
        if newly_verified:
            _mail_verified(organisation)
    logger.info("organisation %s verified by user %s", organisation.pk, getattr(by, "pk", None))
    return organisation


def _verified_recipients(organisation: Organisation) -> list[tuple[Contact, str]]:
    """(contact, language) of everyone told that the organisation is verified: its confirmed contact
    persons, each in the language of their latest interest submission."""
    recipients = []
    for contact in organisation.contacts.filter(confirmed=True).order_by("pk"):
        latest = contact.interest_submissions.order_by("-created_at").values_list("language", flat=True).first()
        recipients.append((contact, latest or settings.LANGUAGE_CODE))
    return recipients


def _mail_verified(organisation: Organisation) -> None:
    url = f"{site_url()}{organisation.get_absolute_url()}"
    for contact, language in _verified_recipients(organisation):
        email_queue(
            to=contact.email,
            template="organisations/verified",
            context={"organisation": organisation, "contact": contact, "organisation_url": url},
            language=language,
            kind="organisations.verified",
        )
