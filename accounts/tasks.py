from celery import shared_task

from .services import unconfirmed_accounts_purge


@shared_task(name="accounts.tasks.purge_unconfirmed_accounts", ignore_result=True)
def purge_unconfirmed_accounts() -> int:
    """Daily, once for the installation (accounts belong to no region): delete the accounts whose e-mail address
    was never confirmed, ``ACCOUNTS_UNCONFIRMED_DAYS`` after they were opened."""
    return unconfirmed_accounts_purge()
