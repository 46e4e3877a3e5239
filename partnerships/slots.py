"""Grants' and partnerships' parts of other apps' pages (``portal.slot`` in ``partnerships/portal.py``).

The host pages are cached for every visitor (following the "partnerships" version), so only public
things are shown: announced grants and partnerships that are not being prepared."""

from . import selectors


def challenge_context(request, challenge) -> dict:
    return selectors.challenge_links(challenge=challenge)


def organisation_context(request, organisation) -> dict:
    return {
        "grants": list(selectors.organisation_grants(organisation=organisation)),
        "partnerships": list(selectors.partnerships_public().filter(organisations=organisation)),
    }
