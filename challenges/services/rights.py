"""Who may do what, as the services check it: representatives act for their verified organisations, coordinators move challenges."""

from django.core.exceptions import PermissionDenied

from .. import permissions


def require_representative(user, organisation) -> None:
    """Only a representative of a verified organisation acts for it; else PermissionDenied."""
    if not permissions.can_act_for(user, organisation):
        raise PermissionDenied("not a representative of this verified organisation")


def require_coordinator(user) -> None:
    """Only a coordinator moves challenges (``None``: the portal itself acts, not a person)."""
    if user is not None and not permissions.is_coordinator(user):
        raise PermissionDenied("coordinators only")
