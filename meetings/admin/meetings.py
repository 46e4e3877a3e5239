"""The meeting list (soonest first, counts and fill bar) and the meeting's change page."""

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Case, F, IntegerField, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.admin_translated import BilingualAdminMixin

from .. import services
from ..models import Meeting
from .actions import MeetingActionsMixin
from .documents import MeetingDocumentInline
from .forms import MeetingAdminForm
from .lists import DoorListMixin
from .programme import ProgrammeItemInline
from .questions import RegistrationQuestionInline
from .registrations import RegistrationInline


@admin.register(Meeting)
class MeetingAdmin(BilingualAdminMixin, DoorListMixin, MeetingActionsMixin, admin.ModelAdmin):
    list_display = ("title", "start", "format", "status", "confirmed", "waitlisted", "capacity", "fill")
    list_filter = ("status", "format", ("start", admin.DateFieldListFilter), "topics")
    search_fields = ("title", "summary", "venue_name", "topics__name")
    # Checkboxes, not the filter widget: labelled for screen readers and usable without JavaScript.
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    date_hierarchy = "start"
    prepopulated_fields = {"slug": ("title",)}
    form = MeetingAdminForm
    inlines = [ProgrammeItemInline, RegistrationQuestionInline, MeetingDocumentInline, RegistrationInline]
    actions = [
        "message_participants",
        "send_documentation",
        "send_evaluation",
        "send_speaker_confirmations",
        "copy_meeting",
    ]
    readonly_fields = ("sequence", "notified_80_at", "notified_full_at", "checkin_link", "evaluation_summary")
    fieldsets = (
        (None, {"fields": ("title", "slug", "status", "summary", "description", "topics", "areas")}),
        (
            _("Time and place"),
            {
                "fields": (
                    "start",
                    "end",
                    "format",
                    "venue_name",
                    "venue_address",
                    "venue_accessibility",
                    "online_link",
                    "checkin_link",
                )
            },
        ),
        (
            _("Registration"),
            {"fields": ("capacity", "waitlist_enabled", "registration_opens", "registration_closes")},
        ),
        (_("Reminders"), {"fields": ("reminder_before", "reminder_before_online")}),
        (_("After the meeting"), {"fields": ("evaluation_summary",)}),
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

    @admin.display(description=_("evaluation"))
    def evaluation_summary(self, obj):
        """The attendees' evaluation together (anonymous): count, average, spread and the comments."""
        if obj is None or obj.pk is None:
            return "–"
        summary = services.evaluation_summary(obj)
        if not summary.count:
            return _("No answers yet (sent to %(sent)d).") % {"sent": summary.sent}
        spread = format_html_join("", "<li>{}: {}</li>", summary.distribution)
        comments = format_html_join("", "<li>{}</li>", ((c,) for c in summary.comments))
        return format_html(
            "<p>{}</p><ul>{}</ul>{}",
            _("%(count)d answers of %(sent)d sent, average %(average)s of 5.")
            % {"count": summary.count, "sent": summary.sent, "average": summary.average},
            spread,
            format_html("<p>{}</p><ul>{}</ul>", _("Comments:"), comments) if summary.comments else "",
        )

    @admin.display(description=_("check-in at the door"))
    def checkin_link(self, obj):
        if obj is None or obj.pk is None or not obj.has_venue or obj.status == Meeting.Status.DRAFT:
            return _("For a published meeting on site: the page where you check participants in by their code.")
        url = reverse("meetings:checkin", kwargs={"slug": obj.slug})
        return format_html('<a href="{}">{}</a>', url, _("Open the check-in page (works on a phone)"))

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
