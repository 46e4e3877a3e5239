"""What followers hear of a selection round (issue 25, ``core.events``): nominations opened, voting
opened, result published. Each is addressed to the eligible organisations themselves too (the steps
mail their representatives at once); the round's followers hear it as they chose."""

from core.events import emit

from ..models import SelectionRound
from ..selectors import eligible_organisations


def round_emit(name: str, round: SelectionRound) -> None:
    """Emit ``name`` about ``round`` on commit, to its followers and its eligible organisations."""
    emit(
        name,
        obj=round,
        title=round.title,
        url=round.get_absolute_url(),
        targets=[("elections.round", round.pk)],
        addressed=lambda: eligible_organisations(round=round).values_list("pk", flat=True),
    )
