"""Cache invalidation for edits made outside the services (the admin, the shell, inlines).

Every save or delete of a model the public agreement pages show moves the page version on
(`agreements.cache.pages_changed`): agreements, their versions, action plans and actions, the
working group, signatories, and the organisations, municipalities and areas named in the lists.
"""

from django.db.models.signals import post_delete, post_save

from organisations.models import AreaOfActivity, Municipality, Organisation

from .cache import pages_changed
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


def public_data_changed(sender, **kwargs) -> None:
    """A row shown on the public agreement pages was saved or deleted: move the page version on."""
    if kwargs.get("raw"):
        return  # fixtures loading
    pages_changed()


def connect() -> None:
    for model in PUBLIC_MODELS:
        post_save.connect(public_data_changed, sender=model, dispatch_uid=f"agreements-cache-save-{model.__name__}")
        post_delete.connect(public_data_changed, sender=model, dispatch_uid=f"agreements-cache-delete-{model.__name__}")
