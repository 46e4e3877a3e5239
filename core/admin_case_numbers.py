"""The admin action "Tilldela diarienummer", for every model that carries a case number (core/case_numbers.py)::

actions = [..., assign_case_numbers]
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .case_numbers import CaseNumberError, case_number_assign


@admin.action(description=_("Assign case numbers"), permissions=["change"])
def assign_case_numbers(modeladmin, request, queryset):
    """ "Tilldela diarienummer": the next numbers of the region's counter to the selected records without one."""
    assigned, refused = [], []
    for record in queryset.order_by("pk"):
        try:
            assigned.append(f"{record}: {case_number_assign(record=record)}")
        except CaseNumberError as error:
            refused.append(str(error))
    if assigned:
        modeladmin.message_user(
            request,
            ngettext("Case number assigned: %(list)s.", "Case numbers assigned: %(list)s.", len(assigned))
            % {"list": "; ".join(assigned)},
            messages.SUCCESS,
        )
    for message in dict.fromkeys(refused):
        modeladmin.message_user(request, message, messages.WARNING)
