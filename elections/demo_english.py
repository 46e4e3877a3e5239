"""The English versions of the demo selection rounds' texts (the Swedish stay in elections/demo.py).
Applied after the region's story by ``load``."""

from core.demo import add_english

from .models import SelectionRound

ROUNDS = {
    "arbetsgrupp-handlingsplan-2019": {
        "title_en": "Selection of civil society's representatives to the working group for the action plan 2019–2022",
        "description_en": "The action plan is drawn up by five politicians and five representatives of civil "
        "society. The organisations that have signed the agreement choose the five representatives.",
    },
    "arbetsgrupp-2027": {
        "title_en": "Selection of civil society's representatives to the working group 2027–2030",
        "description_en": "Ahead of the next action plan, the signatory organisations choose five representatives.",
    },
}


def add_english_texts(stdout=None) -> int:
    """The English texts of the region in force's demo selection rounds."""
    return add_english(SelectionRound.objects.all(), ROUNDS)
