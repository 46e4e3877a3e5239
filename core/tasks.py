from celery import shared_task

from .regions import for_each_region
from .retention import personal_data_purge


@shared_task(name="core.tasks.purge_personal_data", ignore_result=True)
@for_each_region
def purge_personal_data() -> dict:
    """Daily, in every active region: delete or anonymise personal data past its retention time (see the
    privacy page). Returns what each region's purge did, by short name."""
    return personal_data_purge()
