"""Load (or refresh) the benchmark data set: ``manage.py load_bench_data --scale N``.

Scale 1 is 10,000 organisations, one agreement in force with 5,000 verified signatories
spread over ten years, and 300 meetings (half of them past) with 30,000 registrations.
Every row is marked (names and slugs start with ``bench``/``Bench``) so that the set can be
told apart from real and demo data. Idempotent: a section whose marked rows already have
the expected size is kept; otherwise its marked rows are deleted and inserted again with
``bulk_create``. The meetings and agreements sections are skipped while those apps have no
models yet.
"""

import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.text import slugify
from stdnum import luhn

from organisations.models import AreaOfActivity, Municipality, Organisation

SLUG_MARK = "bench-"
BATCH = 2000

MUNICIPALITIES = [
    ("Härnösand", "Västernorrland"),
    ("Kramfors", "Västernorrland"),
    ("Sollefteå", "Västernorrland"),
    ("Sundsvall", "Västernorrland"),
    ("Timrå", "Västernorrland"),
    ("Ånge", "Västernorrland"),
    ("Örnsköldsvik", "Västernorrland"),
    ("Falkenberg", "Halland"),
    ("Halmstad", "Halland"),
    ("Hylte", "Halland"),
    ("Kungsbacka", "Halland"),
    ("Laholm", "Halland"),
    ("Varberg", "Halland"),
    ("Göteborg", "Västra Götaland"),
    ("Borås", "Västra Götaland"),
    ("Trollhättan", "Västra Götaland"),
    ("Skövde", "Västra Götaland"),
    ("Uddevalla", "Västra Götaland"),
]
AREAS = [
    "Idrott och friluftsliv",
    "Kultur och musik",
    "Folkbildning",
    "Social omsorg",
    "Hälsa och vård",
    "Barn och unga",
    "Äldre och pensionärer",
    "Integration och mottagande",
    "Tro och livsåskådning",
    "Miljö och natur",
]
NAME_FIRST = [
    "Röda Korsets krets",
    "Idrottsföreningen",
    "Pensionärsföreningen",
    "Studieförbundet",
    "Hembygdsföreningen",
    "Kulturföreningen",
    "Föreningen Unga Musikanter",
    "Scoutkåren",
    "Frivilligcentralen",
    "Brukarföreningen",
    "Församlingen",
    "Nätverket för samverkan",
]
PLACES = [name for name, _ in MUNICIPALITIES] + ["Bergsjö", "Alnö", "Matfors", "Liden", "Bjästa", "Husum", "Torsby"]
DESCRIPTION = (
    "Ett starkt föreningsliv och aktiva organisationer är en viktig del av hållbar regional "
    "utveckling. Vi samlar medlemmar i alla åldrar kring verksamhet året runt, samarbetar med "
    "kommunen och regionen och tar del i dialogmöten om utmaningar som civilsamhället vill lyfta."
)


def bench_orgnr(n: int) -> str:
    """A valid, unique association number (group 8, third digit 2) for bench organisation n."""
    base = f"892{n:06d}"
    return f"{base[:6]}-{base[6:]}{luhn.calc_check_digit(base)}"


def bench_org_name(n: int) -> str:
    return f"Bench {NAME_FIRST[n % len(NAME_FIRST)]} {PLACES[n // len(NAME_FIRST) % len(PLACES)]} {n:05d}"


