"""The region's decision on an application: prepared, then announced to the organisation by e-mail."""

import logging
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.admin_confirm import Preview
from core.money import sek

from ..cache import pages_changed
from ..models import Application, Decision, FollowUpReport
from .mail import mail_organisation, organisation_recipients

logger = logging.getLogger(__name__)

REPORT_AFTER = timedelta(days=365)  # the report is due a year after the decision unless the decision says


@transaction.atomic
def decision_prepare(
    *,
    application: Application,
    outcome: str,
    by,
    amount: int | None = None,
    reason: str = "",
    public_purpose: str = "",
    report_due_on: date | None = None,
    case_number: str = "",
) -> Decision:
    """Write (or rewrite) the decision before it is announced. A grant needs an amount above zero and no more
    than applied for and the call's ceiling; a refusal needs a reason. The application must be assessed."""
    # Locks in one order everywhere a decision is written: the application, then its decision
    # (decision_announce too; the other way round, a rewrite and an announcement at once deadlocked).
    application = Application.objects.select_for_update(of=("self",)).select_related("call").get(pk=application.pk)
    if application.status != Application.Status.ASSESSED:
        raise ValidationError(_("Only an assessed application can be decided."), code="not_assessed")
    decision = Decision.objects.filter(application=application).first() or Decision(application=application)
    if decision.decided_at:
        raise ValidationError(_("The decision has been announced and can no longer change."), code="announced")
    if outcome == Decision.Outcome.GRANTED:
        ceiling = min(application.call.ceiling, application.amount_requested or 0)
        if not amount or amount <= 0 or amount > ceiling:
            raise ValidationError(
                _("A grant needs an amount from 1 to %(ceiling)s (applied for, and the call's ceiling).")
                % {"ceiling": sek(ceiling)},
                code="amount",
            )
        reason = reason.strip()
    elif outcome == Decision.Outcome.REFUSED:
        if not reason.strip():
            raise ValidationError(_("A refusal needs a reason the organisation is told."), code="reason")
        amount = None
    else:
        raise ValidationError(_("Choose granted or refused."), code="outcome")
    decision.outcome, decision.amount, decision.reason = outcome, amount, reason.strip()
    decision.public_purpose = public_purpose.strip()[:300]
    decision.report_due_on = report_due_on
    decision.case_number = case_number.strip()[:50]
    decision._history_user = by
    decision.save()
    return decision


def _problems(decision: Decision) -> list[str]:
    if decision.decided_at:
        return [_("The decision has already been announced.")]
    if decision.application.status != Application.Status.ASSESSED:
        return [_("Only an assessed application can be decided.")]
    return []


def decision_announce_preview(*, decision: Decision) -> Preview:
    granted = decision.outcome == Decision.Outcome.GRANTED
    effects = [
        _("The application is granted %(amount)s.") % {"amount": sek(decision.amount)}
        if granted
        else _("The application is refused.")
    ]
    if granted:
        effects.append(_("A follow-up report is asked for; it is listed on the public list of grants."))
    return Preview(
        obj=decision,
        effects=effects,
        recipients=len(organisation_recipients(decision.application.organisation)),
        irreversible=[_("The organisation's representatives are told by e-mail.")],
        problems=_problems(decision),
    )


@transaction.atomic
def decision_announce(*, decision: Decision, by, now: datetime | None = None) -> Decision:
    """Announce the decision: the application becomes granted or refused, a grant asks for a follow-up report
    (due on the decision's date, else a year on) and the organisation's representatives are mailed."""
    now = now or timezone.now()
    # The application first, then its decision, as decision_prepare takes them.
    application_id = Decision.objects.values_list("application_id", flat=True).get(pk=decision.pk)
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("organisation", "call")
        .get(pk=application_id)
    )
    decision = Decision.objects.select_for_update(of=("self",)).get(pk=decision.pk)
    decision.application = application
    problems = _problems(decision)
    if problems:
        raise ValidationError(problems[0], code="not_possible")
    granted = decision.outcome == Decision.Outcome.GRANTED
    decision.decided_at, decision.decided_by = now, by
    decision.report_due_on = decision.report_due_on or (timezone.localdate(now) + REPORT_AFTER if granted else None)
    decision._history_user = by
    decision.save()
    application.status = Application.Status.GRANTED if granted else Application.Status.REFUSED
    application.save(update_fields=["status", "updated_at"])
    if granted:
        FollowUpReport.objects.get_or_create(application=application, defaults={"due_on": decision.report_due_on})
    mail_organisation(
        application.organisation,
        template="partnerships/decision",
        kind=f"partnerships.decision.{decision.outcome}",
        context={"decision": decision, "application": application, "call": application.call},
    )
    pages_changed()
    logger.info("partnerships: decision %s announced (%s)", decision.pk, decision.outcome)
    return decision
