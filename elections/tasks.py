from celery import shared_task

from .services import voting_reminders_send


@shared_task(name="elections.tasks.send_voting_reminders", ignore_result=True)
def send_voting_reminders() -> int:
    """Hourly: remind organisations that have not voted, two days before voting closes (once each)."""
    return voting_reminders_send()
