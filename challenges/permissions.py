"""Who may do what with a challenge: plain predicates for views, services, selectors and admin.

Only representatives of *verified* organisations raise or join challenges, for the organisations
they act for (``organisations.representation``); coordinators are staff with the challenges'
change permission; an unpublished challenge is seen by its raisers and by coordinators with the
second factor (the draft gate, ``core.access``).
"""

from django.db.models import QuerySet

from core import access
from core.permissions import is_region_staff
from organisations.models import Organisation
from organisations.representation import acts_for, organisations_of

from .models import Challenge


def is_coordinator(user) -> bool:
    """Staff of the host's region (``is_region_staff``: a coordinator of another region is not) who may change
    challenges."""
    return is_region_staff(user) and user.has_perm("challenges.change_challenge")


def organisations_user_can_act_for(user) -> QuerySet[Organisation]:
    """Verified organisations the user represents (the only ones they may raise or join for)."""
    return organisations_of(user).verified().order_by("name")


def can_act_for(user, organisation: Organisation) -> bool:
    """Raise, join or leave a challenge for ``organisation``: verified, and ``user`` acts for it."""
    return organisation.status == Organisation.Status.VERIFIED and acts_for(user, organisation)


def is_raiser(user, challenge: Challenge) -> bool:
    """The person who raised it, or someone who acts for the raising organisation."""
    if not getattr(user, "is_authenticated", False):
        return False
    if challenge.raised_by_user_id == user.pk:
        return True
    return bool(challenge.raising_organisation_id and acts_for(user, challenge.raising_organisation_id))


def can_see(user, challenge: Challenge) -> bool:
    """Public challenges for everyone; the others for their raisers and coordinators with the second factor."""
    return access.may_see(
        user,
        public=challenge.is_public,
        permission="challenges.view_challenge",
        owner=lambda: is_raiser(user, challenge),
    )
