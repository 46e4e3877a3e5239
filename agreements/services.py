"""Writes with business rules for agreements and their signatories.

Every change to a signatory is saved with ``_history_user`` set, so django-simple-history records
who did it even outside a request (imports, the shell, tasks).
"""

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from core.admin_confirm import Preview
from core.permissions import coordinator_emails
from core.spreadsheets import ILLEGAL_CHARACTERS
from organisations.models import Organisation
from organisations.representation import (
    Recipient,
    acts_for,
    mandate_for,
    mandate_needed_message,
    recipients_for,
    user_recipients,
)
from organisations.services import organisation_create
from organisations.validators import normalise_orgnr
from outbox.services import email_queue

from . import permissions
from .cache import pages_changed
from .models import Agreement, Signatory
from .validators import validate_board_decision

logger = logging.getLogger(__name__)


class AlreadySignedError(ValidationError):
    """The organisation already has a pending or verified signature on this agreement."""


def _save(signatory: Signatory, *, user=None) -> None:
    signatory._history_user = user
    signatory.save()
    pages_changed()  # request, verify, withdraw and import: the public pages and downloads


def _representative_recipients(signatory: Signatory) -> list[Recipient]:
    """(address, language) of the person who asked to sign, else of every representative of the organisation.

    Never the contact persons (``organisations.representation``): a signature's receipts are about
    what was done through the portal by an account.
    """
    if signatory.requested_by_id and signatory.requested_by.is_active:
        return user_recipients([signatory.requested_by])
    return recipients_for([signatory.organisation], include_contacts=False)


def _mail_representatives(signatory: Signatory, *, template: str, kind: str) -> None:
    context = {"signatory": signatory, "agreement": signatory.agreement, "organisation": signatory.organisation}
    for address, language in _representative_recipients(signatory):
        email_queue(to=address, template=template, context=context, language=language, kind=kind)


def _mail_coordinators(signatory: Signatory, *, template: str, kind: str) -> None:
    recipients = coordinator_emails()
    if recipients:
        context = {"signatory": signatory, "agreement": signatory.agreement, "organisation": signatory.organisation}
        email_queue(to=recipients, template=template, context=context, kind=kind)


def _check_signature_request(
    *, agreement, organisation, user, signed_by_name, signed_by_title, confirms_authority, board_decision
) -> tuple[str, str, object]:
    """Every rule of an online signature that needs no lock; returns the signer's name and title, trimmed,
    and the mandate the signature rests on."""
    if not agreement.is_in_force:
        raise ValidationError(_("This agreement is not in force and cannot be signed."), code="not_in_force")
    if not acts_for(user, organisation):
        raise ValidationError(
            _("Only a representative of the organisation can sign for it."), code="not_representative"
        )
    mandate = mandate_for(user, organisation, "sign_agreement")
    if mandate is None:
        raise ValidationError(mandate_needed_message("sign_agreement", organisation), code="no_mandate")
    if organisation.status != Organisation.Status.VERIFIED:
        raise ValidationError(
            _("The organisation must be verified by the region before it can sign."), code="organisation_not_verified"
        )
    if not confirms_authority:
        raise ValidationError(_("You must confirm that the signer has the authority to sign."), code="no_authority")
    signed_by_name, signed_by_title = signed_by_name.strip(), signed_by_title.strip()
    if not signed_by_name or not signed_by_title:
        raise ValidationError(_("Give the name and title of the person who signs."), code="signer_missing")
    if board_decision:
        validate_board_decision(board_decision)
    return signed_by_name, signed_by_title, mandate


def _fill_online_signature(signatory: Signatory, *, user, signed_by_name, signed_by_title, public) -> None:
    """A new online signature, pending; on a withdrawn one, its verification and withdrawal are forgotten."""
    now = timezone.now()
    signatory.signed_on = timezone.localdate(now)
    signatory.signed_by_name = signed_by_name
    signatory.signed_by_title = signed_by_title
    signatory.method = Signatory.Method.ONLINE
    signatory.status = Signatory.Status.PENDING
    signatory.public = public
    signatory.confirms_authority = True
    signatory.requested_by = user
    signatory.requested_at = now
    signatory.verified_at = signatory.verified_by = None
    signatory.withdrawal_requested_at = signatory.withdrawn_on = signatory.withdrawn_by = None
    signatory.withdrawal_reason = ""


