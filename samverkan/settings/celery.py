"""Celery: the broker, the worker's behaviour and the beat schedule (every app's periodic jobs, in one place)."""

from datetime import timedelta

from .cache import REDIS_URL

# Celery
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 4
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A request that queues a task must not hang when Redis is down: publish fails fast, the
# outbox row stays queued and the sweeper sends it when the broker is back.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_TIMEZONE = "Europe/Stockholm"
# The worker logs through LOGGING (logging.py: JSON with the request id), not Celery's own root handler.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The beat writes each job's last run to the database as soon as it sends it (not every 3 minutes):
# a beat that dies and is replaced does not send again what it had just sent.
CELERY_BEAT_SYNC_EVERY = 1
# Written into django-celery-beat's tables by the DatabaseScheduler at start; coordinators
# can then change intervals in the admin. `manage.py run_periodic` runs the same list
# in-process when there is no Redis.
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {"task": "outbox.tasks.sweep_outbox", "schedule": timedelta(seconds=60)},
    "meetings-plan-reminders": {"task": "meetings.tasks.plan_reminders", "schedule": timedelta(seconds=60)},
    "consultations-plan-reminders": {"task": "consultations.tasks.plan_reminders", "schedule": timedelta(minutes=5)},
    "purge-personal-data": {"task": "core.tasks.purge_personal_data", "schedule": timedelta(hours=24)},
    "elections-voting-reminders": {"task": "elections.tasks.send_voting_reminders", "schedule": timedelta(hours=1)},
}
