"""Demo data from the seeds' world: municipalities of Västernorrland and Halland, areas of activity,
about twenty organisations (most verified and listed, some waiting for review with an interest
submission each) and a demo representative account.

The organisation numbers are invented (group 8, non-profit associations) with a correct Luhn
check digit; they do not belong to the real organisations whose names inspired them.
Idempotent: everything is keyed on natural keys (name, slug, e-mail).
"""

from contextlib import nullcontext
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from stdnum import luhn

from core.region_state import current_region
from core.regions import first_region_id, region_scope

from .models import AreaOfActivity, Contact, InterestSubmission, Municipality, Organisation
from .services import representative_add

DEMO_REPRESENTATIVE_EMAIL = "representant@example.se"
DEMO_REPRESENTATIVE_PASSWORD = "samverkan-demo"  # noqa: S105 - documented demo account, never in production data
DEMO_REPRESENTATIVE_ORGANISATION = "roda-korsets-regionrad-vasternorrland"

MUNICIPALITIES = {
    "Västernorrland": [
        ("Härnösand", "2280"),
        ("Kramfors", "2282"),
        ("Sollefteå", "2283"),
        ("Sundsvall", "2281"),
        ("Timrå", "2262"),
        ("Ånge", "2260"),
        ("Örnsköldsvik", "2284"),
    ],
    "Halland": [
        ("Falkenberg", "1382"),
        ("Halmstad", "1380"),
        ("Hylte", "1315"),
        ("Kungsbacka", "1384"),
        ("Laholm", "1381"),
        ("Varberg", "1383"),
    ],
}

AREAS = [
    ("Folkhälsa", "folkhalsa", "Public health"),
    ("God och nära vård", "god-och-nara-vard", "Good and close care"),
    ("Integration och flyktingmottagande", "integration", "Integration and refugee reception"),
    ("Humanitärt arbete", "humanitart-arbete", "Humanitarian work"),
    ("Kultur", "kultur", "Culture"),
    ("Barn och unga", "barn-och-unga", "Children and young people"),
    ("Folkbildning", "folkbildning", "Adult education"),
    ("Idrott och friluftsliv", "idrott-och-friluftsliv", "Sport and outdoor life"),
    ("Äldre och seniorer", "aldre", "Older people"),
    ("Social hållbarhet", "social-hallbarhet", "Social sustainability"),
    ("Tro och livsåskådning", "tro-och-livsaskadning", "Faith and beliefs"),
    ("Regional utveckling", "regional-utveckling", "Regional development"),
]

V = Organisation.Status.VERIFIED
S = Organisation.Status.SUBMITTED
I = Organisation.Status.INACTIVE  # noqa: E741
LF = Organisation.LegalForm

