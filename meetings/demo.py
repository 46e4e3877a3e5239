"""Demo meetings from the seeds, per region: Region Västernorrland's of 2022 (February, and the digital
4 May meeting with its programme) and two upcoming ones relative to today (one with free places, one full
with a waitlist); Region Halland's two dialogue meetings at Halmstad Teater in autumn 2016 (the project
Bästa samverkansplatsen); Västra Götalandsregionen's meeting with civil society on 2 April 2019 about the
new action plan. Idempotent: keyed on slugs."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from core.demo import run_story

from . import services
from .demo_english import add_english_texts
from .models import (
    Meeting,
    MeetingDocument,
    MeetingEvaluation,
    ProgrammeItem,
    Registration,
    RegistrationAnswer,
    RegistrationQuestion,
    Speaker,
    Topic,
)
from .selectors import pages

STOCKHOLM = ZoneInfo("Europe/Stockholm")

RVN_CONTACT = {
    "organiser": "Region Västernorrland, Regional utveckling",
    "contact_name": "Nina Ulander, samordnare",
    "contact_email": "civilasamhallet@rvn.se",
    "contact_phone": "0611-845 20",
}
HALLAND_CONTACT = {
    "organiser": "Region Halland, Regional utveckling och Kultur i Halland",
    "contact_name": "Projektet Bästa samverkansplatsen",
    "contact_email": "samverkan@halland.example.se",
}
VGR_CONTACT = {
    "organiser": "Västra Götalandsregionen, beredningen för folkhälsa och social hållbarhet",
    "contact_name": "Beredningens sekreterare",
    "contact_email": "civilasamhallet@vgr.example.se",
}

# (start, end, title, description, [(name, title, organisation), ...]) – from seeds/001_*.txt.
# The press text gives no times per talk; the times below are the demo's own.
MAY_PROGRAMME = [
    (
        time(9, 0),
        time(9, 30),
        "Rätten till vård",
        "Vad innebär massflyktsdirektivet till skillnad från asyl och kopplat till sjukvård?",
        [("Anna-Karin Öberg", "asylsamordnare", ""), ("David Lindqvist", "asylsamordnare", "")],
    ),
    (
        time(9, 30),
        time(10, 0),
        "Vaccinationsnivån är låg i Östeuropa och Ukraina",
        "Påverkar det oss – det vaccinationsskydd som byggts upp och folkhälsan i stort?",
        [("Malin Plantin Sjöblom", "verksamhetschef", "")],
    ),
    (
        time(10, 15),
        time(10, 45),
        "De humanitära organisationerna – vilka behov ser de?",
        "",
        [("Ingrid Flodin", "", "Röda Korsets regionråd")],
    ),
    (
        time(10, 45),
        time(11, 30),
        "Frustration, mod och vilja – projektet Cross",
        "",
        [
            ("Johanna Ek", "projektledare vid Regional utveckling", "Region Örebro"),
            ("Sofia Tungfelt", "verksamhetsansvarig", "Möckelnföreningarna"),
            ("Märtha Lundkvist", "enhetschef och strateg för Nära vård", "Region Örebro"),
        ],
    ),
    (
        time(11, 30),
        time(12, 0),
        "God och nära vård – vad innebär det i praktiken och på sikt?",
        "",
        [("Linda Strid", "programansvarig", "")],
    ),
]

PEOPLE = [
    ("Astrid Berg", "Föreningen Gemenskap i Sundsvall"),
    ("Björn Holm", "Idrottsföreningen Norrstjärnan"),
    ("Cecilia Lund", "Studieförbundet Kunskap"),
    ("David Ek", "Möckelnföreningarna"),
    ("Elin Sjöberg", "Röda Korset Härnösand"),
    ("Fredrik Nyström", "Kyrkans Hjälpnätverk"),
    ("Greta Lindgren", "Hyresgästföreningen Ånge"),
    ("Hassan Ali", "Integrationsnätverket Mitt"),
]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=STOCKHOLM)


def _next_wednesday(day: date) -> date:
    return day + timedelta(days=(2 - day.weekday()) % 7)


# The coordinators' lists of topics (slug, Swedish name, English name); each region keeps those its
# meetings use.
TOPICS = [
    ("utmaningsdriven-samverkan", "Utmaningsdriven samverkan", "Challenge-driven collaboration"),
    ("civilsamhallet", "Civilsamhället", "Civil society"),
    ("flyktingsituationen", "Flyktingsituationen", "The refugee situation"),
    ("folkhalsa", "Folkhälsa", "Public health"),
    ("god-och-nara-vard", "God och nära vård", "Good and close care"),
    ("social-hallbarhet", "Social hållbarhet", "Social sustainability"),
    ("overenskommelsen", "Överenskommelsen", "The agreement"),
    ("integration", "Integration", "Integration"),
    ("goda-exempel", "Goda exempel", "Good examples"),
]


def _topics(*slugs) -> dict[str, Topic]:
    topics = {}
    for slug, name, name_en in TOPICS:
        if slug in slugs:
            topics[slug], _ = Topic.objects.update_or_create(slug=slug, defaults={"name": name, "name_en": name_en})
    return topics


def _meeting(slug: str, *, topics=(), areas=(), **fields) -> Meeting:
    meeting, _ = Meeting.objects.update_or_create(slug=slug, defaults=fields)
    meeting.topics.set(topics)
    if areas:
        from organisations.models import AreaOfActivity

        meeting.areas.set(AreaOfActivity.objects.filter(slug__in=areas))
    return meeting


def _programme(meeting: Meeting, items) -> None:
    for order, (start, end, title, description, speakers) in enumerate(items, start=1):
        item, _ = ProgrammeItem.objects.update_or_create(
            meeting=meeting,
            order=order,
            defaults={"start_time": start, "end_time": end, "title": title, "description": description},
        )
        for s_order, (name, title_, organisation) in enumerate(speakers, start=1):
            Speaker.objects.update_or_create(
                programme_item=item,
                order=s_order,
                defaults={"name": name, "title": title_, "organisation": organisation},
            )
        item.speakers.filter(order__gt=len(speakers)).delete()
    meeting.programme_items.filter(order__gt=len(items)).delete()


def _sign_up(meeting: Meeting, people) -> int:
    created = 0
    for index, (name, organisation) in enumerate(people):
        email = name.lower().replace(" ", ".").replace("å", "a").replace("ä", "a").replace("ö", "o") + "@example.se"
        if meeting.registrations.filter(email=email).exclude(status=Registration.Status.CANCELLED).exists():
            continue
        services.registration_create(
            meeting=meeting,
            name=name,
            email=email,
            organisation_name=organisation,
            consent=True,
            language="sv",
            attendance=("online" if index % 2 else "on_site") if meeting.is_hybrid else "",
        )
        created += 1
    return created


# The 4 May 2022 invitation asked whether an organisation wanted to take part, present a good example
# from 2015 or join further work: the questions of its sign-up form (issue 24).
MAY_QUESTIONS = [
    (
        RegistrationQuestion.Kind.SEVERAL_CHOICES,
        "Vad vill er organisation?",
        "What would your organisation like to do?",
        True,
        "Delta på mötet\nLyfta ett gott exempel från flyktingvågen 2015\nVara delaktig i fortsatt arbete",
        "Take part in the meeting\nPresent a good example from the 2015 refugee situation\nTake part in further work",
    ),
    (
        RegistrationQuestion.Kind.LONG_TEXT,
        "Beskriv kort ert goda exempel",
        "Briefly describe your good example",
        False,
        "",
        "",
    ),
]
# (person index in PEOPLE, joined online, consents to the organisation being named, answers, evaluation)
MAY_SIGN_UPS = [
    (
        0,
        True,
        True,
        ["Delta på mötet; Lyfta ett gott exempel från flyktingvågen 2015", "Språkcafé för nyanlända."],
        (5, "Bra att få höra hur andra föreningar arbetar."),
    ),
    (1, True, True, ["Delta på mötet; Vara delaktig i fortsatt arbete", ""], (4, "")),
    (3, True, False, ["Delta på mötet", ""], None),
    (4, False, False, ["Delta på mötet", ""], None),
]


def _dialogue_after(meeting: Meeting) -> None:
    """The 4 May meeting as it is after the fact: its questions, sign-ups with answers, who joined
    through their personal link, and two evaluations (anonymous). Idempotent: keyed on e-mail and order."""
    questions = []
    for order, (kind, text, text_en, required, choices, choices_en) in enumerate(MAY_QUESTIONS, start=1):
        question, _ = RegistrationQuestion.objects.update_or_create(
            meeting=meeting,
            order=order,
            defaults={
                "kind": kind,
                "text": text,
                "text_en": text_en,
                "required": required,
                "choices": choices,
                "choices_en": choices_en,
            },
        )
        questions.append(question)
    joined_at = meeting.start + timedelta(minutes=3)
    new_evaluations = []
    for index, joined, public, answers, evaluation in MAY_SIGN_UPS:
        name, organisation = PEOPLE[index]
        email = name.lower().replace(" ", ".").replace("å", "a").replace("ä", "a").replace("ö", "o") + "@example.se"
        registration, created = Registration.objects.get_or_create(
            meeting=meeting,
            email=email,
            defaults={
                "name": name,
                "organisation_name": organisation,
                "organisation_public": public,
                "status": Registration.Status.CONFIRMED,
                "consent_at": meeting.start - timedelta(days=7),
                "created_at": meeting.start - timedelta(days=7),
                "attended": joined or None,
                "joined_at": joined_at if joined else None,
                "evaluation_sent_at": meeting.end + timedelta(days=1) if joined else None,
                "evaluated": evaluation is not None,
            },
        )
        if not created:
            continue
        RegistrationAnswer.objects.bulk_create(
            [
                RegistrationAnswer(registration=registration, question=q, question_text=q.text, value=value)
                for q, value in zip(questions, answers, strict=True)
                if value
            ]
        )
        if evaluation is not None:
            new_evaluations.append(MeetingEvaluation(meeting=meeting, rating=evaluation[0], comment=evaluation[1]))
    MeetingEvaluation.objects.bulk_create(new_evaluations)


def _vasternorrland(stdout=None):
    """Region Västernorrland's topics, meetings (with programmes, speakers and documents) and sign-ups.

    Reason for its length: it is mostly the meetings' own content (titles, texts, programme lines), one
    call per meeting in the order a reader would tell it; split up, the story would be harder to follow.
    """
    topics = _topics(
        "utmaningsdriven-samverkan",
        "civilsamhallet",
        "flyktingsituationen",
        "folkhalsa",
        "god-och-nara-vard",
        "integration",
        "goda-exempel",
    )
    # Region Västernorrland, February 2022 (physical; "I början på februari").
    february = _meeting(
        "samverkan-civilsamhallet-februari-2022",
        title="Samverkan med civilsamhället – uppstartsträff",
        summary="Regionen träffade ett urval av företrädare från civilsamhället för att berätta om processen "
        "och få inspel och tankar för fortsatt arbete.",
        description="Region Västernorrland arbetar med att titta på hur strukturer och metoder för en fortsatt "
        "samverkan kan se ut. Arbetet är utmaningsdrivet: utmaningen ska stå i centrum – en utmaning som "
        "regionen ser, eller en som civilsamhället bedömer är angelägen och vill lyfta.",
        start=_at(date(2022, 2, 2), 13),
        end=_at(date(2022, 2, 2), 16),
        format=Meeting.Format.PHYSICAL,
        venue_name="Regionens hus",
        venue_address="Storgatan 2, 871 85 Härnösand",
        venue_accessibility="Entré utan trappsteg, hiss till alla plan, hörslinga i konferensrummet, "
        "tillgänglighetsanpassad toalett. Buss till hållplats Nybrogatan.",
        capacity=25,
        status=Meeting.Status.PUBLISHED,
        topics=[topics["utmaningsdriven-samverkan"], topics["civilsamhallet"]],
        areas=["regional-utveckling"],
        **RVN_CONTACT,
    )
    MeetingDocument.objects.update_or_create(
        meeting=february,
        title="Minnesanteckningar från uppstartsträffen",
        defaults={"kind": MeetingDocument.Kind.MINUTES, "url": "https://example.se/rvn/minnesanteckningar-2022-02.pdf"},
    )

    may = _meeting(
        "samverkan-civilsamhallet-4-maj-2022",
        title="Samverkan med civilsamhället – flyktingsituationen och folkhälsan",
        summary="Digitalt möte om den akuta situation som uppstått sedan kriget i Ukraina inleddes, "
        "flyktingsituationen kopplad till folkhälsa, och ’God och nära vård’.",
        description="Vi fokuserar på den akuta situation som uppstått i närtid sedan kriget i Ukraina inleddes. "
        "Vi kopplar flyktingsituationen till folkhälsoaspekter och planerar även för att hinna beröra ämnet "
        "’God och nära vård’.\n\nVill din organisation delta på mötet, lyfta goda exempel från den förra "
        "flyktingvågen 2015 eller vara delaktiga i fortsatt arbete? Det gick att berätta det i anmälan.",
        start=_at(date(2022, 5, 4), 9),
        end=_at(date(2022, 5, 4), 12),
        format=Meeting.Format.DIGITAL,
        venue_name="",
        venue_address="",
        online_link="https://meet.example.se/rvn-civilsamhalle-2022-05-04",
        capacity=None,
        status=Meeting.Status.PUBLISHED,
        topics=[topics["flyktingsituationen"], topics["folkhalsa"], topics["god-och-nara-vard"]],
        areas=["folkhalsa", "integration", "god-och-nara-vard"],
        **RVN_CONTACT,
    )
    _programme(may, MAY_PROGRAMME)
    MeetingDocument.objects.update_or_create(
        meeting=may,
        title="Minnesanteckningar 4 maj 2022",
        defaults={
            "kind": MeetingDocument.Kind.MINUTES,
            "url": "https://example.se/rvn/minnesanteckningar-2022-05-04.pdf",
        },
    )
    MeetingDocument.objects.update_or_create(
        meeting=may,
        title="Presentationer från mötet",
        defaults={
            "kind": MeetingDocument.Kind.SLIDES,
            "url": "https://example.se/rvn/presentationer-2022-05-04.pdf",
            "order": 1,
        },
    )

    _dialogue_after(may)

    # Upcoming, relative to today.
    today = timezone.localdate()
    open_day = _next_wednesday(today + timedelta(days=21))
    open_meeting = _meeting(
        "dialogmote-nara-vard-och-civilsamhallet",
        title="Dialogmöte: nära vård och civilsamhället",
        summary="Hur kan föreningar och regionen tillsammans bidra till en god och nära vård?",
        description="Ett hybridmöte för alla idéburna organisationer i länet: på plats i Härnösand eller digitalt.",
        start=_at(open_day, 9),
        end=_at(open_day, 12),
        format=Meeting.Format.HYBRID,
        venue_name="Regionens hus",
        venue_address="Storgatan 2, 871 85 Härnösand",
        venue_accessibility="Entré utan trappsteg från Storgatan, hiss, hörslinga i stora salen, "
        "tillgänglighetsanpassad toalett på plan 1. Parkering för rörelsehindrade vid entrén.",
        online_link="https://meet.example.se/rvn-nara-vard",
        capacity=40,
        waitlist_enabled=True,
        registration_closes=_at(open_day - timedelta(days=2), 23, 59),
        status=Meeting.Status.PUBLISHED,
        topics=[topics["god-och-nara-vard"], topics["folkhalsa"]],
        areas=["god-och-nara-vard", "folkhalsa"],
        **RVN_CONTACT,
    )
    _programme(
        open_meeting,
        [
            (
                time(9, 0),
                time(9, 15),
                "Välkommen och syfte",
                "",
                [("Nina Ulander", "samordnare", "Regional utveckling")],
            ),
            (time(9, 15), time(10, 30), "Utmaningar vi ser tillsammans", "Samtal i grupper.", []),
            (time(10, 45), time(12, 0), "Nästa steg", "", []),
        ],
    )
    full_day = _next_wednesday(today + timedelta(days=35))
    full_meeting = _meeting(
        "verkstad-goda-exempel-integration",
        title="Verkstad: goda exempel på integration",
        summary="En mindre verkstad där organisationer delar goda exempel från flyktingsituationen.",
        description="Platserna är få för att alla ska komma till tals. När mötet är fullt kan du ställa dig i kö.",
        start=_at(full_day, 13),
        end=_at(full_day, 16),
        format=Meeting.Format.PHYSICAL,
        venue_name="Folkets hus",
        venue_address="Esplanaden 2, 852 30 Sundsvall",
        venue_accessibility="Entré med ramp från Esplanaden, hiss till konferensvåningen, hörslinga. "
        "Tillgänglighetsanpassad toalett.",
        capacity=6,
        waitlist_enabled=True,
        status=Meeting.Status.PUBLISHED,
        topics=[topics["integration"], topics["goda-exempel"]],
        areas=["integration"],
        **RVN_CONTACT,
    )
    created = _sign_up(open_meeting, PEOPLE[:3]) + _sign_up(full_meeting, PEOPLE)
    pages.bump()
    if stdout:
        stdout.write(f"  meetings: {Meeting.objects.count()} in total, {created} demo registrations created")
        if Meeting.objects.filter(title__startswith="Partnerregion").exists():
            # Loaded before regions: Halland's and VGR's stories were shown here as a partner region's.
            stdout.write(
                "  note: this region still holds the partner-region stories of an earlier demo (Halland's and "
                "Västra Götaland's, now in their own regions); start from a fresh database to leave them out"
            )


def _halland(stdout=None):
    """Region Halland's dialogue meetings at Halmstad Teater, autumn 2016 (seeds/003_*.txt)."""
    topics = _topics("social-hallbarhet", "civilsamhallet")
    for day, slug in (
        (date(2016, 10, 6), "dialogmote-halland-6-oktober-2016"),
        (date(2016, 11, 9), "dialogmote-halland-9-november-2016"),
    ):
        _meeting(
            slug,
            title=f"Dialogmöte om social hållbarhet – {day.day} {'oktober' if day.month == 10 else 'november'} 2016",
            summary="Ett av två dialogmöten i projektet Bästa samverkansplatsen: hur civilsamhället och Region "
            "Halland kan samverka bättre för social hållbarhet.",
            description="Region Halland vill bli bättre på att tillvarata civilsamhällets kompetens i det "
            "regionala utvecklingsarbetet. Under året har projektledaren träffat många ideella organisationer, "
            "och behovet av ömsesidigt lärande och samtal är stort. Därför bjuder regionen in civilsamhället till "
            "två dialogmöten, med ansvariga chefer och politiker.\n\nBästa samverkansplatsen bedrivs av Regional "
            "utveckling och Kultur i Halland och pågår till och med årsskiftet 2016/17.",
            start=_at(day, 13),
            end=_at(day, 16),
            format=Meeting.Format.PHYSICAL,
            venue_name="Halmstad Teater",
            venue_address="Stora torg, 302 43 Halmstad",
            capacity=80,
            status=Meeting.Status.PUBLISHED,
            topics=[topics["social-hallbarhet"], topics["civilsamhallet"]],
            areas=["social-hallbarhet"],
            **HALLAND_CONTACT,
        )
    pages.bump()
    if stdout:
        stdout.write(f"  meetings: {Meeting.objects.count()} in total")


