"""Challenges waiting for a coordinator's decision on the admin's start page (core/registry.py)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.registry import WorkItem

from .models import Challenge


def items(request):
    if not request.user.has_perm("challenges.change_challenge"):
        return []
    return [
        WorkItem(
            _("Challenges to moderate"),
            Challenge.objects.filter(status=Challenge.Status.PROPOSED).count(),
            reverse("admin:challenges_challenge_changelist") + f"?status__exact={Challenge.Status.PROPOSED}",
        )
    ]
