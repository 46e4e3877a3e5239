from celery import shared_task

from core.regions import for_each_region

from . import services


@shared_task(name="consultations.tasks.plan_reminders", ignore_result=True)
@for_each_region
def plan_reminders() -> dict:
    """Beat task, in every active region: close consultations whose deadline passed, then remind who has not
    answered (each once), and tell the followers of those closing soon (each once)."""
    closed = services.consultations_close_due()
    reminded = services.reminders_plan()
    told = services.consultations_announce_closing()
    return {"closed": closed, "reminded": reminded, "closing_soon": told}
