from celery import shared_task

from . import services


@shared_task(name="meetings.tasks.plan_reminders", ignore_result=True)
def plan_reminders() -> int:
    """Beat task (every minute): queue the reminders that are due, each (registration, kind) once."""
    return services.reminders_plan()
