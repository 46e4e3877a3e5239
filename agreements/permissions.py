"""Who may do what with an agreement: plain predicates for views, services, serializers and admin.

Who acts for an organisation is answered in ``organisations.representation``; these add the
agreement's own rules.
"""

from django.db.models import QuerySet

from organisations.models import Organisation
from organisations.representation import acts_for, organisations_of

from .models import Signatory


def organisations_that_may_sign(user) -> QuerySet[Organisation]:
    """The verified organisations ``user`` acts for: the ones they may sign for."""
    return organisations_of(user).verified()


def can_request_withdrawal(user, signatory: Signatory) -> bool:
    """Whoever acts for the signing organisation may ask a coordinator to withdraw its signature."""
    return acts_for(user, signatory.organisation_id)
