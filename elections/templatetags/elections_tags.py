from django import template

from ..selectors import current_round_for_agreement, turnout

register = template.Library()


@register.inclusion_tag("elections/_agreement_round.html")
def agreement_round(agreement):
    """The agreement page's box about its current selection round (the selector decides which)."""
    selection_round = current_round_for_agreement(agreement=agreement)
    return {"round": selection_round, "turnout": turnout(round=selection_round) if selection_round else None}
