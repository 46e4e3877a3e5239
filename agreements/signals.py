"""Cache invalidation for edits made outside the services (the admin, the shell, inlines).

Every save or delete of a model the public agreement pages show moves the page version on commit
(``agreements.cache.pages``, once per transaction): agreements, their versions, action plans and
actions, the working group, signatories, and the organisations, municipalities and areas named in
the lists.
"""

from core.pagecache import register_invalidation
from organisations.models import AreaOfActivity, Municipality, Organisation

from .cache import pages
from .models import Action, ActionPlan, Agreement, AgreementVersion, Signatory, WorkingGroupMember

PUBLIC_MODELS = (
    Agreement,
    AgreementVersion,
    ActionPlan,
    Action,
    WorkingGroupMember,
    Signatory,
    Organisation,
    Municipality,
    AreaOfActivity,
)


def connect() -> None:
    register_invalidation(models=PUBLIC_MODELS, cache=pages)
