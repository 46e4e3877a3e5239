"""Admin for what the public meeting pages gained: the coordinator-kept topics, and the meeting form's
venue accessibility and areas of activity.

Kept apart from admin.py while that file is being reworked on another branch (the coordinators'
workspace); loaded from ``MeetingsConfig.ready()`` after the admin's autodiscovery. Fold it into
admin.py when both have landed.
"""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from .models import Meeting, Topic


class TopicAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "slug", "meeting_count")
    search_fields = ("name", "name_en")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_meeting_count=Count("meetings"))

    @admin.display(description=_("meetings"), ordering="_meeting_count")
    def meeting_count(self, obj):
        return obj._meeting_count


def _with_field(fieldsets, after: str, *names: str):
    """The fieldsets with ``names`` placed after ``after`` (once: a second call changes nothing)."""
    result = []
    for title, options in fieldsets:
        fields = list(options.get("fields", ()))
        if after in fields:
            for offset, name in enumerate(n for n in names if n not in fields):
                fields.insert(fields.index(after) + 1 + offset, name)
        result.append((title, {**options, "fields": tuple(fields)}))
    return tuple(result)


def register() -> None:
    if not admin.site.is_registered(Topic):
        admin.site.register(Topic, TopicAdmin)
    meeting_admin = admin.site._registry.get(Meeting)
    if meeting_admin is None:
        return
    cls = type(meeting_admin)
    cls.search_fields = tuple(
        "topics__name" if field == "topics" else field for field in getattr(cls, "search_fields", ())
    )
    if cls.fieldsets:
        cls.fieldsets = _with_field(cls.fieldsets, "topics", "areas")
        cls.fieldsets = _with_field(cls.fieldsets, "venue_address", "venue_accessibility")
    cls.filter_horizontal = tuple({*getattr(cls, "filter_horizontal", ()), "topics", "areas"})
    cls.list_filter = (*cls.list_filter, "topics") if "topics" not in cls.list_filter else cls.list_filter
