"""Demo data from seeds/004, in Västra Götalandsregionen (the other regions have none): two consultations on
the agreement with civil society.

1. Closed and compiled: the draft action plan 2019–2022, written in spring 2019 by five politicians and
   five civil-society representatives and decided by the regional board in autumn 2019; answers from
   several signatories and the region's response on each section. The dates are in 2019, so these rows
   are written as they would have been then (the services refuse to act in the past).
2. Open: a revision of the agreement, sent to a chosen list of organisations through the services: one
   answer submitted, one draft (the demo representative's), the deadline five days ahead so the 7-day
   reminders are due.

Every text and every answer here is invented. Idempotent: keyed on slugs, section order and organisations.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone

from agreements.models import ActionPlan, Agreement, Signatory
from core.demo import coordinator as demo_coordinator
from core.demo import run_story
from organisations.demo import demo_mandate
from organisations.models import Organisation, Representative

from . import services
from .cache import pages_changed
from .demo_english import add_english_texts
from .models import Answer, Consultation, Position, Section, SectionAnswer, SectionResponse

AGREEMENT_SLUG = "vgr-civila-samhallet"
PLAN_SLUG = "remiss-handlingsplan-2019-2022"
REVISION_SLUG = "remiss-revidering-av-overenskommelsen"
DEMO_REPRESENTATIVE_EMAIL = "representant@example.se"
DEMO_ANSWERER_EMAIL = "remissvar@example.se"
TZ = timezone.get_fixed_timezone(120)  # CEST, for the 2019 dates
STOCKHOLM = ZoneInfo("Europe/Stockholm")

PLAN_BACKGROUND = (
    "Arbetsgruppen för överenskommelsen – fem politiker och fem företrädare för det civila samhället, de "
    "senare valda den 26 april 2019 – har tagit fram ett utkast till ny handlingsplan för åren 2019–2022. "
    "Innan regionstyrelsen beslutar om planen under hösten 2019 skickas utkastet på remiss till de "
    "organisationer som har undertecknat överenskommelsen.\n\n"
    "Svara på varje avsnitt: instämmer, instämmer delvis, instämmer inte eller avstår, gärna med en kommentar."
)
PLAN_SECTIONS = [
    (
        "Inledning och syfte",
        "Handlingsplanen konkretiserar överenskommelsen för perioden 2019–2022. Den ska öka samarbetet mellan "
        "parterna och skapa en jämbördig dialog som ökar kunskapen om varandra.",
    ),
    (
        "Gemensam service – inköp och upphandling",
        "Regionen tar fram en vägledning för idéburet offentligt partnerskap (IOP) och reserverad upphandling, "
        "och bjuder in idéburna organisationer till dialog innan upphandlingar som berör dem annonseras.",
    ),
    (
        "Hälso- och sjukvård",
        "Samverkan mellan vårdcentraler och patient- och anhörigföreningar prövas i tre kommuner. "
        "Anhörigföreningarnas stödverksamhet på sjukhusen sprids.",
    ),
    (
        "Regional utveckling",
        "Föreningslivets betydelse för service och mötesplatser på landsbygden kartläggs.",
    ),
    (
        "Uppföljning",
        "Parterna följer upp planen vid en årlig dialogkonferens. Arbetsgruppen rapporterar till regionstyrelsens "
        "beredning för folkhälsa och social hållbarhet.",
    ),
]
PLAN_RESPONSES = [
    "De flesta remissinstanser instämmer. Syftet står kvar oförändrat.",
    "Flera organisationer efterfrågar exempel från andra regioner. Vägledningen kompletteras med exempel, och "
    "dialogmötena hålls minst tre månader innan en upphandling annonseras.",
    "Remissinstanserna vill att fler kommuner ska kunna delta. Försöket startar i tre kommuner och utvärderas "
    "2021; därefter kan fler ansluta.",
    "Synpunkten att kartläggningen också ska omfatta tätorternas förorter har tagits in i planen.",
    "Den årliga konferensen behålls. Ett förslag om en skriftlig årsrapport har tagits in.",
]
# (position per section, comment on section 2, general comment) for the answering signatories.
PLAN_ANSWERS = [
    (["agree", "agree", "agree", "agree", "agree"], "", "Vi ställer oss bakom utkastet i sin helhet."),
    (
        ["agree", "partly", "agree", "agree", "partly"],
        "Vägledningen behöver exempel på IOP från andra regioner.",
        "",
    ),
    (["agree", "agree", "partly", "agree", "agree"], "", "Försöket inom vården bör omfatta fler kommuner."),
    (
        ["agree", "partly", "agree", "disagree", "agree"],
        "Dialogen måste komma tidigt, inte när underlaget redan är klart.",
        "",
    ),
    (["agree", "agree", "agree", "partly", "abstain"], "", ""),
    (
        ["partly", "disagree", "agree", "agree", "agree"],
        "Reserverad upphandling används för sällan; planen borde sätta ett mål.",
        "Ett utkast med tydligare mål hade varit lättare att följa upp.",
    ),
    (["agree", "agree", "agree", "agree", "agree"], "", ""),
]
SECTION_COMMENTS = {
    2: "Vi vill att fler kommuner ska kunna delta i försöket.",
    3: "Kartläggningen bör också omfatta förorterna, inte bara landsbygden.",
    4: "En skriftlig årsrapport skulle göra uppföljningen tydligare.",
}

REVISION_BACKGROUND = (
    "Överenskommelsen mellan Västra Götalandsregionen och det civila samhället undertecknades 2014. Regionen "
    "och arbetsgruppen föreslår nu en revidering: ett tydligare avsnitt om principerna, en beskrivning av "
    "hur organisationer ansluter digitalt och en uppföljning som knyts till handlingsplanerna.\n\n"
    "Remissen går till ett urval av de organisationer som undertecknat överenskommelsen."
)
REVISION_SECTIONS = [
    (
        "Parter och syfte",
        "Överenskommelsen ingås mellan Västra Götalandsregionen och de idéburna organisationer som undertecknar "
        "den. Syftet är oförändrat.",
    ),
    (
        "Principer",
        "Parterna samverkar utifrån principerna om dialog, kvalitet, självständighet och oberoende, öppenhet och "
        "insyn, mångfald samt långsiktighet. Varje princip beskrivs med exempel.",
    ),
    (
        "Att ansluta sig",
        "En organisation kan ansluta sig genom att underteckna överenskommelsen digitalt på "
        "Samverkansportalen, med styrelsens beslut som bilaga.",
    ),
    (
        "Uppföljning",
        "Överenskommelsen följs upp genom handlingsplanerna och en årlig dialogkonferens.",
    ),
]


def _at(year, month, day, hour=12):
    return dt.datetime(year, month, day, hour, tzinfo=TZ)


def _on(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """A local time in Stockholm (summer or winter time, as on that day)."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=STOCKHOLM)


