from celery import shared_task

from . import services


@shared_task(name="consultations.tasks.plan_reminders", ignore_result=True)
def plan_reminders() -> dict:
    """Beat task: close consultations whose deadline passed, then remind who has not answered (each once)."""
    closed = services.consultations_close_due()
    reminded = services.reminders_plan()
    return {"closed": closed, "reminded": reminded}
