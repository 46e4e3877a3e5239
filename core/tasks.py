from importlib import import_module

from celery import shared_task
from django.conf import settings

from .regions import for_each_region
from .retention import personal_data_purge


@shared_task(name="core.tasks.purge_personal_data", ignore_result=True)
@for_each_region
def purge_personal_data() -> dict:
    """Daily, in every active region: delete or anonymise personal data past its retention time (see the
    privacy page). Returns what each region's purge did, by short name."""
    return personal_data_purge()


@shared_task(name="core.tasks.clear_expired_sessions", ignore_result=True)
def clear_expired_sessions() -> None:
    """Daily, once for the installation (sessions belong to no region): delete the sessions past their expiry.
    Django keeps them in the database until told to (``manage.py clearsessions``), and a session names its person."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
