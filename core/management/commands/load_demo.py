"""Load the demo data that tells the stories in the seeds. Idempotent: run it as often as you like."""

import importlib

from django.core.management.base import BaseCommand
from django.db import transaction

# Order matters: later apps link to what earlier ones created.
DEMO_MODULES = ["core.demo", "organisations.demo", "meetings.demo", "agreements.demo"]


class Command(BaseCommand):
    help = "Load (or refresh) the demo data from the seeds. Safe to run again."

    def handle(self, *args, **options):
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
