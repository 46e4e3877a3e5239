"""Demo data from seeds/004: Västra Götalandsregionen's agreement with civil society, in the demo's region
Västra Götalandsregionen (``vgr``, on vgr.localhost); the other regions have no agreement in the demo.

Signed in 2014 by 70 organisations, 107 by 2019; a new action plan 2019–2022 written by five
politicians and five civil-society representatives (the latter chosen on 26 April 2019) and decided by
the regional board in autumn 2019. The chair, Charlotte Nordström (M), is named in the seed; every
other person and every organisation here is invented, and the organisation numbers (group 8) only
have a correct check digit. Idempotent: keyed on slugs, organisation numbers and names.
"""

import datetime as dt
import io
import random

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from stdnum import luhn

from core.demo import coordinator as demo_coordinator
from core.demo import run_story
from organisations.demo import demo_mandate, places
from organisations.models import Organisation
from organisations.services import organisation_create, representative_add

from .demo_english import add_english_texts
from .models import Action, ActionPlan, Agreement, AgreementVersion, Signatory, WorkingGroupMember

AGREEMENT_SLUG = "vgr-civila-samhallet"
DEMO_REPRESENTATIVE_EMAIL = "representant@example.se"

# (name of the kind of organisation, areas by slug)
KINDS = [
    ("Pensionärsförening", ["aldre"]),
    ("Idrottsallians", ["idrott-och-friluftsliv", "barn-och-unga"]),
    ("Hembygdsförening", ["kultur"]),
    ("Föräldranätverk", ["barn-och-unga"]),
    ("Anhörigförening", ["folkhalsa", "god-och-nara-vard"]),
    ("Integrationsråd", ["integration"]),
    ("Kulturförening", ["kultur"]),
    ("Brukarråd för psykisk hälsa", ["god-och-nara-vard", "folkhalsa"]),
    ("Scoutkår", ["barn-och-unga", "idrott-och-friluftsliv"]),
    ("Stadsmission", ["social-hallbarhet", "humanitart-arbete"]),
    ("Folkdanslag", ["kultur"]),
    ("Kvinnojour", ["social-hallbarhet"]),
    ("Studiecirkelförbund", ["folkbildning"]),
    ("Ekumeniska råd", ["tro-och-livsaskadning"]),
]

# Verified signatories per year: 70 in 2014, then 37 more until 2019 (107).
PER_YEAR = {2014: 70, 2015: 10, 2016: 8, 2017: 7, 2018: 6, 2019: 6}
PENDING = 3

SUMMARY = (
    "Överenskommelsen ska öka samarbetet mellan Västra Götalandsregionen och det civila samhällets "
    "organisationer inom regionens verksamhetsområden: gemensam service (företrädesvis inköps- och "
    "upphandlingsfrågor), hälso- och sjukvård samt regional utveckling. Den ska också skapa en jämbördig "
    "dialog mellan parterna för att öka kunskapen om varandra."
)
TEXT = """1. Parter
Överenskommelsen ingås mellan Västra Götalandsregionen och de idéburna organisationer i Västra Götaland som undertecknar den.

2. Syfte
Att öka samarbetet mellan parterna inom gemensam service, hälso- och sjukvård och regional utveckling, och att skapa en jämbördig dialog som ökar kunskapen mellan parterna.

3. Principer
Parterna samverkar utifrån principerna om dialog, kvalitet, självständighet och oberoende, öppenhet och insyn, mångfald samt långsiktighet.

4. Uppföljning
Överenskommelsen följs upp genom en handlingsplan som tas fram gemensamt av politiker och företrädare för det civila samhället och beslutas av regionstyrelsen.

5. Att underteckna
En idéburen organisation som verkar i Västra Götaland kan när som helst ansluta sig genom att underteckna överenskommelsen."""

# The text as signed in 2014 (version 1); TEXT above is the revision of 2019 (version 2), so that the
# public comparison of the two versions has sections changed, added and removed.
TEXT_2014 = """1. Parter
Överenskommelsen ingås mellan Västra Götalandsregionen och de idéburna organisationer i Västra Götaland som undertecknar den.

2. Syfte
Att öka samarbetet mellan parterna inom gemensam service, hälso- och sjukvård och regional utveckling.

3. Principer
Parterna samverkar utifrån principerna om dialog, kvalitet, självständighet och oberoende, öppenhet och insyn samt mångfald.

4. Uppföljning
Överenskommelsen följs upp årligen av regionen.

5. Giltighetstid
Överenskommelsen gäller från undertecknandet till och med den 31 december 2018."""

