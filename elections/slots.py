"""The selection rounds' part of the agreement page (``portal.slot`` in ``elections/portal.py``).

The agreement page is cached by agreements, following the elections' version (the slot's
``caches``), which a write to a round, a nomination or a cast ballot moves on.
"""

from .selectors import current_round_for_agreement, turnout


def agreement_context(request, agreement) -> dict:
    """The agreement's current selection round (the selector decides which) and its turnout."""
    selection_round = current_round_for_agreement(agreement=agreement)
    return {"round": selection_round, "turnout": turnout(round=selection_round) if selection_round else None}
