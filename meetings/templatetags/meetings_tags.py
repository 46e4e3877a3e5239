from django import template

from ..calendar import google_calendar_url, outlook_calendar_url
from ..selectors import meetings_upcoming, pages, registrations_for_user, waitlist_positions
from ..tokens import manage_url

register = template.Library()


@register.simple_tag
def upcoming_meetings(limit=3):
    """The next meetings for the home page; cached with the content version (not the counts)."""
    # Only meetings one can still go to (the meetings page marks cancelled ones); no counts, which
    # the home page does not show and this cache would keep stale.
    return pages.cached(
        "home", limit, build=lambda: list(meetings_upcoming(limit=limit, include_cancelled=False, counts=False))
    )


@register.simple_tag(takes_context=True)
def my_registrations(context):
    request = context.get("request")
    if request is None:
        return []
    registrations = list(registrations_for_user(user=request.user))
    positions = waitlist_positions(registrations=registrations)
    for registration in registrations:
        registration.manage_path = manage_url(registration, absolute=False)
        registration.waitlist_position = positions.get(registration.pk)
    return registrations


@register.simple_tag
def calendar_links(meeting) -> dict:
    """``{% calendar_links meeting as links %}``: the meeting in Google Calendar's and Outlook's forms."""
    return {"google": google_calendar_url(meeting), "outlook": outlook_calendar_url(meeting)}
