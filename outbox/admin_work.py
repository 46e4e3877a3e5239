"""Failed e-mails on the admin's start page (core/registry.py)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.registry import WorkItem

from .models import OutgoingEmail


def items(request):
    if not request.user.has_perm("outbox.view_outgoingemail"):
        return []
    return [
        WorkItem(
            _("Failed e-mails"),
            OutgoingEmail.objects.filter(status=OutgoingEmail.Status.FAILED).count(),
            reverse("admin:outbox_outgoingemail_changelist") + f"?status__exact={OutgoingEmail.Status.FAILED}",
        )
    ]