VERSIONS = [
    (1, dt.date(2014, 4, 10), TEXT_2014, "Överenskommelsen undertecknad av regionen och 70 organisationer."),
    (
        2,
        dt.date(2019, 10, 22),
        TEXT,
        "Reviderad med handlingsplanen 2019–2022: syftet och principerna förtydligade, uppföljningen görs "
        "gemensamt och överenskommelsen gäller tills vidare; alla kan ansluta sig när som helst.",
    ),
]

ACTIONS = [
    (
        "Gemensam service – inköp och upphandling",
        "Vägledning om idéburet offentligt partnerskap och reserverad upphandling",
        "Ta fram en vägledning för när idéburet offentligt partnerskap (IOP) och reserverad upphandling kan användas.",
        Action.Responsible.REGION,
        Action.Status.DONE,
    ),
    (
        "Gemensam service – inköp och upphandling",
        "Dialogmöten inför större upphandlingar",
        "Bjuda in idéburna organisationer till dialog innan upphandlingar som berör deras verksamhetsområden annonseras.",
        Action.Responsible.JOINT,
        Action.Status.IN_PROGRESS,
    ),
    (
        "Hälso- och sjukvård",
        "Idéburna organisationer i arbetet med god och nära vård",
        "Pröva samverkan mellan vårdcentraler och patient- och anhörigföreningar i tre kommuner.",
        Action.Responsible.JOINT,
        Action.Status.IN_PROGRESS,
    ),
    (
        "Hälso- och sjukvård",
        "Anhörigstöd på sjukhusen",
        "Sprida erfarenheterna från anhörigföreningarnas stödverksamhet på två sjukhus.",
        Action.Responsible.CIVIL_SOCIETY,
        Action.Status.PLANNED,
    ),
    (
        "Regional utveckling",
        "Årlig dialogkonferens",
        "En årlig konferens där parterna följer upp överenskommelsen och handlingsplanen.",
        Action.Responsible.JOINT,
        Action.Status.DONE,
    ),
    (
        "Regional utveckling",
        "Kunskapsutbyte om föreningslivets roll på landsbygden",
        "Kartlägga föreningslivets betydelse för service och mötesplatser på landsbygden.",
        Action.Responsible.REGION,
        Action.Status.PLANNED,
    ),
]

CHOSEN = dt.date(2019, 4, 26)
TERM_END = dt.date(2022, 12, 31)
WORKING_GROUP = [
    ("Charlotte Nordström", WorkingGroupMember.Side.POLITICIAN, "M", "ordförande"),
    ("Henrik Alvarsson", WorkingGroupMember.Side.POLITICIAN, "S", "vice ordförande"),
    ("Maja Strandberg", WorkingGroupMember.Side.POLITICIAN, "L", ""),
    ("Oskar Lindqvist", WorkingGroupMember.Side.POLITICIAN, "C", ""),
    ("Fatima Rahimi", WorkingGroupMember.Side.POLITICIAN, "V", ""),
    ("Eva Bergkvist", WorkingGroupMember.Side.CIVIL_SOCIETY, "Göteborgs Pensionärsförening", ""),
    ("Johan Ekström", WorkingGroupMember.Side.CIVIL_SOCIETY, "Borås Idrottsallians", ""),
    ("Leila Haddad", WorkingGroupMember.Side.CIVIL_SOCIETY, "Trollhättans Integrationsråd", ""),
    ("Per-Erik Sandahl", WorkingGroupMember.Side.CIVIL_SOCIETY, "Skövdes Anhörigförening", ""),
    ("Sofia Mårtensson", WorkingGroupMember.Side.CIVIL_SOCIETY, "Uddevallas Stadsmission", ""),
]


def demo_orgnr(seed: int) -> str:
    """An invented organisation number (group 8) with a correct check digit."""
    base = f"80257{seed:04d}"
    return f"{base[:6]}-{base[6:]}{luhn.calc_check_digit(base)}"


