"""The admin of a regional model on a region's host: another region's object id is a 404.

The admin's querysets, choices and actions follow the scoped default manager (``core.regions``), so a
coordinator sees only the host's region. Two holes remain in what Django and django-simple-history do
with an id that is not in the queryset, closed here:

- the change and delete views answer an unknown id with a redirect to the admin's index and a message
  ("… with ID 7 doesn't exist"), which says the id exists somewhere: a 404 instead;
- the history views read the historical table, which is not scoped: its rows are filtered to the
  region in force, so another region's history (also of a deleted object) is a 404.
"""

from django.core.exceptions import ValidationError
from django.http import Http404

from core.region_state import current_region_id


class RegionalAdminMixin:
    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404


class RegionalHistoryAdminMixin(RegionalAdminMixin):
    """For a ``SimpleHistoryAdmin``: the history of the region in force only."""

    def _history_model(self):
        return getattr(self.model, self.model._meta.simple_history_manager_attribute).model

    def get_history_queryset(self, request, history_manager, pk_name: str, object_id):
        return (
            super()
            .get_history_queryset(request, history_manager, pk_name, object_id)
            .filter(region_id=current_region_id())
        )

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        lookup = {self.model._meta.pk.attname: object_id, "history_id": version_id, "region_id": current_region_id()}
        try:
            found = self._history_model().objects.filter(**lookup).exists()
        except (ValueError, ValidationError):
            found = False
        if not found:
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context=extra_context)
