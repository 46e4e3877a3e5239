"""The agreements' parts of other apps' pages (``portal.slot`` in ``agreements/portal.py``).

The organisation page is cached for every visitor by the organisations app, following the agreements'
version (the slot's ``caches``), so what is shown here is public: signatures verified and listed by
name, of agreements that are not drafts, of an organisation listed in the directory.
"""

from organisations.permissions import is_public

from . import selectors


def organisation_context(request, organisation) -> dict:
    """The agreements an organisation signed, and when (nothing for one not listed in the directory)."""
    if not is_public(organisation):
        return {"signatures": []}
    return {"signatures": selectors.signatures_of_organisation_public(organisation=organisation)}
