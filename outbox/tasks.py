"""The outbox's Celery tasks, as Celery's autodiscovery finds them (``<app>.tasks``).

They are defined in ``services.py`` beside the services that queue and run them, so that the
imports run one way (tasks -> services) with no circle. Their registered names are
``outbox.tasks.send_email``, ``outbox.tasks.send_email_batch`` and ``outbox.tasks.sweep_outbox``.
"""

from .services import send_email, send_email_batch, send_queued, sweep_outbox

__all__ = ["send_email", "send_email_batch", "send_queued", "sweep_outbox"]