@transaction.atomic
def signatory_request(
    *,
    agreement: Agreement,
    organisation: Organisation,
    user,
    signed_by_name: str,
    signed_by_title: str,
    confirms_authority: bool,
    board_decision=None,
    public: bool = True,
    authentication: dict | None = None,
) -> Signatory:
    """A representative with a verified mandate (``representation.ACTS``) signs the agreement online for
    a verified organisation.

    The signature records the mandate it rests on and ``authentication`` (how the person was
    authenticated: ``accounts.assurance.describe``; None outside a request). It is pending until a
    coordinator verifies it. The representative gets a receipt,
    the coordinators a notice. Raises ``AlreadySignedError`` when the organisation has a pending
    or verified signature, ``ValidationError`` for every other rule.
    """
    signed_by_name, signed_by_title, mandate = _check_signature_request(
        agreement=agreement,
        organisation=organisation,
        user=user,
        signed_by_name=signed_by_name,
        signed_by_title=signed_by_title,
        confirms_authority=confirms_authority,
        board_decision=board_decision,
    )
    # Lock the organisation row so two representatives signing at once do not both pass the check.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    existing = Signatory.objects.select_for_update().filter(agreement=agreement, organisation=organisation).first()
    if existing and existing.status != Signatory.Status.WITHDRAWN:
        raise AlreadySignedError(
            _("%(organisation)s has already signed this agreement.") % {"organisation": organisation.name},
            code="already_signed",
        )
    signatory = existing or Signatory(agreement=agreement, organisation=organisation)
    _fill_online_signature(
        signatory, user=user, signed_by_name=signed_by_name, signed_by_title=signed_by_title, public=public
    )
    signatory.record_act(mandate=mandate, authentication=authentication)
    if board_decision:
        signatory.board_decision.save("board-decision.pdf", board_decision, save=False)
    try:
        with transaction.atomic():
            _save(signatory, user=user)
    except IntegrityError:
        raise AlreadySignedError(
            _("%(organisation)s has already signed this agreement.") % {"organisation": organisation.name},
            code="already_signed",
        ) from None
    logger.info("agreements: signature %s requested for agreement %s", signatory.pk, agreement.pk)
    _mail_representatives(signatory, template="agreements/signature_requested", kind="agreements.requested")
    _mail_coordinators(signatory, template="agreements/signature_requested_coordinators", kind="agreements.requested")
    return signatory


def signatory_verify_preview(*, signatory: Signatory) -> Preview:
    """What verifying this signature will do: it becomes public and the representatives are told."""
    problems = []
    if signatory.status != Signatory.Status.PENDING:
        problems.append(_("Only a pending signature can be verified."))
    return Preview(
        obj=signatory,
        effects=[
            _("The signature is verified and shown on the agreement's public list of signatories."),
            _("The person who asked to sign, else the organisation's representatives, are told by e-mail."),
        ],
        recipients=len(_representative_recipients(signatory)),
        irreversible=[_("The e-mails cannot be recalled (the signature can later be withdrawn).")],
        problems=problems,
    )


@transaction.atomic
def signatory_verify(*, signatory: Signatory, by) -> Signatory:
    """A coordinator verifies a pending signature; it then appears on the public list."""
    signatory = Signatory.objects.select_for_update().select_related("agreement", "organisation").get(pk=signatory.pk)
    if signatory.status != Signatory.Status.PENDING:
        raise ValidationError(_("Only a pending signature can be verified."), code="not_pending")
    signatory.status = Signatory.Status.VERIFIED
    signatory.verified_at = timezone.now()
    signatory.verified_by = by
    _save(signatory, user=by)
    logger.info("agreements: signature %s verified by user %s", signatory.pk, getattr(by, "pk", None))
    _mail_representatives(signatory, template="agreements/signature_verified", kind="agreements.verified")
    return signatory


@transaction.atomic
def signatory_withdrawal_request(*, signatory: Signatory, user, reason: str = "") -> Signatory:
    """A representative asks to withdraw the organisation's signature; a coordinator confirms it."""
    signatory = Signatory.objects.select_for_update().select_related("agreement", "organisation").get(pk=signatory.pk)
    if not permissions.can_request_withdrawal(user, signatory):
        raise ValidationError(
            _("Only a representative of the organisation can withdraw its signature."), code="not_representative"
        )
    if signatory.status == Signatory.Status.WITHDRAWN:
        raise ValidationError(_("The signature has already been withdrawn."), code="already_withdrawn")
    if signatory.withdrawal_requested_at:
        raise ValidationError(_("You have already asked to withdraw this signature."), code="already_requested")
    signatory.withdrawal_requested_at = timezone.now()
    signatory.withdrawal_reason = reason.strip()
    _save(signatory, user=user)
    logger.info("agreements: withdrawal of signature %s requested", signatory.pk)
    _mail_coordinators(
        signatory, template="agreements/withdrawal_requested_coordinators", kind="agreements.withdrawal_requested"
    )
    return signatory


@transaction.atomic
def signatory_withdraw(*, signatory: Signatory, by, reason: str = "", withdrawn_on: dt.date | None = None) -> Signatory:
    """A coordinator withdraws a signature (usually on the organisation's request).

    The signatory leaves the public list; in the growth numbers it counts until ``withdrawn_on``.
    """
    signatory = Signatory.objects.select_for_update().select_related("agreement", "organisation").get(pk=signatory.pk)
    if signatory.status == Signatory.Status.WITHDRAWN:
        raise ValidationError(_("The signature has already been withdrawn."), code="already_withdrawn")
    withdrawn_on = withdrawn_on or timezone.localdate()
    if withdrawn_on < signatory.signed_on:
        raise ValidationError(_("The withdrawal date cannot be before the date signed."), code="before_signed")
    signatory.status = Signatory.Status.WITHDRAWN
    signatory.withdrawn_on = withdrawn_on
    signatory.withdrawn_by = by
    signatory.withdrawal_reason = (reason or signatory.withdrawal_reason).strip()
    _save(signatory, user=by)
    logger.info("agreements: signature %s withdrawn by user %s", signatory.pk, getattr(by, "pk", None))
    _mail_representatives(signatory, template="agreements/signature_withdrawn", kind="agreements.withdrawn")
    return signatory


