"""Load the demo data that tells the stories in the seeds. Idempotent: run it as often as you like."""

import importlib

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

# Order matters: later apps link to what earlier ones created.
DEMO_MODULES = ["core.demo", "organisations.demo", "meetings.demo", "agreements.demo"]


class Command(BaseCommand):
    help = "Load (or refresh) the demo data from the seeds. Safe to run again."

    def handle(self, *args, **options):
        # The demo's people are invented: their e-mails are recorded in the outbox (visible in the
        # admin) but not delivered, so the console is not flooded and no SMTP server is bothered.
        settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
        for name in DEMO_MODULES:
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name == name:
                    continue
                raise
            self.stdout.write(f"{name}:")
            with transaction.atomic():
                module.load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
