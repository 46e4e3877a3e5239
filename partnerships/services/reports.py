"""The follow-up report of a grant: submitted by the organisation, reviewed by a coordinator, reminded of
once per (report, kind) by the daily beat."""

import logging
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.admin_confirm import Preview
from organisations.representation import acts_for

from ..models import FollowUpReport, ReportReminder
from .mail import mail_organisation, organisation_recipients

logger = logging.getLogger(__name__)

REMIND_BEFORE = timedelta(days=30)
OPEN_FOR_REPORT = (FollowUpReport.Review.DUE, FollowUpReport.Review.RETURNED)


@transaction.atomic
def report_submit(
    *,
    report: FollowUpReport,
    user,
    what_was_done: str,
    money_used: str,
    amount_used: int | None,
    now: datetime | None = None,
) -> FollowUpReport:
    """A representative of the granted organisation submits the report (again, after it was returned)."""
    now = now or timezone.now()
    report = FollowUpReport.objects.select_for_update().select_related("application__organisation").get(pk=report.pk)
    if not acts_for(user, report.application.organisation):
        raise ValidationError(_("Only a representative of the organisation can report for it."), code="not_rep")
    if report.review_status not in OPEN_FOR_REPORT:
        raise ValidationError(_("The report has already been submitted."), code="submitted")
    problems = []
    if not what_was_done.strip():
        problems.append(ValidationError(_("Tell what was done with the grant."), code="required"))
    if not money_used.strip():
        problems.append(ValidationError(_("Tell how the money was used."), code="required"))
    if problems:
        raise ValidationError(problems)
    report.what_was_done, report.money_used = what_was_done.strip(), money_used.strip()
    report.amount_used = amount_used
    report.review_status = FollowUpReport.Review.SUBMITTED
    report.submitted_by, report.submitted_at = user, now
    report._history_user = user
    report.save()
    logger.info("partnerships: report %s submitted", report.pk)
    return report


def report_review_preview(*, report: FollowUpReport, approve: bool) -> Preview:
    problems = [] if report.review_status == FollowUpReport.Review.SUBMITTED else [_("The report is not submitted.")]
    effect = _("The report is approved.") if approve else _("The report is returned for completion.")
    return Preview(
        obj=report,
        effects=[effect],
        recipients=len(organisation_recipients(report.application.organisation)),
        irreversible=[_("The organisation's representatives are told by e-mail.")],
        problems=problems,
    )


@transaction.atomic
def report_review(
    *, report: FollowUpReport, by, approve: bool, comment: str = "", now: datetime | None = None
) -> FollowUpReport:
    """A coordinator approves the report or returns it for completion; the organisation is told."""
    now = now or timezone.now()
    report = FollowUpReport.objects.select_for_update().select_related("application__organisation").get(pk=report.pk)
    if report.review_status != FollowUpReport.Review.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be reviewed."), code="not_submitted")
    report.review_status = FollowUpReport.Review.APPROVED if approve else FollowUpReport.Review.RETURNED
    report.review_comment = comment.strip()
    report.reviewed_by, report.reviewed_at = by, now
    report._history_user = by
    report.save()
    mail_organisation(
        report.application.organisation,
        template="partnerships/report_reviewed",
        kind=f"partnerships.report.{report.review_status}",
        context={"report": report, "application": report.application},
    )
    return report


def _due_kind(report: FollowUpReport, today) -> str | None:
    if today > report.due_on:
        return ReportReminder.Kind.OVERDUE
    if today >= report.due_on - REMIND_BEFORE:
        return ReportReminder.Kind.MONTH
    return None


def reports_remind(*, now: datetime | None = None) -> int:
    """Remind organisations of a report due within 30 days, and once more when it is overdue.

    Each (report, kind) once: the unique constraint on ReportReminder decides, so a second run, or a
    second worker at the same time, mails nobody twice. Returns the e-mails queued."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    queued = 0
    due = FollowUpReport.objects.filter(
        review_status__in=OPEN_FOR_REPORT, due_on__lte=today + REMIND_BEFORE
    ).select_related("application__organisation", "application__call")
    for report in due:
        kind = _due_kind(report, today)
        if kind is None:
            continue
        try:
            with transaction.atomic():
                ReportReminder.objects.create(report=report, kind=kind)
                queued += mail_organisation(
                    report.application.organisation,
                    template="partnerships/report_reminder",
                    kind=f"partnerships.report_reminder.{kind}",
                    context={"report": report, "application": report.application, "overdue": kind == "overdue"},
                )
        except IntegrityError:
            continue  # reminded already (or by a run at the same moment)
    if queued:
        logger.info("partnerships: %s report reminder e-mails queued", queued)
    return queued
