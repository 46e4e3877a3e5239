"""What waits for coordinators in selection rounds (the admin's start page, core/registry.py)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.registry import WorkItem

from .models import SelectionRound


def items(request):
    if not request.user.has_perm("elections.change_selectionround"):
        return []
    now = timezone.now()
    rounds = SelectionRound.objects
    changelist = reverse("admin:elections_selectionround_changelist")
    steps = [
        (_("Selection rounds whose nominations have closed: open voting"), SelectionRound.Status.NOMINATING,
         rounds.filter(status=SelectionRound.Status.NOMINATING, nomination_closes__lte=now)),
        (_("Selection rounds whose voting has closed: count"), SelectionRound.Status.VOTING,
         rounds.filter(status=SelectionRound.Status.VOTING, voting_closes__lte=now)),
        (_("Counted selection rounds: publish the result"), SelectionRound.Status.COUNTED,
         rounds.filter(status=SelectionRound.Status.COUNTED)),
    ]  # fmt: skip
    return [
        WorkItem(label, queryset.count(), f"{changelist}?status__exact={status}") for label, status, queryset in steps
    ]
