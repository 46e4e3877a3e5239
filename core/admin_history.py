"""History pages a coordinator can read: ``ReadableHistoryAdmin`` instead of simple_history's admin.

django-simple-history shows stored values ("verified → withdrawn", "Deleted användare (pk=None)");
this shows each change as the change form would: choice labels (capitalised, as Swedish writes
them), Ja/Nej, local dates and times, the related object's name, "–" for nothing. The list
itself (``templates/simple_history/object_history_list.html``) shows local times, not raw ones.
"""

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper


def readable_value(field, value):
    if value is None or value == "":
        return "–"
    if type(value).__name__ == "DeletedObject":  # simple_history's stand-in for a related row that is gone
        return "–" if value.pk is None else _("deleted (%(pk)s)") % {"pk": value.pk}
    if field.choices:
        return str(dict(field.flatchoices).get(value, value)).capitalize()
    if isinstance(field, models.ForeignKey) and not isinstance(value, models.Model):
        obj = field.related_model._default_manager.filter(pk=value).first()
        return str(obj) if obj is not None else _("deleted (%(pk)s)") % {"pk": value}
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.datetime):
        return date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "j F Y H:i")
    if isinstance(value, dt.date):
        return date_format(value, "j F Y")
    return value


class ReadableHistoryContextHelper(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if isinstance(field, models.ManyToManyField):
            return super().prepare_delta_change_value(change, value)
        return readable_value(field, value)


class ReadableHistoryAdmin(SimpleHistoryAdmin):
    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableHistoryContextHelper(self.model, historical_record)
