"""Load the demo data that tells the stories in the seeds, in three regions. Idempotent: run it as often
as you like."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from core.demo import ensure_regions
from core.regions import region_scope
from core.registry import portal


class Command(BaseCommand):
    help = (
        "Load (or refresh) the demo data from the seeds: Region Västernorrland (the first region), Region Halland "
        "(halland.localhost) and Västra Götalandsregionen (vgr.localhost). Safe to run again."
    )

    def handle(self, *args, **options):
        # The demo's people are invented: their e-mails are recorded in the outbox (visible in the
        # admin) but not delivered, so the console is not flooded and no SMTP server is bothered.
        settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
        self.stdout.write("regions:")
        regions = ensure_regions(stdout=self.stdout)
        for region in regions:
            self.stdout.write(self.style.MIGRATE_HEADING(f"{region.name}:"))
            # Apps in INSTALLED_APPS order (core/registry.py): later apps link to what earlier ones made.
            # Each loader loads the stories of the region in force (core.demo.run_story).
            for label, load in portal.demo_loaders():
                self.stdout.write(f"{label}:")
                with region_scope(region), transaction.atomic():
                    load(stdout=self.stdout)
        hosts = ", ".join(f"{region.short_name}: {region.primary_host}" for region in regions)
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded ({hosts})."))
