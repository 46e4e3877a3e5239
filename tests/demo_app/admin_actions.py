from django.contrib import admin

from . import state


@admin.action(description="Demo: note the chosen rows")
def note_rows(modeladmin, request, queryset):
    state.noted.extend(queryset.values_list("pk", flat=True))
