from celery import shared_task

from . import services


@shared_task(name="outbox.tasks.send_email", ignore_result=True)
def send_email(email_id: int) -> None:
    """Send one outbox row once; a failed attempt is put back with a backoff for the sweeper."""
    services.email_send(email_id=email_id)


@shared_task(name="outbox.tasks.send_email_batch", ignore_result=True)
def send_email_batch(email_ids: list[int]) -> None:
    """Send several outbox rows over one SMTP connection (reminder fan-out)."""
    services.email_send_batch(email_ids=email_ids)


@shared_task(name="outbox.tasks.sweep_outbox", ignore_result=True)
def sweep_outbox() -> dict:
    """Periodic: re-queue rows that were never sent or got stuck while sending."""
    return services.outbox_sweep()
