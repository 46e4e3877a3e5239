"""Filters shared by every app's ``api.py`` (django-filter)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField

from core.forms import YEAR_MAX, YEAR_MIN


class SaneIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 date or moment between the years ``YEAR_MIN`` and ``YEAR_MAX``: near year 1 or 9999
    a time zone's offset takes the moment out of what Python's datetime holds, and the query converting
    it to UTC failed (``?modified_since=0001-01-01`` was a 500 on SQLite, not a 400)."""

    default_error_messages = {"year": _("Give a date between the years %(first)s and %(last)s.")}

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is not None and not YEAR_MIN <= moment.year <= YEAR_MAX:
            raise forms.ValidationError(
                self.error_messages["year"], code="year", params={"first": YEAR_MIN, "last": YEAR_MAX}
            )
        return moment


class DateTimeFilter(django_filters.IsoDateTimeFilter):
    """The one filter of the API by a date or moment (``modified_since``, ``start_from``, ...): ISO 8601,
    a year outside the portal's range is a 400 naming the parameter."""

    field_class = SaneIsoDateTimeField
