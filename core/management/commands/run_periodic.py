"""Run the beat schedule in-process, for machines without Redis and Celery beat.

``make run`` starts this next to the web server when ``REDIS_URL`` is unset, so that the
outbox sweeper and meeting reminders work on the embedded defaults too. With Redis, use
``celery -A samverkan beat`` instead: it reads the same schedule (the registry's) through django-celery-beat.
"""

import time

# The project's Celery app (samverkan/__init__.py loads it): core names no project module.
from celery import current_app as app
from django.core.management.base import BaseCommand

from core.registry import portal


class Command(BaseCommand):
    help = "Run the apps' periodic tasks (portal.periodic) in this process (no Redis needed)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run every task once and exit.")

    def handle(self, *args, once=False, **options):
        app.loader.import_default_modules()  # registers every app's tasks
        schedule = portal.beat_schedule()
        # Every task runs at start, then on its interval: the monotonic clock counts from the machine's boot, so
        # "never" is minus infinity, not 0 (a daily task would otherwise wait for a day of uptime).
        last_run = {name: float("-inf") for name in schedule}
        self.stdout.write(f"Periodic tasks in-process: {', '.join(schedule)}")
        while True:
            now = time.monotonic()
            for name, entry in schedule.items():
                interval = entry["schedule"].total_seconds()
                if once or now - last_run[name] >= interval:
                    last_run[name] = now
                    try:
                        app.tasks[entry["task"]].apply()
                    except Exception as exc:  # keep the loop alive; the next round tries again
                        self.stderr.write(f"{name}: {type(exc).__name__}")
            if once:
                return
            time.sleep(5)
