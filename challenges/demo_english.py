"""The English versions of the demo challenges' texts (the Swedish stay in challenges/demo.py, as told in
the seeds). Applied after each region's story by ``load``; the proposed challenge, written by an
organisation and not public, keeps only its Swedish text."""

from core.demo import add_english

from .models import Challenge, Update

CHALLENGES = {
    "flyktingsituationen-efter-kriget-i-ukraina": {
        "title_en": "The refugee situation after the war in Ukraine and public health",
        "summary_en": "How do we together receive those fleeing the war in Ukraine, and how do we meet the public "
        "health questions: the right to health care, vaccination cover and the humanitarian needs?",
        "description_en": "Since the war in Ukraine began an acute situation has arisen. The region wants to link "
        "the refugee situation to public health: what the Temporary Protection Directive means for the right to "
        "health care, the low vaccination rates in Eastern Europe and Ukraine, and what needs the humanitarian "
        "organisations see.\n\nCivil society has experience from the refugee situation of 2015 that we want to "
        "make use of.",
    },
    "god-och-nara-vard": {
        "title_en": "Good and close care – the role of civil society",
        "summary_en": "The regional council has decided to deepen the collaboration with civil society on good "
        "and close care. What does it mean in practice and in the long run?",
        "description_en": "The shift to good and close care moves care closer to people. Associations and "
        "organisations meet every day those whom care finds hard to reach. How can the region and civil society "
        "together contribute to good and close care throughout the county?",
    },
    "goda-exempel-fran-flyktingsituationen-2015": {
        "title_en": "Make use of the good examples from the refugee situation of 2015",
        "summary_en": "Associations received and supported many families in the autumn of 2015. What did we "
        "learn, and how do we turn the good examples into readiness for next time?",
        "description_en": "The Red Cross regional council wants to gather the good examples from 2015: language "
        "cafés, homework help, housing and meeting places. We want to make them known and see what is needed to "
        "start them again quickly, together with the region and the municipalities.",
    },
    "social-hallbarhet-i-halland": {
        "title_en": "Social sustainability in Halland: better collaboration with civil society",
        "summary_en": "Health differences in the population are growing and several groups find it hard to "
        "enter the labour market. No public body can create a socially sustainable society on its own.",
        "description_en": "Region Halland wants to make better use of civil society's knowledge in regional "
        "development. In the project The Best Place to Collaborate the region invites civil society to two "
        "dialogue meetings for learning from each other and conversation, with the managers and politicians "
        "responsible.",
        "outcome_en": "The project The Best Place to Collaborate ended at the turn of the year 2016/17. The "
        "region's collaboration with civil society continues in a more structured and mutually rewarding way, "
        "with dialogue meetings a standing part of the work.",
    },
}

# Updates, by their Swedish title (unique within the demo).
UPDATES = {
    "Regionen lyfter utmaningen": {
        "title_en": "The region raises the challenge",
        "text_en": "The region takes up the refugee situation as the first challenge of the deepened "
        "collaboration and invites civil society to an online meeting on 4 May.",
    },
    "Dialogmöte om flyktingsituationen och folkhälsan": {
        "title_en": "Dialogue meeting on the refugee situation and public health",
        "text_en": "Five talks: the right to health care, vaccination rates, the humanitarian organisations' "
        "needs, the Cross project and good and close care. Minutes and presentations are on the meeting's page.",
    },
    "Första dialogmötet på Halmstad Teater": {
        "title_en": "The first dialogue meeting at Halmstad Theatre",
        "text_en": "A conversation on how civil society and Region Halland can work better together for social "
        "sustainability.",
    },
    "Andra dialogmötet på Halmstad Teater": {
        "title_en": "The second dialogue meeting at Halmstad Theatre",
        "text_en": "The conversation continued with the managers and politicians responsible: “We want to talk "
        "with the region instead of about them.”",
    },
}


def add_english_texts(stdout=None) -> int:
    """The English texts of the region in force's demo challenges and their updates."""
    return add_english(Challenge.objects.all(), CHALLENGES) + add_english(Update.objects.all(), UPDATES, key="title")
