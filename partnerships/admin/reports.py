"""Follow-up reports: reviewed (approved, or returned with a comment) by actions with confirmation."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin_confirm import confirm_action

from .. import services
from ..models import FollowUpReport, ReportReminder
from .money import amount_column


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What the organisation should complete"), widget=forms.Textarea(attrs={"rows": 3, "cols": 60})
    )


def _review(modeladmin, request, queryset, *, approve: bool, **extra):
    def perform(report, *, choices, data):
        services.report_review(report=report, by=request.user, approve=approve, comment=data.get("comment", ""))
        return _("approved.") if approve else _("returned to the organisation.")

    return confirm_action(
        modeladmin,
        request,
        queryset.select_related("application__organisation"),
        preview=lambda report: services.report_review_preview(report=report, approve=approve),
        perform=perform,
        **extra,
    )


@admin.action(description=_("Approve the reports"), permissions=["change"])
def approve_reports(modeladmin, request, queryset):
    return _review(modeladmin, request, queryset, approve=True, title=_("Approve reports"), button=_("Yes, approve"))


@admin.action(description=_("Return the reports for completion"), permissions=["change"])
def return_reports(modeladmin, request, queryset):
    return _review(
        modeladmin,
        request,
        queryset,
        approve=False,
        title=_("Return reports"),
        button=_("Yes, return"),
        form_class=ReturnForm,
    )


@admin.register(FollowUpReport)
class FollowUpReportAdmin(SimpleHistoryAdmin):
    list_display = ["application", "due_on", "review_status", "submitted_at", "reviewed_at"]
    list_filter = ["review_status", "application__call"]
    search_fields = ["application__organisation__name", "application__title", "what_was_done"]
    list_select_related = ["application__organisation", "application__call"]
    readonly_fields = [
        "application",
        "what_was_done",
        "money_used",
        "amount_used_shown",
        "review_status",
        "review_comment",
        "submitted_by",
        "submitted_at",
        "reviewed_by",
        "reviewed_at",
    ]
    fields = ["due_on", *readonly_fields]
    actions = [approve_reports, return_reports]
    amount_used_shown = amount_column(FollowUpReport, "amount_used")

    def has_add_permission(self, request):
        return False


@admin.register(ReportReminder)
class ReportReminderAdmin(admin.ModelAdmin):
    list_display = ["report", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["report__application__organisation__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
