"""Public meeting pages, the sign-up form and the registrant's own manage page.

The online link of a digital meeting appears only on the manage page of a confirmed person
(reached through the signed link in their e-mail), never on a public page.
"""

import re
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import slug_re
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.decorators import ratelimit

from accounts.decorators import staff_required
from core import access
from core.links import site_url

from . import selectors, services
from .calendar import meeting_ics as build_meeting_ics
from .calendar import meetings_feed_ics
from .forms import CheckInForm, EvaluationForm, RegistrationChangeForm, RegistrationForm
from .models import Meeting, MeetingDocument, Registration
from .permissions import join_window, online_link_visible
from .qr import qr_svg
from .selectors import FEED_TIMEOUT, REGISTRATIONS_SCOPE, meeting_scope, pages
from .services.common import checkin_shown
from .tokens import registration_from_token

RECEIPT_SALT = "meetings.registration.receipt"
RECEIPT_MAX_AGE = 3600  # seconds: the page after signing up, not a lasting link


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


PER_PAGE = 20


def _page_number(request, name: str) -> int:
    try:
        return max(1, int(request.GET.get(name, 1)))
    except ValueError:
        return 1


FILTER_PARAMS = ("q", "amne", "omrade")
PAGE_PARAMS = ("sida", "arkiv")  # read by the view (numbers), not by the page's filters
SEARCH_MAX = 100


def _slug_or_empty(value: str) -> str:
    return value if len(value) <= 100 and slug_re.match(value) else ""


def _list_filters(request) -> dict:
    """The list's search and filters from the query: the search term (at most 100 characters,
    no control characters) and the topic and area by slug (unknown slugs are ignored, and so is
    anything that is not a slug: a NUL byte would be a database error on PostgreSQL)."""
    from organisations.models import AreaOfActivity

    from .models import Topic

    search = "".join(ch for ch in request.GET.get("q", "") if ch.isprintable())[:SEARCH_MAX].strip()
    topic_slug = _slug_or_empty(request.GET.get("amne", ""))
    area_slug = _slug_or_empty(request.GET.get("omrade", ""))
    topic = Topic.objects.filter(slug=topic_slug).first() if topic_slug else None
    area = AreaOfActivity.objects.filter(slug=area_slug).first() if area_slug else None
    return {"search": search, "topic": topic, "area": area}


@require_GET
def meeting_list(request):
    """Upcoming meetings, then the archive, searched and filtered by topic and area; the page
    (anonymous) or the lists (logged in) are cached until something changes, per the filters and the
    two page numbers (as numbers: ``?sida=01`` is ``?sida=1``)."""
    numbers = _page_number(request, "sida"), _page_number(request, "arkiv")
    # The fast path may alias ``?sida=2`` (as the page's own links write it) to the page's entry.
    written = all(request.GET.getlist(name) in ([], [str(n)]) for name, n in zip(PAGE_PARAMS, numbers, strict=True))
    return pages.cached_page(
        request,
        page="list",
        params=FILTER_PARAMS,
        parts=numbers,
        scopes=[REGISTRATIONS_SCOPE],
        build=lambda request: _meeting_list_page(request, *numbers),
        read_in_parts=PAGE_PARAMS if written else (),
    )


def _meeting_list_page(request, upcoming_number: int, archive_number: int):
    filters = _list_filters(request)

    def build():
        now = timezone.now()
        upcoming = selectors.meetings_upcoming(now=now, **filters)
        archive = selectors.meetings_archive(now=now, **filters)
        query = {
            key: value
            for key, value in (
                ("q", filters["search"]),
                ("amne", filters["topic"].slug if filters["topic"] else ""),
                ("omrade", filters["area"].slug if filters["area"] else ""),
            )
            if value
        }
        context = {
            "upcoming_page": Paginator(upcoming, PER_PAGE).get_page(upcoming_number),
            "archive_page": Paginator(archive, PER_PAGE).get_page(archive_number),
            "filters": filters,
            "is_filtered": bool(query),
            "filter_query": urlencode(query) + "&" if query else "",
            "topics": selectors.topic_options(),
            "areas": selectors.area_options(),
            "search_max": SEARCH_MAX,
        }
        return context

    return pages.render(
        request,
        "meetings/meeting_list.html",
        page="list",
        params=FILTER_PARAMS,
        parts=[upcoming_number, archive_number],
        scopes=[REGISTRATIONS_SCOPE],
        body="meetings/_list_body.html",
        build=build,
    )


@require_GET
def meeting_detail(request, slug):
    """The public page of a meeting (never the online link); cached until something changes."""
    return pages.cached_page(
        request,
        page="detail",
        parts=[slug],
        scopes=[meeting_scope(slug)],
        build=lambda request: _meeting_detail_page(request, slug),
    )


def _meeting_detail_page(request, slug):
    return pages.render(
        request,
        "meetings/meeting_detail.html",
        page="detail",
        parts=[slug],
        scopes=[meeting_scope(slug)],
        body="meetings/_detail_body.html",
        build=lambda: _meeting_context(selectors.meeting_public_detail(slug=slug)),
        keep=lambda context: {"title": context["meeting"].title, "summary": context["meeting"].summary},
    )


def _meeting_context(meeting: Meeting) -> dict:
    confirmed = meeting.confirmed_count
    places_left = meeting.places_left(confirmed)
    context = {
        "meeting": meeting,
        "state": meeting.registration_state(confirmed=confirmed),
        "places_left": places_left,
        "is_past": meeting.is_past,
    }
    if meeting.capacity:
        context["fill_percent"] = min(100, round(100 * confirmed / meeting.capacity))
    return context


@require_GET
def meeting_document(request, slug, pk):
    """A meeting's uploaded document, with the meeting page's rules: anyone for a published or cancelled
    meeting; a draft's documents only for staff with the second factor (the draft gate, core.access)."""
    document = get_object_or_404(
        MeetingDocument.objects.select_related("meeting").exclude(file=""), pk=pk, meeting__slug=slug
    )
    return access.private_file_response(
        request,
        document.file,
        public=document.meeting.status != Meeting.Status.DRAFT,
        permission="meetings.view_meeting",
        filename=slugify(document.title) or f"dokument-{document.pk}",
    )


@require_GET
def meeting_ics(request, slug):
    meeting = get_object_or_404(Meeting.objects.visible(), slug=slug)
    return _ics_response(build_meeting_ics(meeting), f"{meeting.slug}.ics")


@require_GET
def meeting_feed(request):
    return pages.cached_download(
        request,
        page="feed",
        build=lambda: meetings_feed_ics(selectors.meetings_for_feed()),
        respond=_feed_response,
        timeout=FEED_TIMEOUT,
    )


def _feed_response(content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="moten.ics"'
    return response


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
@require_GET
def registration_join(request, slug, token):
    """The personal join link (``/moten/<slug>/delta/<token>/``) of a confirmed participant.

    Before the window (30 minutes before the start): a waiting page with the time and a calendar file.
    In the window: the first visit records attendance (one UPDATE that only the first wins, however
    many clicks and devices), then a redirect to the meeting's own link. After the end: the
    documentation, or a page saying it will come. Any other token, or the token of a cancelled or
    waitlisted registration: a page that says so, nothing recorded, no link."""
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
    services.registration_record_join(registration=registration, now=now)
    response = redirect(meeting.online_link)
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
