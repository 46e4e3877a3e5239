"""Who may do what with an agreement: plain predicates for views, services, serializers and admin.

Who acts for an organisation is answered in ``organisations.representation``; these add the
agreement's own rules.
"""

from django.db.models import QuerySet

from organisations.models import Organisation
from organisations.representation import acts_for, organisations_may_act, organisations_of

from .models import Signatory


def organisations_represented(user) -> QuerySet[Organisation]:
    """The verified organisations ``user`` acts for, with a mandate or not."""
    return organisations_of(user).verified()


def organisations_that_may_sign(user) -> QuerySet[Organisation]:
    """The verified organisations ``user`` may sign for: those they hold a verified mandate of, in force
    today, of a kind the table (``representation.ACTS["sign_agreement"]``) names."""
    return organisations_may_act(user, "sign_agreement").verified()


def can_request_withdrawal(user, signatory: Signatory) -> bool:
    """Whoever acts for the signing organisation may ask a coordinator to withdraw its signature."""
    return acts_for(user, signatory.organisation_id)
