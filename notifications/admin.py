from django.contrib import admin

from .models import Digest, DigestSchedule, Follow, Notification, Preference


class ReadOnlyAdmin(admin.ModelAdmin):
    """Coordinators read what people follow and were told; nobody edits it by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Follow)
class FollowAdmin(ReadOnlyAdmin):
    list_display = ["label", "kind", "user", "organisation_name", "created_at"]
    list_filter = ["kind", ("organisation_id", admin.EmptyFieldListFilter)]
    search_fields = ["label", "user__email", "organisation_name"]
    date_hierarchy = "created_at"


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["title", "event", "user", "created_at", "read_at", "emailed_at"]
    list_filter = ["event", ("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "user__email"]
    date_hierarchy = "created_at"


@admin.register(Preference)
class PreferenceAdmin(ReadOnlyAdmin):
    list_display = ["user", "email", "updated_at"]
    list_filter = ["email"]
    search_fields = ["user__email"]


@admin.register(Digest)
class DigestAdmin(ReadOnlyAdmin):
    list_display = ["user", "window_start", "window_end", "items", "email", "abandoned"]
    list_filter = ["abandoned"]
    search_fields = ["user__email"]
    date_hierarchy = "window_end"


@admin.register(DigestSchedule)
class DigestScheduleAdmin(admin.ModelAdmin):
    """The region's digest day and hour: one row, which coordinators may change (people may choose their own)."""

    list_display = ["__str__", "weekday", "hour"]
    list_filter = ["weekday"]
    search_fields = ["weekday"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not DigestSchedule.objects.exists()
