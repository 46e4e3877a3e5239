"""Taking part: the personal join link, the check-in at the door and the evaluation afterwards."""

import re

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import staff_required

from .. import services
from ..forms import CheckInForm, EvaluationForm
from ..models import Meeting, Registration
from ..permissions import join_window
from .registrations import _checkin_context, _personal_ics

JOIN_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{16,64}")


def _join_registration(slug: str, token: str) -> Registration | None:
    """The registration a personal join link names, on this meeting; None for anything else (a forged
    token, another meeting's, something that is not a token at all)."""
    if not JOIN_TOKEN_RE.fullmatch(token):
        return None
    registration = (
        Registration.objects.select_related("meeting")
        .filter(join_token=token, meeting__slug=slug)
        .exclude(meeting__status=Meeting.Status.DRAFT)
        .first()
    )
    if registration is None or not constant_time_compare(registration.join_token, token):
        return None
    return registration


def _join_refusal(registration: Registration | None) -> str:
    """Why a personal join link opens nothing now ("" when it may): for the page, never with the link."""
    if registration is None:
        return "invalid"
    if registration.meeting.status == Meeting.Status.CANCELLED:
        return "meeting_cancelled"
    if registration.status == Registration.Status.CANCELLED:
        return "cancelled"
    if registration.status == Registration.Status.WAITLISTED:
        return "waitlisted"
    return ""


@never_cache
@csrf_exempt  # the personal token in the address is the proof (as for unsubscribing); no cookie is needed
@require_http_methods(["GET", "POST"])
def registration_join(request, slug, token):
    """The personal join link (``/moten/<slug>/delta/<token>/``) of a confirmed participant.

    Before the window (30 minutes before the start): a waiting page with the time and a calendar file.
    In the window: a page with the button "Join the meeting", whose POST records attendance (one UPDATE
    that only the first wins, however many clicks and devices), then redirects to the meeting's own link.
    A GET records nothing: mail providers' link scanners open every link of an e-mail, and would mark people
    who never came as attended. After the end: the documentation, or a page saying it will come. Any other
    token, or the token of a cancelled or waitlisted registration: a page that says so, nothing recorded, no
    link."""
    registration = _join_registration(slug, token)
    refusal = _join_refusal(registration)
    context = {"registration": registration, "meeting": registration.meeting if registration else None}
    if refusal:
        context["refusal"] = refusal
        return _join_page(request, context, status=404 if refusal == "invalid" else 403)
    meeting = registration.meeting
    now = timezone.now()
    opens, closes = join_window(meeting)
    context.update(_checkin_context(registration))
    context["token"] = token
    if now > closes:
        context["state"] = "after"
        context["documents"] = list(meeting.documents.all())
        return _join_page(request, context)
    if not meeting.has_online_part or registration.attendance == Registration.Attendance.ON_SITE:
        context["state"] = "on_site"
        return _join_page(request, context)
    if now < opens:
        context["state"] = "before"
        context["opens"] = opens
        return _join_page(request, context)
    if not meeting.online_link:
        context["state"] = "no_link"
        return _join_page(request, context)
    if request.method != "POST":
        context["state"] = "open"
        return _join_page(request, context)
    services.registration_record_join(registration=registration, now=now)
    response = redirect(meeting.online_link)
    response.status_code = 303  # see other: the meeting room, fetched with a GET
    response["Referrer-Policy"] = "no-referrer"
    return response


def _join_page(request, context: dict, *, status: int = 200) -> HttpResponse:
    response = render(request, "meetings/join.html", context, status=status)
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_GET
def registration_join_ics(request, slug, token):
    """The calendar file of the waiting page: the person's own, with their personal join link."""
    registration = _join_registration(slug, token)
    if _join_refusal(registration):
        raise Http404
    return _personal_ics(registration)


def _checkin_counts(meeting: Meeting) -> dict:
    """Arrivals against the registrations that come to the venue (for a hybrid meeting, those on site)."""
    expected = meeting.registrations.filter(status=Registration.Status.CONFIRMED).exclude(
        attendance=Registration.Attendance.ONLINE
    )
    # Checked in by code here, or ticked in the admin's check-in list: both mark the person as attended.
    return {"arrived": expected.filter(attended=True).count(), "expected": expected.count()}


def _camera_allowed(response: HttpResponse) -> HttpResponse:
    """This page alone may ask for the camera (the QR scanner); every other feature stays denied."""
    policy = ", ".join(
        f"{feature}=(self)" if feature == "camera" else f"{feature}=({' '.join(origins)})"
        for feature, origins in getattr(settings, "PERMISSIONS_POLICY", {}).items()
    )
    if policy:
        response["Permissions-Policy"] = policy
    return response


@never_cache
@staff_required(permission="meetings.change_registration")
@require_http_methods(["GET", "POST"])
def meeting_checkin(request, slug):
    """The coordinators' check-in at the door of a physical or hybrid meeting (``/moten/<slug>/incheckning/``).

    Works on a phone without JavaScript (the code typed and sent); where the browser has the
    BarcodeDetector API a camera button scans the QR code into the same form. Only staff of the
    meeting's region open it (another region's meetings are not found on this host). Each answer says
    who arrived, warns on a second scan and refuses another meeting's code; the counts follow."""
    meeting = get_object_or_404(Meeting.objects.exclude(status=Meeting.Status.DRAFT), slug=slug)
    if not meeting.has_venue:
        raise Http404
    form = CheckInForm(request.POST or None)
    result = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            result = services.registration_check_in(meeting=meeting, code=form.cleaned_data["code"])
            form = CheckInForm()  # ready for the next person
            if result.outcome in ("unknown", "other_meeting", "not_confirmed"):
                status = 422
        else:
            status = 422
    if request.GET.get("antal") == "1":
        from django.http import JsonResponse

        return JsonResponse(_checkin_counts(meeting))
    response = render(
        request,
        "meetings/checkin.html",
        {"meeting": meeting, "form": form, "result": result, **_checkin_counts(meeting)},
        status=status,
    )
    return _camera_allowed(response)


@never_cache
@require_http_methods(["GET", "POST"])
def meeting_evaluate(request, slug, token):
    """The evaluation form of one attendee (``/moten/<slug>/utvardering/<token>/``, linked from their e-mail):
    once per person, anonymous in the summary. Any other token, or someone who did not attend: a page that says so."""
    registration = _join_registration(slug, token)
    context = {"registration": registration, "meeting": registration.meeting if registration else None}
    if registration is None:
        context["refusal"] = "invalid"
        return _evaluation_page(request, context, status=404)
    if registration.status != Registration.Status.CONFIRMED or not registration.attended:
        context["refusal"] = "not_attended"
        return _evaluation_page(request, context, status=403)
    if registration.evaluated:
        context["done"] = True
        return _evaluation_page(request, context)
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.evaluation_submit(
            registration=registration, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"]
        )
        context["done"] = True
        return _evaluation_page(request, context)
    context["form"] = form
    return _evaluation_page(request, context, status=200 if form.is_bound is False or form.is_valid() else 422)


def _evaluation_page(request, context: dict, *, status: int = 200) -> HttpResponse:
    # The site's Referrer-Policy (same-origin) already keeps the token from other sites; "no-referrer"
    # here would make the browser send "Origin: null" with the form, which the CSRF check refuses.
    return render(request, "meetings/evaluation.html", context, status=status)
