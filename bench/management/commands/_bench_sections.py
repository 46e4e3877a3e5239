"""The meetings and agreements parts of ``load_bench_data``.

Kept apart from the command because those apps were still growing while the benchmark was
written: each section looks its models up by label and skips itself while they are missing.
Rows are inserted with ``bulk_create`` (no signals, no simple-history rows: the benchmark
measures reads and new writes, not the history of the seed data).
"""

from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.db import transaction
from django.utils import timezone

SLUG_MARK = "bench-"
AGREEMENT_SLUG = "bench-overenskommelse"
BATCH = 2000

FIRST_NAMES = ["Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Sara", "Anders", "Eva", "Mikael", "Aisha", "Omar"]
LAST_NAMES = ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Öberg", "Lindqvist", "Ahmadi"]
PROGRAMME = [
    ("Välkommen och inledning", "Regionens samordnare hälsar välkommen och går igenom dagens program."),
    ("Rätten till vård", "Vad innebär massflyktsdirektivet till skillnad från asyl och kopplat till sjukvård?"),
    ("Vaccinationsnivån i Östeuropa", "Påverkar det oss – det vaccinationsskydd som byggts upp i Sverige?"),
    ("God och nära vård", "Hur kan civilsamhället bidra i omställningen till en god och nära vård?"),
    ("Gruppdiskussion och avslutning", "Samtal i mindre grupper och gemensam sammanfattning."),
]


def _model(label):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _person(n: int) -> str:
    return f"{FIRST_NAMES[n % len(FIRST_NAMES)]} {LAST_NAMES[n // len(FIRST_NAMES) % len(LAST_NAMES)]}"


def delete_all(cmd):
    """Delete every bench row of meetings and agreements (before the organisations are rebuilt)."""
    signatory = _model("agreements.Signatory")
    if signatory is not None:
        signatory.objects.filter(agreement__slug=AGREEMENT_SLUG)._raw_delete(signatory.objects.db)
    registration = _model("meetings.Registration")
    if registration is not None:
        registration.objects.filter(organisation__slug__startswith=SLUG_MARK).update(organisation=None)


def agreements(cmd, organisations, count):
    """One agreement in force with ``count`` verified signatories, signed over the last ten years."""
    agreement_model = _model("agreements.Agreement")
    signatory_model = _model("agreements.Signatory")
    if signatory_model is None:
        cmd.log("agreements: no models yet, skipped")
        return
    today = timezone.localdate()
    adopted = date(today.year - 10, 3, 1)
    agreement, _ = agreement_model.objects.update_or_create(
        slug=AGREEMENT_SLUG,
        defaults={
            "title": "Bench – Överenskommelse mellan regionen och det civila samhället",
            "parties": "Regionen\nDet civila samhällets organisationer",
            "summary": "Överenskommelsen beskriver hur regionen och civilsamhället samverkar. " * 4,
            "text": "Överenskommelsen bygger på principerna om självständighet, dialog, kvalitet, "
            "långsiktighet, öppenhet och mångfald. " * 20,
            "adopted_on": adopted,
            "status": agreement_model.Status.IN_FORCE,
        },
    )
    existing = signatory_model.objects.filter(agreement=agreement)
    verified_orgs = [org for org in organisations if org.status == "verified"]
    count = min(count, len(verified_orgs))
    if existing.count() == count and existing.filter(public=False).count() == sum(
        1 for n in range(count) if n % 20 == 13
    ):
        cmd.log(f"agreements: {count} signatories already there, kept")
        return
    with transaction.atomic():
        existing._raw_delete(existing.db)
        rng = cmd.rng
        span = (today - adopted).days
        rows = []
        for n, org in enumerate(verified_orgs[:count]):
            signed = adopted + timedelta(days=int(span * (n / count) ** 1.3))
            verified_at = timezone.make_aware(datetime.combine(signed + timedelta(days=rng.randint(1, 20)), time(10)))
            rows.append(
                signatory_model(
                    agreement=agreement,
                    organisation_id=org.pk,
                    signed_on=signed,
                    signed_by_name=_person(n),
                    signed_by_title=rng.choice(["Ordförande", "Verksamhetsledare", "Kassör", "Sekreterare"]),
                    method=rng.choice(signatory_model.Method.values),
                    status=signatory_model.Status.VERIFIED,
                    public=n % 20 != 13,
                    confirms_authority=True,
                    verified_at=verified_at,
                    requested_at=verified_at - timedelta(days=2),
                )
            )
        for start in range(0, len(rows), BATCH):
            signatory_model.objects.bulk_create(rows[start : start + BATCH])
            cmd.log(f"agreements: {min(start + BATCH, len(rows))}/{len(rows)} signatories")


