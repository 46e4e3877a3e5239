"""The agreement page shows its current selection round and the working group the round fills, and
is cached by agreements (agreements/cache.py): any write to a round, a nomination or a cast ballot —
from a service or the admin — moves the agreements' page version on."""

from django.db.models.signals import post_delete, post_save


def _agreement_pages_changed(sender, **kwargs):
    from agreements.cache import pages_changed

    pages_changed()


def connect():
    from .models import BallotCast, Nomination, SelectionRound

    for model in (SelectionRound, Nomination, BallotCast):
        post_save.connect(_agreement_pages_changed, sender=model, dispatch_uid=f"elections-{model.__name__}-save")
        post_delete.connect(_agreement_pages_changed, sender=model, dispatch_uid=f"elections-{model.__name__}-delete")
