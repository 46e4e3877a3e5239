"""``{{ record|history_cell:column }}`` and ``{{ record|history_header:column }}`` for the history list:
the extra columns (``history_list_display``) as the change form shows them, not as stored."""

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst

from core.admin_history import readable_value

register = template.Library()


def _field(record, column):
    try:
        return record.instance_type._meta.get_field(column)
    except (AttributeError, FieldDoesNotExist):
        return None


@register.filter
def history_cell(record, column):
    value = getattr(record, column, "")
    field = _field(record, column)
    return readable_value(field, value) if field is not None and not callable(value) else value


@register.filter
def history_header(record_list, column):
    first = next(iter(record_list), None)
    field = _field(first, column) if first is not None else None
    return capfirst(field.verbose_name) if field is not None else column
