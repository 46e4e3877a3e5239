"""Follow and unfollow, turn events into notifications, mail them at once or in a weekly digest."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from core.links import absolute_url
from core.registry import portal
from outbox.models import OutgoingEmail
from outbox.services import email_rows, email_send_on_commit

from .models import Digest, Follow, Notification, Preference

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
KINDS = ("instant", "digest")


# Follows ---------------------------------------------------------------------------------------


def usable_key(key) -> bool:
    """A key worth looking up: short text without NUL (PostgreSQL refuses it in a query)."""
    return isinstance(key, str | int) and bool(key) and len(str(key)) <= 200 and "\x00" not in str(key)


def followed_object(kind: str, key: str):
    """The object ``kind`` names by ``key`` in the region in force, or 404 (unknown kind, another
    region's object, a malformed key)."""
    followable = portal.followable_kind(kind)
    if followable is None or not usable_key(key):
        raise Http404
    try:
        obj = followable.queryset().filter(**{followable.lookup: key}).first()
    except (ValueError, TypeError):
        obj = None
    if obj is None or not getattr(obj, "is_followable", True):
        raise Http404
    return obj


def follow(*, user, kind: str, obj) -> Follow:
    found, _created = Follow.objects.get_or_create(
        user=user, kind=kind, object_id=obj.pk, defaults={"label": str(obj)[:200]}
    )
    return found


def unfollow(*, user, kind: str, obj) -> int:
    return Follow.objects.filter(user=user, kind=kind, object_id=obj.pk).delete()[0]


def is_following(*, user, kind: str, obj) -> bool:
    return user.is_authenticated and Follow.objects.filter(user=user, kind=kind, object_id=obj.pk).exists()


def preference_of(user) -> str:
    found = Preference.objects.filter(user=user).values_list("email", flat=True).first()
    return found or Preference.Email.DIGEST


def preference_set(*, user, email: str) -> None:
    Preference.objects.update_or_create(user=user, defaults={"email": email})


# Events -> notifications ------------------------------------------------------------------------


def on_event(event) -> int:
    """The subscriber ``core.events`` calls: one notification per follower, mailed at once to those
    who chose it. Returns how many notifications were made."""
    if not event.targets:
        return 0
    by_kind: dict[str, list[int]] = {}
    for kind, pk in event.targets:
        by_kind.setdefault(kind, []).append(pk)
    user_ids: set[int] = set()
    for kind, pks in by_kind.items():
        user_ids |= set(Follow.objects.filter(kind=kind, object_id__in=pks).values_list("user_id", flat=True))
    already = set(
        Notification.objects.filter(
            event=event.name, object_type=event.object_type, object_id=event.object_id
        ).values_list("user_id", flat=True)
    )
    new_ids = sorted(user_ids - already)
    if not new_ids:
        return 0
    Notification.objects.bulk_create(
        [
            Notification(
                user_id=user_id,
                event=event.name,
                object_type=event.object_type,
                object_id=event.object_id,
                title=event.title[:300],
                url=event.url[:500],
            )
            for user_id in new_ids
        ],
        ignore_conflicts=True,  # the unique constraint keeps a racing second delivery out
    )
    instant = set(
        Preference.objects.filter(user_id__in=new_ids, email=Preference.Email.INSTANT).values_list("user_id", flat=True)
    )
    mailed = []
    for notification in Notification.objects.filter(
        user_id__in=instant,
        event=event.name,
        object_type=event.object_type,
        object_id=event.object_id,
        emailed_at__isnull=True,
    ).select_related("user"):
        _mail(
            user=notification.user,
            template="notifications/instant",
            kind="instant",
            context={"notification": notification, "link": absolute_url(notification.url)},
        )
        mailed.append(notification.pk)
    Notification.objects.filter(pk__in=mailed).update(emailed_at=timezone.now())  # one statement, not one a person
    return len(new_ids)


# E-mail ----------------------------------------------------------------------------------------


def unsubscribe_token(user, kind: str) -> str:
    """A signed token for stopping ``kind`` of e-mail for ``user``: no expiry (a digest is read weeks
    later; RFC 8058 expects the link to keep working), bound to the person and the kind."""
    return signing.dumps({"u": user.pk, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_read(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("k") not in KINDS or not isinstance(data.get("u"), int):
        return None
    return data["u"], data["k"]


def unsubscribe_url(user, kind: str) -> str:
    return absolute_url(reverse("notifications:unsubscribe", args=[unsubscribe_token(user, kind)]))


def _mail(*, user, template: str, kind: str, context: dict) -> OutgoingEmail:
    """Store one e-mail with its one-click unsubscribe headers (RFC 8058); sent on commit."""
    url = unsubscribe_url(user, kind)
    (row,) = email_rows(
        to=user.email,
        template=template,
        context={**context, "user": user, "unsubscribe_url": url},
        language=user.language or settings.LANGUAGE_CODE,
        kind=f"notifications.{kind}",
    )
    row.headers = {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    row.save()
    email_send_on_commit([row.pk])
    return row


# The weekly digest ------------------------------------------------------------------------------


def last_slot(now: datetime) -> datetime:
    """The latest weekly slot (``NOTIFICATIONS_DIGEST_WEEKDAY`` at ``NOTIFICATIONS_DIGEST_HOUR``, local
    time) at or before ``now``: every digest's window ends on a slot, whenever the beat runs."""
    zone = ZoneInfo(settings.TIME_ZONE)
    local = now.astimezone(zone)
    weekday = getattr(settings, "NOTIFICATIONS_DIGEST_WEEKDAY", 0)
    hour = getattr(settings, "NOTIFICATIONS_DIGEST_HOUR", 7)
    day = local.date() - timedelta(days=(local.weekday() - weekday) % 7)
    slot = datetime(day.year, day.month, day.day, hour, tzinfo=zone)
    if slot > local:
        day -= timedelta(days=7)
        slot = datetime(day.year, day.month, day.day, hour, tzinfo=zone)
    return slot


def digest_build(*, user, now: datetime | None = None) -> Digest | None:
    """Build and queue ``user``'s digest up to the last slot, once. None when not due or nothing new.

    The window starts where the last digest actually sent ended; while one is still on its way (queued,
    or put back for a retry), nothing new is built: the outbox sends that same row.
    """
    now = now or timezone.now()
    end = last_slot(now)
    digests = Digest.objects.filter(user=user, abandoned=False).select_related("email")
    for pending in digests.exclude(email__status=OutgoingEmail.Status.SENT):
        if pending.email is not None and pending.email.status != OutgoingEmail.Status.FAILED:
            return None  # still on its way: retried from the same row
        # Failed for good (or its e-mail was purged): its window and its items are free again.
        Notification.objects.filter(digest=pending).update(digest=None)
        pending.abandoned = True
        pending.save(update_fields=["abandoned"])
    last = digests.filter(email__status=OutgoingEmail.Status.SENT).order_by("-window_end").first()
    # Not yet in a digest nor mailed at once, made before the slot. From the last digest's own start,
    # not its end: an item whose transaction committed after that digest was built (its time inside
    # that window) comes in this one, never in none and never in two.
    items = Notification.objects.filter(user=user, digest__isnull=True, emailed_at__isnull=True, created_at__lt=end)
    if last is not None:
        if last.window_end >= end:
            return None  # this slot's digest was sent
        items = items.filter(created_at__gte=last.window_start)
        start = last.window_end
    else:
        first = items.order_by("created_at").values_list("created_at", flat=True).first()
        if first is None:
            return None
        start = first
    items = list(items.order_by("created_at", "pk"))
    if not items:
        return None  # nothing new: no e-mail, and the window stays open from the last one sent
    try:
        with transaction.atomic():
            digest = Digest.objects.create(user=user, window_start=start, window_end=end, items=len(items))
            digest.email = _mail(
                user=user,
                template="notifications/digest",
                kind="digest",
                context={
                    "items": items,
                    "links": {n.pk: absolute_url(n.url) for n in items},
                    "window_start": start,
                    "window_end": end,
                },
            )
            digest.save(update_fields=["email"])
            Notification.objects.filter(pk__in=[n.pk for n in items]).update(digest=digest)
    except IntegrityError:
        return None  # another beat run built it
    return digest


def digests_build(*, now: datetime | None = None) -> dict:
    """Every digest due in the region in force (people who chose the weekly digest, the default)."""
    now = now or timezone.now()
    end = last_slot(now)
    opted_out = Preference.objects.exclude(email=Preference.Email.DIGEST).values("user_id")
    # Only people a digest may be due for: an item not yet in a digest nor mailed, or a digest not sent
    # (whose items a failed send frees again); not everyone ever notified, on every beat.
    due = Q(digest__isnull=True, emailed_at__isnull=True) | (
        Q(digest__abandoned=False) & ~Q(digest__email__status=OutgoingEmail.Status.SENT)
    )
    user_ids = (
        Notification.objects.filter(due, created_at__lt=end)
        .exclude(user_id__in=opted_out)
        .values_list("user_id", flat=True)
        .distinct()
    )
    from django.contrib.auth import get_user_model

    built = 0
    for user in get_user_model().objects.filter(pk__in=list(user_ids), is_active=True).order_by("pk"):
        if digest_build(user=user, now=now) is not None:
            built += 1
    if built:
        logger.info("notifications: %s digests built", built)
    return {"built": built}
