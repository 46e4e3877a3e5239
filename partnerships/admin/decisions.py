"""Decisions: announced by an action with confirmation (it mails the organisation), exported in the
columns of a municipal grant system and imported from one (earlier decisions)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from core.admin_confirm import confirm_action
from core.spreadsheets import ADMIN_FORMATS

from .. import services
from ..models import Decision
from ..resources import DecisionResource
from .money import amount_column


@admin.action(description=_("Announce the decisions and tell the organisations"), permissions=["change"])
def announce_decisions(modeladmin, request, queryset):
    def perform(decision, *, choices, data):
        services.decision_announce(decision=decision, by=request.user)
        return _("announced; the organisation is told by e-mail.")

    return confirm_action(
        modeladmin,
        request,
        queryset.select_related("application__organisation", "application__call"),
        title=_("Announce decisions"),
        preview=lambda decision: services.decision_announce_preview(decision=decision),
        perform=perform,
        button=_("Yes, announce"),
    )


class AnnouncedFilter(admin.SimpleListFilter):
    title = _("announced")
    parameter_name = "announced"

    def lookups(self, request, model_admin):
        return [("yes", _("announced")), ("no", _("prepared, not announced"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(decided_at__isnull=self.value() == "no")
        return queryset


@admin.register(Decision)
class DecisionAdmin(ImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [DecisionResource]
    formats = ADMIN_FORMATS
    list_display = ["application", "outcome", "amount_shown", "decided_at", "report_due_on", "case_number"]
    list_filter = [AnnouncedFilter, "outcome", "application__call"]
    search_fields = ["application__organisation__name", "application__title", "case_number"]
    list_select_related = ["application__organisation", "application__call"]
    readonly_fields = [
        "application",
        "outcome",
        "amount_shown",
        "reason",
        "public_purpose",
        "report_due_on",
        "case_number",
        "decided_by",
        "decided_at",
    ]
    fields = readonly_fields
    actions = [announce_decisions]
    amount_shown = amount_column(Decision, "amount")

    def has_add_permission(self, request):
        return False  # prepared on the application's decision page, through the service
