"""Follow and unfollow, turn events into notifications, mail them at once or in a weekly digest."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import BigIntegerField, Case, OuterRef, Q, Subquery, Value, When
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from core.links import absolute_url
from core.registry import portal
from outbox.models import OutgoingEmail
from outbox.services import email_rows, email_send_on_commit

from .models import Digest, DigestSchedule, Follow, Notification, Preference

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
KINDS = ("instant", "digest")
DIGEST_CHUNK = 200  # people whose digests are read and stored in one go


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


def organisations_to_follow_for(user) -> dict[int, str]:
    """The organisations ``user`` may follow for (``portal.follow_on_behalf``), by id."""
    provider = portal.on_behalf()
    if provider is None or not user.is_authenticated:
        return {}
    return dict(provider.choices_for(user))


def _owner(user, organisation_id: int | None) -> dict:
    """Whose follow it is: the person's own, or (when they represent it) the organisation's; else 404."""
    if organisation_id is None:
        return {"user": user, "organisation_id": None}
    if organisation_id not in organisations_to_follow_for(user):
        raise Http404
    return {"organisation_id": organisation_id}


def follow(*, user, kind: str, obj, organisation_id: int | None = None) -> Follow:
    """``user`` follows ``obj``, for themselves or for an organisation they represent (its
    representatives then hear what it brings). Following twice changes nothing."""
    owner = _owner(user, organisation_id)
    defaults = {"label": str(obj)[:200], "user": user}
    if organisation_id is not None:
        defaults["organisation_name"] = organisations_to_follow_for(user)[organisation_id][:200]
    try:
        with transaction.atomic():
            found, _created = Follow.objects.get_or_create(kind=kind, object_id=obj.pk, **owner, defaults=defaults)
    except IntegrityError:  # a second click racing the first
        found = Follow.objects.get(kind=kind, object_id=obj.pk, **owner)
    return found


def unfollow(*, user, kind: str, obj, organisation_id: int | None = None) -> int:
    return Follow.objects.filter(kind=kind, object_id=obj.pk, **_owner(user, organisation_id)).delete()[0]


def follow_remove(*, user, follow_id: int) -> Follow:
    """Stop a follow from Mina sidor: the person's own, or one of an organisation they represent."""
    mine = Q(user=user, organisation_id__isnull=True) | Q(organisation_id__in=list(organisations_to_follow_for(user)))
    found = Follow.objects.filter(mine, pk=follow_id).first()
    if found is None:
        raise Http404
    found.delete()
    return found


def follows_of(user):
    """What ``user`` follows: their own follows and those of the organisations they represent."""
    mine = Q(user=user, organisation_id__isnull=True) | Q(organisation_id__in=list(organisations_to_follow_for(user)))
    return Follow.objects.filter(mine)


def is_following(*, user, kind: str, obj) -> bool:
    return user.is_authenticated and Follow.objects.filter(user=user, kind=kind, object_id=obj.pk).exists()


def preference_of(user) -> str:
    found = Preference.objects.filter(user=user).values_list("email", flat=True).first()
    return found or Preference.Email.DIGEST


def preference_set(*, user, email: str, weekday: int | None = None, hour: int | None = None) -> None:
    """Save how ``user`` is told by e-mail and, for the digest, the day and hour (None: the region's)."""
    Preference.objects.update_or_create(
        user=user, defaults={"email": email, "digest_weekday": weekday, "digest_hour": hour}
    )


def preference_email_set(*, user, email: str) -> None:
    """Change only how ``user`` is told (the unsubscribe link): the chosen day and hour stay."""
    Preference.objects.update_or_create(user=user, defaults={"email": email})


# Personal notifications ------------------------------------------------------------------------


def notify_person(*, user, event: str, obj, title: str, url: str) -> bool:
    """List on ``user``'s page something that concerns them alone (their mandate runs out soon), which the
    calling app has mailed them itself: marked e-mailed, so it never waits for a digest. Not an event
    (``core.events`` are public and reach webhook endpoints). Once per person, event and object; whether
    it is new."""
    _, created = Notification.objects.get_or_create(
        user=user,
        event=event,
        object_type=obj._meta.label_lower,
        object_id=obj.pk,
        defaults={"title": title[:300], "url": url[:500], "emailed_at": timezone.now()},
    )
    return created


# E-mail ----------------------------------------------------------------------------------------


