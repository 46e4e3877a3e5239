"""The "Följ"/"Sluta följa" button, put on other apps' pages through their slots (``notifications/portal.py``).

A host page renders ``{% portal_slot "meetings:list_area" request.GET.omrade %}``: the object is what it
passes, an object or its lookup value (a slug, a pk), of the kind the slot was registered for.
"""

from functools import partial

from core.registry import portal

from .models import Follow
from .services import organisations_to_follow_for, usable_key


def follow_state(request, kind: str, obj_or_key) -> dict:
    """What the button needs: nothing (``show`` false) for a visitor not logged in, an unknown kind, or
    an object that is not there or may not be followed."""
    user = getattr(request, "user", None)
    followable = portal.followable_kind(kind)
    if followable is None or not obj_or_key or user is None or not user.is_authenticated:
        return {"show": False}
    obj = obj_or_key
    if not hasattr(obj, "pk"):
        if not usable_key(obj):
            return {"show": False}
        try:
            obj = followable.queryset().filter(**{followable.lookup: obj_or_key}).first()
        except (ValueError, TypeError):
            obj = None
    elif not followable.queryset().filter(pk=obj.pk).exists():
        obj = None
    if obj is None:
        return {"show": False}
    mine = organisations_to_follow_for(user)
    followed_for = set(
        Follow.objects.filter(kind=kind, object_id=obj.pk, organisation_id__in=list(mine)).values_list(
            "organisation_id", flat=True
        )
    )
    following = Follow.objects.filter(user=user, kind=kind, object_id=obj.pk, organisation_id__isnull=True).exists()
    return {
        "show": True,
        "following": following,
        # The organisations the person represents: those that follow it (to stop), those that may.
        "organisations_following": [(pk, name) for pk, name in mine.items() if pk in followed_for],
        "organisations_free": [(pk, name) for pk, name in mine.items() if pk not in followed_for],
        "kind": kind,
        "key": getattr(obj, followable.lookup),
        "followed": obj,
        "next": request.get_full_path(),
    }


def follow_context(kind: str):
    """A slot's context function for ``kind``: ``(request, object) -> dict``."""
    return partial(_context, kind)


def _context(kind, request, obj):
    return {"follow": follow_state(request, kind, obj)}
