import logging

from celery import shared_task

from . import services
from .connection import worker_connection
from .models import OutgoingEmail

logger = logging.getLogger(__name__)


@shared_task(name="outbox.tasks.send_email", ignore_result=True)
def send_email(email_id: int) -> None:
    """Send one outbox row once, over the worker's kept SMTP connection (``connection.py``); a failed
    attempt is put back with a backoff for the sweeper."""
    try:
        connection = worker_connection.acquire()
    except Exception:
        connection = None  # the server is away: the send below fails and counts as the attempt
        logger.warning("outbox: could not open the SMTP connection to keep; sending without it")
    if connection is None:
        services.email_send(email_id=email_id)
        return
    ok = False
    try:
        email = services.email_send(email_id=email_id, connection=connection)
        ok = email is None or email.status == OutgoingEmail.Status.SENT
    finally:
        worker_connection.release(ok=ok)


@shared_task(name="outbox.tasks.send_email_batch", ignore_result=True)
def send_email_batch(email_ids: list[int]) -> None:
    """Send several outbox rows over one SMTP connection (reminder fan-out)."""
    services.email_send_batch(email_ids=email_ids)


@shared_task(name="outbox.tasks.sweep_outbox", ignore_result=True)
def sweep_outbox() -> dict:
    """Periodic: re-queue rows that were never sent or got stuck while sending."""
    return services.outbox_sweep()
