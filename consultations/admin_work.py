"""What waits for coordinators in consultations (the admin's start page, core/registry.py)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.registry import WorkItem

from .models import Answer, Consultation


def items(request):
    user = request.user
    found = []
    if user.has_perm("consultations.view_answer"):
        found.append(
            WorkItem(
                _("Consultation answers submitted"),
                Answer.objects.filter(
                    state=Answer.State.SUBMITTED, consultation__status=Consultation.Status.OPEN
                ).count(),
                reverse("admin:consultations_answer_changelist") + f"?state__exact={Answer.State.SUBMITTED}",
                kind="info",
            )
        )
    if user.has_perm("consultations.change_consultation"):
        found.append(
            WorkItem(
                _("Closed consultations to compile"),
                Consultation.objects.filter(status=Consultation.Status.CLOSED).count(),
                reverse("admin:consultations_consultation_changelist") + f"?status__exact={Consultation.Status.CLOSED}",
            )
        )
    return found
