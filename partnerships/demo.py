"""Demo grants and partnerships (Region Västernorrland), told through the services.

The call "Stöd till ideella organisationer 2027" (policy "Stöd till ideella organisationer i Region
Västernorrland", seeds/002_*.txt), open and decided on a rolling basis, with an application from five of
the demo's organisations, one in every state: Röda Korsets regionråd granted (its follow-up report due, for
the demo representative's Mina sidor), ABF refused, Möckelnföreningarna assessed by two assessors (a
third declared a conflict of interest), Ukrainahjälpen submitted and Missionskyrkan Ånge a draft. And the
IOP on the refugee reception of 2022, linked to the Ukraine challenge, with its yearly follow-ups.
Idempotent: the call and the partnership are keyed on their slugs, applications on (call, organisation).
"""

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from challenges.models import Challenge
from core.demo import coordinator as demo_coordinator
from core.demo import run_story
from organisations.demo import demo_mandate
from organisations.models import AreaOfActivity, Organisation

from . import services
from .cache import pages_changed
from .models import Application, Criterion, GrantCall, Partnership, PartnershipFollowUp, Question

CALL_SLUG = "stod-till-ideella-organisationer-2027"
UKRAINE = "flyktingsituationen-efter-kriget-i-ukraina"
DEMO_REPRESENTATIVE_EMAIL = "representant@example.se"

CRITERIA = [
    ("Nytta för länets invånare", "Hur verksamheten stärker folkhälsa, delaktighet eller integration."),
    ("Genomförbarhet", "Om planen, budgeten och organisationens förmåga räcker för det som ska göras."),
    ("Samverkan", "Om verksamheten görs tillsammans med andra organisationer eller regionen."),
]
QUESTIONS = ["Vilka vänder sig verksamheten till, och hur många räknar ni med?", "Hur följer ni upp resultatet?"]
ANSWERS = {
    QUESTIONS[0]: "Barn, unga och vuxna i kommunen; vi räknar med ett fyrtiotal.",
    QUESTIONS[1]: "Vi räknar deltagarna vid varje träff, frågar dem vad de tyckte och rapporterar till regionen "
    "när året är slut.",
}

# (organisation slug, project, budget, the state it reaches)
APPLICATIONS = [
    (
        "roda-korsets-regionrad-vasternorrland",
        "Mötesplatser för nyanlända familjer",
        [("Lokalhyra", 24_000), ("Fika och material", 8_000), ("Utbildning av volontärer", 13_000)],
        "granted",
    ),
    (
        "abf-vasternorrland",
        "Studiecirklar i svenska för vuxna",
        [("Cirkelledare", 40_000), ("Material", 9_000)],
        "refused",
    ),
    (
        "mockelnforeningarna",
        "Friluftsdagar för barn och unga",
        [("Bussresor", 18_000), ("Utrustning", 12_000)],
        "assessed",
    ),
    (
        "ukrainahjalpen-vasternorrland",
        "Stödlinje och samordning av frivilliga",
        [("Telefoni", 6_000), ("Samordnare, deltid", 30_000)],
        "submitted",
    ),
    ("missionskyrkan-ange", "Språkcafé i Ånge", [("Lokal", 5_000)], "draft"),
]


def _person(email: str, name: str):
    user, created = get_user_model().objects.get_or_create(email=email, defaults={"full_name": name})
    if created:
        user.set_unusable_password()
        user.save()
    return user


def _call() -> GrantCall:
    today = timezone.localdate()
    call, created = GrantCall.objects.get_or_create(
        slug=CALL_SLUG,
        defaults={
            "title": "Stöd till ideella organisationer 2027",
            "purpose": "Regionen stödjer ideella organisationer vars verksamhet bidrar till målen i den regionala "
            "utvecklingsstrategin: folkhälsa, delaktighet, integration och ett starkt civilsamhälle i hela länet. "
            "Stödet följer policyn Stöd till ideella organisationer i Region Västernorrland och riktlinjerna för "
            "stöd till civila samhället.",
            "who_may_apply": "Ideella föreningar, stiftelser och trossamfund med verksamhet i Västernorrlands län, "
            "registrerade i portalen. Ansökningarna behandlas löpande tills medlen är fördelade.",
            "area": AreaOfActivity.objects.filter(slug="folkhalsa").first(),
            "amount_available": 1_500_000,
            "ceiling": 50_000,
            "opens_on": today - timedelta(days=30),
            # At the end of a day, as a call's deadline is written, not at the moment the demo was loaded.
            "closes_at": timezone.make_aware(datetime.combine(today + timedelta(days=60), time(23, 59))),
            "status": GrantCall.Status.PUBLISHED,
            "case_number": "RS 2026/1234",
        },
    )
    if created:
        for order, (name, description) in enumerate(CRITERIA):
            Criterion.objects.create(call=call, order=order, name=name, description=description)
        for order, text in enumerate(QUESTIONS):
            Question.objects.create(call=call, order=order, text=text)
        call.challenges.set(Challenge.objects.filter(slug=UKRAINE))
    return call


