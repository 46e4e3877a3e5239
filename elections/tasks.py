from celery import shared_task

from core.regions import for_each_region

from .services import voting_reminders_send
from .services.voting import compact_ballot_tables as compact


@shared_task(name="elections.tasks.send_voting_reminders", ignore_result=True)
@for_each_region
def send_voting_reminders() -> int:
    """Hourly, in every active region: remind organisations that have not voted, two days before voting
    closes (once each)."""
    return voting_reminders_send()


@shared_task(name="elections.tasks.compact_ballot_tables", ignore_result=True)
def compact_ballot_tables() -> bool:
    """Hourly, once for all regions (the tables are shared): rewrite the ballot tables again while a count
    of the last ``ELECTIONS_COMPACT_HOURS`` may have left opened boxes in their files (a session that saw
    them was still open when the count compacted). Nothing to do, nothing done."""
    return compact()
