from django import template

from core.registry import portal

from ..models import Follow, Notification, Preference
from ..services import preference_of

register = template.Library()


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
