from celery import shared_task

from core.regions import for_each_region

from .services import digests_build


@shared_task(name="notifications.tasks.send_digests", ignore_result=True)
@for_each_region
def send_digests() -> dict:
    """Hourly, in every active region: build the weekly digests that are due (idempotent per window)."""
    return digests_build()
