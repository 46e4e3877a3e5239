"""Cache invalidation for edits made outside the services (the admin's inlines, the shell).

Every save or delete of a model the public consultation pages show moves the page version on.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from organisations.models import Organisation

from .cache import pages_changed
from .models import Answer, Consultation, Section, SectionAnswer, SectionResponse

PUBLIC_MODELS = (Consultation, Section, SectionResponse, Answer, SectionAnswer, Organisation)


def public_data_changed(sender, **kwargs) -> None:
    """A row shown on the public consultation pages was saved or deleted: move the page version on."""
    if kwargs.get("raw"):
        return
    pages_changed()


def connect() -> None:
    for model in PUBLIC_MODELS:
        uid = f"consultations-cache-{model.__name__}"
        post_save.connect(public_data_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(public_data_changed, sender=model, dispatch_uid=f"{uid}-delete")
    m2m_changed.connect(
        public_data_changed,
        sender=Consultation.invited_organisations.through,
        dispatch_uid="consultations-cache-invited",
    )
