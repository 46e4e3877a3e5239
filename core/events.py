"""Events: one way for an app to say that something happened to one of its objects (issue 25).

An app declares its events in its ``portal.py`` (``portal.event``) and emits them here; every
subscriber registered through the registry (``portal.subscriber``: the notifications, later the
webhooks) hears each event once, after the emitting transaction commits, in the region it was
emitted in. ``core`` knows neither the emitters nor the subscribers::

    emit("meetings.published", obj=meeting, title=meeting.title, url=meeting.get_absolute_url(),
         targets=lambda: [("organisations.area", pk) for pk in meeting.areas.values_list("pk", flat=True)])

``targets`` are the followed things the event concerns, as ``(followable kind, pk)``; a callable is
read on commit (the admin saves a meeting's areas after the meeting). ``addressed`` names the groups
(organisation ids) the event is addressed to itself (an invitation to answer, voting opened for its
ballot): the app mails them at once; their members see it among their notifications whatever they
follow. The event carries no personal data: the object's type and id, its title and its path.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from .region_state import current_region_id
from .regions import region_scope
from .registry import portal

logger = logging.getLogger(__name__)


class UnknownEvent(LookupError):
    pass


@dataclass(frozen=True)
class Event:
    name: str
    object_type: str  # the model's label, lower case: "meetings.meeting"
    object_id: int
    title: str
    url: str  # the object's path in its region
    targets: tuple[tuple[str, int], ...]
    region_id: int | None
    at: datetime
    addressed: tuple[int, ...] = ()


def emit(
    name: str,
    *,
    obj,
    title: str = "",
    url: str = "",
    targets: Iterable[tuple[str, int]] | Callable[[], Iterable[tuple[str, int]]] = (),
    addressed: Iterable[int] | Callable[[], Iterable[int]] = (),
) -> None:
    """Hand the event ``name`` about ``obj`` to every subscriber once the transaction commits."""
    if portal.event_type(name) is None:
        raise UnknownEvent(f"declare {name!r} with portal.event() before emitting it")
    region_id = current_region_id()
    at = timezone.now()

    def _deliver():
        found = targets() if callable(targets) else targets
        groups = addressed() if callable(addressed) else addressed
        event = Event(
            name=name,
            object_type=obj._meta.label_lower,
            object_id=obj.pk,
            title=str(title or obj),
            url=url,
            targets=tuple(dict.fromkeys((kind, int(pk)) for kind, pk in found)),
            addressed=tuple(dict.fromkeys(int(pk) for pk in groups)),
            region_id=region_id,
            at=at,
        )
        with region_scope(region_id):
            for subscriber in portal.subscribers():
                try:
                    with transaction.atomic():
                        subscriber(event)
                except Exception:
                    logger.exception("events: subscriber %s failed on %s", subscriber.app_label, name)

    transaction.on_commit(_deliver, robust=True)
