"""Coordinators' admin for meetings: counts and fill bar, programme inline, registrations, messages."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from import_export.admin import ExportActionMixin

from core.files import ADMIN_FILE_OVERRIDES
from core.spreadsheets import ADMIN_FORMATS
from outbox.services import render_email

from . import services
from .models import Meeting, MeetingDocument, ProgrammeItem, Registration, Reminder, Speaker
from .resources import RegistrationResource


class ProgrammeItemInline(admin.TabularInline):
    model = ProgrammeItem
    extra = 0
    fields = ("order", "start_time", "end_time", "title", "description", "speaker_list")
    readonly_fields = ("speaker_list",)
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("speakers")

    @admin.display(description=_("speakers"))
    def speaker_list(self, obj):
        return "; ".join(str(s) for s in obj.speakers.all()) if obj.pk else "–"


class MeetingDocumentInline(admin.TabularInline):
    model = MeetingDocument
    extra = 0
    fields = ("order", "kind", "title", "file", "url")
    formfield_overrides = ADMIN_FILE_OVERRIDES


class MessageForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 10, "cols": 80}))


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("title", "start", "format", "status", "confirmed", "waitlisted", "capacity", "fill")
    list_filter = ("status", "format", ("start", admin.DateFieldListFilter))
    search_fields = ("title", "summary", "venue_name", "topics")
    date_hierarchy = "start"
    prepopulated_fields = {"slug": ("title",)}
    inlines = [ProgrammeItemInline, MeetingDocumentInline]
    actions = ["message_participants", "send_documentation", "copy_meeting"]
    readonly_fields = ("sequence", "notified_80_at", "notified_full_at")
    fieldsets = (
        (None, {"fields": ("title", "slug", "status", "summary", "description", "topics")}),
        (_("Time and place"), {"fields": ("start", "end", "format", "venue_name", "venue_address", "online_link")}),
        (
            _("Registration"),
            {"fields": ("capacity", "waitlist_enabled", "registration_opens", "registration_closes")},
        ),
        (_("Reminders"), {"fields": ("reminder_before", "reminder_before_online")}),
        (_("Contact"), {"fields": ("organiser", "contact_name", "contact_email", "contact_phone")}),
        (
            pgettext_lazy("notification log", "Record"),
            {"fields": ("sequence", "notified_80_at", "notified_full_at"), "classes": ("collapse",)},
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts()

    @admin.display(description=pgettext_lazy("number of registrations", "confirmed"), ordering="confirmed_count")
    def confirmed(self, obj):
        url = reverse("admin:meetings_registration_changelist")
        return format_html('<a href="{}?meeting__id__exact={}">{}</a>', url, obj.pk, obj.confirmed_count)

    @admin.display(description=_("waitlist"), ordering="waitlisted_count")
    def waitlisted(self, obj):
        return obj.waitlisted_count

    @admin.display(description=_("filled"))
    def fill(self, obj):
        if not obj.capacity:
            return "–"
        percent = min(100, round(100 * obj.confirmed_count / obj.capacity))
        return format_html(
            '<svg width="100" height="12" viewBox="0 0 100 12" role="img" aria-label="{} %">'
            '<rect width="100" height="12" fill="#e3e7e6"></rect>'
            '<rect width="{}" height="12" fill="{}"></rect></svg> {} %',
            percent,
            percent,
            "#a4000f" if percent >= 100 else "#00594f",
            percent,
        )

    def save_model(self, request, obj, form, change):
        # Through the service, so moves and cancellations reach the participants.
        services.meeting_save(meeting=obj)

    @admin.action(description=_("Copy meeting (new draft with the programme)"))
    def copy_meeting(self, request, queryset):
        for meeting in queryset:
            copy = services.meeting_copy(meeting=meeting)
            self.message_user(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("Copied to a new draft:"),
                    reverse("admin:meetings_meeting_change", args=[copy.pk]),
                    copy.title,
                ),
                messages.SUCCESS,
            )

    @admin.action(description=_("Send the documentation to the participants"))
    def send_documentation(self, request, queryset):
        for meeting in queryset.prefetch_related("documents"):
            count = services.meeting_send_documentation(meeting=meeting)
            if count:
                self.message_user(
                    request,
                    ngettext(
                        "%(meeting)s: documentation queued for %(n)d participant.",
                        "%(meeting)s: documentation queued for %(n)d participants.",
                        count,
                    )
                    % {"meeting": meeting.title, "n": count},
                    messages.SUCCESS,
                )
            else:
                self.message_user(
                    request,
                    _("%(meeting)s: nothing sent (no documents or no participants).") % {"meeting": meeting.title},
                    messages.WARNING,
                )

    @admin.action(description=_("Message all confirmed participants"))
    def message_participants(self, request, queryset):
        """Step 1: write; step 2: preview (rendered as participants will see it); step 3: send."""
        queryset = queryset.annotate(
            n_confirmed=Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED))
        )
        bound = any(key in request.POST for key in ("preview", "send", "edit"))
        form = MessageForm(request.POST if bound else None)
        preview = None
        if bound and "edit" not in request.POST and form.is_valid():
            if "send" in request.POST:
                total = 0
                for meeting in queryset:
                    total += services.meeting_message_participants(
                        meeting=meeting, subject=form.cleaned_data["subject"], body=form.cleaned_data["body"]
                    )
                self.message_user(
                    request,
                    ngettext(
                        "The message is queued for %(n)d participant.",
                        "The message is queued for %(n)d participants.",
                        total,
                    )
                    % {"n": total},
                    messages.SUCCESS,
                )
                return redirect(request.get_full_path())
            first = queryset.first()
            subject, text, _html = render_email(
                template="meetings/message",
                context={
                    "meeting": first,
                    "subject": form.cleaned_data["subject"],
                    "body": form.cleaned_data["body"],
                    "meeting_url": first.get_absolute_url(),
                },
            )
            preview = {"subject": subject, "text": text}
        return TemplateResponse(
            request,
            "admin/meetings/message_participants.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Message all confirmed participants"),
                "opts": self.model._meta,
                "meetings": queryset,
                "form": form,
                "preview": preview,
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
                "recipients": sum(m.n_confirmed for m in queryset),
            },
        )


class SpeakerInline(admin.TabularInline):
    model = Speaker
    extra = 1
    fields = ("order", "name", "title", "organisation")


@admin.register(ProgrammeItem)
class ProgrammeItemAdmin(admin.ModelAdmin):
    list_display = ("title", "meeting", "start_time", "order")
    list_filter = ("meeting",)
    search_fields = ("title", "speakers__name", "meeting__title")
    list_select_related = ("meeting",)
    inlines = [SpeakerInline]


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    list_display = ("name", "title", "organisation", "programme_item")
    list_filter = ("programme_item__meeting",)
    search_fields = ("name", "organisation", "programme_item__title")
    list_select_related = ("programme_item",)


@admin.register(MeetingDocument)
class MeetingDocumentAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "meeting")
    list_filter = ("kind", "meeting")
    search_fields = ("title", "meeting__title")
    list_select_related = ("meeting",)
    formfield_overrides = ADMIN_FILE_OVERRIDES


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
    list_display = ("name", "email", "meeting", "organisation_display", "status", "attended", "created_at")
    list_filter = ("meeting", "status", "attended", FormatFilter, "present_example")
    search_fields = ("name", "email", "organisation_name", "organisation__name", "meeting__title")
    list_select_related = ("meeting", "organisation")
    raw_id_fields = ("user", "organisation")
    readonly_fields = ("status", "created_at", "cancelled_at", "consent_at", "privacy_policy_version", "language")
    actions = ["export_admin_action", "mark_attended", "mark_not_attended", "cancel_registrations"]

    @admin.display(description=_("organisation"))
    def organisation_display(self, obj):
        return obj.organisation_display

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
            services.registration_cancel(registration=registration)
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
