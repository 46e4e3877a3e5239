"""The agreement page shows its current selection round and the working group a round fills, and is
cached by agreements (``agreements.cache.pages``): a write to a round, a nomination or a cast ballot —
from a service or the admin — moves that version on commit, through the one invalidation path."""

from agreements.cache import pages as agreement_pages
from core.pagecache import register_invalidation


def connect() -> None:
    from .cache import pages
    from .models import BallotCast, Nomination, SelectionRound

    for cache in (agreement_pages, pages):
        register_invalidation(models=(SelectionRound, Nomination, BallotCast), cache=cache)
