"""Receivers that move the public pages' cache version on (``organisations/cache.py``).

Organisations, municipalities and areas of activity are shown on the public directory, the
detail pages and the filter options; a save, delete or change of an organisation's areas through
a service, the admin, an import or a merge bumps the version on commit, so the edit shows at once.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from . import cache
from .models import AreaOfActivity, Municipality, Organisation


@receiver(post_save, sender=Organisation)
@receiver(post_delete, sender=Organisation)
@receiver(post_save, sender=Municipality)
@receiver(post_delete, sender=Municipality)
@receiver(post_save, sender=AreaOfActivity)
@receiver(post_delete, sender=AreaOfActivity)
def public_data_saved_or_deleted(sender, **kwargs):
    """A row shown publicly was written: bump the pages' version on commit."""
    if kwargs.get("raw"):
        return
    cache.pages_changed()


@receiver(m2m_changed, sender=Organisation.areas.through)
def organisation_areas_changed(sender, action, **kwargs):
    """An organisation's areas changed (``areas.set``/``add``/``remove``/``clear``)."""
    if action in {"post_add", "post_remove", "post_clear"}:
        cache.pages_changed()