def _sections(consultation, items):
    sections = []
    for order, (heading, text) in enumerate(items, start=1):
        section, _ = Section.objects.update_or_create(
            consultation=consultation, order=order, defaults={"heading": heading, "text": text}
        )
        sections.append(section)
    return sections


def _signatories(agreement, count, *, skip=0):
    return [
        s.organisation
        for s in Signatory.objects.filter(agreement=agreement, status=Signatory.Status.VERIFIED)
        .select_related("organisation")
        .order_by("signed_on", "organisation__name")[skip : skip + count]
    ]


def _compiled_plan(agreement, coordinator):
    plan = ActionPlan.objects.filter(agreement=agreement, period_start=2019, period_end=2022).first()
    consultation, _ = Consultation.objects.update_or_create(
        slug=PLAN_SLUG,
        defaults={
            "title": "Utkast till handlingsplan 2019–2022 för överenskommelsen",
            "background": PLAN_BACKGROUND,
            "agreement": agreement,
            "action_plan": plan,
            "audience": Consultation.Audience.SIGNATORIES,
            "opens_at": _at(2019, 6, 3),
            "closes_at": _at(2019, 8, 30, 23),
            "closed_at": _at(2019, 8, 31, 0),
            "status": Consultation.Status.COMPILED,
            "case_number": "RS 2019-01944",  # VGR's format (core/demo_records.py)
            "compiled_at": _at(2019, 9, 20),
            "compilation_summary": (
                "Sju organisationer svarade på remissen. En stor majoritet instämmer i utkastet. Synpunkterna har "
                "lett till exempel i vägledningen om upphandling, en utvärdering av försöket inom vården och en "
                "skriftlig årsrapport. Planen beslutades av regionstyrelsen den 22 oktober 2019."
            ),
        },
    )
    sections = _sections(consultation, PLAN_SECTIONS)
    for section, text in zip(sections, PLAN_RESPONSES, strict=True):
        SectionResponse.objects.update_or_create(section=section, defaults={"text": text, "written_by": coordinator})
    for i, (organisation, (positions, comment, general)) in enumerate(
        zip(_signatories(agreement, len(PLAN_ANSWERS)), PLAN_ANSWERS, strict=False)
    ):
        late = i == len(PLAN_ANSWERS) - 1
        answer, created = Answer.objects.get_or_create(
            consultation=consultation,
            organisation=organisation,
            defaults={
                "state": Answer.State.SUBMITTED,
                "general_comment": general,
                "submitted_at": _at(2019, 9, 2) if late else _at(2019, 8, 10 + i * 2),
                "late": late,
                "late_allowed": late,
            },
        )
        if not created:
            continue
        for index, (section, position) in enumerate(zip(sections, positions, strict=True)):
            text = comment if index == 1 else (SECTION_COMMENTS.get(index, "") if position != Position.AGREE else "")
            SectionAnswer.objects.create(answer=answer, section=section, position=position, comment=text)
    return consultation


def _representative(email, organisation, name):
    User = get_user_model()
    user, created = User.objects.get_or_create(email=email, defaults={"full_name": name})
    if created:
        user.set_unusable_password()
        user.save()
    Representative.objects.get_or_create(user=user, organisation=organisation)
    return user


