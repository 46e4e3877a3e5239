"""Coordinators' admin for meetings: counts and fill bar, programme inline, registrations, messages."""

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.db.models.functions import Lower
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy, pgettext_lazy
from import_export.admin import ExportActionMixin

from core.files import ADMIN_FILE_OVERRIDES
from core.spreadsheets import ADMIN_FORMATS
from outbox.services import render_email

from . import services
from .models import Meeting, MeetingDocument, ProgrammeItem, Registration, Reminder, Speaker, Topic
from .resources import RegistrationResource, attendance_label


class MeetingListFilter(admin.RelatedFieldListFilter):
    """ "Efter möte", not "På meeting" (the foreign keys carry no verbose name of their own)."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        self.title = _("meeting")


@admin.display(description=_("meeting"), ordering="meeting__start")
def meeting_column(obj):
    return obj.meeting


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


def _days(n):
    return ngettext_lazy("%(n)d day before", "%(n)d days before", n) % {"n": n}


def _hours(n):
    return ngettext_lazy("%(n)d hour before", "%(n)d hours before", n) % {"n": n}


def _minutes(n):
    return ngettext_lazy("%(n)d minute before", "%(n)d minutes before", n) % {"n": n}


REMINDER_OFFSETS = [
    (timedelta(minutes=15), _minutes(15)),
    (timedelta(minutes=30), _minutes(30)),
    (timedelta(hours=1), _hours(1)),
    (timedelta(hours=2), _hours(2)),
    (timedelta(hours=3), _hours(3)),
    (timedelta(days=1), _days(1)),
    (timedelta(days=2), _days(2)),
    (timedelta(days=3), _days(3)),
    (timedelta(days=7), _days(7)),
    (timedelta(days=14), _days(14)),
]


def offset_label(value: timedelta):
    for offset, label in REMINDER_OFFSETS:
        if offset == value:
            return label
    seconds = int(value.total_seconds())
    if seconds % 86400 == 0:
        return _days(seconds // 86400)
    if seconds % 3600 == 0:
        return _hours(seconds // 3600)
    return _minutes(seconds // 60)


class ReminderOffsetField(forms.TypedChoiceField):
    """ "2 dagar före", "1 timme före" instead of typing "2 days, 0:00:00"; empty: no reminder."""

    def __init__(self, *, label, help_text="", initial=None, current=None, **kwargs):
        choices = [("", _("No reminder"))] + [(str(int(o.total_seconds())), lbl) for o, lbl in REMINDER_OFFSETS]
        if current and current not in dict(REMINDER_OFFSETS):
            choices.append((str(int(current.total_seconds())), offset_label(current)))
        super().__init__(
            label=label,
            help_text=help_text,
            choices=choices,
            coerce=lambda seconds: timedelta(seconds=int(seconds)),
            empty_value=None,
            required=False,
            initial=initial,
        )

    def prepare_value(self, value):
        if isinstance(value, timedelta):
            return str(int(value.total_seconds()))
        return value


class MeetingAdminForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["reminder_before", "reminder_before_online"]  # the admin adds the rest from its fieldsets

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        for name, help_text in (
            ("reminder_before", _("Sent to everyone registered.")),
            ("reminder_before_online", _("Only for digital and hybrid meetings, with the link to join.")),
        ):
            if name in self.fields:
                model_field = Meeting._meta.get_field(name)
                self.fields[name] = ReminderOffsetField(
                    label=self.fields[name].label,
                    help_text=help_text,
                    initial=self.fields[name].initial,
                    current=getattr(instance, name, None) if instance.pk else model_field.default,
                )


class RegistrationInline(admin.TabularInline):
    """Who is coming, on the meeting's own page (changes go through the registration list's actions)."""

    model = Registration
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True
    fields = ("name", "organisation_display", "status", "attended", "needs", "created_at")
    readonly_fields = fields
    verbose_name = _("registration")
    verbose_name_plural = _("registrations")
    classes = ("collapse",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation").order_by("status", Lower("name"))

    @admin.display(description=_("organisation"))
    def organisation_display(self, obj):
        return obj.organisation_display or "–"


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("title", "start", "format", "status", "confirmed", "waitlisted", "capacity", "fill")
    list_filter = ("status", "format", ("start", admin.DateFieldListFilter), "topics")
    search_fields = ("title", "summary", "venue_name", "topics__name")
    # Checkboxes, not the filter widget: labelled for screen readers and usable without JavaScript.
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    date_hierarchy = "start"
    prepopulated_fields = {"slug": ("title",)}
    form = MeetingAdminForm
    inlines = [ProgrammeItemInline, MeetingDocumentInline, RegistrationInline]
    actions = ["message_participants", "send_documentation", "copy_meeting"]
    readonly_fields = ("sequence", "notified_80_at", "notified_full_at")
    fieldsets = (
        (None, {"fields": ("title", "slug", "status", "summary", "description", "topics", "areas")}),
        (
            _("Time and place"),
            {"fields": ("start", "end", "format", "venue_name", "venue_address", "venue_accessibility", "online_link")},
        ),
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
        # Upcoming meetings first (soonest at the top), then the past ones (latest first).
        now = timezone.now()
        queryset = (
            self.model._default_manager.get_queryset()
            .with_counts()
            .annotate(
                _past=Case(When(end__lt=now, then=Value(1)), default=Value(0), output_field=IntegerField()),
                _upcoming_start=Case(When(end__gte=now, then=F("start"))),
            )
        )
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset

    def get_ordering(self, request):
        # Only the meeting list has the annotations (other admins ask this for their meeting choices).
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name == "meetings_meeting_changelist":
            return ["_past", "_upcoming_start", "-start"]
        return super().get_ordering(request)

    def get_urls(self):
        urls = [
            path(
                "<int:pk>/deltagarlista/",
                self.admin_site.admin_view(self.participant_list_view),
                name="meetings_meeting_participants",
            ),
            path(
                "<int:pk>/incheckning/",
                self.admin_site.admin_view(self.check_in_view),
                name="meetings_meeting_check_in",
            ),
        ]
        return urls + super().get_urls()

    def _attendance(self, meeting, request) -> str:
        """The door list's and check-in's filter on how people take part (hybrid meetings only)."""
        value = request.GET.get(ATTENDANCE_PARAM, "")
        return value if meeting.is_hybrid and value in Registration.Attendance.values else ""

    def _registrations(self, meeting, request):
        queryset = meeting.registrations.exclude(status=Registration.Status.CANCELLED).select_related("organisation")
        attendance = self._attendance(meeting, request)
        if attendance:
            queryset = queryset.filter(attendance_q(attendance))
        query = request.GET.get("q", "").strip()[:100]
        if query:
            queryset = queryset.filter(
                Q(name__icontains=query)
                | Q(organisation_name__icontains=query)
                | Q(organisation__name__icontains=query)
            )
        return queryset.order_by(Lower("name"), "pk"), query

    def participant_list_view(self, request, pk):
        """A printable list of who is coming: confirmed first, then the waitlist."""
        if not request.user.has_perm("meetings.view_registration"):
            raise PermissionDenied
        meeting = get_object_or_404(Meeting.objects.with_counts(), pk=pk)
        registrations, _query = self._registrations(meeting, request)
        confirmed = [r for r in registrations if r.status == Registration.Status.CONFIRMED]
        waitlisted = sorted(
            (r for r in registrations if r.status == Registration.Status.WAITLISTED), key=lambda r: r.created_at
        )
        return TemplateResponse(
            request,
            "admin/meetings/meeting/participants.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Participant list"),
                "subtitle": meeting.title,
                "opts": self.model._meta,
                "original": meeting,
                "meeting": meeting,
                "confirmed": confirmed,
                "waitlisted": waitlisted,
                **self._attendance_context(meeting, request),
            },
        )

    def _attendance_context(self, meeting, request):
        """For a hybrid meeting: how many come on site and online, and links that show only one group."""
        if not meeting.is_hybrid:
            return {"hybrid": False}
        attendance = self._attendance(meeting, request)
        query = request.GET.get("q", "").strip()[:100]
        base = {"q": query} if query else {}
        choices = [("", _("Everyone")), *Registration.Attendance.choices]
        return {
            "hybrid": True,
            "attendance": attendance,
            "attendance_label": dict(Registration.Attendance.choices).get(attendance, ""),
            "attendance_choices": [
                (value, label, "?" + urlencode({**base, **({ATTENDANCE_PARAM: value} if value else {})}))
                for value, label in choices
            ],
            **meeting.registrations.filter(status=Registration.Status.CONFIRMED).aggregate(
                on_site=Count("pk", filter=attendance_q(Registration.Attendance.ON_SITE)),
                online=Count("pk", filter=attendance_q(Registration.Attendance.ONLINE)),
            ),
        }

    def check_in_view(self, request, pk):
        """At the door, on a phone: one tap per person marks them as here (or not), no script needed."""
        if not request.user.has_perm("meetings.change_registration"):
            raise PermissionDenied
        meeting = get_object_or_404(Meeting.objects.with_counts(), pk=pk)
        if request.method == "POST":
            registration = meeting.registrations.filter(pk=request.POST.get("registration")).first()
            if registration is None:
                raise Http404
            attended = request.POST.get("attended") == "yes"
            services.registrations_mark_attended(registrations=[registration], attended=attended)
            self.message_user(
                request,
                (_("%(name)s is checked in.") if attended else _("%(name)s is no longer checked in."))
                % {"name": registration.name},
                messages.SUCCESS,
            )
            back = request.POST.get("next", "")
            if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
                back = reverse("admin:meetings_meeting_check_in", args=[meeting.pk])
            return redirect(f"{back}#registration-{registration.pk}")
        registrations, query = self._registrations(meeting, request)
        registrations = [r for r in registrations if r.status == Registration.Status.CONFIRMED]
        return TemplateResponse(
            request,
            "admin/meetings/meeting/check_in.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Check-in"),
                "subtitle": meeting.title,
                "opts": self.model._meta,
                "original": meeting,
                "meeting": meeting,
                "registrations": registrations,
                "checked_in": sum(1 for r in registrations if r.attended),
                "query": query,
                "here": request.get_full_path(),
                **self._attendance_context(meeting, request),
            },
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and request.method == "GET" and request.GET.get("copied"):

            class CopiedMeetingForm(form):
                """The copy opens with its dates empty: the coordinator chooses the new ones."""

                def __init__(self, *args, **kwargs):
                    super().__init__(*args, **kwargs)
                    for name in ("start", "end", "registration_opens", "registration_closes"):
                        self.initial[name] = None

            return CopiedMeetingForm
        return form

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

    @admin.action(description=_("Copy meeting (new draft with the programme)"), permissions=["add"])
    def copy_meeting(self, request, queryset):
        if queryset.count() == 1:
            copy = services.meeting_copy(meeting=queryset.get())
            self.message_user(
                request,
                _("This is a copy, saved as a draft. Choose the date and time of the new meeting and save."),
                messages.WARNING,
            )
            return redirect(reverse("admin:meetings_meeting_change", args=[copy.pk]) + "?copied=1")
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
    list_display = ("title", meeting_column, "start_time", "order")
    list_filter = (("meeting", MeetingListFilter),)
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
    list_display = ("title", "kind", meeting_column)
    list_filter = ("kind", ("meeting", MeetingListFilter))
    search_fields = ("title", "meeting__title")
    list_select_related = ("meeting",)
    formfield_overrides = ADMIN_FILE_OVERRIDES


ATTENDANCE_PARAM = "deltar"


def attendance_q(attendance: str) -> Q:
    """Registrations that take part this way; on site includes those who chose nothing (one-format sign-ups)."""
    if attendance == Registration.Attendance.ONLINE:
        return Q(attendance=Registration.Attendance.ONLINE)
    return ~Q(attendance=Registration.Attendance.ONLINE)


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
    raw_id_fields = ("user", "organisation")
    readonly_fields = ("status", "created_at", "cancelled_at", "consent_at", "privacy_policy_version", "language")
    actions = ["export_admin_action", "mark_attended", "mark_not_attended", "cancel_registrations"]

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


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "slug", "meeting_count")
    search_fields = ("name", "name_en")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_meeting_count=Count("meetings"))

    @admin.display(description=_("meetings"), ordering="_meeting_count")
    def meeting_count(self, obj):
        return obj._meeting_count
