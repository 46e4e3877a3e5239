"""The English versions of the demo meetings' texts (the Swedish stay in meetings/demo.py, as told in the
seeds). Applied after each region's story by ``load``; a meeting or item not named here keeps only its
Swedish text (the English pages show it marked ``lang="sv"``)."""

from core.demo import add_english

from .models import Meeting, ProgrammeItem

HALLAND_SUMMARY = (
    "One of two dialogue meetings in the project The Best Place to Collaborate: how civil society and Region "
    "Halland can work better together for social sustainability."
)
HALLAND_DESCRIPTION = (
    "Region Halland wants to make better use of civil society's knowledge in regional development. During the "
    "year the project leader has met many non-profit organisations, and the need for learning from each other "
    "and for conversation is great. The region therefore invites civil society to two dialogue meetings, with "
    "the managers and politicians responsible.\n\nThe Best Place to Collaborate is run by Regional Development "
    "and Culture in Halland and lasts until the turn of the year 2016/17."
)

MEETINGS = {
    "samverkan-civilsamhallet-februari-2022": {
        "title_en": "Collaboration with civil society – kick-off meeting",
        "summary_en": "The region met a selection of representatives of civil society to tell them about the "
        "process and to hear their ideas and thoughts for the work ahead.",
        "description_en": "Region Västernorrland is looking at what structures and methods for continued "
        "collaboration could look like. The work is challenge-driven: the challenge is at the centre – one the "
        "region sees, or one that civil society finds pressing and wants to raise.",
    },
    "samverkan-civilsamhallet-4-maj-2022": {
        "title_en": "Collaboration with civil society – the refugee situation and public health",
        "summary_en": "An online meeting on the acute situation since the war in Ukraine began, the refugee "
        "situation and public health, and 'good and close care'.",
        "description_en": "We focus on the acute situation that has arisen since the war in Ukraine began. We "
        "link the refugee situation to public health and also plan to touch on 'good and close care'.\n\n"
        "Does your organisation want to take part, share good examples from the refugee situation of 2015 or "
        "be involved in the work ahead? You could say so when you signed up.",
    },
    "dialogmote-nara-vard-och-civilsamhallet": {
        "title_en": "Dialogue meeting: close care and civil society",
        "summary_en": "How can associations and the region together contribute to good and close care?",
        "description_en": "A hybrid meeting for every non-profit organisation in the county: in Härnösand or online.",
    },
    "verkstad-goda-exempel-integration": {
        "title_en": "Workshop: good examples of integration",
        "summary_en": "A small workshop where organisations share good examples from the refugee situation.",
        "description_en": "Places are few so that everyone gets a say. When the meeting is full you can join "
        "the waitlist.",
    },
    "dialogmote-halland-6-oktober-2016": {
        "title_en": "Dialogue meeting on social sustainability – 6 October 2016",
        "summary_en": HALLAND_SUMMARY,
        "description_en": HALLAND_DESCRIPTION,
    },
    "dialogmote-halland-9-november-2016": {
        "title_en": "Dialogue meeting on social sustainability – 9 November 2016",
        "summary_en": HALLAND_SUMMARY,
        "description_en": HALLAND_DESCRIPTION,
    },
    "traff-om-det-framtida-samarbetet-2019": {
        "title_en": "Meeting on the future collaboration with civil society",
        "summary_en": "The committee for public health and social sustainability meets civil society about the "
        "group that will draw up the new action plan for 2019–2022.",
        "description_en": "In 2014 Västra Götalandsregionen signed an agreement together with 70 organisations; "
        "today 107 organisations have signed it. The group that draws up the new action plan has five "
        "politicians and five representatives of civil society, who are chosen on 26 April. The regional "
        "executive board decides on the action plan in the autumn of 2019.",
    },
}

# Programme items, by their Swedish title (unique within the demo's meetings).
PROGRAMME = {
    "Rätten till vård": {
        "title_en": "The right to health care",
        "description_en": "What does the Temporary Protection Directive mean, unlike asylum, for health care?",
    },
    "Vaccinationsnivån är låg i Östeuropa och Ukraina": {
        "title_en": "Vaccination rates are low in Eastern Europe and Ukraine",
        "description_en": "Does it affect us – the vaccination cover built up here and public health at large?",
    },
    "De humanitära organisationerna – vilka behov ser de?": {
        "title_en": "The humanitarian organisations – what needs do they see?",
    },
    "Frustration, mod och vilja – projektet Cross": {"title_en": "Frustration, courage and will – the Cross project"},
    "God och nära vård – vad innebär det i praktiken och på sikt?": {
        "title_en": "Good and close care – what does it mean in practice and in the long run?",
    },
    "Välkommen och syfte": {"title_en": "Welcome and purpose"},
    "Utmaningar vi ser tillsammans": {
        "title_en": "Challenges we see together",
        "description_en": "Conversation in groups.",
    },
    "Nästa steg": {"title_en": "Next steps"},
}


def add_english_texts(stdout=None) -> int:
    """The English texts of the region in force's demo meetings and programme items."""
    return add_english(Meeting.objects.all(), MEETINGS) + add_english(
        ProgrammeItem.objects.all(), PROGRAMME, key="title"
    )