def _open_revision(agreement, coordinator):
    """The open consultation on the agreement's revision. Reason for its length: one demo story, its
    sections and the answer in the order a reader meets them."""
    # Times the pages and e-mails show are whole hours on days relative to today: opened three weeks ago
    # in the morning, one answer submitted two days ago in the afternoon, the deadline in five days.
    today = timezone.localdate()
    opened = _on(today - dt.timedelta(days=21), 9)
    answered = _on(today - dt.timedelta(days=2), 14)
    consultation = Consultation.objects.filter(slug=REVISION_SLUG).first()
    if consultation is None:
        consultation = Consultation.objects.create(
            slug=REVISION_SLUG,
            title="Revidering av överenskommelsen med det civila samhället",
            background=REVISION_BACKGROUND,
            agreement=agreement,
            audience=Consultation.Audience.CHOSEN,
            closes_at=_on(today + dt.timedelta(days=5), 23, 59),
        )
    sections = _sections(consultation, REVISION_SECTIONS)
    # The demo representative's first organisation in the region (agreements.demo: one that has not signed).
    demo_link = (
        Representative.objects.filter(
            user__email=DEMO_REPRESENTATIVE_EMAIL, organisation__status=Organisation.Status.VERIFIED
        )
        .select_related("organisation", "user")
        .order_by("pk")
        .first()
    )
    invited = _signatories(agreement, 6, skip=10)
    if demo_link:
        invited.append(demo_link.organisation)
    if consultation.status == Consultation.Status.DRAFT:
        consultation.invited_organisations.set(invited)
        services.consultation_open(consultation=consultation, by=coordinator, now=opened)
        consultation.refresh_from_db()

    # One signatory has submitted (through the services, as its representative would).
    answering = invited[0]
    if not Answer.objects.filter(consultation=consultation, organisation=answering).exists():
        user = _representative(DEMO_ANSWERER_EMAIL, answering, "Gunnel Remissvar")
        # Submitting needs a verified mandate (issue 23): her board appointed her.
        demo_mandate(user, answering, valid_from=today - dt.timedelta(days=60), valid_to=today + dt.timedelta(days=300))
        answer = services.answer_save(
            consultation=consultation,
            organisation=answering,
            user=user,
            positions={
                sections[0].pk: (Position.AGREE, ""),
                sections[1].pk: (Position.PARTLY, "Exemplen bör tas fram tillsammans med organisationerna."),
                sections[2].pk: (Position.AGREE, "Bra att styrelsens beslut kan bifogas digitalt."),
                sections[3].pk: (Position.AGREE, ""),
            },
            general_comment="Styrelsen ställer sig bakom revideringen.",
            now=answered,
        )
        services.answer_submit(answer=answer, user=user, now=answered)
    # The demo representative has started a draft and not submitted it.
    if demo_link and not Answer.objects.filter(consultation=consultation, organisation=demo_link.organisation).exists():
        services.answer_save(
            consultation=consultation,
            organisation=demo_link.organisation,
            user=demo_link.user,
            positions={
                sections[0].pk: (Position.AGREE, ""),
                sections[1].pk: (Position.AGREE, "Exemplen gör principerna lättare att använda."),
            },
            general_comment="",
        )
    return consultation


def _follow_for_organisation(consultation):
    """The demo representative follows the open consultation for their organisation (issue 25): its
    representatives hear when it closes soon and when the compilation is published."""
    from notifications.services import follow

    link = (
        Representative.objects.filter(
            user__email=DEMO_REPRESENTATIVE_EMAIL, organisation__status=Organisation.Status.VERIFIED
        )
        .select_related("organisation", "user")
        .order_by("pk")
        .first()
    )
    if link is not None:
        follow(
            user=link.user,
            kind="consultations.consultation",
            obj=consultation,
            organisation_id=link.organisation_id,
        )


def _vgr(stdout=None):
    agreement = Agreement.objects.filter(slug=AGREEMENT_SLUG).first()
    if agreement is None:
        if stdout:
            stdout.write("  consultations: the VGR agreement is missing (agreements demo not loaded); skipped")
        return None
    coordinator = demo_coordinator()
    compiled = _compiled_plan(agreement, coordinator)
    revision = _open_revision(agreement, coordinator)
    _follow_for_organisation(revision)
    pages_changed()
    if stdout:
        stdout.write(
            f"  consultations: {compiled.slug} ({compiled.answers.count()} answers, compiled), "
            f"{revision.slug} (open, {revision.answers.filter(state=Answer.State.SUBMITTED).count()} submitted)"
        )
    return compiled, revision


STORIES = {"vgr": _vgr}


def load(stdout=None):
    """The consultations of the region in force (``core.demo.run_story``): Västra Götalandsregionen's, with
    their English texts."""
    result = run_story(STORIES, stdout)
    run_story(dict.fromkeys(STORIES, add_english_texts), stdout)
    return result
