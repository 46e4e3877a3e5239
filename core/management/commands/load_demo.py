"""Load the demo data that tells the stories in the seeds. Idempotent: run it as often as you like."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from core.regions import first_region_id, region_scope
from core.registry import portal


class Command(BaseCommand):
    help = "Load (or refresh) the demo data from the seeds. Safe to run again."

    def handle(self, *args, **options):
        # The demo's people are invented: their e-mails are recorded in the outbox (visible in the
        # admin) but not delivered, so the console is not flooded and no SMTP server is bothered.
        settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
        # Apps in INSTALLED_APPS order (core/registry.py): later apps link to what earlier ones made.
        # All in the first region (the one installation's region) until the demo knows several.
        with region_scope(first_region_id()):
            for label, load in portal.demo_loaders():
                self.stdout.write(f"{label}:")
                with transaction.atomic():
                    load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
