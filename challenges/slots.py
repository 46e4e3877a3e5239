"""The challenges' parts of other apps' pages (``portal.slot`` in ``challenges/portal.py``).

Both pages are cached for every visitor by their own app, following the challenges' version (the
slot's ``caches``), so what is shown here is public: published challenges only.
"""

from . import selectors


def meeting_context(request, meeting) -> dict:
    """The public challenges a meeting addresses."""
    return {"challenges": selectors.challenges_for_meeting(meeting=meeting)}


def organisation_context(request, organisation) -> dict:
    """The public challenges an organisation takes part in, with its role."""
    return {"participations": selectors.challenges_for_organisation(organisation=organisation)}
