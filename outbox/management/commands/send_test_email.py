from django.core.management.base import BaseCommand
from django.db import transaction

from outbox.services import email_queue


class Command(BaseCommand):
    help = "Queue a test e-mail through the outbox (checks SMTP settings and the worker end to end)."

    def add_arguments(self, parser):
        parser.add_argument("to")
        parser.add_argument("--language", default="sv")

    def handle(self, *args, to, language, **options):
        with transaction.atomic():
            (row,) = email_queue(to=to, template="core/test", context={"note": "send_test_email"}, language=language)
        self.stdout.write(f"Queued outbox e-mail {row.pk} ({row.message_id}).")
