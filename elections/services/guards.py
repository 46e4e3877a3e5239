"""The checks the steps share: a round's status, its times as the pages show them, who takes part."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from organisations.models import Organisation
from organisations.representation import acts_for

from .. import permissions
from ..models import SelectionRound
from ..selectors import is_eligible


def when(value) -> str:
    """A time as the round's pages and e-mails show it (local time, to the minute)."""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def status_problem(round: SelectionRound, *needed: str) -> list[str]:
    """The problem to show when the round is in none of the ``needed`` statuses; empty when it is."""
    if round.status in needed:
        return []
    return [
        _("The round is %(current)s; this step needs it to be %(needed)s.")
        % {
            "current": round.get_status_display(),
            "needed": " / ".join(str(SelectionRound.Status(s).label) for s in needed),
        }
    ]


def raise_problems(problems: list[str]) -> None:
    """A step refuses with every problem its preview would show."""
    if problems:
        raise ValidationError(problems)


def check_acts_for(*, round: SelectionRound, user, organisation: Organisation) -> None:
    """Nominating and voting are for the representatives of an eligible organisation; else PermissionDenied."""
    if permissions.takes_part(user, round, organisation):
        return
    if not acts_for(user, organisation):
        raise PermissionDenied(_("You do not represent this organisation."))
    if not is_eligible(round=round, organisation=organisation):
        raise PermissionDenied(_("Only organisations that have signed the agreement take part in the round."))
