"""Retention in grants: an application that was never submitted is deleted a year after its call closed,
with its budget, its attachments (which may carry personal data) and its history. Submitted applications,
decisions and reports are the region's records of how public money was given and stay. Called daily by
``core.retention.personal_data_purge``."""

from datetime import timedelta

from django.db import transaction

from .models import Application, ApplicationAttachment

DRAFT_RETENTION = timedelta(days=365)


def purge(*, now) -> dict:
    """Delete the drafts of calls whose last day to apply passed more than a year ago."""
    with transaction.atomic():
        drafts = list(
            Application.objects.select_for_update()
            .filter(status=Application.Status.DRAFT, call__closes_at__lt=now - DRAFT_RETENTION)
            .values_list("pk", flat=True)
        )
        files = list(ApplicationAttachment.objects.filter(application__in=drafts).values_list("file", flat=True))
        Application.history.model.objects.filter(id__in=drafts).delete()
        deleted, _rows = Application.objects.filter(pk__in=drafts).delete()
    storage = ApplicationAttachment._meta.get_field("file").storage
    for name in files:
        storage.delete(name)
    return {"drafts": len(drafts)}
