"""The English versions of the demo agreement's texts (the Swedish stay in agreements/demo.py). Applied
after the region's story by ``load``. The text of the agreement itself, the signed document, stays as
it was signed (in Swedish)."""

from core.demo import add_english

from .models import Action, ActionPlan, Agreement

AGREEMENTS = {
    "vgr-civila-samhallet": {
        "title_en": "Agreement between Västra Götalandsregionen and civil society",
        "summary_en": "The agreement is to increase the collaboration between Västra Götalandsregionen and civil "
        "society organisations within the region's fields of activity: shared services (mainly purchasing and "
        "procurement), health care and regional development. It is also to create a dialogue between equals "
        "that increases the parties' knowledge of each other.",
    },
}

ACTION_PLANS = {
    "Handlingsplan för överenskommelsen": {
        "title_en": "Action plan for the agreement",
        "summary_en": "The action plan was drawn up by five politicians and five representatives of civil society "
        "and covers the agreement's three fields: shared services (purchasing and procurement), health care and "
        "regional development.",
    },
}

ACTIONS = {
    "Vägledning om idéburet offentligt partnerskap och reserverad upphandling": {
        "title_en": "Guidance on non-profit public partnership and reserved procurement",
        "description_en": "Draw up guidance on when non-profit public partnership (IOP) and reserved procurement "
        "can be used.",
    },
    "Dialogmöten inför större upphandlingar": {
        "title_en": "Dialogue meetings before larger procurements",
        "description_en": "Invite non-profit organisations to a dialogue before procurements that concern their "
        "fields of activity are advertised.",
    },
    "Idéburna organisationer i arbetet med god och nära vård": {
        "title_en": "Non-profit organisations in the work on good and close care",
        "description_en": "Try collaboration between health centres and patient and carer associations in three "
        "municipalities.",
    },
    "Anhörigstöd på sjukhusen": {
        "title_en": "Support for relatives in the hospitals",
        "description_en": "Spread the experience of the carer associations' support in two hospitals.",
    },
    "Årlig dialogkonferens": {
        "title_en": "Yearly dialogue conference",
        "description_en": "A yearly conference where the parties follow up the agreement and the action plan.",
    },
    "Kunskapsutbyte om föreningslivets roll på landsbygden": {
        "title_en": "Sharing knowledge on the role of associations in the countryside",
        "description_en": "Map the importance of associations for services and meeting places in the countryside.",
    },
}


def add_english_texts(stdout=None) -> int:
    """The English texts of the region in force's demo agreement, its action plan and actions."""
    return (
        add_english(Agreement.objects.all(), AGREEMENTS)
        + add_english(ActionPlan.objects.all(), ACTION_PLANS, key="title")
        + add_english(Action.objects.all(), ACTIONS, key="title")
    )
