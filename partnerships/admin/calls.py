from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin_case_numbers import assign_case_numbers

from ..cache import pages_changed
from ..models import Criterion, GrantCall, Question
from .choices import challenge_choices
from .money import amount_column


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 1
    fields = ["order", "name", "description"]


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 1
    fields = ["order", "text", "required"]


@admin.register(GrantCall)
class GrantCallAdmin(SimpleHistoryAdmin):
    list_display = [
        "title",
        "status",
        "opens_on",
        "closes_at",
        "amount_available_shown",
        "ceiling_shown",
        "case_number",
    ]
    list_filter = ["status", "area"]
    search_fields = ["title", "purpose", "case_number"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["challenges"]
    inlines = [CriterionInline, QuestionInline]
    date_hierarchy = "closes_at"
    actions = [assign_case_numbers]  # the next number from the region's counter (core.case_numbers)
    amount_available_shown = amount_column(GrantCall, "amount_available")
    ceiling_shown = amount_column(GrantCall, "ceiling")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "challenges":
            kwargs["queryset"] = challenge_choices()
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        pages_changed()
