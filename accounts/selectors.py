"""Reads about accounts that span apps."""

from django.db import models
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.utils.module_loading import import_string

from .models import User

# Not the person's data: the admin's own audit trail of staff actions.
EXCLUDED_MODELS = {"admin.LogEntry"}
# Secrets that must not leave the database even to their owner.
HIDDEN_FIELDS = {"mfa.Authenticator": {"data"}, "accounts.User": {"password"}}
# Rows linked to the person by a verified e-mail address rather than by the account (a sign-up made
# before logging in): the selector that Mina sidor lists them with, so the download holds them too.
LINKED_BY_ADDRESS = {"meetings.Registration": "meetings.selectors.registrations_for_user"}
ACCOUNT_FIELDS = ["email", "full_name", "phone", "language", "is_staff", "date_joined", "last_login"]


def _value(obj, field):
    value = getattr(obj, field.name)
    if isinstance(field, models.ForeignKey):
        return str(value) if value is not None else None
    if isinstance(value, FieldFile):
        return value.name or None
    return value


def _row(obj, *, skip: set[str]) -> dict:
    return {
        field.name: _value(obj, field)
        for field in obj._meta.concrete_fields
        if field.name not in skip and not field.primary_key
    }


def user_data_export(*, user: User) -> dict:
    """Everything the portal stores that is linked to ``user``'s account, for "download my data".

    Every model that points at the user is included automatically (e-mail addresses,
    authenticators without their secrets, organisations represented, meeting sign-ups,
    signature requests …), so a new app's data shows up without changes here; ``LINKED_BY_ADDRESS``
    adds rows found by a verified address. Foreign keys are shown by name, files by their stored name.
    """
    data = {"account": {name: getattr(user, name) for name in ACCOUNT_FIELDS}}
    for relation in User._meta.related_objects:
        model = relation.related_model
        label = model._meta.label
        if label in EXCLUDED_MODELS or not (relation.one_to_many or relation.one_to_one):
            continue
        skip = {relation.field.name} | HIDDEN_FIELDS.get(label, set())
        linked = Q(**{relation.field.name: user})
        if label in LINKED_BY_ADDRESS:
            linked |= Q(pk__in=import_string(LINKED_BY_ADDRESS[label])(user=user).order_by().values("pk"))
        queryset = model._default_manager.filter(linked)
        foreign_keys = [
            f.name for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey) and f.name not in skip
        ]
        if foreign_keys:
            queryset = queryset.select_related(*foreign_keys)
        data[label] = [_row(obj, skip=skip) for obj in queryset.order_by("pk")]
    return data
