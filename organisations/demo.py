"""Demo data from the seeds' world, per region: the region's municipalities, the areas of activity,
its organisations (most verified and listed, some waiting for review with an interest submission each) and,
in Region Västernorrland, the demo representative account. The tables are in ``demo_data``.

Idempotent: everything is keyed on natural keys (name, slug, e-mail).
"""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from stdnum import luhn

from core.demo import coordinator as demo_coordinator
from core.demo import run_story, story_key

from .demo_data import AREAS, MUNICIPALITIES, ORGANISATIONS, SUBMISSIONS
from .models import AreaOfActivity, Contact, InterestSubmission, Mandate, Municipality, Organisation, Representative
from .services import representative_add

DEMO_REPRESENTATIVE_EMAIL = "representant@example.se"
DEMO_REPRESENTATIVE_PASSWORD = "samverkan-demo"  # noqa: S105 - documented demo account, never in production data
DEMO_REPRESENTATIVE_ORGANISATION = "roda-korsets-regionrad-vasternorrland"
SUBMITTED = Organisation.Status.SUBMITTED


def demo_orgnr(seed: int) -> str:
    """An invented organisation number (group 8) with a correct check digit."""
    base = f"80249{seed:04d}"
    return f"{base[:6]}-{base[6:]}{luhn.calc_check_digit(base)}"


def places(key: str) -> tuple[dict[str, Municipality], dict[str, AreaOfActivity]]:
    """The region's municipalities (by name) and areas of activity (by slug), created or updated."""
    county, names = MUNICIPALITIES.get(key, ("", []))
    municipalities = {}
    for name, code in names:
        municipalities[name], _ = Municipality.objects.update_or_create(
            name=name, defaults={"county": county, "code": code}
        )
    areas = {}
    for name, slug, name_en in AREAS:
        areas[slug], _ = AreaOfActivity.objects.update_or_create(slug=slug, defaults={"name": name, "name_en": name_en})
    return municipalities, areas


def _organisation(index, row, municipalities, coordinator, now) -> tuple[Organisation, bool]:
    slug, name, seed, legal_form, municipality, _areas, status, public, description, website = row
    number = demo_orgnr(seed) if seed is not None else ""
    defaults = {
        "name": name,
        "legal_form": legal_form,
        "municipality": municipalities.get(municipality) if municipality else None,
        "status": status,
        "public_listing": public,
        "description": description,
        "website": website,
        "verified_by": coordinator if status != SUBMITTED else None,
        "verified_at": now - timedelta(days=200 - index) if status != SUBMITTED else None,
    }
    existing = Organisation.objects.filter(organisation_number=number).first() if number else None
    if existing is not None and existing.slug != slug:
        for key, value in defaults.items():
            setattr(existing, key, value)
        existing.save()
        return existing, False
    return Organisation.objects.update_or_create(slug=slug, defaults={**defaults, "organisation_number": number})


def _people(organisation: Organisation, row) -> None:
    """The organisation's contact person, and the interest submission of one waiting for review."""
    slug, name, *_rest, status, public, _description, _website = row
    if status != SUBMITTED:
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


def _representative() -> None:
    """The demo representative (Västernorrland's story): represents the Red Cross regional council."""
    User = get_user_model()
    representative, created = User.objects.get_or_create(
        email=DEMO_REPRESENTATIVE_EMAIL, defaults={"full_name": "Rut Representant"}
    )
    if created:
        representative.set_password(DEMO_REPRESENTATIVE_PASSWORD)
        representative.save()
    EmailAddress.objects.get_or_create(
        user=representative, email=representative.email, defaults={"verified": True, "primary": True}
    )
    link = representative_add(
        organisation=Organisation.objects.get(slug=DEMO_REPRESENTATIVE_ORGANISATION), user=representative
    )
    _mandates(link)


# A minimal, valid PDF standing in for the board's minutes (demo only).
DEMO_MINUTES_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _mandates(link: Representative) -> None:
    """The demo representative's mandates: the board appointed her (verified, a year), her mandate as
    authorised signatory runs out in 20 days (the expiry notice), and her request to renew it waits in
    the coordinators' queue. Keyed on (kind, status): loading twice adds nothing."""
    today = timezone.localdate()
    coordinator = demo_coordinator()
    rows = [
        (Mandate.Kind.BOARD, Mandate.Status.VERIFIED, today - timedelta(days=60), today + timedelta(days=300)),
        (Mandate.Kind.SIGNATORY, Mandate.Status.VERIFIED, today - timedelta(days=345), today + timedelta(days=20)),
        (Mandate.Kind.SIGNATORY, Mandate.Status.REQUESTED, today, today + timedelta(days=385)),
    ]
    for kind, status, valid_from, valid_to in rows:
        if Mandate.objects.filter(representative=link, kind=kind, status=status).exists():
            continue
        mandate = Mandate(
            representative=link,
            kind=kind,
            status=status,
            valid_from=valid_from,
            valid_to=valid_to,
            message="Styrelsen har förnyat mitt uppdrag som firmatecknare." if status == "requested" else "",
        )
        if status == Mandate.Status.VERIFIED:
            mandate.verified_by = coordinator
            mandate.verified_at = timezone.now()
            mandate.verification_note = "Styrelseprotokollet granskat."
        mandate.evidence.save("protokoll.pdf", ContentFile(DEMO_MINUTES_PDF), save=False)
        mandate.save()


def demo_mandate(user, organisation, *, valid_from, valid_to, kind=Mandate.Kind.BOARD) -> Mandate:
    """A verified mandate of ``user`` for ``organisation`` (linking them first), for the other apps' demo
    stories: whoever signs, votes or submits an answer there holds one (issue 23). Kept when one of
    the kind is verified already, so loading twice adds nothing."""
    link, _created = Representative.objects.get_or_create(user=user, organisation=organisation)
    existing = Mandate.objects.filter(representative=link, kind=kind, status=Mandate.Status.VERIFIED).first()
    if existing is not None:
        return existing
    return Mandate.objects.create(
        representative=link,
        kind=kind,
        status=Mandate.Status.VERIFIED,
        valid_from=valid_from,
        valid_to=valid_to,
        verified_by=demo_coordinator(),
        verified_at=timezone.now(),
        verification_note="Styrelseprotokollet granskat (demo).",
    )


def _story(stdout=None):
    """The region in force's municipalities, areas, organisations, people and submissions."""
    key = story_key()
    now = timezone.localtime().replace(minute=0, second=0, microsecond=0)  # admin shows times: whole hours
    municipalities, areas = places(key)
    coordinator = demo_coordinator()
    rows = ORGANISATIONS.get(key, [])
    created_count = 0
    for index, row in enumerate(rows):
        organisation, created = _organisation(index, row, municipalities, coordinator, now)
        created_count += int(created)
        organisation.areas.set([areas[a] for a in row[5]])
        _people(organisation, row)
    if key == "vasternorrland":
        _representative()
    if stdout:
        stdout.write(
            f"  {len(municipalities)} municipalities, {len(areas)} areas, {len(rows)} organisations "
            f"({created_count} new)"
            + (f", representative {DEMO_REPRESENTATIVE_EMAIL}" if key == "vasternorrland" else "")
        )


# Every demo region has municipalities and areas; Västernorrland and Halland have organisations here too.
STORIES = dict.fromkeys(MUNICIPALITIES, _story)


def load(stdout=None):
    """The organisations of the region in force (``core.demo.run_story``)."""
    return run_story(STORIES, stdout)
