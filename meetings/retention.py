"""Retention of registrations (see the privacy page): anonymised a while after the meeting.

Status, attendance and the linked organisation stay, so participant numbers remain for statistics. The
answers to the questions at sign-up go with the person (free text may name them).
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction

from .models import Registration, RegistrationAnswer

ANONYMOUS_NAME = "–"


def purge(*, now) -> dict:
    """Anonymise registrations of meetings that ended more than MEETINGS_REGISTRATION_RETENTION_DAYS ago."""
    days = settings.MEETINGS_REGISTRATION_RETENTION_DAYS
    cutoff = now - timedelta(days=days)
    due = Registration.objects.filter(meeting__end__lt=cutoff, anonymised_at__isnull=True)
    count = 0
    with transaction.atomic():
        for registration in due.select_for_update().only("pk"):
            Registration.objects.filter(pk=registration.pk).update(
                name=ANONYMOUS_NAME,
                email=f"anonymiserad-{registration.pk}@invalid.example",
                phone="",
                role="",
                example_description="",
                needs="",
                user=None,
                anonymised_at=now,
            )
            RegistrationAnswer.objects.filter(registration_id=registration.pk).delete()
            count += 1
    return {"registrations_anonymised": count}
