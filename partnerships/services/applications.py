"""An organisation's application: a draft saved on every post, submitted once under a mandate."""

import functools
import hashlib
import logging
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.money import sek
from organisations.representation import acts_for, mandate_for, mandate_needed_message
from outbox.services import email_queue

from .. import permissions
from ..cache import pages_changed
from ..models import Application, ApplicationAttachment, BudgetLine, GrantCall

logger = logging.getLogger(__name__)


class ApplicationLockedError(ValidationError):
    """The application has been submitted: it can no longer change."""


def _check_representative(*, organisation, user) -> None:
    if user is None or not user.is_authenticated:
        raise ValidationError(_("Log in to apply for your organisation."), code="not_logged_in")
    if not acts_for(user, organisation):
        raise ValidationError(
            _("Only a representative of %(organisation)s can apply for it.") % {"organisation": organisation.name},
            code="not_representative",
        )


def _check_open(call: GrantCall, now: datetime) -> None:
    if not permissions.accepting_applications(call, now):
        raise ValidationError(
            _("The call is not open for applications: the last day to apply was %(deadline)s.")
            % {"deadline": date_format(timezone.localtime(call.closes_at), "DATETIME_FORMAT")},
            code="closed",
        )


def _save_budget(application: Application, budget: list[tuple[str, int]]) -> None:
    application.budget_lines.all().delete()
    BudgetLine.objects.bulk_create(
        BudgetLine(
            application=application, order=index, item=item.strip(), amount=amount, region_id=application.region_id
        )
        for index, (item, amount) in enumerate(budget)
        if item.strip()
    )


@transaction.atomic
def application_save(
    *,
    call: GrantCall,
    organisation,
    user,
    title: str = "",
    description: str = "",
    answers: dict | None = None,
    amount_requested: int | None = None,
    budget: list[tuple[str, int]] | None = None,
    attachment=None,
    attachment_title: str = "",
    remove_attachments=(),
    upload_key: str = "",
    now: datetime | None = None,
) -> Application:
    """Save the organisation's application as a draft (every post of the form saves it). ``upload_key``:
    the form post's token; the same file that came with the same token before is not stored again.

    Refused for anyone who does not represent ``organisation`` (so never another organisation's
    application), after the deadline, and once the application is submitted (``ApplicationLockedError``).
    """
    now = now or timezone.now()
    _check_representative(organisation=organisation, user=user)
    call = GrantCall.objects.select_for_update().get(pk=call.pk)  # the parent first, always
    application = Application.objects.select_for_update().filter(call=call, organisation=organisation).first()
    _check_open(call, now)
    if application is not None and not application.is_draft:
        raise ApplicationLockedError(
            _("%(organisation)s has already submitted its application.") % {"organisation": organisation.name},
            code="submitted",
        )
    if application is None:
        application = Application(call=call, organisation=organisation, created_by=user)
    application.title = title.strip()
    application.description = description.strip()
    known = {str(q.pk) for q in call.questions.all()}
    application.answers = {key: value.strip() for key, value in (answers or {}).items() if key in known}
    application.amount_requested = amount_requested
    application._history_user = user
    application.save()
    _save_budget(application, budget or [])
    if remove_attachments:
        for item in application.attachments.filter(pk__in=list(remove_attachments)):
            item.delete()
            # The file goes once the removal is committed: if anything after this fails (the new attachment the
            # storage refuses), the transaction brings the row back, and its file must still be there.
            transaction.on_commit(functools.partial(item.file.storage.delete, item.file.name), robust=True)
    if attachment:
        _attach(application, attachment, title=attachment_title, token=upload_key)
    return application


def _attach(application: Application, upload, *, title: str, token: str) -> None:
    """Store ``upload`` on the application, unless the same file came with the same form's token before (a double
    click: the first post stored it, under the application's lock). The form shown again after an error keeps its
    token, so another file sent with it is new: the key is the token and the file's contents together."""
    key = _upload_key(token, upload) if token else ""
    if key and application.attachments.filter(upload_key=key).exists():
        return
    ApplicationAttachment.objects.create(
        application=application, title=(title.strip() or _("Attachment"))[:200], file=upload, upload_key=key
    )


def _upload_key(token: str, upload) -> str:
    digest = hashlib.sha256(token.encode() + b"\0")
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _submit_problems(application: Application) -> list[str]:
    call = application.call
    problems = []
    if not application.title:
        problems.append(_("Give the project a title."))
    if not application.description:
        problems.append(_("Describe what the organisation wants to do."))
    missing = [q.text for q in call.questions.all() if q.required and not application.answers.get(str(q.pk))]
    if missing:
        problems.append(
            _("Answer every required question. Missing: %(questions)s.") % {"questions": "; ".join(missing)}
        )
    total = application.budget_total()
    if not total:
        problems.append(_("Fill in the budget: at least one cost item with an amount."))
    elif application.amount_requested != total:
        problems.append(
            _("The budget does not add up: the cost items come to %(total)s but %(requested)s is applied for.")
            % {"total": sek(total), "requested": sek(application.amount_requested or 0)}
        )
    if (application.amount_requested or 0) > call.ceiling:
        problems.append(
            _("The amount applied for is over the call's ceiling of %(ceiling)s per application.")
            % {"ceiling": sek(call.ceiling)}
        )
    return problems


@transaction.atomic
def application_submit(
    *, application: Application, user, now: datetime | None = None, authentication: dict | None = None
) -> Application:
    """Submit a saved draft, once: the call row and then the application are locked, so two representatives
    submitting at the same moment give one submission (the second gets ``ApplicationLockedError``).

    Needs a verified mandate in force (``ACTS["apply_for_grant"]``), the call open, a complete application
    whose budget adds up and stays under the call's ceiling. The submitter gets a receipt.
    """
    now = now or timezone.now()
    call_id = Application.objects.values_list("call_id", flat=True).get(pk=application.pk)
    call = GrantCall.objects.select_for_update().get(pk=call_id)
    application = (
        Application.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=application.pk)
    )
    application.call = call
    _check_representative(organisation=application.organisation, user=user)
    if not application.is_draft:
        raise ApplicationLockedError(_("The application has already been submitted."), code="submitted")
    mandate = mandate_for(user, application.organisation, permissions.APPLY_ACT, on=timezone.localdate(now))
    if mandate is None:
        raise ValidationError(
            mandate_needed_message(permissions.APPLY_ACT, application.organisation), code="no_mandate"
        )
    _check_open(call, now)
    problems = _submit_problems(application)
    if problems:
        raise ValidationError([ValidationError(p, code="incomplete") for p in problems])
    application.status = Application.Status.SUBMITTED
    application.submitted_by = user
    application.submitted_at = now
    application.record_act(mandate=mandate, authentication=authentication)
    application._history_user = user
    application.save()
    pages_changed()
    if user.email:
        email_queue(
            to=user.email,
            template="partnerships/application_submitted",
            context={"call": call, "organisation": application.organisation, "application": application},
            language=getattr(user, "language", "") or None,
            kind="partnerships.application_submitted",
        )
    logger.info("partnerships: application %s submitted", application.pk)
    return application
