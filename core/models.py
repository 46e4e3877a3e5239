"""Abstract models that apps share, so the same columns are declared once.

They add no tables and no columns of their own: a model that adopts one keeps exactly the columns it had
(the field definitions here are the ones the models already used, so ``makemigrations`` finds nothing).
Where a model's field differs (another ``verbose_name``, a ``help_text``), the model either redeclares
that field (Django lets a child override a field of an abstract parent) or keeps its own definitions.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """``created_at`` (set once) and ``updated_at`` (set on every save)."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


# Django orders a model's fields by when each was created, so fields of a shared base would come first.
# The time stamps were the last columns of every model that adopted this base; they stay last, so the
# personal-data export and every other "all fields" listing keep the order they had.
for _last, _field in enumerate(TimeStampedModel._meta.local_fields, start=10**9):
    _field.creation_counter = _last


def in_active_language(name: str, name_en: str) -> str:
    """``name_en`` on the English pages when one is kept, else the Swedish ``name`` (for rows read with
    ``values_list`` as well as for objects)."""
    if name_en and (get_language() or "sv").startswith("en"):
        return name_en
    return name


class BilingualNameModel(models.Model):
    """A Swedish ``name`` (unique) and an optional English ``name_en``, shown through ``display_name``."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)

    class Meta:
        abstract = True

    @property
    def display_name(self) -> str:
        """The name in the reader's language (the Swedish name when no English one is kept)."""
        return in_active_language(self.name, self.name_en)

    @property
    def is_swedish_only(self) -> bool:
        """No English name: the English pages show the Swedish one, marked ``lang="sv"``."""
        return not self.name_en
