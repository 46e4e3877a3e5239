"""Celery tasks of grants: thin wrappers over the services, run by the beat (``portal.periodic``)."""

from celery import shared_task

from core.regions import for_each_region

from . import services


@shared_task(name="partnerships.tasks.remind_reports", ignore_result=True)
@for_each_region
def remind_reports() -> dict:
    """Beat task, in every active region: follow-up report reminders (each report and kind once)."""
    return {"reminded": services.reports_remind()}
