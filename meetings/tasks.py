from celery import shared_task

from core.regions import for_each_region

from . import services


@shared_task(name="meetings.tasks.plan_reminders", ignore_result=True)
@for_each_region
def plan_reminders() -> int:
    """Beat task (every minute), in every active region: queue the reminders that are due, each
    (registration, kind) once. Returns {region short name: reminders queued}."""
    return services.reminders_plan()
