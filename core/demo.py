"""The demo's regions and each region's coordinator.

``manage.py load_demo`` serves three regions from the seeds, each on its own loopback host:

- Region Västernorrland, the installation's first region (made by core's migration from the settings),
  on ``127.0.0.1`` and ``localhost``: its 2022 challenge-driven meetings and challenges;
- Region Halland on ``halland.localhost``: the dialogue meetings of 2016 at Halmstad Teater;
- Västra Götalandsregionen on ``vgr.localhost``: its agreement, the 2019 selection round, the action plan
  and the consultations on it.

``ensure_regions`` creates or updates the regions and their hosts; ``load_demo`` then runs every app's demo
loader once per region inside ``region_scope(region)``. Each app keeps its stories in a dict keyed by the
region's *story key* (its short name; the first region's is ``vasternorrland`` whatever short name an
operator gave it) and runs the one of the region in force with ``run_story``: a region without a story of
an app loads nothing of it. Idempotent: regions are keyed on their short name, hosts on their name, people on
their e-mail.
"""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction

from .models import Region, RegionHost
from .permissions import ensure_coordinator_group
from .region_state import current_region
from .regions import first_region_id, region_scope

DEMO_PASSWORD = "samverkan-demo"  # noqa: S105 - documented demo accounts, never in production data
DEMO_COORDINATOR_PASSWORD = DEMO_PASSWORD
DEMO_COORDINATOR_EMAIL = "samordnare@example.se"
FIRST = "vasternorrland"


@dataclass(frozen=True)
class DemoRegion:
    """What the demo sets on one region (the first region keeps the name and contact its settings gave)."""

    key: str
    name: str
    hosts: tuple[str, ...]  # the first is the primary host
    accent_color: str
    accent_dark_color: str
    contact_email: str
    contact_phone: str
    sender_email: str
    coordinator_email: str
    coordinator_name: str


REGIONS = {
    region.key: region
    for region in (
        DemoRegion(
            key=FIRST,
            name="Region Västernorrland",
            hosts=("127.0.0.1", "localhost"),
            # The portal's colours before regions had their own (static/css/site.css).
            accent_color="#00594f",
            accent_dark_color="#003d36",
            contact_email="civilasamhallet@rvn.se",
            contact_phone="0611-800 00",
            sender_email="no-reply@rvn.example.se",
            coordinator_email=DEMO_COORDINATOR_EMAIL,
            coordinator_name="Sara Samordnare",
        ),
        DemoRegion(
            key="halland",
            name="Region Halland",
            hosts=("halland.localhost",),
            accent_color="#005b9a",
            accent_dark_color="#003c66",
            contact_email="samverkan@halland.example.se",
            contact_phone="035-15 20 00",
            sender_email="no-reply@halland.example.se",
            coordinator_email="samordnare.halland@example.se",
            coordinator_name="Hanna Halländare",
        ),
        DemoRegion(
            key="vgr",
            name="Västra Götalandsregionen",
            hosts=("vgr.localhost",),
            accent_color="#7a1f5c",
            accent_dark_color="#4d133a",
            contact_email="civilasamhallet@vgr.example.se",
            contact_phone="010-441 20 00",
            sender_email="no-reply@vgr.example.se",
            coordinator_email="samordnare.vgr@example.se",
            coordinator_name="Viktor Västgöte",
        ),
    )
}
_MODEL_DEFAULT_COLOURS = (
    Region._meta.get_field("accent_color").default,
    Region._meta.get_field("accent_dark_color").default,
)


# Which region's stories ------------------------------------------------------------------------------


def first_region() -> Region | None:
    region_id = first_region_id()
    return Region.objects.filter(pk=region_id).first() if region_id is not None else None


def story_key(region: Region | None = None) -> str | None:
    """The key of ``region``'s stories (the region in force's when None; the first region when none is)."""
    region = region or current_region() or first_region()
    if region is None:
        return None
    if region.short_name in REGIONS and region.short_name != FIRST:
        return region.short_name
    if region.pk == first_region_id():
        return FIRST
    return region.short_name


def demo_region(region: Region | None = None) -> DemoRegion | None:
    """What the demo sets on ``region`` (the region in force's when None), or None for a region it does not know."""
    return REGIONS.get(story_key(region))


def run_story(stories: dict, stdout=None):
    """Run the story in ``stories`` of the region in force (the first region when none is), inside that
    region's scope; a region without one loads nothing (returns None)."""
    region = current_region() or first_region()
    if region is None:
        return None
    story = stories.get(story_key(region))
    if story is None:
        return None
    with region_scope(region):
        return story(stdout)


