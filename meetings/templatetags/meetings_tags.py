from django import template
from django.core.cache import cache

from ..cache import PAGE_TIMEOUT, feed_version
from ..models import Meeting
from ..selectors import registrations_for_user
from ..tokens import manage_url

register = template.Library()


@register.simple_tag
def upcoming_meetings(limit=3):
    key = f"meetings:home:{limit}:{feed_version()}"
    meetings = cache.get(key)
    if meetings is None:
        meetings = list(Meeting.objects.published().upcoming()[:limit])
        cache.set(key, meetings, PAGE_TIMEOUT)
    return meetings


@register.simple_tag(takes_context=True)
def my_registrations(context):
    request = context.get("request")
    if request is None:
        return []
    registrations = list(registrations_for_user(user=request.user))
    for registration in registrations:
        registration.manage_path = manage_url(registration, absolute=False)
    return registrations
