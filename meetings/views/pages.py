"""The public meeting pages: the list, a meeting, its documents, its calendar file and the feed."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.core.validators import slug_re
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from core import access
from core.translated import translated

from .. import selectors
from ..calendar import meeting_ics as build_meeting_ics
from ..calendar import meetings_feed_ics
from ..models import Meeting, MeetingDocument
from ..selectors import FEED_TIMEOUT, REGISTRATIONS_SCOPE, meeting_scope, pages


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

    from ..models import Topic

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
        keep=lambda context: {
            "title": str(translated(context["meeting"], "title")),
            "summary": str(translated(context["meeting"], "summary")),
        },
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
