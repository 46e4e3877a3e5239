"""Events (``core.events``) become notifications: one per person and event (the unique constraint).

Who hears an event: everyone following one of its targets, for themselves or through an organisation
they represent that follows it (``portal.follow_on_behalf``), and the representatives of the
organisations the event is addressed to. Followers are mailed as they chose (at once, in the weekly
digest, or not); what is addressed to their organisation was mailed at once by the app that emitted
it, so it is marked e-mailed and never waits for a digest nor comes twice.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from core.links import absolute_url
from core.registry import portal

from .models import Follow, Notification, Preference
from .services import _mail


def _members(organisation_ids) -> set[int]:
    provider = portal.on_behalf()
    if provider is None or not organisation_ids:
        return set()
    return {user_id for users in provider.members_of(sorted(organisation_ids)).values() for user_id in users}


def audience(event) -> tuple[set[int], set[int]]:
    """``(followers, addressed)``: the user ids that follow what the event concerns, and those who
    represent an organisation it is addressed to."""
    matches = Q(pk__in=[])
    by_kind: dict[str, list[int]] = {}
    for kind, pk in event.targets:
        by_kind.setdefault(kind, []).append(pk)
    for kind, pks in by_kind.items():
        matches |= Q(kind=kind, object_id__in=pks)
    followers: set[int] = set()
    organisations: set[int] = set()
    if by_kind:
        for user_id, organisation_id in Follow.objects.filter(matches).values_list("user_id", "organisation_id"):
            if organisation_id is None:
                followers.add(user_id)
            else:
                organisations.add(organisation_id)
    followers |= _members(organisations)
    addressed = _members(set(event.addressed))
    return followers, addressed


def on_event(event) -> int:
    """The subscriber ``core.events`` calls. Returns how many notifications were made."""
    followers, addressed = audience(event)
    same = {"event": event.name, "object_type": event.object_type, "object_id": event.object_id}
    already = set(Notification.objects.filter(**same).values_list("user_id", flat=True))
    new_ids = sorted((followers | addressed) - already)
    if not new_ids:
        return 0
    now = timezone.now()
    Notification.objects.bulk_create(
        [
            Notification(
                user_id=user_id,
                title=event.title[:300],
                url=event.url[:500],
                # Addressed to their organisation: the app mailed it at once, whatever their choice.
                emailed_at=now if user_id in addressed else None,
                **same,
            )
            for user_id in new_ids
        ],
        ignore_conflicts=True,  # the unique constraint keeps a racing second delivery out
    )
    instant = Preference.objects.filter(user_id__in=new_ids, email=Preference.Email.INSTANT).values("user_id")
    mailed = []
    for notification in Notification.objects.filter(
        user_id__in=instant, emailed_at__isnull=True, **same
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
