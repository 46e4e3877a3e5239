from celery import shared_task

from core.regions import for_each_region

from .mandates import mandate_expiry_notices_send


@shared_task(name="organisations.tasks.send_mandate_expiry_notices", ignore_result=True)
@for_each_region
def send_mandate_expiry_notices() -> int:
    """Every six hours, in every active region: tell each holder once that their mandate runs out within
    30 days (idempotent: a notice sent is recorded on the mandate)."""
    return mandate_expiry_notices_send()
