"""Demo challenges from the seeds, per region, told through the services where there are business rules.

Region Västernorrland (2022): the refugee situation after the war in Ukraine and its public-health side
(the region; the 4 May 2022 meeting and its five talks), "God och nära vård" (the region), the good
examples from the 2015 refugee situation (raised by the Red Cross regional council through the public
flow) and one proposed challenge waiting for moderation. Region Halland (2016): its social sustainability
work (the two dialogue meetings at Halmstad Teater, concluded). Västra Götalandsregionen has none.
Idempotent: challenges are keyed on their slug, participations and updates on natural keys."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone

from core.demo import coordinator as demo_coordinator
from core.demo import run_story
from meetings.models import Meeting, ProgrammeItem
from organisations.models import AreaOfActivity, Municipality, Organisation

from . import services
from .cache import pages_changed
from .demo_english import add_english_texts
from .models import Challenge, ChallengeDocument, Participation, Update

STOCKHOLM = ZoneInfo("Europe/Stockholm")
DEMO_REPRESENTATIVE_EMAIL = "representant@example.se"


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=STOCKHOLM)


def _orgs(*slugs):
    found = {o.slug: o for o in Organisation.objects.filter(slug__in=slugs)}
    return [found[s] for s in slugs if s in found]


def _meetings(*slugs):
    return list(Meeting.objects.filter(slug__in=slugs))


def _set_links(challenge, *, areas=(), municipalities=(), meetings=(), talks=()):
    challenge.areas.set(AreaOfActivity.objects.filter(slug__in=areas))
    challenge.municipalities.set(Municipality.objects.filter(name__in=municipalities))
    challenge.meetings.set(meetings)
    challenge.programme_items.set(talks)


def _participate(challenge, organisations, role):
    for organisation in organisations:
        Participation.objects.get_or_create(challenge=challenge, organisation=organisation, defaults={"role": role})


def _updates(challenge, items, coordinator):
    for day, kind, title, text in items:
        if not Update.objects.filter(challenge=challenge, title=title).exists():
            update = services.update_post(
                challenge=challenge, by=coordinator, title=title, text=text, kind=kind, date=day
            )
            Update.objects.filter(pk=update.pk).update(author=None)


def _region_challenge(slug, *, title, summary, description, coordinator):
    challenge = Challenge.objects.filter(slug=slug).first()
    if challenge is None:
        challenge = Challenge.objects.create(
            slug=slug,
            title=title,
            summary=summary,
            description=description,
            raised_by=Challenge.RaisedBy.REGION,
            status=Challenge.Status.PROPOSED,
            contact_coordinator=coordinator,
        )
    return challenge


def _dates(challenge, **fields):
    Challenge.objects.filter(pk=challenge.pk).update(**fields)
    challenge.refresh_from_db()


def _vasternorrland(stdout=None):
    """Region Västernorrland's challenges, told in order. Reason for its length: a demo story reads top to
    bottom; split into steps it would be harder to check against the seeds."""
    coordinator = demo_coordinator()
    representative = get_user_model().objects.filter(email=DEMO_REPRESENTATIVE_EMAIL).first()

    # 1. The refugee situation after the war in Ukraine (seeds/001_*.txt), raised by the region.
    may = Meeting.objects.filter(slug="samverkan-civilsamhallet-4-maj-2022").first()
    talks = list(ProgrammeItem.objects.filter(meeting=may)) if may else []
    ukraine = _region_challenge(
        "flyktingsituationen-efter-kriget-i-ukraina",
        title="Flyktingsituationen efter kriget i Ukraina och folkhälsan",
        summary="Hur tar vi tillsammans emot dem som flyr från kriget i Ukraina, och hur möter vi "
        "folkhälsofrågorna: rätten till vård, vaccinationsskyddet och de humanitära behoven?",
        description="Sedan kriget i Ukraina inleddes har en akut situation uppstått. Regionen vill koppla "
        "flyktingsituationen till folkhälsoaspekter: vad massflyktsdirektivet innebär för rätten till vård, "
        "den låga vaccinationsnivån i Östeuropa och Ukraina, och vilka behov de humanitära organisationerna ser.\n\n"
        "Civilsamhället har erfarenheter från flyktingsituationen 2015 som vi vill ta vara på.",
        coordinator=coordinator,
    )
    if ukraine.status == Challenge.Status.PROPOSED:
        services.challenge_accept(challenge=ukraine, by=coordinator)
        services.challenge_start(challenge=ukraine, by=coordinator)
        _dates(
            ukraine,
            proposed_at=_at(date(2022, 3, 15)),
            accepted_at=_at(date(2022, 3, 20)),
            started_at=_at(date(2022, 5, 4)),
            in_focus=True,
        )
    _set_links(
        ukraine,
        areas=["integration", "folkhalsa", "humanitart-arbete"],
        municipalities=["Härnösand", "Sundsvall", "Örnsköldsvik"],
        meetings=[may] if may else [],
        talks=talks,
    )
    _participate(
        ukraine, _orgs("roda-korsets-regionrad-vasternorrland", "mockelnforeningarna"), Participation.Role.TAKES_PART
    )
    _participate(ukraine, _orgs("ukrainahjalpen-vasternorrland"), Participation.Role.COORDINATES)
    _participate(ukraine, _orgs("abf-vasternorrland", "missionskyrkan-ange"), Participation.Role.FOLLOWS)
    _updates(
        ukraine,
        [
            (
                date(2022, 3, 20),
                Update.Kind.DECISION,
                "Regionen lyfter utmaningen",
                "Regionen tar upp flyktingsituationen som första utmaning i den fördjupade samverkan och bjuder in "
                "civilsamhället till ett digitalt möte den 4 maj.",
            ),
            (
                date(2022, 5, 4),
                Update.Kind.PROGRESS,
                "Dialogmöte om flyktingsituationen och folkhälsan",
                "Fem föredrag: rätten till vård, vaccinationsnivån, de humanitära organisationernas behov, projektet "
                "Cross och God och nära vård. Minnesanteckningar och presentationer finns på mötets sida.",
            ),
        ],
        coordinator,
    )

    if not ukraine.documents.exists():
        from agreements.demo import _demo_pdf

        document = ChallengeDocument(challenge=ukraine, title="Sammanställning: behov som civilsamhället ser")
        document.file.save(
            "behov-flyktingsituationen.pdf",
            _demo_pdf(
                "Behov som civilsamhället ser",
                ["Språkstöd och tolk i vården", "Information om vaccinationer", "Mötesplatser och boende"],
            ),
            save=False,
        )
        document.save()

    # 2. God och nära vård, raised by the region (the council's decision, seeds/001_*.txt).
    near_care = _region_challenge(
        "god-och-nara-vard",
        title="God och nära vård – civilsamhällets roll",
        summary="Regionfullmäktige har beslutat att fördjupa samverkan med civilsamhället inom god och nära vård. "
        "Vad innebär det i praktiken och på sikt?",
        description="Omställningen till en god och nära vård flyttar vården närmare människor. Föreningar och "
        "organisationer möter dagligen dem som vården har svårt att nå. Hur kan regionen och civilsamhället "
        "tillsammans bidra till en god och nära vård i hela länet?",
        coordinator=coordinator,
    )
    if near_care.status == Challenge.Status.PROPOSED:
        services.challenge_accept(challenge=near_care, by=coordinator)
        _dates(near_care, proposed_at=_at(date(2022, 4, 1)), accepted_at=_at(date(2022, 4, 5)), in_focus=True)
    near_talks = [t for t in talks if t.title.startswith("God och nära vård") or "Cross" in t.title]
    _set_links(
        near_care,
        areas=["god-och-nara-vard", "folkhalsa", "aldre"],
        municipalities=["Ånge", "Sollefteå", "Kramfors"],
        meetings=_meetings("samverkan-civilsamhallet-4-maj-2022", "dialogmote-nara-vard-och-civilsamhallet"),
        talks=near_talks,
    )
    _participate(near_care, _orgs("timra-pensionarsforening", "seniorerna-kramfors"), Participation.Role.TAKES_PART)
    _participate(near_care, _orgs("studieforbundet-vuxenskolan-vasternorrland"), Participation.Role.FOLLOWS)

    # 3. The good examples from 2015, raised by civil society through the public flow.
    red_cross = Organisation.objects.filter(slug="roda-korsets-regionrad-vasternorrland").first()
    examples = Challenge.objects.filter(slug="goda-exempel-fran-flyktingsituationen-2015").first()
    if examples is None and red_cross and representative:
        examples = services.challenge_raise(
            user=representative,
            organisation=red_cross,
            title="Ta vara på de goda exemplen från flyktingsituationen 2015",
            summary="Föreningar tog emot och stöttade många familjer hösten 2015. Vad lärde vi oss, och hur gör vi "
            "de goda exemplen till en beredskap för nästa gång?",
            description="Röda Korsets regionråd vill samla de goda exemplen från 2015: språkcaféer, läxhjälp, "
            "boende och mötesplatser. Vi vill göra dem kända och se vad som behövs för att snabbt kunna starta "
            "dem igen, tillsammans med regionen och kommunerna.",
        )
        Challenge.objects.filter(pk=examples.pk).update(slug="goda-exempel-fran-flyktingsituationen-2015")
        examples.refresh_from_db()
        services.challenge_accept(challenge=examples, by=coordinator)
        _dates(examples, proposed_at=_at(date(2022, 5, 10)), accepted_at=_at(date(2022, 5, 20)))
    if examples is not None:
        humanitarian = [t for t in talks if t.title.startswith("De humanitära")]
        _set_links(
            examples,
            areas=["integration", "humanitart-arbete"],
            municipalities=["Härnösand", "Sundsvall"],
            meetings=_meetings("verkstad-goda-exempel-integration"),
            talks=humanitarian,
        )
        _participate(
            examples, _orgs("ukrainahjalpen-vasternorrland", "abf-vasternorrland"), Participation.Role.TAKES_PART
        )

    # 4. A proposed challenge waiting for moderation (seeds/000_*.txt: a new start after the pandemic).
    if not Challenge.objects.filter(slug="frivilliga-efter-pandemin").exists() and red_cross and representative:
        proposed = services.challenge_raise(
            user=representative,
            organisation=red_cross,
            title="Få tillbaka de frivilliga efter pandemin",
            summary="Många föreningar vill göra en nysatsning efter pandemin, men de frivilliga har blivit färre.",
            description="Under pandemin slutade många frivilliga. Hur kan regionen och civilsamhället tillsammans "
            "locka tillbaka dem och nå nya, särskilt unga och nyanlända?",
        )
        # Proposed at load time; the admin shows the time, so a whole hour (the story's dates are whole hours too).
        proposed_at = timezone.localtime(proposed.proposed_at).replace(minute=0, second=0, microsecond=0)
        Challenge.objects.filter(pk=proposed.pk).update(slug="frivilliga-efter-pandemin", proposed_at=proposed_at)
        proposed.refresh_from_db()
        proposed.areas.set(AreaOfActivity.objects.filter(slug__in=["regional-utveckling", "barn-och-unga"]))

    pages_changed()
    if stdout:
        stdout.write(
            f"  challenges: {Challenge.objects.count()} in total, "
            f"{Challenge.objects.filter(status=Challenge.Status.PROPOSED).count()} waiting for moderation"
        )


def _halland(stdout=None):
    """Region Halland's social sustainability work (seeds/003_*.txt), concluded. Reason for its length: one
    demo story, from the project's start to its outcome, in the order it happened."""
    coordinator = demo_coordinator()
    halland = _region_challenge(
        "social-hallbarhet-i-halland",
        title="Social hållbarhet i Halland: bättre samverkan med civilsamhället",
        summary="Skillnaderna i befolkningens hälsa ökar och flera grupper har svårt att komma in på "
        "arbetsmarknaden. Ingen offentlig aktör klarar ensam av att skapa ett socialt hållbart samhälle.",
        description="Region Halland vill bli bättre på att tillvarata civilsamhällets kompetens i det regionala "
        "utvecklingsarbetet. I projektet Bästa samverkansplatsen bjuder regionen in civilsamhället till två "
        "dialogmöten för ömsesidigt lärande och samtal, med ansvariga chefer och politiker.",
        coordinator=coordinator,
    )
    if halland.status == Challenge.Status.PROPOSED:
        services.challenge_accept(challenge=halland, by=coordinator)
        halland = services.challenge_start(challenge=halland, by=coordinator)
    _set_links(
        halland,
        areas=["social-hallbarhet", "kultur"],
        municipalities=["Halmstad", "Varberg", "Kungsbacka"],
        meetings=_meetings("dialogmote-halland-6-oktober-2016", "dialogmote-halland-9-november-2016"),
    )
    _participate(
        halland,
        _orgs(
            "unga-musikanter-halland",
            "halmstad-teaters-vanner",
            "frivilligcentralen-varberg",
            "stiftelsen-kungsbacka-stadsmission",
        ),
        Participation.Role.TAKES_PART,
    )
    _updates(
        halland,
        [
            (
                date(2016, 10, 6),
                Update.Kind.PROGRESS,
                "Första dialogmötet på Halmstad Teater",
                "Samtal om hur civilsamhället och Region Halland kan samverka bättre för social hållbarhet.",
            ),
            (
                date(2016, 11, 9),
                Update.Kind.PROGRESS,
                "Andra dialogmötet på Halmstad Teater",
                "Fortsatt samtal med ansvariga chefer och politiker: ”Vi vill prata med regionen istället för om dem.”",
            ),
        ],
        coordinator,
    )
    if halland.status == Challenge.Status.IN_PROGRESS:
        services.challenge_conclude(
            challenge=halland,
            by=coordinator,
            outcome="Projektet Bästa samverkansplatsen avslutades vid årsskiftet 2016/17. Regionens samverkan med "
            "civilsamhället fortsätter på ett mer strukturerat och ömsesidigt givande sätt, med dialogmöten som "
            "en stående del av arbetet.",
        )
        _dates(
            halland,
            proposed_at=_at(date(2016, 8, 15)),
            accepted_at=_at(date(2016, 8, 20)),
            started_at=_at(date(2016, 10, 6)),
            concluded_at=_at(date(2017, 1, 15)),
        )
    pages_changed()
    if stdout:
        stdout.write(
            f"  challenges: {Challenge.objects.count()} in total, "
            f"{Challenge.objects.filter(status=Challenge.Status.PROPOSED).count()} waiting for moderation"
        )


STORIES = {"vasternorrland": _vasternorrland, "halland": _halland}


def load(stdout=None):
    """The challenges of the region in force (``core.demo.run_story``), with their English texts."""
    result = run_story(STORIES, stdout)
    run_story(dict.fromkeys(STORIES, add_english_texts), stdout)
    return result
