"""The "Följ"/"Sluta följa" button, put on other apps' pages through their slots (``notifications/portal.py``).

A host page renders ``{% portal_slot "meetings:list_area" request.GET.omrade %}``: the object is what it
passes, an object or its lookup value (a slug, a pk), of the kind the slot was registered for. A list
renders one slot per item (``"challenges:list_follow"``): what the person follows of that kind is read
once per request, so a list of twenty costs the same two queries as one.
"""

from functools import partial

from django.db.models import Q

from core.registry import portal

from .models import Follow
from .services import organisations_to_follow_for, usable_key


def _followed(request, user, kind: str) -> dict:
    """What ``user`` follows of ``kind`` (their own and their organisations'), once per request."""
    memo = request.__dict__.setdefault("_notifications_follows", {})
    if "organisations" not in memo:
        memo["organisations"] = organisations_to_follow_for(user)
    if kind not in memo:
        own, by_organisation = set(), {}
        mine = Q(user=user, organisation_id__isnull=True) | Q(organisation_id__in=list(memo["organisations"]))
        for object_id, organisation_id in Follow.objects.filter(mine, kind=kind).values_list(
            "object_id", "organisation_id"
        ):
            if organisation_id is None:
                own.add(object_id)
            else:
                by_organisation.setdefault(object_id, set()).add(organisation_id)
        memo[kind] = (own, by_organisation)
    return {"organisations": memo["organisations"], "own": memo[kind][0], "by_organisation": memo[kind][1]}


def _resolve(followable, obj_or_key, *, listed: bool):
    """The object to follow, or None: a key is looked up among what may be followed; an object passed
    by a detail page is checked to be followable; one from a public list is taken as it is."""
    if not hasattr(obj_or_key, "pk"):
        if not usable_key(obj_or_key):
            return None
        try:
            return followable.queryset().filter(**{followable.lookup: obj_or_key}).first()
        except (ValueError, TypeError):
            return None
    if listed or followable.queryset().filter(pk=obj_or_key.pk).exists():
        return obj_or_key
    return None


def follow_state(request, kind: str, obj_or_key, *, listed: bool = False) -> dict:
    """What the button needs: nothing (``show`` false) for a visitor not logged in, an unknown kind, or
    an object that is not there or may not be followed."""
    user = getattr(request, "user", None)
    followable = portal.followable_kind(kind)
    if followable is None or not obj_or_key or user is None or not user.is_authenticated:
        return {"show": False}
    obj = _resolve(followable, obj_or_key, listed=listed)
    if obj is None:
        return {"show": False}
    followed = _followed(request, user, kind)
    followed_for = followed["by_organisation"].get(obj.pk, set())
    mine = followed["organisations"]
    return {
        "show": True,
        "following": obj.pk in followed["own"],
        # The organisations the person represents: those that follow it (to stop), those that may.
        "organisations_following": [(pk, name) for pk, name in mine.items() if pk in followed_for],
        "organisations_free": [(pk, name) for pk, name in mine.items() if pk not in followed_for],
        "kind": kind,
        "key": getattr(obj, followable.lookup),
        "followed": obj,
        "next": request.get_full_path(),
    }


def follow_context(kind: str, *, listed: bool = False):
    """A slot's context function for ``kind``: ``(request, object) -> dict``."""
    return partial(_context, kind, listed)


def _context(kind, listed, request, obj):
    return {"follow": follow_state(request, kind, obj, listed=listed)}
