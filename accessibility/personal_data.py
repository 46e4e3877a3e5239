"""What ``accessibility`` holds about a person: the reports sent under their address. Erasure deletes them
(a report is only kept to answer its sender)."""

from django.db.models import Q

from core.personal_data import addresses_of, linked_rows

from .models import AccessibilityReport


def _by_address(user) -> Q:
    found = Q(pk__in=[])
    for address in addresses_of(user=user):
        found |= Q(email__iexact=address)
    return found


def export(user) -> dict:
    return {"accessibility.AccessibilityReport": linked_rows(AccessibilityReport, user, also=_by_address(user))}


def erase(user) -> dict:
    deleted, _ = AccessibilityReport.objects.filter(_by_address(user)).delete()
    return {"accessibility reports deleted": deleted}
