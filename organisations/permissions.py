"""Who may do what with an organisation: plain predicates for views, services, serializers and admin.

Who acts for an organisation is answered in ``representation``; what is shown before it is public
by the draft gate in ``core.access``. These predicates combine the two for this app's actions.
"""

from core import access

from .models import Organisation
from .representation import acts_for


def is_public(organisation: Organisation) -> bool:
    """Listed in the public directory: verified, and it consented."""
    return organisation.status == Organisation.Status.VERIFIED and organisation.public_listing


def can_see(user, organisation: Organisation) -> bool:
    """The public, once listed; otherwise its representatives and coordinators with the second factor."""
    return access.may_see(
        user,
        public=is_public(organisation),
        permission="organisations.view_organisation",
        owner=lambda: acts_for(user, organisation),
    )


def can_edit_profile(user, organisation: Organisation) -> bool:
    """Its representatives edit the public profile (name, number and status stay with the coordinators)."""
    return acts_for(user, organisation)
