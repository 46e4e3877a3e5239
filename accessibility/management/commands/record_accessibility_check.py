"""Record the portal's last automated accessibility check, shown to coordinators beside the statement.

    AXE_RESULTS_FILE=/tmp/axe.jsonl make test-e2e
    manage.py record_accessibility_check /tmp/axe.jsonl --source "CI run 1234"

The file holds one JSON object per page checked (``tests/e2e/conftest.py`` writes it when
AXE_RESULTS_FILE is set): ``{"url", "checked_at", "tool", "violations": [{"id", "impact", "help", "nodes"}]}``.
A page checked several times keeps its last result. Nothing is made up: no file, no record.
"""

import datetime as dt
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime

from accessibility.models import AccessibilityCheck


class Command(BaseCommand):
    help = "Store the results of an automated accessibility check (axe-core, JSON lines) as the portal's last one."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The JSON-lines file the browser tests wrote (AXE_RESULTS_FILE).")
        parser.add_argument("--source", default="", help="Where the results come from, e.g. the CI run.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from None
        if not lines:
            raise CommandError(f"{path} holds no results.")
        pages: dict[str, dict] = {}
        for line in sorted(lines, key=lambda item: item.get("checked_at", "")):
            pages[line["url"]] = {"url": line["url"], "violations": line.get("violations", [])}
        times = [parse_datetime(line["checked_at"]) for line in lines if line.get("checked_at")]
        check = AccessibilityCheck.objects.create(
            checked_at=max(times) if times else dt.datetime.now(dt.UTC),
            tool=lines[-1].get("tool") or "axe-core",
            source=options["source"][:200],
            pages=sorted(pages.values(), key=lambda page: page["url"]),
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Recorded {len(check.pages)} pages with {check.violation_count} finding(s) from {check.tool}."
            )
        )
