"""A write to a round, a nomination or a cast ballot — from a service or the admin — moves the
elections' page version on commit, through the one invalidation path. The agreement page shows the
current round as the elections' slot (``elections/portal.py``, ``caches=["elections"]``), so its
cache follows this version; nothing here touches the agreements' cache."""

from core.pagecache import register_invalidation


def connect() -> None:
    from .cache import pages
    from .models import BallotCast, Nomination, SelectionRound

    register_invalidation(models=(SelectionRound, Nomination, BallotCast), cache=pages)