class Command(BaseCommand):
    # The data set does not depend on the URLs or admin; other apps' work in progress must not block it.
    requires_system_checks = []
    help = "Load the benchmark data set (scale 1 = 10,000 organisations, 5,000 signatories, 30,000 registrations)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="1 = the full set; 0.001 = a tiny one")
        parser.add_argument("--seed", type=int, default=2026)

    def log(self, message):
        self.stdout.write(f"[{time.monotonic() - self.started:6.1f}s] {message}")
        self.stdout.flush()

    def handle(self, *args, scale, seed, **options):
        if scale <= 0:
            raise CommandError("--scale must be positive")
        from core.models import Region
        from core.regions import all_regions, region_scope

        with all_regions():
            first = Region.objects.order_by("pk").first()
        # The set is the first region's (the one on 127.0.0.1); a second region on another host gets a few
        # meetings under the same slugs, for the check that two hosts never share a cached page (bench/hosts.py).
        with region_scope(first.pk):
            self.load(scale, seed)
        from bench.management.commands import _bench_sections as sections

        sections.second_region(self)

    def load(self, scale, seed):
        self.started = time.monotonic()
        self.rng = random.Random(seed)
        self.scale = scale
        counts = {
            "organisations": max(10, round(10_000 * scale)),
            "signatories": max(5, round(5_000 * scale)),
            "meetings": max(4, round(300 * scale)),
            "registrations": max(20, round(30_000 * scale)),
        }
        self.log(f"scale {scale}: {counts}")
        municipalities, areas = self.reference_data()
        organisations = self.organisations(counts["organisations"], municipalities, areas)
        from bench.management.commands import _bench_sections as sections

        sections.agreements(self, organisations, counts["signatories"])
        sections.meetings(self, organisations, counts["meetings"], counts["registrations"])
        self.analyze()
        self.log("done")

    def analyze(self):
        """Fresh planner statistics: after a bulk load PostgreSQL would otherwise plan for empty tables."""
        if connection.vendor != "postgresql":
            return
        tables = [
            "organisations_organisation",
            "organisations_organisation_areas",
            "organisations_municipality",
            "agreements_signatory",
            "meetings_meeting",
            "meetings_registration",
            "meetings_programmeitem",
            "meetings_speaker",
        ]
        existing = set(connection.introspection.table_names())
        with connection.cursor() as cursor:
            for table in tables:
                if table in existing:
                    cursor.execute(f'ANALYZE "{table}"')
        self.log("analyze: planner statistics updated")

    def reference_data(self):
        municipalities = []
        for name, region in MUNICIPALITIES:
            municipality, _ = Municipality.objects.get_or_create(name=name, defaults={"county": region})
            municipalities.append(municipality)
        areas = []
        for name in AREAS:
            area, _ = AreaOfActivity.objects.get_or_create(slug=slugify(name), defaults={"name": name})
            areas.append(area)
        return municipalities, areas

    def organisations(self, count, municipalities, areas):
        """Bench organisations: 85 % verified (90 % of those listed publicly), the rest submitted/inactive.

        Statuses follow the number (not chance), so that the same names are listed at every
        scale: the benchmark's searches find something at scale 0.001 and at scale 1 alike.
        """
        existing = Organisation.objects.filter(slug__startswith=SLUG_MARK)
        expected_public = sum(1 for n in range(count) if self.org_state(n) == (Organisation.Status.VERIFIED, True))
        if (
            existing.count() == count
            and existing.filter(status="verified", public_listing=True).count() == expected_public
        ):
            self.log(f"organisations: {count} already there, kept")
            return list(existing.order_by("pk"))
        if existing.exists():
            self.log("organisations: wrong size, deleting the old bench set")
            with transaction.atomic():
                self.delete_dependants_of_organisations()
                Organisation.areas.through.objects.filter(organisation__slug__startswith=SLUG_MARK).delete()
                existing.delete()
        rng = self.rng
        rows = []
        for n in range(count):
            status, listed = self.org_state(n)
            rows.append(
                Organisation(
                    name=bench_org_name(n),
                    slug=f"{SLUG_MARK}{n:06d}",
                    organisation_number=bench_orgnr(n),
                    legal_form=rng.choice(Organisation.LegalForm.values),
                    municipality=municipalities[n % len(municipalities)],
                    website=f"https://forening{n}.example.se/",
                    description=DESCRIPTION[: rng.randint(120, len(DESCRIPTION))],
                    public_listing=listed,
                    status=status,
                )
            )
        with transaction.atomic():
            created = []
            for start in range(0, len(rows), BATCH):
                created += Organisation.objects.bulk_create(rows[start : start + BATCH])
                self.log(f"organisations: {len(created)}/{count}")
            through = Organisation.areas.through
            links = [
                through(organisation_id=org.pk, areaofactivity_id=area.pk)
                for org in created
                for area in rng.sample(areas, rng.randint(1, 3))
            ]
            through.objects.bulk_create(links, batch_size=BATCH * 2)
            self.log(f"organisations: {len(links)} area links")
        return created

    @staticmethod
    def org_state(n: int) -> tuple[str, bool]:
        """(status, public_listing) of bench organisation n: 17 in 20 verified, 9 in 10 of those listed."""
        if n % 20 in (17, 18):
            return Organisation.Status.SUBMITTED, False
        if n % 20 == 19:
            return Organisation.Status.INACTIVE, False
        return Organisation.Status.VERIFIED, n % 10 != 9

    def delete_dependants_of_organisations(self):
        """Rows in other apps that point at bench organisations, removed before the organisations."""
        from bench.management.commands import _bench_sections as sections

        sections.delete_all(self)
