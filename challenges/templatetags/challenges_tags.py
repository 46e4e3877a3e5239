"""Sections of other pages that show challenges: the home page, Mina sidor, a meeting's page and an
organisation's page. The public ones are cached with the challenges' page version."""

from django import template
from django.utils import translation

from .. import selectors
from ..cache import pages

register = template.Library()


@register.inclusion_tag("challenges/_home_section.html")
def challenges_home_section():
    language = translation.get_language() or "sv"
    return {"challenges": pages.cached("home", language, build=lambda: selectors.challenges_in_focus(limit=3))}


@register.simple_tag
def meeting_challenges(meeting):
    """The public challenges a meeting addresses (the meeting page is cached by meetings' version,
    which the challenges' services and signals move on)."""
    return selectors.challenges_for_meeting(meeting=meeting)


@register.simple_tag
def organisation_challenges(organisation):
    return selectors.challenges_for_organisation(organisation=organisation)
