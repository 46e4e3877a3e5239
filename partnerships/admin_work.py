"""What waits for coordinators in grants and partnerships (the admin's start page, core/registry.py): applications
to assess and to decide, follow-up reports to review, and the partnerships (IOP) whose yearly follow-up of
last year is still missing."""

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.registry import WorkItem

from .models import Application, FollowUpReport
from .selectors import partnerships_missing_follow_up


def items(request):
    user = request.user
    found = []
    if user.has_perm("partnerships.view_application"):
        applications = reverse("admin:partnerships_application_changelist")
        waiting = {Application.Status.SUBMITTED: 0, Application.Status.ASSESSED: 0}
        waiting.update(
            Application.objects.filter(status__in=list(waiting))
            .values_list("status")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for status, label in (
            (Application.Status.SUBMITTED, _("Grant applications to assess")),
            (Application.Status.ASSESSED, _("Assessed grant applications to decide")),
        ):
            found.append(WorkItem(label, waiting[status], f"{applications}?status__exact={status}"))
    if user.has_perm("partnerships.view_followupreport"):
        submitted = FollowUpReport.Review.SUBMITTED
        found.append(
            WorkItem(
                _("Follow-up reports to review"),
                FollowUpReport.objects.filter(review_status=submitted).count(),
                f"{reverse('admin:partnerships_followupreport_changelist')}?review_status__exact={submitted}",
            )
        )
    if user.has_perm("partnerships.change_partnership"):
        year = timezone.localdate().year - 1
        found.append(
            WorkItem(
                _("Partnerships without a follow-up for %(year)s") % {"year": year},
                partnerships_missing_follow_up(year).count(),
                f"{reverse('admin:partnerships_partnership_changelist')}?follow_up_missing={year}",
            )
        )
    return found
