from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin_case_numbers import assign_case_numbers

from ..cache import pages_changed
from ..models import Partnership, PartnershipFollowUp
from .choices import challenge_choices


class FollowUpInline(admin.StackedInline):
    model = PartnershipFollowUp
    extra = 0
    fields = ["year", "text"]


@admin.register(Partnership)
class PartnershipAdmin(SimpleHistoryAdmin):
    list_display = ["title", "status", "starts_on", "ends_on", "region_contribution", "case_number"]
    list_filter = ["status", "area"]
    search_fields = ["title", "purpose", "case_number", "organisations__name"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["organisations", "challenges", "actions"]
    actions = [assign_case_numbers]  # the next number from the region's counter (core.case_numbers)
    inlines = [FollowUpInline]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "challenges":
            kwargs["queryset"] = challenge_choices()
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        pages_changed()