def _vgr(stdout=None):
    """Västra Götalandsregionen's evening meeting with civil society on Tuesday 2 April 2019 (seeds/004_*.txt):
    the future work on the agreement and the group that writes the action plan 2019–2022. The seed names no
    venue; Regionens hus in Vänersborg is the demo's own."""
    topics = _topics("overenskommelsen", "civilsamhallet")
    _meeting(
        "traff-om-det-framtida-samarbetet-2019",
        title="Träff om det framtida samarbetet med civilsamhället",
        summary="Beredningen för folkhälsa och social hållbarhet träffar det civila samhället om den grupp som ska "
        "ta fram den nya handlingsplanen för åren 2019–2022.",
        description="Under 2014 skrev Västra Götalandsregionen tillsammans med 70 organisationer under en "
        "överenskommelse; i dag har 107 organisationer skrivit under. Gruppen som tar fram den nya "
        "handlingsplanen består av fem politiker och fem företrädare för det civila samhället, som väljs den "
        "26 april. Handlingsplanen beslutas av regionstyrelsen under hösten 2019.",
        start=_at(date(2019, 4, 2), 17),
        end=_at(date(2019, 4, 2), 20),
        format=Meeting.Format.PHYSICAL,
        venue_name="Regionens hus",
        venue_address="Östergatan 1, 462 80 Vänersborg",
        capacity=60,
        status=Meeting.Status.PUBLISHED,
        topics=[topics["overenskommelsen"], topics["civilsamhallet"]],
        areas=["social-hallbarhet", "folkhalsa"],
        **VGR_CONTACT,
    )
    pages.bump()
    if stdout:
        stdout.write(f"  meetings: {Meeting.objects.count()} in total")


STORIES = {"vasternorrland": _vasternorrland, "halland": _halland, "vgr": _vgr}


def load(stdout=None):
    """The meetings of the region in force (``core.demo.run_story``), with their English texts."""
    result = run_story(STORIES, stdout)
    run_story(dict.fromkeys(STORIES, add_english_texts), stdout)
    return result
