from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.models import Region
from core.regions import all_regions, region_scope
from outbox.services import email_queue


class Command(BaseCommand):
    help = (
        "Queue a test e-mail through the outbox (checks SMTP settings and the worker end to end), from one "
        "region (--region) or from every active region, each with its own sender and server."
    )

    def add_arguments(self, parser):
        parser.add_argument("to")
        parser.add_argument("--language", default="sv")
        parser.add_argument("--region", help="the region's short name (default: every active region)")

    def handle(self, *args, to, language, region=None, **options):
        with all_regions():
            regions = Region.objects.prefetch_related("hosts")
            regions = list(regions.filter(short_name=region) if region else regions.active().order_by("pk"))
        if not regions:
            raise CommandError(f"No region with the short name {region!r}." if region else "No active region.")
        for each in regions:
            with region_scope(each), transaction.atomic():
                (row,) = email_queue(
                    to=to, template="core/test", context={"note": "send_test_email"}, language=language
                )
            self.stdout.write(f"Queued outbox e-mail {row.pk} ({row.message_id}) from {each.short_name}.")
