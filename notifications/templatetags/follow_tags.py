from django import template

from core.registry import portal

from ..models import Follow, Notification, Preference
from ..services import preference_of

register = template.Library()


@register.inclusion_tag("notifications/_follow_button.html", takes_context=True)
def follow_button(context, kind, obj_or_key):
    """The "Följ"/"Sluta följa" form for ``obj_or_key`` (an object, or its lookup value: a slug or pk)
    when the visitor is logged in. Nothing for an unknown kind or object."""
    request = context.get("request")
    user = getattr(request, "user", None)
    followable = portal.followable_kind(kind)
    empty = {"show": False}
    if followable is None or not obj_or_key:
        return empty
    obj = obj_or_key
    if not hasattr(obj, "pk"):
        try:
            obj = followable.queryset().filter(**{followable.lookup: obj_or_key}).first()
        except (ValueError, TypeError):
            obj = None
        if obj is None:
            return empty
    following = (
        bool(user and user.is_authenticated) and Follow.objects.filter(user=user, kind=kind, object_id=obj.pk).exists()
    )
    return {
        "show": True,
        "logged_in": bool(user and user.is_authenticated),
        "following": following,
        "kind": kind,
        "key": getattr(obj, followable.lookup),
        "obj": obj,
        "next": request.get_full_path() if request else "",
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag(takes_context=True)
def my_follows(context):
    user = context["request"].user
    kinds = {f.kind: f.label for f in portal.followables()}
    return [(follow, kinds.get(follow.kind, follow.kind)) for follow in Follow.objects.filter(user=user)]


@register.simple_tag(takes_context=True)
def my_notifications(context, limit=20):
    user = context["request"].user
    return list(Notification.objects.filter(user=user)[:limit])


@register.simple_tag(takes_context=True)
def my_email_choice(context):
    return preference_of(context["request"].user)


@register.simple_tag
def email_choices():
    return Preference.Email.choices
