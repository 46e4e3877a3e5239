from celery import shared_task

from core.regions import for_each_region

from .services import voting_reminders_send


@shared_task(name="elections.tasks.send_voting_reminders", ignore_result=True)
@for_each_region
def send_voting_reminders() -> int:
    """Hourly, in every active region: remind organisations that have not voted, two days before voting
    closes (once each)."""
    return voting_reminders_send()