def meetings(cmd, organisations, meeting_count, registration_count):
    """Meetings (half past, half from a week ahead) with programmes, speakers and registrations.

    Over 60 lines, kept whole: one bulk loader (build rows, insert them in batches, report progress) like the
    other sections of this file; its parts share the random generator and the rows just inserted."""
    meeting_model = _model("meetings.Meeting")
    registration_model = _model("meetings.Registration")
    if registration_model is None:
        cmd.log("meetings: no models yet, skipped")
        return
    item_model = _model("meetings.ProgrammeItem")
    speaker_model = _model("meetings.Speaker")
    # Meetings the benchmark itself creates (storm, POST target, fan-out) are not part of the set.
    existing = meeting_model.objects.filter(slug__startswith=SLUG_MARK).exclude(slug__startswith="bench-run-")
    registrations = registration_model.objects.filter(meeting__in=existing)
    if existing.count() == meeting_count and registrations.count() == registration_count:
        cmd.log(f"meetings: {meeting_count} meetings, {registration_count} registrations already there, kept")
        return
    rng = cmd.rng
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    per_meeting = registration_count // meeting_count
    extra = registration_count - per_meeting * meeting_count
    with transaction.atomic():
        if existing.exists():
            cmd.log("meetings: wrong size, deleting the old bench set")
            existing.delete()
        rows = []
        for n in range(meeting_count):
            past = n % 2 == 0
            offset = timedelta(days=7 + 2 * n) if not past else -timedelta(days=7 + 2 * n)
            start = (now + offset).replace(hour=9)
            fmt = rng.choice(meeting_model.Format.values)
            rows.append(
                meeting_model(
                    title=f"Bench dialogmöte {n:03d}: samverkan mellan region och civilsamhälle",
                    slug=f"{SLUG_MARK}mote-{n:04d}",
                    summary="Ett dialogmöte om utmaningar som civilsamhället och regionen vill lyfta tillsammans.",
                    description="Vi fokuserar på den akuta situation som uppstått och kopplar den till "
                    "folkhälsoaspekter. " * 10,
                    start=start,
                    end=start + timedelta(hours=3),
                    format=fmt,
                    venue_name="" if fmt == "digital" else "Regionens hus, sal Alnö",
                    venue_address="" if fmt == "digital" else "Storgatan 1, 852 30 Sundsvall",
                    online_link="https://meet.example.se/bench" if fmt != "physical" else "",
                    capacity=per_meeting + 50 + (n % 3) * 25,
                    waitlist_enabled=True,
                    status=meeting_model.Status.PUBLISHED,
                    organiser="Regionen",
                    contact_name="Sara Samordnare",
                    contact_email="samordnare@example.se",
                )
            )
        created = meeting_model.objects.bulk_create(rows)
        cmd.log(f"meetings: {len(created)} meetings")
        items = [
            item_model(
                meeting=meeting,
                order=i,
                start_time=time(9 + i // 2, 30 * (i % 2)),
                end_time=time(9 + (i + 1) // 2, 30 * ((i + 1) % 2)),
                title=title,
                description=text,
            )
            for meeting in created
            for i, (title, text) in enumerate(PROGRAMME)
        ]
        items = item_model.objects.bulk_create(items, batch_size=BATCH)
        speakers = [
            speaker_model(
                programme_item=item,
                order=k,
                name=_person(item.order * 7 + k),
                title="Asylsamordnare" if k == 0 else "Folkhälsostrateg",
                organisation="Regionen",
            )
            for item in items
            for k in range(1 + item.order % 2)
        ]
        speaker_model.objects.bulk_create(speakers, batch_size=BATCH)
        cmd.log(f"meetings: {len(items)} programme items, {len(speakers)} speakers")
        statuses = registration_model.Status
        listed = [org for org in organisations if org.status == "verified"] or organisations
        batch = []
        total = 0
        for n, meeting in enumerate(created):
            size = per_meeting + (1 if n < extra else 0)
            for r in range(size):
                status = statuses.CONFIRMED if r < meeting.capacity else statuses.WAITLISTED
                if rng.random() < 0.05:
                    status = statuses.CANCELLED
                org = listed[(n * 131 + r) % len(listed)]
                batch.append(
                    registration_model(
                        meeting=meeting,
                        name=_person(n + r),
                        email=f"bench.m{n:04d}.r{r:05d}@example.se",
                        phone="070-123 45 67",
                        organisation_id=org.pk if r % 3 else None,
                        organisation_name="" if r % 3 else "Nätverket för samverkan i Västernorrland",
                        role=rng.choice(["Ordförande", "Verksamhetsledare", "Medlem", "Volontär"]),
                        needs="Vegetarisk kost" if r % 10 == 0 else "",
                        consent_at=meeting.start - timedelta(days=3),
                        privacy_policy_version="2026-11",
                        status=status,
                        cancelled_at=meeting.start - timedelta(days=1) if status == statuses.CANCELLED else None,
                        attended=(r % 4 != 0) if meeting.start < now and status == statuses.CONFIRMED else None,
                        created_at=meeting.start - timedelta(days=30) + timedelta(minutes=r),
                    )
                )
                if len(batch) >= BATCH:
                    registration_model.objects.bulk_create(batch)
                    total += len(batch)
                    batch = []
                    cmd.log(f"meetings: {total}/{registration_count} registrations")
        if batch:
            registration_model.objects.bulk_create(batch)
            total += len(batch)
        cmd.log(f"meetings: {total}/{registration_count} registrations")


SECOND_REGION_MEETINGS = 3


def second_region(cmd):
    """A second region on ``halland.localhost`` with a few meetings under the first region's slugs (titles
    marked with its name): the same path on two hosts, for bench/hosts.py."""
    from bench.common import SECOND_REGION, ensure_second_region
    from core.regions import region_scope

    meeting_model = _model("meetings.Meeting")
    region = ensure_second_region()
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    with region_scope(region.pk), transaction.atomic():
        for n in range(SECOND_REGION_MEETINGS):
            start = (now + timedelta(days=8 + 2 * n)).replace(hour=9)
            meeting_model.objects.update_or_create(
                slug=f"{SLUG_MARK}mote-{n:04d}",
                defaults={
                    "title": f"{SECOND_REGION['name']}: dialogmöte {n:03d}",
                    "summary": "Ett dialogmöte i den andra regionen.",
                    "description": "Samma adress, en annan region.",
                    "start": start,
                    "end": start + timedelta(hours=3),
                    "format": "physical",
                    "venue_name": "Halmstad Teater",
                    "venue_address": "Stora Torg, Halmstad",
                    "capacity": 100,
                    "status": meeting_model.Status.PUBLISHED,
                    "organiser": SECOND_REGION["name"],
                    "contact_name": "Hanna Halland",
                    "contact_email": "samordnare.halland@example.se",
                },
            )
    cmd.log(f"second region: {SECOND_REGION['name']} on {SECOND_REGION['host']}, {SECOND_REGION_MEETINGS} meetings")
