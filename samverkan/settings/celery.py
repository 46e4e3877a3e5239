"""Celery: the broker, the worker's behaviour and the beat schedule (every app's periodic jobs, in one place)."""

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
# The beat schedule is not a setting: each app declares its periodic tasks in its portal.py
# (portal.periodic), and samverkan/celery.py and `manage.py run_periodic` read them from the registry.
