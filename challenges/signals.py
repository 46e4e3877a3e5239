"""Cache invalidation for edits made outside the services (the admin's inlines, the shell).

Every save or delete of a challenge, participation, update or document, and every change of a
challenge's links (meetings, talks, actions, areas, municipalities), moves the page versions on
(``challenges.cache.pages_changed``).
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from .cache import pages_changed
from .models import Challenge, ChallengeDocument, Participation, Update

MODELS = (Challenge, Participation, Update, ChallengeDocument)
LINKS = ("meetings", "programme_items", "actions", "areas", "municipalities")


def public_data_changed(sender, **kwargs) -> None:
    """A row shown on public challenge pages changed: move the page versions on."""
    if kwargs.get("raw"):
        return
    if kwargs.get("action", "post_").startswith("pre_"):
        return
    pages_changed()


def connect() -> None:
    for model in MODELS:
        post_save.connect(public_data_changed, sender=model, dispatch_uid=f"challenges-save-{model.__name__}")
        post_delete.connect(public_data_changed, sender=model, dispatch_uid=f"challenges-delete-{model.__name__}")
    for name in LINKS:
        through = getattr(Challenge, name).through
        m2m_changed.connect(public_data_changed, sender=through, dispatch_uid=f"challenges-m2m-{name}")
