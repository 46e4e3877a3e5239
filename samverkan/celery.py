"""Celery application.

With ``REDIS_URL`` set, tasks go to Redis and run in ``celery -A samverkan worker``;
beat reads its schedule from django-celery-beat. Without it, settings make every task
run eagerly in-process (see ``CELERY_TASK_ALWAYS_EAGER``).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")

app = Celery("samverkan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
