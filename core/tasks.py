from celery import shared_task

from .retention import personal_data_purge


@shared_task(name="core.tasks.purge_personal_data", ignore_result=True)
def purge_personal_data() -> dict:
    """Daily: delete or anonymise personal data past its retention time (see the privacy page)."""
    return personal_data_purge()