# slug, name, number seed (None: no number), legal form, municipality, areas, status, public, description, website
ORGANISATIONS = [
    (
        "roda-korsets-regionrad-vasternorrland",
        "Röda Korsets regionråd Västernorrland",
        1,
        LF.NON_PROFIT_ASSOCIATION,
        "Sundsvall",
        ["humanitart-arbete", "integration", "folkhalsa"],
        V,
        True,
        "Regionrådet samordnar Röda Korsets kretsar i länet: mötesplatser, stöd till människor på flykt och krisberedskap.",
        "https://www.example.se/rodakorset-vasternorrland",
    ),
    (
        "unga-musikanter-vasternorrland",
        "Riksförbundet Unga Musikanter Västernorrland",
        2,
        LF.NON_PROFIT_ASSOCIATION,
        "Härnösand",
        ["kultur", "barn-och-unga"],
        V,
        True,
        "Musikföreningar för barn och unga i hela länet, med orkesterläger och konserter.",
        "",
    ),
    (
        "mockelnforeningarna",
        "Möckelnföreningarna",
        3,
        LF.NON_PROFIT_ASSOCIATION,
        None,
        ["integration", "folkhalsa", "god-och-nara-vard"],
        V,
        True,
        "Paraplyorganisation för föreningar som arbetar med integration och folkhälsa; delaktig i projektet Cross.",
        "",
    ),
    (
        "abf-vasternorrland",
        "ABF Västernorrland",
        4,
        LF.NON_PROFIT_ASSOCIATION,
        "Sundsvall",
        ["folkbildning", "kultur", "integration"],
        V,
        True,
        "Studieförbund med studiecirklar, föreläsningar och svenska för nyanlända.",
        "",
    ),
    (
        "studieforbundet-vuxenskolan-vasternorrland",
        "Studieförbundet Vuxenskolan Västernorrland",
        5,
        LF.NON_PROFIT_ASSOCIATION,
        "Härnösand",
        ["folkbildning", "regional-utveckling"],
        V,
        True,
        "Folkbildning i hela länet, bland annat på landsbygden.",
        "",
    ),
    (
        "sensus-vasternorrland",
        "Sensus studieförbund Västernorrland",
        6,
        LF.NON_PROFIT_ASSOCIATION,
        "Örnsköldsvik",
        ["folkbildning", "tro-och-livsaskadning"],
        V,
        True,
        "Studieförbund med kultur, cirklar och samtalsgrupper.",
        "",
    ),
    (
        "vasternorrlands-idrottsforbund",
        "Västernorrlands Idrottsförbund",
        7,
        LF.NON_PROFIT_ASSOCIATION,
        "Sundsvall",
        ["idrott-och-friluftsliv", "barn-och-unga", "folkhalsa"],
        V,
        True,
        "Distriktsförbund för länets idrottsföreningar.",
        "",
    ),
    (
        "timra-pensionarsforening",
        "Timrå pensionärsförening",
        8,
        LF.NON_PROFIT_ASSOCIATION,
        "Timrå",
        ["aldre", "folkhalsa"],
        V,
        True,
        "Träffar, friskvård och studiecirklar för seniorer i Timrå.",
        "",
    ),
    (
        "seniorerna-kramfors",
        "Seniorföreningen Kramfors",
        9,
        LF.NON_PROFIT_ASSOCIATION,
        "Kramfors",
        ["aldre", "god-och-nara-vard"],
        V,
        True,
        "Seniorer som engagerar sig i frågor om vård och omsorg nära hemmet.",
        "",
    ),
    (
        "solleftea-skidklubb",
        "Sollefteå skid- och friluftsklubb",
        10,
        LF.NON_PROFIT_ASSOCIATION,
        "Sollefteå",
        ["idrott-och-friluftsliv", "barn-och-unga"],
        V,
        True,
        "Längdskidor och friluftsliv för alla åldrar.",
        "",
    ),
    (
        "missionskyrkan-ange",
        "Missionskyrkan i Ånge",
        11,
        LF.FAITH_COMMUNITY,
        "Ånge",
        ["tro-och-livsaskadning", "integration", "social-hallbarhet"],
        V,
        True,
        "Församling med språkcafé och stöd till nyanlända familjer.",
        "",
    ),
    (
        "ukrainahjalpen-vasternorrland",
        "Nätverket Ukrainahjälpen Västernorrland",
        None,
        LF.NETWORK,
        "Örnsköldsvik",
        ["humanitart-arbete", "integration"],
        V,
        True,
        "Ett nätverk av frivilliga som tar emot och stöttar människor på flykt från kriget i Ukraina.",
        "",
    ),
    (
        "halmstad-teaters-vanner",
        "Halmstad Teaters vänner",
        12,
        LF.NON_PROFIT_ASSOCIATION,
        "Halmstad",
        ["kultur", "social-hallbarhet"],
        V,
        True,
        "Vänförening som värnar teaterlivet i Halmstad.",
        "",
    ),
    (
        "frivilligcentralen-varberg",
        "Frivilligcentralen i Varberg",
        13,
        LF.NON_PROFIT_ASSOCIATION,
        "Varberg",
        ["social-hallbarhet", "aldre"],
        V,
        True,
        "Förmedlar frivilliga insatser mellan människor i Varberg.",
        "",
    ),
    (
        "stiftelsen-kungsbacka-stadsmission",
        "Stiftelsen Kungsbacka stadsmission",
        14,
        LF.FOUNDATION,
        "Kungsbacka",
        ["social-hallbarhet", "humanitart-arbete"],
        V,
        True,
        "Stöd till människor i utsatthet i norra Halland.",
        "",
    ),
    (
        "falkenbergs-idrottsallians",
        "Falkenbergs idrottsallians",
        15,
        LF.NON_PROFIT_ASSOCIATION,
        "Falkenberg",
        ["idrott-och-friluftsliv", "barn-och-unga"],
        V,
        False,
        "Samarbete mellan idrottsföreningar i Falkenberg.",
        "",
    ),
    (
        "laholms-hembygdsforening",
        "Laholms hembygdsförening",
        16,
        LF.NON_PROFIT_ASSOCIATION,
        "Laholm",
        ["kultur"],
        I,
        False,
        "Hembygdsförening, för närvarande vilande.",
        "",
    ),
    # Waiting for review, each with an interest submission.
    (
        "nara-vard-ange",
        "Föreningen Nära vård i Ånge",
        17,
        LF.NON_PROFIT_ASSOCIATION,
        "Ånge",
        ["god-och-nara-vard", "folkhalsa"],
        S,
        True,
        "",
        "",
    ),
    (
        "ungdomens-hus-kramfors",
        "Ungdomens hus Kramfors",
        18,
        LF.ECONOMIC_ASSOCIATION,
        "Kramfors",
        ["barn-och-unga", "kultur"],
        S,
        True,
        "",
        "",
    ),
    ("hylte-byalag", "Hylte byalag", 19, LF.NON_PROFIT_ASSOCIATION, "Hylte", ["regional-utveckling"], S, False, "", ""),
    (
        "harnosands-integrationsnatverk",
        "Härnösands integrationsnätverk",
        None,
        LF.NETWORK,
        "Härnösand",
        ["integration"],
        S,
        True,
        "",
        "",
    ),
]

