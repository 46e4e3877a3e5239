"""What waits for coordinators in the agreements app (the admin's start page, core/registry.py)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.registry import WorkItem

from .models import Signatory


def items(request):
    if not request.user.has_perm("agreements.change_signatory"):
        return []
    changelist = reverse("admin:agreements_signatory_changelist")
    return [
        WorkItem(
            _("Signatures to verify"),
            Signatory.objects.filter(status=Signatory.Status.PENDING).count(),
            f"{changelist}?status__exact={Signatory.Status.PENDING}",
        ),
        WorkItem(
            _("Withdrawal requests"),
            Signatory.objects.filter(withdrawal_requested_at__isnull=False)
            .exclude(status=Signatory.Status.WITHDRAWN)
            .count(),
            f"{changelist}?withdrawal_requested=yes",
        ),
    ]
