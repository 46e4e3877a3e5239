"""The English versions of the demo consultations' texts (the Swedish stay in consultations/demo.py).
Applied after the region's story by ``load``. The answers and the region's responses are the
organisations' and the region's own words: they stay as written."""

from core.demo import add_english

from .models import Consultation, Section

PLAN_SLUG = "remiss-handlingsplan-2019-2022"
REVISION_SLUG = "remiss-revidering-av-overenskommelsen"

CONSULTATIONS = {
    PLAN_SLUG: {
        "title_en": "Draft action plan 2019–2022 for the agreement",
        "background_en": "The working group for the agreement – five politicians and five representatives of civil "
        "society, the latter chosen on 26 April 2019 – has drawn up a draft of a new action plan for 2019–2022. "
        "Before the regional executive board decides on the plan in the autumn of 2019, the draft is sent for "
        "consultation to the organisations that have signed the agreement.\n\n"
        "Answer each section: agree, partly agree, disagree or abstain, preferably with a comment.",
    },
    REVISION_SLUG: {
        "title_en": "Revision of the agreement with civil society",
        "background_en": "The agreement between Västra Götalandsregionen and civil society was signed in 2014. "
        "The region and the working group now propose a revision: a clearer section on the principles, a "
        "description of how organisations join online and a follow-up linked to the action plans.\n\n"
        "The consultation goes to a selection of the organisations that have signed the agreement.",
    },
}

PLAN_SECTIONS = {
    "Inledning och syfte": {
        "heading_en": "Introduction and purpose",
        "text_en": "The action plan puts the agreement into practice for 2019–2022. It is to increase the "
        "collaboration between the parties and create a dialogue between equals that increases their knowledge "
        "of each other.",
    },
    "Gemensam service – inköp och upphandling": {
        "heading_en": "Shared services – purchasing and procurement",
        "text_en": "The region draws up guidance on non-profit public partnership (IOP) and reserved "
        "procurement, and invites non-profit organisations to a dialogue before procurements that concern them "
        "are advertised.",
    },
    "Hälso- och sjukvård": {
        "heading_en": "Health care",
        "text_en": "Collaboration between health centres and patient and carer associations is tried in three "
        "municipalities. The carer associations' support in the hospitals is spread.",
    },
    "Regional utveckling": {
        "heading_en": "Regional development",
        "text_en": "The importance of associations for services and meeting places in the countryside is mapped.",
    },
    "Uppföljning": {
        "heading_en": "Follow-up",
        "text_en": "The parties follow up the plan at a yearly dialogue conference. The working group reports to "
        "the regional executive board's committee for public health and social sustainability.",
    },
}

REVISION_SECTIONS = {
    "Parter och syfte": {
        "heading_en": "Parties and purpose",
        "text_en": "The agreement is made between Västra Götalandsregionen and the non-profit organisations that "
        "sign it. Its purpose is unchanged.",
    },
    "Principer": {
        "heading_en": "Principles",
        "text_en": "The parties work together on the principles of dialogue, quality, autonomy and independence, "
        "openness and transparency, diversity and a long-term view. Each principle is described with examples.",
    },
    "Att ansluta sig": {
        "heading_en": "Joining",
        "text_en": "An organisation can join by signing the agreement online on Samverkansportalen, with the "
        "board's decision attached.",
    },
    "Uppföljning": {
        "heading_en": "Follow-up",
        "text_en": "The agreement is followed up through the action plans and a yearly dialogue conference.",
    },
}


def add_english_texts(stdout=None) -> int:
    """The English texts of the region in force's demo consultations and their sections."""
    sections = Section.objects.all()
    return (
        add_english(Consultation.objects.all(), CONSULTATIONS)
        + add_english(sections.filter(consultation__slug=PLAN_SLUG), PLAN_SECTIONS, key="heading")
        + add_english(sections.filter(consultation__slug=REVISION_SLUG), REVISION_SECTIONS, key="heading")
    )