# slug → (contact name, e-mail, wishes, message)
SUBMISSIONS = {
    "nara-vard-ange": (
        "Lena Berglund",
        "lena.berglund@example.se",
        {"wants_dialogue_meetings": True, "wants_raise_challenge": True},
        "Vi vill lyfta utmaningen med långa avstånd till vårdcentralen för äldre i glesbygden.",
    ),
    "ungdomens-hus-kramfors": (
        "Amir Haddad",
        "amir.haddad@example.se",
        {"wants_dialogue_meetings": True, "wants_further_work": True},
        "Vi driver en mötesplats för unga och vill vara med i arbetsgrupper.",
    ),
    "hylte-byalag": (
        "Karin Svensson",
        "karin.svensson@example.se",
        {"wants_further_work": True},
        "",
    ),
    "harnosands-integrationsnatverk": (
        "Olena Kovalenko",
        "olena.kovalenko@example.se",
        {"wants_dialogue_meetings": True, "wants_present_example": True},
        "Vi kan berätta om hur vi tog emot familjer hösten 2015 och vad vi lärde oss.",
    ),
}


def demo_orgnr(seed: int) -> str:
    """An invented organisation number (group 8) with a correct check digit."""
    base = f"80249{seed:04d}"
    return f"{base[:6]}-{base[6:]}{luhn.calc_check_digit(base)}"


def load(stdout=None):
    """Create or update the demo municipalities, areas of activity, organisations, people and submissions,
    in the region in force (the first region when none is: an installation of one region).
    """
    with nullcontext() if current_region() is not None else region_scope(first_region_id()):
        _load(stdout=stdout)


def _load(stdout=None):
    """The demo's rows, in the region in force.

    Reason for its length: it lists the demo's content step by step (each step a loop over the constants
    above); split up, the steps would only pass the same dictionaries from one helper to the next.
    """
    now = timezone.localtime().replace(minute=0, second=0, microsecond=0)  # admin shows times: whole hours
    municipalities = {}
    for county, names in MUNICIPALITIES.items():
        for name, code in names:
            municipality, _ = Municipality.objects.update_or_create(
                name=name, defaults={"county": county, "code": code}
            )
            municipalities[name] = municipality
    areas = {}
    for name, slug, name_en in AREAS:
        area, _ = AreaOfActivity.objects.update_or_create(slug=slug, defaults={"name": name, "name_en": name_en})
        areas[slug] = area

    User = get_user_model()
    coordinator = User.objects.filter(is_staff=True, groups__name="Samordnare").order_by("pk").first()

    created_count = 0
    for index, (
        slug,
        name,
        seed,
        legal_form,
        municipality,
        area_slugs,
        status,
        public,
        description,
        website,
    ) in enumerate(ORGANISATIONS):
        number = demo_orgnr(seed) if seed is not None else ""
        defaults = {
            "name": name,
            "legal_form": legal_form,
            "municipality": municipalities.get(municipality) if municipality else None,
            "status": status,
            "public_listing": public,
            "description": description,
            "website": website,
            "verified_by": coordinator if status != S else None,
            "verified_at": now - timedelta(days=200 - index) if status != S else None,
        }
        existing = Organisation.objects.filter(organisation_number=number).first() if number else None
        if existing is not None and existing.slug != slug:
            organisation = existing
            for key, value in defaults.items():
                setattr(organisation, key, value)
            organisation.save()
        else:
            organisation, created = Organisation.objects.update_or_create(
                slug=slug, defaults={**defaults, "organisation_number": number}
            )
            created_count += int(created)
        organisation.areas.set([areas[a] for a in area_slugs])
        if status != S:
            Contact.objects.get_or_create(
                organisation=organisation,
                email=f"kontakt+{slug}@example.se",
                defaults={"name": "Kontaktperson", "role": Contact.Role.CONTACT},
            )
        if slug in SUBMISSIONS:
            contact_name, email, wishes, message = SUBMISSIONS[slug]
            contact, _ = Contact.objects.get_or_create(
                organisation=organisation, email=email, defaults={"name": contact_name, "role": Contact.Role.CONTACT}
            )
            InterestSubmission.objects.get_or_create(
                organisation=organisation,
                contact=contact,
                defaults={
                    **wishes,
                    "submitted_organisation_name": name,
                    "message": message,
                    "wants_public_listing": public,
                    "consent": True,
                    "consent_policy_version": settings.PRIVACY_POLICY_VERSION,
                    "language": "sv",
                },
            )

    representative, created = User.objects.get_or_create(
        email=DEMO_REPRESENTATIVE_EMAIL, defaults={"full_name": "Rut Representant"}
    )
    if created:
        representative.set_password(DEMO_REPRESENTATIVE_PASSWORD)
        representative.save()
    EmailAddress.objects.get_or_create(
        user=representative, email=representative.email, defaults={"verified": True, "primary": True}
    )
    representative_add(
        organisation=Organisation.objects.get(slug=DEMO_REPRESENTATIVE_ORGANISATION), user=representative
    )
    if stdout:
        stdout.write(
            f"  {len(municipalities)} municipalities, {len(areas)} areas, {len(ORGANISATIONS)} organisations "
            f"({created_count} new), representative {DEMO_REPRESENTATIVE_EMAIL}"
        )
