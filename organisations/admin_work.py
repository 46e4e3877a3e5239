"""What waits for coordinators in the organisations app (the admin's start page, core/registry.py)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.registry import WorkItem

from .models import Contact, InterestSubmission, Mandate, Organisation


def items(request):
    user = request.user
    found = []
    if user.has_perm("organisations.change_organisation"):
        found.append(
            WorkItem(
                _("Organisations to verify"),
                Organisation.objects.filter(status=Organisation.Status.SUBMITTED).count(),
                reverse("admin:organisations_organisation_changelist")
                + f"?status__exact={Organisation.Status.SUBMITTED}",
            )
        )
    if user.has_perm("organisations.change_interestsubmission"):
        found.append(
            WorkItem(
                _("New interest submissions"),
                InterestSubmission.objects.filter(handled=False).count(),
                reverse("admin:organisations_interestsubmission_changelist") + "?handled__exact=0",
            )
        )
    if user.has_perm("organisations.change_contact"):
        found.append(
            WorkItem(
                _("Contact persons to confirm"),
                Contact.objects.filter(confirmed=False).count(),
                reverse("admin:organisations_contact_changelist") + "?confirmed__exact=0",
            )
        )
    if user.has_perm("organisations.change_mandate"):
        found.append(
            WorkItem(
                _("Mandates to verify"),
                Mandate.objects.requested().count(),
                reverse("admin:organisations_mandate_changelist") + f"?status__exact={Mandate.Status.REQUESTED}",
            )
        )
    return found