def _demo_pdf(title: str, lines: list[str]) -> ContentFile:
    """A one-page PDF standing in for the real document (rendered with matplotlib, no network)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8.27, 11.69))
    figure.text(0.1, 0.9, title, fontsize=14, weight="bold", wrap=True)
    for i, line in enumerate(lines):
        figure.text(0.1, 0.84 - i * 0.03, line, fontsize=10, wrap=True)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="pdf")
    return ContentFile(buffer.getvalue())


def _genitive(name: str) -> str:
    return name if name.endswith(("s", "x", "z")) else f"{name}s"


def _organisations(count: int) -> list[Organisation]:
    """The region's signatory organisations, spread over its municipalities (``organisations.demo``)."""
    by_name, areas = places("vgr")
    municipalities = list(by_name.values())
    organisations = []
    for i in range(count):
        municipality = municipalities[i % len(municipalities)]
        kind, area_slugs = KINDS[(i // len(municipalities) + i) % len(KINDS)]
        number = demo_orgnr(i + 1)
        organisation = Organisation.objects.filter(organisation_number=number).first()
        if organisation is None:
            organisation = organisation_create(
                name=f"{_genitive(municipality.name)} {kind}",
                organisation_number=number,
                municipality=municipality,
                areas=[areas[s] for s in area_slugs],
                description=f"{kind} i {municipality.name}.",
                public_listing=True,
                status=Organisation.Status.VERIFIED,
            )
        organisations.append(organisation)
    return organisations


def _signing_dates() -> list[dt.date]:
    rng = random.Random(2014)
    dates = []
    for year, n in PER_YEAR.items():
        # The agreement was signed at a ceremony in spring 2014; later signatures come through the year.
        for _ in range(n):
            if year == 2014:
                dates.append(
                    dt.date(2014, 4, 10)
                    if rng.random() < 0.6
                    else dt.date(2014, rng.randint(5, 12), rng.randint(1, 28))
                )
            else:
                dates.append(dt.date(year, rng.randint(1, 12), rng.randint(1, 28)))
    return dates


def _signatory(agreement, organisation, *, history_user=None, **values) -> tuple[Signatory, bool]:
    signatory = Signatory.objects.filter(agreement=agreement, organisation=organisation).first()
    if signatory:
        return signatory, False
    signatory = Signatory(agreement=agreement, organisation=organisation, **values)
    signatory._history_user = history_user
    signatory.save()
    return signatory, True


def _vgr(stdout=None):
    """Create or update the demo agreement, its versions, signatories, action plans and working group.

    Reason for its length: it is mostly the agreement's own content (dates, titles, texts) written out in
    the order of the agreement's history; split up, that history would be harder to read and check.
    """
    coordinator = demo_coordinator()
    agreement, _ = Agreement.objects.update_or_create(
        slug=AGREEMENT_SLUG,
        defaults={
            "title": "Överenskommelse mellan Västra Götalandsregionen och det civila samhället",
            "parties": "Västra Götalandsregionen\nIdéburna organisationer i Västra Götaland som undertecknat överenskommelsen",
            "summary": SUMMARY,
            "text": TEXT,
            "adopted_on": dt.date(2014, 4, 10),
            "status": Agreement.Status.IN_FORCE,
            "case_number": "RS 2013-04512",  # the region's format (core/demo_records.py)
        },
    )
    for number, date, text, note in VERSIONS:
        version, _ = AgreementVersion.objects.update_or_create(
            agreement=agreement,
            number=number,
            defaults={"date": date, "text": text, "change_note": note, "published": True},
        )
        if not version.document:
            version.document.save("overenskommelse.pdf", _demo_pdf(agreement.title, text.splitlines()))

    plan, _ = ActionPlan.objects.update_or_create(
        agreement=agreement,
        period_start=2019,
        period_end=2022,
        defaults={
            "title": "Handlingsplan för överenskommelsen",
            "status": ActionPlan.Status.DECIDED,
            "summary": (
                "Handlingsplanen togs fram av fem politiker och fem företrädare för det civila samhället och "
                "omfattar överenskommelsens tre områden: gemensam service (inköp och upphandling), hälso- och "
                "sjukvård samt regional utveckling."
            ),
            "decided_by": "Regionstyrelsen",
            "decided_on": dt.date(2019, 10, 22),
            "case_number": "RS 2019-02871",
        },
    )
    if not plan.document:
        plan.document.save(
            "handlingsplan.pdf",
            _demo_pdf("Handlingsplan 2019–2022", [f"{area}: {title}" for area, title, *_rest in ACTIONS]),
        )
    for order, (area, title, description, responsible, status) in enumerate(ACTIONS, start=1):
        Action.objects.update_or_create(
            action_plan=plan,
            title=title,
            defaults={
                "order": order,
                "area": area,
                "description": description,
                "responsible": responsible,
                "status": status,
            },
        )
    for order, (name, side, affiliation, role) in enumerate(WORKING_GROUP, start=1):
        WorkingGroupMember.objects.update_or_create(
            agreement=agreement,
            name=name,
            defaults={
                "side": side,
                "affiliation": affiliation,
                "role": role,
                "order": order,
                "term_start": CHOSEN,
                "term_end": TERM_END,
            },
        )

    dates = _signing_dates()
    organisations = _organisations(len(dates) + PENDING + 2)
    created = 0
    for organisation, signed_on in zip(organisations, dates, strict=False):
        _, new = _signatory(
            agreement,
            organisation,
            history_user=coordinator,
            signed_on=signed_on,
            method=Signatory.Method.PAPER if signed_on.year < 2018 else Signatory.Method.IMPORTED,
            status=Signatory.Status.VERIFIED,
            signed_by_name="",
            signed_by_title="Ordförande",
            verified_at=timezone.make_aware(dt.datetime.combine(signed_on, dt.time(12))),
            verified_by=coordinator,
        )
        created += new
    rest = organisations[len(dates) :]
    today = timezone.localdate()
    for i, organisation in enumerate(rest[:PENDING]):
        _signatory(
            agreement,
            organisation,
            signed_on=today - dt.timedelta(days=3 + i * 4),
            method=Signatory.Method.PAPER,
            status=Signatory.Status.PENDING,
            signed_by_name="Kerstin Exempel",
            signed_by_title="Ordförande",
        )
    # One organisation signed in 2020 and withdrew in 2022 when it merged with another association.
    _signatory(
        agreement,
        rest[PENDING],
        history_user=coordinator,
        signed_on=dt.date(2020, 3, 12),
        method=Signatory.Method.PAPER,
        status=Signatory.Status.WITHDRAWN,
        signed_by_title="Ordförande",
        verified_at=timezone.make_aware(dt.datetime(2020, 3, 20, 12)),
        verified_by=coordinator,
        withdrawn_on=dt.date(2022, 6, 15),
        withdrawal_reason="Föreningen har gått samman med en annan förening.",
        withdrawn_by=coordinator,
    )

    # The demo representative (a user of every region; made by organisations.demo in Västernorrland) also
    # represents one organisation of this region that has not signed, so that signing can be tried: log in
    # as representant@example.se on vgr.localhost and press "Underteckna" (the signature then waits for a
    # coordinator).
    # Signing needs a verified mandate (issue 23): the board appointed her, and a coordinator verified it.
    representative = get_user_model().objects.filter(email=DEMO_REPRESENTATIVE_EMAIL).first()
    if representative is not None:
        representative_add(organisation=rest[PENDING + 1], user=representative)
        today = timezone.localdate()
        demo_mandate(
            representative,
            rest[PENDING + 1],
            valid_from=today - dt.timedelta(days=30),
            valid_to=today + dt.timedelta(days=335),
        )
    if stdout:
        verified = agreement.signatories.verified().count()
        stdout.write(f"  agreement {agreement.slug}: {verified} verified signatories ({created} new)")
    return agreement


STORIES = {"vgr": _vgr}


def load(stdout=None):
    """The agreement of the region in force (``core.demo.run_story``): Västra Götalandsregionen's only,
    with its English texts."""
    result = run_story(STORIES, stdout)
    run_story(dict.fromkeys(STORIES, add_english_texts), stdout)
    return result
