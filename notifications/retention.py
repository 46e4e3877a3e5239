"""Retention of the notifications (see the records page): a notification is deleted NOTIFICATIONS_RETENTION_DAYS
after it was made, read or not, and so is the record of a weekly digest whose window ended that long ago, except
each person's latest one, which marks where their next digest starts, and one still on its way.

A digest's notifications were all made inside its window, so they go no later than the digest; none is ever
freed to be sent again. What people follow and their e-mail choices stay: they are the person's own choices,
erased with the account.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q

from outbox.models import OutgoingEmail

from .models import Digest, Notification

FINISHED = [OutgoingEmail.Status.SENT, OutgoingEmail.Status.FAILED]


def purge(*, now) -> dict:
    cutoff = now - timedelta(days=settings.NOTIFICATIONS_RETENTION_DAYS)
    notifications, _ = Notification.objects.filter(created_at__lt=cutoff).delete()
    later = Digest.objects.filter(user=OuterRef("user"), abandoned=False, window_end__gt=OuterRef("window_end"))
    finished = Q(abandoned=True) | Q(email__isnull=True) | Q(email__status__in=FINISHED)
    digests, _ = Digest.objects.filter(finished, window_end__lt=cutoff).filter(Exists(later)).delete()
    return {"notifications_deleted": notifications, "digests_deleted": digests}
