"""Celery application.

With ``REDIS_URL`` set, tasks go to Redis and run in ``celery -A samverkan worker``;
beat reads its schedule from django-celery-beat, which writes into its tables at start what the
apps register (``portal.periodic`` in each ``portal.py``; coordinators can then change intervals
in the admin). ``manage.py run_periodic`` runs the same list in-process when there is no Redis. Without it, settings make every task
run eagerly in-process (see ``CELERY_TASK_ALWAYS_EAGER``).
"""

import os

from celery import Celery

from core.registry import BeatSchedule

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")

app = Celery("samverkan")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Read from the registry when the beat starts (the apps' portal.py are loaded by then), not here.
app.conf.beat_schedule = BeatSchedule()
app.autodiscover_tasks()
