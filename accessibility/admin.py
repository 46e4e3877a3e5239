"""The accessibility statement in the admin: one per language, with its list of content that is not
accessible, and beside it the portal's last automated check; the reports visitors sent (read, search)."""

from django import forms
from django.contrib import admin
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from .models import AccessibilityCheck, AccessibilityReport, AccessibilityStatement, InaccessibleContent
from .selectors import last_check


class StatementForm(forms.ModelForm):
    class Meta:
        model = AccessibilityStatement
        fields = [
            "language",
            "compliance",
            "introduction",
            "response_time",
            "assessment_method",
            "assessed_on",
            "reviewed_on",
        ]

    def clean_language(self):
        """One statement per language and region (the region is not a field: checked here, not as a 500)."""
        language = self.cleaned_data["language"]
        taken = AccessibilityStatement.objects.filter(language=language).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("The region already has a statement in this language: edit that one."))
        return language


class InaccessibleContentInline(admin.TabularInline):
    model = InaccessibleContent
    extra = 1
    fields = ["order", "reason", "description"]


@admin.register(AccessibilityStatement)
class AccessibilityStatementAdmin(admin.ModelAdmin):
    form = StatementForm
    list_display = ["__str__", "compliance", "assessed_on", "reviewed_on"]
    inlines = [InaccessibleContentInline]
    readonly_fields = ["last_automated_check"]
    fieldsets = [
        (None, {"fields": ["language", "compliance", "introduction", "response_time"]}),
        (_("How the site was assessed"), {"fields": ["assessment_method", "assessed_on", "reviewed_on"]}),
        (_("The portal's last automated accessibility check"), {"fields": ["last_automated_check"]}),
    ]

    @admin.display(description=_("last automated check"))
    def last_automated_check(self, obj=None):
        check = last_check()
        if check is None:
            return _("No automated check has been recorded yet (manage.py record_accessibility_check).")
        return render_to_string("accessibility/_last_check.html", {"check": check})


@admin.register(AccessibilityReport)
class AccessibilityReportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "short_message", "wants_other_format", "name", "email"]
    list_filter = ["wants_other_format", "language"]
    search_fields = ["message", "page", "name", "email"]
    readonly_fields = ["message", "page", "wants_other_format", "name", "email", "language", "created_at"]
    date_hierarchy = "created_at"

    @admin.display(description=_("message"))
    def short_message(self, obj):
        return obj.message[:80]

    def has_add_permission(self, request):
        return False  # reports come from visitors, through the form


@admin.register(AccessibilityCheck)
class AccessibilityCheckAdmin(admin.ModelAdmin):
    list_display = ["checked_at", "tool", "source", "violation_count"]
    readonly_fields = ["checked_at", "tool", "source", "pages", "recorded_at"]

    def has_add_permission(self, request):
        return False  # recorded by manage.py record_accessibility_check

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser  # the installation's record, shared by every region
