"""Registrations (inline on the meeting, their own list with export, attendance and cancellation) and reminders."""

from django.contrib import admin
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ExportActionMixin

from core.spreadsheets import ADMIN_FORMATS

from .. import services
from ..models import Meeting, Registration, Reminder
from ..resources import RegistrationResource, attendance_label
from .common import ATTENDANCE_PARAM, MeetingListFilter, attendance_q, meeting_column
from .questions import RegistrationAnswerInline


class RegistrationInline(admin.TabularInline):
    """Who is coming, on the meeting's own page (changes go through the registration list's actions)."""

    model = Registration
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True
    fields = ("name", "organisation_display", "status", "attended", "joined_at", "checked_in_at", "needs", "created_at")
    readonly_fields = fields
    verbose_name = _("registration")
    verbose_name_plural = _("registrations")
    classes = ("collapse",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation").order_by("status", Lower("name"))

    @admin.display(description=_("organisation"))
    def organisation_display(self, obj):
        return obj.organisation_display or "–"


class AttendanceFilter(admin.SimpleListFilter):
    """On site or online (hybrid meetings): who needs a seat and a name badge, who needs the link."""

    title = _("takes part")
    parameter_name = ATTENDANCE_PARAM

    def lookups(self, request, model_admin):
        return Registration.Attendance.choices

    def queryset(self, request, queryset):
        if self.value() in Registration.Attendance.values:
            return queryset.filter(meeting__format=Meeting.Format.HYBRID).filter(attendance_q(self.value()))
        return queryset


class FormatFilter(admin.SimpleListFilter):
    title = _("format")
    parameter_name = "format"

    def lookups(self, request, model_admin):
        return Meeting.Format.choices

    def queryset(self, request, queryset):
        return queryset.filter(meeting__format=self.value()) if self.value() else queryset


@admin.register(Registration)
class RegistrationAdmin(ExportActionMixin, admin.ModelAdmin):
    resource_classes = [RegistrationResource]
    export_formats = ADMIN_FORMATS
    list_display = (
        "name",
        "email",
        meeting_column,
        "organisation_display",
        "status",
        "attendance_display",
        "attended",
        "joined_at",
        "checked_in_at",
        "created_at",
    )
    list_filter = (
        ("meeting", MeetingListFilter),
        "status",
        "attended",
        FormatFilter,
        AttendanceFilter,
        "present_example",
    )
    search_fields = ("name", "email", "organisation_name", "organisation__name", "meeting__title")
    list_select_related = ("meeting", "organisation")
    raw_id_fields = ("organisation",)
    readonly_fields = (
        "user",  # the account that signed up (or none): not moved to another person's account here
        "status",
        "created_at",
        "cancelled_at",
        "consent_at",
        "privacy_policy_version",
        "language",
        "joined_at",
        "checked_in_at",
        "checkin_code",
    )
    actions = ["export_admin_action", "mark_attended", "mark_not_attended", "cancel_registrations"]
    inlines = [RegistrationAnswerInline]

    @admin.display(description=_("organisation"))
    def organisation_display(self, obj):
        return obj.organisation_display

    @admin.display(description=_("takes part"), ordering="attendance")
    def attendance_display(self, obj):
        return attendance_label(obj)

    def export_filename_parts(self, request, queryset):
        """The meeting's name in the file's name when every exported registration is for one meeting."""
        slugs = list(queryset.order_by().values_list("meeting__slug", flat=True).distinct()[:2])
        return slugs if len(slugs) == 1 else []

    def has_add_permission(self, request):
        # People sign up through the public form (capacity and waitlist rules live there).
        return False

    @admin.action(description=_("Mark as attended"))
    def mark_attended(self, request, queryset):
        n = services.registrations_mark_attended(registrations=queryset, attended=True)
        self.message_user(request, ngettext("%(n)d marked as attended.", "%(n)d marked as attended.", n) % {"n": n})

    @admin.action(description=_("Mark as not attended"))
    def mark_not_attended(self, request, queryset):
        n = services.registrations_mark_attended(registrations=queryset, attended=False)
        self.message_user(
            request, ngettext("%(n)d marked as not attended.", "%(n)d marked as not attended.", n) % {"n": n}
        )

    @admin.action(description=_("Cancel registrations (the waitlist moves up)"))
    def cancel_registrations(self, request, queryset):
        n = 0
        for registration in queryset.exclude(status=Registration.Status.CANCELLED):
            services.registration_cancel(registration=registration, by_coordinator=True)
            n += 1
        self.message_user(
            request, ngettext("%(n)d registration cancelled.", "%(n)d registrations cancelled.", n) % {"n": n}
        )


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ("registration", "kind", "created_at")
    list_filter = ("kind", "registration__meeting")
    search_fields = ("registration__name", "registration__email")
    list_select_related = ("registration__meeting",)
    readonly_fields = ("registration", "kind", "created_at", "email")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
