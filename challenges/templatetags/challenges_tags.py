"""The challenges' section of the home page, cached with the challenges' page version (their parts of
the meeting and organisation pages are slots: ``challenges/slots.py``)."""

from django import template
from django.utils import translation

from .. import selectors
from ..cache import pages

register = template.Library()


@register.inclusion_tag("challenges/_home_section.html")
def challenges_home_section():
    language = translation.get_language() or "sv"
    return {"challenges": pages.cached("home", language, build=lambda: selectors.challenges_in_focus(limit=3))}
