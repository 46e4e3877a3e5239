"""Helpers for the apps' personal-data providers (``portal.personal_data``, see core/registry.py).

An app's ``export(user)`` returns its sections of "download my data", one per model, keyed by the
model's label (``{"challenges.Challenge": [row, ...]}``); ``linked_rows`` builds a section from every
link a model has to the person at once, so a model that points at a person twice (who raised a
challenge, who coordinates it) gives one list with each row once. An app's ``erase(user)``
anonymises or deletes; ``unlink_history`` and ``scrub_addresses`` do the parts every app shares.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.fields.files import FieldFile

# What a scrubbed address becomes in free text (an e-mail body, a message, an admin log line).
ERASED_ADDRESS = "[raderad adress]"


def _is_user_field(field) -> bool:
    return isinstance(field, models.ForeignKey) and field.related_model._meta.label == settings.AUTH_USER_MODEL


def user_fields(model) -> list[str]:
    """The names of every foreign key (and one-to-one) of ``model`` to the user model, hidden ones too."""
    return [field.name for field in model._meta.concrete_fields if _is_user_field(field)]


def _value(obj, field, user):
    if _is_user_field(field):
        return None  # set apart below: the person's own links, never other people's
    if isinstance(field, models.ForeignKey):
        related = getattr(obj, field.name)
        return str(related) if related is not None else None
    value = getattr(obj, field.name)
    if isinstance(value, FieldFile):
        return value.name or None
    return value


def row(obj, user, *, hidden=()) -> dict:
    """One row of the export: every column but the key and ``hidden`` ones; foreign keys by name.

    Links to accounts are shown only where they are the person's own (``"linked_as"``: which of the
    row's links point at them); who else is linked (a coordinator who verified, say) is not theirs.
    """
    data = {}
    linked_as = []
    for field in obj._meta.concrete_fields:
        if field.primary_key or field.name in hidden:
            continue
        if _is_user_field(field):
            if getattr(obj, field.attname) == user.pk:
                linked_as.append(field.name)
            continue
        data[field.name] = _value(obj, field, user)
    if linked_as:
        data["linked_as"] = linked_as
    return data


def linked_rows(model, user, *, fields=None, also: Q | None = None, hidden=()) -> list[dict]:
    """The rows of ``model`` linked to ``user`` by any of ``fields`` (every link to the user model by
    default) or matching ``also`` (rows found by the person's address), each once, in key order."""
    fields = user_fields(model) if fields is None else fields
    linked = Q(pk__in=[])
    for name in fields:
        linked |= Q(**{name: user})
    if also is not None:
        linked |= also
    foreign_keys = [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and not _is_user_field(f) and f.name not in hidden
    ]
    queryset = model._default_manager.filter(linked).select_related(*foreign_keys).order_by("pk")
    return [row(obj, user, hidden=set(hidden)) for obj in queryset]


def unlink_history(model, user) -> int:
    """Forget ``user`` in the history (django-simple-history) of ``model``: who made each change and
    every link to the account in the historical copies. Returns the rows changed."""
    history = getattr(model, "history", None)
    if history is None:
        return 0
    historical = history.model
    changed = historical.objects.filter(history_user=user).update(history_user=None)
    for name in user_fields(model):
        changed += historical.objects.filter(**{f"{name}_id": user.pk}).update(**{f"{name}_id": None})
    return changed


def _pattern(addresses) -> re.Pattern | None:
    addresses = sorted({a for a in addresses if a}, key=len, reverse=True)
    if not addresses:
        return None
    return re.compile("|".join(re.escape(a) for a in addresses), re.IGNORECASE)


def scrub_text(text: str, addresses) -> str:
    """``text`` with every one of ``addresses`` (any case) replaced by ``ERASED_ADDRESS``."""
    pattern = _pattern(addresses)
    return pattern.sub(ERASED_ADDRESS, text) if pattern and text else text


def scrub_addresses(queryset, fields, addresses) -> int:
    """Replace ``addresses`` wherever they occur in the text ``fields`` of ``queryset`` (free text: an
    e-mail's body, a message, an admin log line). Returns the rows changed."""
    pattern = _pattern(addresses)
    if pattern is None:
        return 0
    mentions = Q(pk__in=[])
    for name in fields:
        for address in {a.lower() for a in addresses if a}:
            mentions |= Q(**{f"{name}__icontains": address})
    changed = 0
    for obj in queryset.filter(mentions).only("pk", *fields):
        values = {name: pattern.sub(ERASED_ADDRESS, getattr(obj, name) or "") for name in fields}
        changed += type(obj)._default_manager.filter(pk=obj.pk).update(**values)
    return changed


def addresses_of(*, user) -> set[str]:
    """The person's own e-mail addresses, lower-cased: the login and every verified address.

    Rows that carry one of them without a link to the account (a sign-up made before logging in,
    a contact person, a candidate) are the person's too, for "download my data" and for erasure. An
    unverified address is not: anyone may type another person's address into their account.
    """
    from allauth.account.models import EmailAddress

    verified = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    return {address.lower() for address in [user.email, *verified] if address}
