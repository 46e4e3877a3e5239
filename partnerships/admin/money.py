"""Amounts in the admin's lists and read-only fields as the pages write them ("1 500 000 kr", core/money.py),
not as stored (1500000)."""

from django.contrib import admin

from core.money import sek


def amount_column(model, field: str):
    """A method for ``list_display`` or ``readonly_fields``: ``model.field`` formatted, sorted by the field,
    headed by its verbose name; the admin's dash when there is none."""

    @admin.display(description=model._meta.get_field(field).verbose_name, ordering=field)
    def column(model_admin, obj):
        value = getattr(obj, field)
        return None if value is None else sek(value)

    column.__name__ = f"{field}_shown"
    return column
