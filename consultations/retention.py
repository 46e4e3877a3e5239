"""Retention in consultations (see the privacy page): once a consultation is done with, what was only
needed to collect the answers goes.

A consultation is done with CONSULTATIONS_RETENTION_DAYS after its compilation was published, or
CONSULTATIONS_UNCOMPILED_RETENTION_DAYS after its deadline when no compilation is published (until the
compilation, a coordinator may still accept a late answer, so drafts must survive until then). Then:

- drafts that were never submitted are deleted, with their positions, their history and their attachments
  (never a public document, and an attachment may carry personal data);
- a submitted answer forgets who started and submitted it by person, and its history forgets the
  representatives who edited it. The answer itself (the organisation's positions, comments and
  attachment) is a public document and stays, as does the compilation.

What coordinators did (the region's responses, reopening or accepting a late answer) stays in the
history: it is the region's own record. Called daily by ``core.retention.personal_data_purge``.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from .models import Answer, Consultation


def _done_with(now):
    compiled_before = now - timedelta(days=settings.CONSULTATIONS_RETENTION_DAYS)
    closed_before = now - timedelta(days=settings.CONSULTATIONS_UNCOMPILED_RETENTION_DAYS)
    return Consultation.objects.filter(
        Q(status=Consultation.Status.COMPILED, compiled_at__lt=compiled_before)
        | Q(status=Consultation.Status.CLOSED, closes_at__lt=closed_before)
    )


def _delete_files(names: set[str]) -> None:
    storage = Answer._meta.get_field("attachment").storage
    for name in names:
        storage.delete(name)


def purge(*, now) -> dict:
    """Delete unsubmitted drafts and unlink the people behind submitted answers of consultations done with."""
    consultations = _done_with(now)
    history = Answer.history.model.objects
    with transaction.atomic():
        drafts = list(
            Answer.objects.select_for_update()
            .filter(consultation__in=consultations, state=Answer.State.DRAFT)
            .values_list("pk", flat=True)
        )
        files = set()
        if drafts:
            files = set(history.filter(id__in=drafts).exclude(attachment="").values_list("attachment", flat=True))
            files |= set(
                Answer.objects.filter(pk__in=drafts).exclude(attachment="").values_list("attachment", flat=True)
            )
            Answer.objects.filter(pk__in=drafts).delete()  # the positions go with them (CASCADE)
            history.filter(id__in=drafts).delete()  # including the record of the deletion just made
            # A file another answer still names (never expected: names are random) is kept.
            files -= set(Answer.objects.filter(attachment__in=files).values_list("attachment", flat=True))
            transaction.on_commit(lambda: _delete_files(files))
        submitted = Answer.objects.filter(consultation__in=consultations, state=Answer.State.SUBMITTED)
        # The mandate the answer was submitted under names its holder: it goes with the people.
        people = Q(created_by__isnull=False) | Q(submitted_by__isnull=False) | Q(mandate__isnull=False)
        anonymised = submitted.filter(people).update(created_by=None, submitted_by=None, mandate=None)
        history.filter(id__in=submitted.values("pk")).filter(people).update(
            created_by=None, submitted_by=None, mandate=None
        )
        history.filter(id__in=submitted.values("pk"), history_user__is_staff=False).update(history_user=None)
    return {"draft_answers_deleted": len(drafts), "answers_anonymised": anonymised}