def coordinator():
    """The demo coordinator of the region in force (else its first coordinator, else None)."""
    region = current_region() or first_region()
    spec = demo_region(region)
    User = get_user_model()
    if spec is not None:
        user = User.objects.filter(email=spec.coordinator_email).first()
        if user is not None:
            return user
    return region.coordinators.order_by("pk").first() if region is not None else None


# The regions and their hosts ---------------------------------------------------------------------------


def _ensure_hosts(region: Region, hosts, stdout=None) -> None:
    """Add ``hosts`` to ``region`` (the first primary when the region has none); a host another region
    answers on stays that region's."""
    for host in hosts:
        entry = RegionHost.objects.filter(host=host).first()
        if entry is None:
            has_primary = region.hosts.filter(is_primary=True).exists()
            RegionHost.objects.create(region=region, host=host, is_primary=not has_primary)
        elif entry.region_id != region.pk and stdout:
            stdout.write(f"  host {host} belongs to another region ({entry.region}); left there")


def _first(spec: DemoRegion, stdout=None) -> Region:
    """The installation's first region, made by core's migration: its name, short name and contact come
    from the settings and stay; the demo gives it Västernorrland's colours (unless someone chose others),
    a sender when it has none and the loopback hosts."""
    region = first_region()
    if region is None:  # the database was flushed: made again as the migration makes it
        from django.conf import settings

        region = Region.objects.create(
            name=settings.REGION_NAME,
            short_name=settings.REGION_SHORT_NAME,
            contact_email=settings.REGION_CONTACT_EMAIL,
            contact_phone=settings.REGION_CONTACT_PHONE,
        )
    if (region.accent_color, region.accent_dark_color) == _MODEL_DEFAULT_COLOURS:
        region.accent_color, region.accent_dark_color = spec.accent_color, spec.accent_dark_color
    region.contact_email = region.contact_email or spec.contact_email
    region.contact_phone = region.contact_phone or spec.contact_phone
    region.sender_email = region.sender_email or spec.sender_email
    region.clean()  # the colours' contrast (the sender the migration took from the settings may be a bare IP)
    region.save()
    return region


def _other(spec: DemoRegion) -> Region | None:
    first_id = first_region_id()
    region = Region.objects.filter(short_name=spec.key).first()
    if region is not None and region.pk == first_id:
        return None  # an operator named the first region so; it has Västernorrland's stories
    region = region or Region(short_name=spec.key)
    for field in ("name", "accent_color", "accent_dark_color", "contact_email", "contact_phone", "sender_email"):
        setattr(region, field, getattr(spec, field))
    region.is_active = True
    region.full_clean()
    region.save()
    return region


def ensure_regions(stdout=None) -> list[Region]:
    """Create or update the demo's regions and their hosts, first region first."""
    regions = []
    with transaction.atomic():
        for spec in REGIONS.values():
            region = _first(spec, stdout) if spec.key == FIRST else _other(spec)
            if region is None:
                if stdout:
                    stdout.write(f"  region {spec.key}: the first region has this short name; skipped")
                continue
            _ensure_hosts(region, spec.hosts, stdout)
            regions.append(region)
            if stdout:
                stdout.write(f"  region {region.name} ({region.short_name}) on {region.primary_host}")
    return regions


# The coordinator of each region (core's demo loader) ------------------------------------------------


def load(stdout=None):
    """The coordinators' group and the region in force's demo coordinator: staff, in the group and a
    coordinator of that region only."""
    group = ensure_coordinator_group()
    region = current_region() or first_region()
    spec = demo_region(region)
    if region is None or spec is None:
        return None
    User = get_user_model()
    user, created = User.objects.get_or_create(
        email=spec.coordinator_email, defaults={"full_name": spec.coordinator_name, "is_staff": True}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    user.groups.add(group)
    user.coordinated_regions.set([region])
    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    if stdout:
        stdout.write(f"  coordinator {spec.coordinator_email} of {region.name} ({'created' if created else 'kept'})")
    from .demo_records import load as load_records

    with region_scope(region):
        load_records(region, story_key(region), stdout)
    return user


def add_english(queryset, texts: dict, *, key: str = "slug") -> int:
    """The demo's English versions (``title_en`` …, see core/translated.py) of the rows of ``queryset`` whose
    ``key`` is a key of ``texts``: ``{"slug": {"title_en": "…", "summary_en": "…"}}``. Saved (so the page
    caches move on) only where a text differs; idempotent. Returns the number of rows changed."""
    changed = 0
    for value, fields in texts.items():
        for row in queryset.filter(**{key: value}):
            differing = [name for name, text in fields.items() if getattr(row, name) != text]
            if differing:
                for name in differing:
                    setattr(row, name, fields[name])
                row.save(update_fields=differing)
                changed += 1
    return changed
