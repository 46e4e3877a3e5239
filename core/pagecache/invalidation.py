"""How the page cache's versions move: new version keys written on commit, once per transaction, and the
signals that bump a namespace whenever a model's row is saved or deleted (``register_invalidation``)."""

from collections.abc import Callable, Iterable, Sequence
from uuid import uuid4

from django.core.cache import cache as default_cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save


def _new_version() -> str:
    return uuid4().hex[:12]


class _PendingBumps:
    """The version keys one transaction moves on, written in one go by the first of its on-commit
    callbacks to run (every bump registers one, so a test that runs only the callbacks of a block,
    ``captureOnCommitCallbacks``, still sees the bump; the others find nothing left to do)."""

    def __init__(self):
        self.keys: set[str] = set()
        self.done = False

    def flush(self):
        if self.done:
            return
        self.done = True
        default_cache.set_many({key: _new_version() for key in self.keys}, None)


def _pending_bumps() -> _PendingBumps:
    """The bumps waiting for this transaction's commit (a rolled-back savepoint takes its callbacks
    with it: then a new set is started)."""
    for _savepoints, func, _robust in transaction.get_connection().run_on_commit:
        owner = getattr(func, "__self__", None)
        if isinstance(owner, _PendingBumps) and not owner.done:
            return owner
    return _PendingBumps()


def register_invalidation(*, models: Iterable, cache, scopes: Callable[[object], Sequence] | None = None) -> None:
    """Bump ``cache`` (a ``VersionedCache``) on commit whenever a row of ``models`` is saved or deleted, or a many-to-many
    field of theirs changes: admin edits, imports, merges and the shell included.

    ``scopes(instance)`` moves only those scopes of the namespace for a save or delete (e.g. a
    registration moves the meeting list's counts and that meeting's page, not the feed); a
    many-to-many change always moves the whole namespace. Call it from ``AppConfig.ready()``.
    """

    def saved_or_deleted(sender, instance, raw=False, **kwargs):
        if raw:
            return  # fixtures loading
        cache.bump(*(scopes(instance) if scopes else ()))

    def relation_changed(sender, action, **kwargs):
        if action in {"post_add", "post_remove", "post_clear"}:
            cache.bump()

    for model in models:
        uid = f"pagecache:{cache.namespace}:{model._meta.label_lower}"
        post_save.connect(saved_or_deleted, sender=model, weak=False, dispatch_uid=f"{uid}:save")
        post_delete.connect(saved_or_deleted, sender=model, weak=False, dispatch_uid=f"{uid}:delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                relation_changed, sender=field.remote_field.through, weak=False, dispatch_uid=f"{uid}:{field.name}"
            )
