"""The sign-up form and the registrant's own manage page, reached through the signed link in their e-mail.

The online link of a digital meeting appears only on the manage page of a confirmed person, never on a
public page.
"""

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.decorators import ratelimit

from core.links import site_url

from .. import selectors, services
from ..calendar import meeting_ics as build_meeting_ics
from ..forms import RegistrationChangeForm, RegistrationForm
from ..models import Meeting, Registration
from ..permissions import online_link_visible
from ..qr import qr_svg
from ..selectors import pages
from ..services.common import checkin_shown
from ..tokens import registration_from_token
from .pages import _ics_response, _meeting_context

RECEIPT_SALT = "meetings.registration.receipt"
RECEIPT_MAX_AGE = 3600  # seconds: the page after signing up, not a lasting link


def _initial_for(user) -> dict:
    if not user.is_authenticated:
        return {}
    return {"name": user.full_name, "email": user.email, "phone": user.phone}


def registration_rate(group, request):
    """Sign-ups per minute and client IP: enough for someone registering a few colleagues,
    too few for a flood (the honeypot catches the rest). Set by MEETINGS_REGISTRATION_RATE."""
    return settings.MEETINGS_REGISTRATION_RATE


@ratelimit(key="ip", rate=registration_rate, method="POST", block=False)
@require_http_methods(["GET", "POST"])
def registration_create(request, slug):
    # A sign-up for a meeting without a capacity limit does not depend on how many came before (and a
    # valid one redirects): it goes without counting the registrations. The page itself has the counts.
    # A POST goes without counting the registrations: the service counts them under the meeting's
    # lock anyway, and says "full" (answered below with the same page as here). The page has the counts.
    meeting = _meeting_for_post(slug) if request.method == "POST" else selectors.meeting_for_registration(slug=slug)
    state = meeting.registration_state(confirmed=getattr(meeting, "confirmed_count", 0))
    if state not in ("open", "waitlist"):
        return _closed(request, meeting)
    form = RegistrationForm(
        request.POST or None, meeting=meeting, user=request.user, initial=_initial_for(request.user)
    )
    status = 200
    if request.method == "POST":
        if getattr(request, "limited", False):
            form.add_error(None, _("Too many sign-ups from your network. Please wait a while and try again."))
            status = 429
        elif form.is_bot():
            # Say nothing useful to a bot; create nothing.
            return redirect("meetings:detail", slug=meeting.slug)
        elif form.is_valid():
            data = form.cleaned_data
            try:
                result = services.registration_create(
                    meeting=meeting,
                    name=data["name"],
                    email=data["email"],
                    phone=data["phone"],
                    organisation=data.get("organisation"),
                    organisation_name=data["organisation_name"],
                    role=data["role"],
                    present_example=data["present_example"],
                    example_description=data["example_description"],
                    needs=data.get("needs", ""),
                    attendance=data.get("attendance", ""),
                    consent=data["consent"],
                    language=translation.get_language(),
                    user=request.user,
                    idempotency_key=data["idempotency_key"],
                    answers=form.answers(),
                    organisation_public=data.get("organisation_public", False),
                )
            except ValidationError as exc:
                if exc.code in CLOSED_STATES:
                    return _closed(request, meeting)
                form.add_error(None, exc)
            else:
                # A short-lived signed receipt instead of a session: no session row per sign-up. A form
                # sent twice gets the receipt the first POST got (it created the registration).
                created = result.created or result.replayed
                receipt = signing.dumps({"r": result.registration.pk, "c": int(created)}, salt=RECEIPT_SALT)
                return redirect(f"{reverse('meetings:registered', kwargs={'slug': meeting.slug})}?kvitto={receipt}")
    context = _meeting_context(_counted(meeting))
    context["form"] = form
    return render(request, "meetings/registration_form.html", context, status=status)


def _meeting_for_post(slug: str) -> Meeting:
    """The meeting a sign-up POST is for, from the page cache's versioned entry: one round trip to the
    cache instead of a query, kept until the meeting (or anything of the meetings' namespace) is
    saved, which moves the version on. A sign-up moves only the registrations' scopes, so the entry
    outlives sign-ups; places are counted by the service under the meeting's lock, never from here.
    A draft or unknown slug is a 404, never kept."""
    return pages.cached(
        "registration-meeting", slug, build=lambda: selectors.meeting_for_registration(slug=slug, counts=False)
    )


# The service's refusals that mean "no sign-up now" rather than "correct the form".
CLOSED_STATES = ("full", "not_open", "closed", "cancelled", "draft")


