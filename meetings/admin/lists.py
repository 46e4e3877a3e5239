"""The door list (printable, confirmed then waitlisted) and check-in at the door, as views of the meeting admin."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _

from core.forms import parse_id

from .. import services
from ..models import Meeting, Registration
from .common import ATTENDANCE_PARAM, attendance_q


class DoorListMixin:
    """Adds ``<pk>/deltagarlista/`` and ``<pk>/incheckning/`` to a ``ModelAdmin`` of meetings."""

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

    def _page_context(self, request, meeting, title):
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "subtitle": meeting.title,
            "opts": self.model._meta,
            "original": meeting,
            "meeting": meeting,
            **self._attendance_context(meeting, request),
        }

    def participant_list_view(self, request, pk):
        """A printable list of who is coming: confirmed first, then the waitlist."""
        if not request.user.has_perm("meetings.view_registration"):
            raise PermissionDenied
        meeting = get_object_or_404(Meeting.objects.with_counts(), pk=pk)
        registrations, _query = self._registrations(meeting, request)
        registrations = registrations.prefetch_related("answers")  # the answers to the questions at sign-up
        confirmed = [r for r in registrations if r.status == Registration.Status.CONFIRMED]
        waitlisted = sorted(
            (r for r in registrations if r.status == Registration.Status.WAITLISTED), key=lambda r: r.created_at
        )
        return TemplateResponse(
            request,
            "admin/meetings/meeting/participants.html",
            {
                **self._page_context(request, meeting, _("Participant list")),
                "confirmed": confirmed,
                "waitlisted": waitlisted,
                "has_answers": any(r.answers.all() for r in confirmed),
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
            return self._check_in(request, meeting)
        registrations, query = self._registrations(meeting, request)
        registrations = [r for r in registrations if r.status == Registration.Status.CONFIRMED]
        return TemplateResponse(
            request,
            "admin/meetings/meeting/check_in.html",
            {
                **self._page_context(request, meeting, _("Check-in")),
                "registrations": registrations,
                "checked_in": sum(1 for r in registrations if r.attended),
                "query": query,
                "here": request.get_full_path(),
            },
        )

    def _check_in(self, request, meeting):
        """One tap: mark the registration as here (or no longer here) and go back to the same place in the list."""
        registration_id = parse_id(request.POST.get("registration"))  # "abc" or 30 digits: no registration
        registration = meeting.registrations.filter(pk=registration_id).first() if registration_id else None
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