def _applicant(organisation: Organisation):
    """Who applies for the organisation: the demo representative for the Red Cross, else a person of its own,
    each with a verified mandate (issue 23)."""
    if organisation.slug == "roda-korsets-regionrad-vasternorrland":
        user = get_user_model().objects.filter(email=DEMO_REPRESENTATIVE_EMAIL).first()
    else:
        user = _person(f"ansokan.{organisation.slug}@example.se", f"Företrädare för {organisation.name}")
    today = timezone.localdate()
    demo_mandate(user, organisation, valid_from=today - timedelta(days=60), valid_to=today + timedelta(days=300))
    return user


def _application(call, organisation, project, budget, state, assessors):
    if Application.objects.filter(call=call, organisation=organisation).exists():
        return
    user = _applicant(organisation)
    total = sum(amount for _item, amount in budget)
    answers = {str(q.pk): ANSWERS.get(q.text, "") for q in call.questions.all()}
    application = services.application_save(
        call=call,
        organisation=organisation,
        user=user,
        title=project,
        description=f"{project}: en verksamhet som organisationen vill utveckla under 2027.",
        answers=answers,
        amount_requested=total,
        budget=budget,
    )
    if state == "draft":
        return
    application = services.application_submit(application=application, user=user)
    if state == "submitted":
        return
    scores = {criterion.pk: (4, "Väl beskrivet.") for criterion in call.criteria.all()}
    for assessor in assessors[:2]:
        services.assessment_save(application=application, assessor=assessor, scores=scores, complete=True)
    services.assessment_declare_conflict(application=application, assessor=assessors[2], note="Medlem i föreningen.")
    if state == "assessed":
        return
    if state == "granted":
        decision = services.decision_prepare(
            application=application,
            outcome="granted",
            amount=total - 5_000,
            by=assessors[0],
            case_number="RS 2026/1240",
        )
    else:
        decision = services.decision_prepare(
            application=application,
            outcome="refused",
            reason="Verksamheten finansieras redan genom statsbidrag till studieförbund.",
            by=assessors[0],
        )
    services.decision_announce(decision=decision, by=assessors[0])


def _partnership():
    partnership, created = Partnership.objects.get_or_create(
        slug="iop-flyktingmottagandet-2022",
        defaults={
            "title": "IOP om flyktingmottagandet 2022",
            "purpose": "Ett idéburet offentligt partnerskap om mottagandet av dem som flydde från kriget i Ukraina: "
            "organisationerna samordnar frivilliga, mötesplatser och information, regionen bidrar med medel, "
            "lokaler och kunskap om rätten till vård och vaccinationer.",
            "area": AreaOfActivity.objects.filter(slug="integration").first(),
            "starts_on": date(2022, 5, 1),
            "ends_on": date(2027, 4, 30),
            "region_contribution": 600_000,
            "contribution_note": "Medel, lokaler i Härnösand och tid från regionens folkhälsoplanerare.",
            "case_number": "RS 2022/412",
            "status": Partnership.Status.IN_FORCE,
        },
    )
    if created:
        partnership.organisations.set(
            Organisation.objects.filter(
                slug__in=["ukrainahjalpen-vasternorrland", "roda-korsets-regionrad-vasternorrland"]
            )
        )
        partnership.challenges.set(Challenge.objects.filter(slug=UKRAINE))
        follow_ups = {
            2022: "Mottagningen i Härnösand öppnade i maj; 140 personer fick stöd med vård och vaccinationer.",
            2023: "Mötesplatserna flyttade ut till Sundsvall och Örnsköldsvik; ett nätverk av tolkar byggdes upp.",
            2024: "Verksamheten gick över till långsiktig etablering: språkcaféer och föräldragrupper.",
            2025: "Partnerskapet utvärderades tillsammans; parterna vill förlänga det efter 2027.",
        }
        for year, text in follow_ups.items():
            PartnershipFollowUp.objects.create(partnership=partnership, year=year, text=text)
    return partnership


def _vasternorrland(stdout=None):
    call = _call()
    coordinator = demo_coordinator()
    assessors = [
        coordinator or _person("bedomare.ett@example.se", "Bo Bedömare"),
        _person("bedomare.tva@example.se", "Berit Bedömare"),
        _person("bedomare.tre@example.se", "Björn Bedömare"),
    ]
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=[row[0] for row in APPLICATIONS])}
    for slug, project, budget, state in APPLICATIONS:
        if slug in organisations:
            _application(call, organisations[slug], project, budget, state, assessors)
    _partnership()
    pages_changed()
    if stdout:
        stdout.write(f"  partnerships: {call.applications.count()} applications, {Partnership.objects.count()} IOP")


STORIES = {"vasternorrland": _vasternorrland}


def load(stdout=None):
    """The grants and partnerships of the region in force (``core.demo.run_story``)."""
    return run_story(STORIES, stdout)