def unsubscribe_token(user, kind: str) -> str:
    """A signed token for stopping ``kind`` of e-mail for ``user`` in the region in force: no expiry (a digest
    is read weeks later; RFC 8058 expects the link to keep working), bound to the person, the kind and the
    region (the e-mail choice is the region's: a link from one region's e-mail changes nothing in another)."""
    from core.region_state import current_region_id

    return signing.dumps({"u": user.pk, "k": kind, "r": current_region_id()}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_read(token: str) -> tuple[int, str] | None:
    """The person and kind of a token made in the region in force (a token from before tokens named their
    region, none, is still honoured where it is used)."""
    from core.region_state import current_region_id

    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("k") not in KINDS or not isinstance(data.get("u"), int):
        return None
    if "r" in data and data["r"] != current_region_id():
        return None
    return data["u"], data["k"]


def unsubscribe_url(user, kind: str) -> str:
    return absolute_url(reverse("notifications:unsubscribe", args=[unsubscribe_token(user, kind)]))


def _mail_row(*, user, template: str, kind: str, context: dict) -> OutgoingEmail:
    """One e-mail, rendered, with its one-click unsubscribe headers (RFC 8058); not yet saved."""
    url = unsubscribe_url(user, kind)
    (row,) = email_rows(
        to=user.email,
        template=template,
        context={**context, "user": user, "unsubscribe_url": url},
        language=user.language or settings.LANGUAGE_CODE,
        kind=f"notifications.{kind}",
    )
    row.headers = {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    return row


def _mail(*, user, template: str, kind: str, context: dict) -> OutgoingEmail:
    """Store one e-mail with its one-click unsubscribe headers; sent on commit."""
    row = _mail_row(user=user, template=template, kind=kind, context=context)
    row.save()
    email_send_on_commit([row.pk])
    return row


# The weekly digest ------------------------------------------------------------------------------


def region_schedule() -> tuple[int, int]:
    """The region's digest day and hour (``DigestSchedule``; without one, the settings'
    ``NOTIFICATIONS_DIGEST_WEEKDAY`` and ``NOTIFICATIONS_DIGEST_HOUR``)."""
    found = DigestSchedule.objects.values_list("weekday", "hour").first()
    if found is not None:
        return found
    return getattr(settings, "NOTIFICATIONS_DIGEST_WEEKDAY", 0), getattr(settings, "NOTIFICATIONS_DIGEST_HOUR", 7)


def _effective(default: tuple[int, int], weekday, hour) -> tuple[int, int]:
    return (default[0] if weekday is None else weekday, default[1] if hour is None else hour)


def schedule_of(user) -> tuple[int, int]:
    """``user``'s digest day and hour: their own choice where they made one, the region's otherwise."""
    own = Preference.objects.filter(user=user).values_list("digest_weekday", "digest_hour").first() or (None, None)
    return _effective(region_schedule(), *own)


def last_slot(now: datetime, schedule: tuple[int, int] | None = None) -> datetime:
    """The latest weekly slot (``schedule``: day and hour, local time; the region's by default) at or
    before ``now``: every digest's window ends on a slot, whenever the beat runs."""
    zone = ZoneInfo(settings.TIME_ZONE)
    local = now.astimezone(zone)
    weekday, hour = schedule or region_schedule()
    day = local.date() - timedelta(days=(local.weekday() - weekday) % 7)
    slot = datetime(day.year, day.month, day.day, hour, tzinfo=zone)
    if slot > local:
        day -= timedelta(days=7)
        slot = datetime(day.year, day.month, day.day, hour, tzinfo=zone)
    return slot


@dataclass
class _DigestState:
    """What one person's next digest depends on: digests not yet sent, the last one sent, the items."""

    pending: list = field(default_factory=list)
    last: Digest | None = None
    items: list = field(default_factory=list)


def _states(user_ids: list[int], end: datetime) -> dict[int, _DigestState]:
    """The digest state of each of ``user_ids`` in three queries (not three a person)."""
    states = {pk: _DigestState() for pk in user_ids}
    open_digests = Digest.objects.filter(user_id__in=user_ids, abandoned=False)
    # A digest is built with its e-mail; an e-mail gone is one the outbox's retention deleted after it was
    # sent (or failed): the digest stays the record that its window went out, never sent again.
    on_its_way = open_digests.filter(email__isnull=False).exclude(email__status=OutgoingEmail.Status.SENT)
    for pending in on_its_way.select_related("email"):
        states[pending.user_id].pending.append(pending)
    sent = open_digests.filter(Q(email__status=OutgoingEmail.Status.SENT) | Q(email__isnull=True))
    latest = sent.filter(user=OuterRef("user")).order_by("-window_end").values("window_end")[:1]
    for last in sent.filter(window_end=Subquery(latest)):
        states[last.user_id].last = last
    for item in Notification.objects.filter(
        user_id__in=user_ids, digest__isnull=True, emailed_at__isnull=True, created_at__lt=end
    ).order_by("user_id", "created_at", "pk"):
        states[item.user_id].items.append(item)
    return states


def digest_build(*, user, now: datetime | None = None, schedule: tuple[int, int] | None = None) -> Digest | None:
    """Build and queue ``user``'s digest up to the last slot, once. None when not due or nothing new.

    The window starts where the last digest actually sent ended; while one is still on its way (queued,
    or put back for a retry), nothing new is built: the outbox sends that same row.
    """
    end = last_slot(now or timezone.now(), schedule or schedule_of(user))
    return _digest_from(user, end, _states([user.pk], end)[user.pk])


def _plan(end: datetime, state: _DigestState) -> tuple[datetime, list] | None:
    """The window's start and items of the digest due at ``end``, or None (one on its way, this slot's
    sent, nothing new). A digest whose e-mail failed for good is abandoned here: its items are free."""
    for pending in state.pending:
        if pending.email is not None and pending.email.status != OutgoingEmail.Status.FAILED:
            return None  # still on its way: retried from the same row
        state.items.extend(Notification.objects.filter(digest=pending, created_at__lt=end))
        Notification.objects.filter(digest=pending).update(digest=None)
        pending.abandoned = True
        pending.save(update_fields=["abandoned"])
    items = sorted(state.items, key=lambda n: (n.created_at, n.pk))
    last = state.last
    if last is not None:
        if last.window_end >= end:
            return None  # this slot's digest was sent
        # From the last digest's own start, not its end: an item whose transaction committed after that
        # digest was built (its time inside that window) comes in this one, never in none nor in two.
        items = [n for n in items if n.created_at >= last.window_start]
    if not items:
        return None  # nothing new: no e-mail, and the window stays open from the last one sent
    return (last.window_end if last is not None else items[0].created_at), items


def _digest_mail(user, start: datetime, end: datetime, items: list) -> OutgoingEmail:
    context = {
        "items": items,
        "links": {n.pk: absolute_url(n.url) for n in items},
        "window_start": start,
        "window_end": end,
    }
    return _mail_row(user=user, template="notifications/digest", kind="digest", context=context)


def _digest_from(user, end: datetime, state: _DigestState) -> Digest | None:
    plan = _plan(end, state)
    if plan is None:
        return None
    start, items = plan
    try:
        with transaction.atomic():
            email = _digest_mail(user, start, end, items)
            email.save()
            email_send_on_commit([email.pk])
            digest = Digest.objects.create(user=user, window_start=start, window_end=end, items=len(items), email=email)
            Notification.objects.filter(pk__in=[n.pk for n in items]).update(digest=digest)
    except IntegrityError:
        return None  # another beat run built it
    return digest


def _digests_from(users: list, end: datetime) -> int:
    """The digests of ``users`` due at ``end``, stored in one transaction (three statements for them
    all); when another beat got one of them first, each person's on its own. Returns how many."""
    states = _states([user.pk for user in users], end)
    plans = [(user, plan) for user in users if (plan := _plan(end, states[user.pk])) is not None]
    if not plans:
        return 0
    rendered = [_digest_mail(user, start, end, items) for user, (start, items) in plans]
    try:
        with transaction.atomic():
            emails = OutgoingEmail.objects.bulk_create(rendered)
            digests = Digest.objects.bulk_create(
                [
                    Digest(user=user, window_start=start, window_end=end, items=len(items), email=email)
                    for (user, (start, items)), email in zip(plans, emails, strict=True)
                ]
            )
            whens = [
                When(pk__in=[n.pk for n in items], then=Value(digest.pk))
                for (_user, (_start, items)), digest in zip(plans, digests, strict=True)
            ]
            ids = [n.pk for _user, (_start, items) in plans for n in items]
            Notification.objects.filter(pk__in=ids).update(digest_id=Case(*whens, output_field=BigIntegerField()))
            email_send_on_commit([email.pk for email in emails])
    except IntegrityError:
        refreshed = _states([user.pk for user, _plan in plans], end)
        return sum(_digest_from(user, end, refreshed[user.pk]) is not None for user, _plan in plans)
    return len(digests)


def digests_build(*, now: datetime | None = None) -> dict:
    """Every digest due in the region in force (people who chose the weekly digest, the default), each
    at its own day and hour: the region's, or the one the person chose."""
    now = now or timezone.now()
    default = region_schedule()
    own: dict[tuple[int, int], list[int]] = {}
    for user_id, weekday, hour in (
        Preference.objects.filter(email=Preference.Email.DIGEST)
        .exclude(digest_weekday__isnull=True, digest_hour__isnull=True)
        .values_list("user_id", "digest_weekday", "digest_hour")
    ):
        own.setdefault(_effective(default, weekday, hour), []).append(user_id)
    chose = [user_id for users in own.values() for user_id in users]
    opted_out = Preference.objects.exclude(email=Preference.Email.DIGEST).values("user_id")
    built = _build_for(now, default, Q(~Q(user_id__in=opted_out), ~Q(user_id__in=chose)))
    for schedule, user_ids in own.items():
        built += _build_for(now, schedule, Q(user_id__in=user_ids))
    if built:
        logger.info("notifications: %s digests built", built)
    return {"built": built}


def _build_for(now: datetime, schedule: tuple[int, int], people: Q) -> int:
    """The digests due at ``schedule``'s last slot for ``people``."""
    end = last_slot(now, schedule)
    # Only people a digest may be due for: an item not yet in a digest nor mailed, or a digest not sent
    # (whose items a failed send frees again); not everyone ever notified, on every beat.
    due = Q(digest__isnull=True, emailed_at__isnull=True) | (
        Q(digest__abandoned=False) & ~Q(digest__email__status=OutgoingEmail.Status.SENT)
    )
    user_ids = Notification.objects.filter(due, people, created_at__lt=end).values_list("user_id", flat=True).distinct()
    users = list(get_user_model().objects.filter(pk__in=list(user_ids), is_active=True).order_by("pk"))
    return sum(_digests_from(users[at : at + DIGEST_CHUNK], end) for at in range(0, len(users), DIGEST_CHUNK))
