from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin_case_numbers import assign_case_numbers

from ..cache import pages_changed
from ..models import Partnership, PartnershipFollowUp
from ..selectors import partnerships_missing_follow_up
from .choices import challenge_choices
from .money import amount_column


class FollowUpMissingFilter(admin.SimpleListFilter):
    """Partnerships in force during a year that have no yearly follow-up for it (the start page links to last
    year's); the last three years are offered."""

    title = _("yearly follow-up")
    parameter_name = "follow_up_missing"

    def lookups(self, request, model_admin):
        this_year = timezone.localdate().year
        return [
            (str(year), gettext("Missing for %(year)s") % {"year": year})
            for year in range(this_year - 1, this_year - 4, -1)
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        try:
            year = int(value)
        except ValueError:
            return queryset.none()
        if not 1900 <= year <= 9999:
            return queryset.none()
        return partnerships_missing_follow_up(year, queryset)


class FollowUpInline(admin.StackedInline):
    model = PartnershipFollowUp
    extra = 0
    fields = ["year", "text"]


@admin.register(Partnership)
class PartnershipAdmin(SimpleHistoryAdmin):
    list_display = ["title", "status", "starts_on", "ends_on", "region_contribution_shown", "case_number"]
    list_filter = ["status", FollowUpMissingFilter, "area"]
    search_fields = ["title", "purpose", "case_number", "organisations__name"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["organisations", "challenges", "actions"]
    actions = [assign_case_numbers]  # the next number from the region's counter (core.case_numbers)
    inlines = [FollowUpInline]
    region_contribution_shown = amount_column(Partnership, "region_contribution")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "challenges":
            kwargs["queryset"] = challenge_choices()
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        pages_changed()