def _closed(request, meeting: Meeting):
    return render(request, "meetings/registration_closed.html", _meeting_context(_counted(meeting)))


def _counted(meeting: Meeting) -> Meeting:
    """``meeting`` with the counts of its registrations (fetched again when it came without)."""
    if hasattr(meeting, "confirmed_count"):
        return meeting
    return selectors.meeting_for_registration(slug=meeting.slug)


@never_cache
@require_GET
def registration_done(request, slug):
    """The page after signing up. Shows the status, never the online link (the e-mail carries it)."""
    meeting = get_object_or_404(Meeting.objects.visible(), slug=slug)
    try:
        receipt = signing.loads(request.GET.get("kvitto", ""), salt=RECEIPT_SALT, max_age=RECEIPT_MAX_AGE)
    except signing.BadSignature:
        return redirect("meetings:detail", slug=meeting.slug)
    registration = Registration.objects.filter(pk=receipt.get("r"), meeting=meeting).first()
    if registration is None:
        return redirect("meetings:detail", slug=meeting.slug)
    return render(
        request,
        "meetings/registration_done.html",
        {
            "meeting": meeting,
            "registration": registration,
            "created": bool(receipt.get("c")),
            "position": selectors.registration_waitlist_position(registration=registration),
            # The page promises the online link only when the confirmation e-mail carries one.
            "link_in_email": online_link_visible(registration),
        },
    )


def _registration_or_404(token: str) -> Registration:
    registration = registration_from_token(token)
    if registration is None or registration.meeting.status == Meeting.Status.DRAFT:
        raise Http404
    return registration


@never_cache
@require_http_methods(["GET", "POST"])
def registration_manage(request, token):
    registration = _registration_or_404(token)
    meeting = registration.meeting
    editable = registration.is_active and not meeting.is_past and meeting.status == Meeting.Status.PUBLISHED
    form = None
    if editable:
        initial = {
            field: getattr(registration, field)
            for field in (
                "name",
                "phone",
                "organisation_name",
                "role",
                "present_example",
                "example_description",
                "needs",
                "attendance",
            )
        }
        initial["organisation_name"] = registration.organisation_display
        form = RegistrationChangeForm(request.POST or None, meeting=meeting, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.registration_update(registration=registration, **{"needs": "", "attendance": "", **data})
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Your registration has been updated."))
                return redirect("meetings:manage", token=token)
    elif request.method == "POST":
        raise Http404
    position = selectors.registration_waitlist_position(registration=registration)
    return render(
        request,
        "meetings/registration_manage.html",
        {
            "registration": registration,
            "meeting": meeting,
            "form": form,
            "token": token,
            "join_url": registration.get_join_url() if online_link_visible(registration) else "",
            "position": position,
            **_checkin_context(registration),
        },
    )


def _checkin_context(registration: Registration) -> dict:
    """The check-in code and its QR code (SVG) for a confirmed person coming to the venue of a meeting not yet over."""
    if not checkin_shown(registration) or registration.meeting.is_past:
        return {"checkin_code": "", "checkin_qr": ""}
    shown = registration.checkin_code_display
    label = _("QR code of your check-in code %(code)s") % {"code": shown}
    return {"checkin_code": shown, "checkin_qr": qr_svg(registration.checkin_code, label=label)}


@never_cache
@require_http_methods(["GET", "POST"])
def registration_cancel(request, token):
    registration = _registration_or_404(token)
    if not registration.is_active or registration.meeting.is_past:
        return redirect("meetings:manage", token=token)
    if request.method == "POST":
        services.registration_cancel(registration=registration)
        messages.success(request, _("Your registration has been cancelled. Thank you for letting us know."))
        return redirect("meetings:manage", token=token)
    return render(
        request,
        "meetings/registration_cancel.html",
        {"registration": registration, "meeting": registration.meeting, "token": token},
    )


@never_cache
@require_GET
def registration_ics(request, token):
    """The registrant's own .ics: with the online link once they are confirmed."""
    registration = _registration_or_404(token)
    return _personal_ics(registration)


def _personal_ics(registration: Registration) -> HttpResponse:
    """The person's own .ics: with their personal join link (never the meeting's own) once they are confirmed."""
    meeting = registration.meeting
    personal = f"{site_url()}{registration.get_join_url()}" if online_link_visible(registration) else ""
    return _ics_response(build_meeting_ics(meeting, join_url=personal), f"{meeting.slug}.ics")