# --- import of existing signatories from a spreadsheet ---------------------------------------


@dataclass
class ImportRowError:
    row: int
    values: tuple
    message: str


@dataclass
class ImportReport:
    created: int = 0
    organisations_created: int = 0
    organisations_linked: int = 0
    errors: list[ImportRowError] = field(default_factory=list)


def _parse_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    try:
        return parse_date(text[:10]) if text else None
    except ValueError:
        return None


class _RowRefused(Exception):
    """A row of the import that is reported and skipped, with the message the coordinator reads."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _import_row_values(values: tuple, *, seen: set[str]) -> tuple[str, str, dt.date]:
    """The row's organisation name, normalised organisation number and date signed; the number is
    remembered in ``seen`` so that a second row with it is refused."""
    name, number, signed = str(values[0]).strip(), str(values[1]).strip(), values[2]
    if any(ILLEGAL_CHARACTERS.search(str(value)) for value in values):
        # Refused before any query: PostgreSQL refuses a NUL in text, and inside the import's one
        # transaction that error would be the whole import's, not this row's.
        raise _RowRefused(
            _("The row contains a control character (an invisible character such as NUL). Remove it and import again.")
        )
    if not name:
        raise _RowRefused(_("The organisation name is missing."))
    try:
        number = normalise_orgnr(number)
    except ValidationError as exc:
        raise _RowRefused(" ".join(exc.messages)) from None
    signed_on = _parse_date(signed)
    if signed_on is None:
        raise _RowRefused(_("The date signed is missing or not a date (use YYYY-MM-DD)."))
    if signed_on > timezone.localdate():
        raise _RowRefused(_("The date signed is in the future."))
    if number in seen:
        raise _RowRefused(_("The organisation number appears more than once in the file."))
    seen.add(number)
    return name, number, signed_on


def _import_organisation(*, agreement: Agreement, name: str, number: str, by, now) -> tuple[Organisation, bool]:
    """The organisation with this number and whether it was created now: created as verified (not listed)
    when it is missing; refused when it is already on the agreement's list."""
    organisation = Organisation.objects.filter(organisation_number=number).first()
    if organisation is None:
        try:
            organisation = organisation_create(
                name=name[:200],
                organisation_number=number,
                status=Organisation.Status.VERIFIED,
                public_listing=False,
            )
        except ValidationError as exc:
            raise _RowRefused(" ".join(exc.messages)) from None
        Organisation.objects.filter(pk=organisation.pk).update(verified_at=now, verified_by=by)
        return organisation, True
    if Signatory.objects.filter(agreement=agreement, organisation=organisation).exists():
        raise _RowRefused(
            _("%(organisation)s is already on the list of signatories.") % {"organisation": organisation.name}
        )
    return organisation, False


@transaction.atomic
def signatory_import(*, agreement: Agreement, rows: Iterable[tuple], by=None) -> ImportReport:
    """Import signatories from spreadsheet rows of (organisation name, organisation number, date signed).

    Rows are linked by organisation number to existing organisations; a missing organisation is created
    as *verified* (the region holds the signed paper, which is the verification) but not listed in the
    public directory (``public_listing`` stays off until the organisation consents). Rows with an invalid
    number or date, an empty name, a repeated number or an organisation already on the list are reported
    and skipped; the rest are imported as verified signatures.
    """
    report = ImportReport()
    seen: set[str] = set()
    now = timezone.now()
    for index, raw in enumerate(rows, start=2):  # row 1 is the header
        values = tuple("" if v is None else v for v in (list(raw) + ["", "", ""])[:3])
        if not any(str(v).strip() for v in values):
            continue
        try:
            name, number, signed_on = _import_row_values(values, seen=seen)
            organisation, created = _import_organisation(agreement=agreement, name=name, number=number, by=by, now=now)
        except _RowRefused as refused:
            report.errors.append(
                ImportRowError(row=index, values=tuple(str(v) for v in values), message=refused.message)
            )
            continue
        if created:
            report.organisations_created += 1
        else:
            report.organisations_linked += 1
        signatory = Signatory(
            agreement=agreement,
            organisation=organisation,
            signed_on=signed_on,
            method=Signatory.Method.IMPORTED,
            status=Signatory.Status.VERIFIED,
            verified_at=now,
            verified_by=by,
        )
        _save(signatory, user=by)
        report.created += 1
    logger.info(
        "agreements: imported %s signatories to agreement %s, %s rows refused",
        report.created,
        agreement.pk,
        len(report.errors),
    )
    pages_changed()
    return report
