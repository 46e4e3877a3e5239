"""Reads for the meeting pages: counts annotated and programme prefetched, so page queries stay constant."""

from datetime import timedelta

from django.db.models import F, Prefetch, Q, Window
from django.db.models.functions import RowNumber
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core.pagecache import VersionedCache
from core.registry import portal
from organisations.search import Folded, fold

from .models import Meeting, ProgrammeItem, Registration, Topic

PAGE_TIMEOUT = 60  # seconds: the backstop for what time alone changes (a meeting moving to the archive)
FEED_TIMEOUT = 300

# The cached public meeting pages (core.pagecache). Two kinds of change: content (a meeting, its
# programme or documents: every page and the feed; ``pages.bump()``) and registrations (the counts:
# the list and that meeting's page, never the feed; ``pages.bump(*registration_scopes(...))``).
# The meeting pages carry other apps' parts (``portal.slot("meetings:detail", ...)``): they follow
# the caches those parts name, so a write there shows here at once.
pages = VersionedCache("meetings", timeout=PAGE_TIMEOUT, follows=lambda: portal.slot_caches("meetings"))
REGISTRATIONS_SCOPE = "registrations"


def meeting_scope(slug: str) -> str:
    return f"meeting:{slug}"


def registration_scopes(registration: Registration) -> tuple[str, str]:
    """What a change of places taken moves on: the list's counts and that meeting's page (everything,
    when the meeting itself is gone: deleted along with its registrations)."""
    try:
        return REGISTRATIONS_SCOPE, meeting_scope(registration.meeting.slug)
    except Meeting.DoesNotExist:
        return ()


def _filtered(queryset, *, search: str = "", topic=None, area=None):
    """Meetings whose title, summary or description contains ``search`` (accents and case ignored),
    of a topic and of an area of activity."""
    search = (search or "").strip()
    if search:
        term = fold(search)
        queryset = queryset.alias(
            _title=Folded("title"), _summary=Folded("summary"), _description=Folded("description")
        ).filter(Q(_title__contains=term) | Q(_summary__contains=term) | Q(_description__contains=term))
    if topic is not None:
        queryset = queryset.filter(topics=topic)
    if area is not None:
        queryset = queryset.filter(areas=area)
    return queryset


def meetings_upcoming(
    *,
    now=None,
    limit: int | None = None,
    include_cancelled: bool = True,
    counts: bool = True,
    search: str = "",
    topic=None,
    area=None,
):
    """Meetings that have not ended, soonest first, with their counts unless not wanted; cancelled
    ones (marked as such) unless excluded; searched and filtered by topic and area when asked."""
    qs = Meeting.objects.visible() if include_cancelled else Meeting.objects.published()
    qs = _filtered(qs.upcoming(now), search=search, topic=topic, area=area)
    if counts:
        qs = qs.with_counts()
    qs = qs.prefetch_related("topics")
    return qs[:limit] if limit else qs


def registration_waitlist_position(*, registration: Registration) -> int | None:
    """Place in the waitlist (1 is next in line), by sign-up time then id; None when not waitlisted."""
    if registration.status != Registration.Status.WAITLISTED:
        return None
    return (
        Registration.objects.filter(
            meeting_id=registration.meeting_id,
            status=Registration.Status.WAITLISTED,
            created_at__lte=registration.created_at,
        )
        .exclude(created_at=registration.created_at, pk__gt=registration.pk)
        .count()
    )


def waitlist_positions(*, registrations) -> dict[int, int]:
    """Place in the waitlist of each waitlisted registration among ``registrations`` (id → 1, 2, …), in the
    order of ``registration_waitlist_position``; one query for any number of meetings (Mina sidor)."""
    meeting_ids = {r.meeting_id for r in registrations if r.status == Registration.Status.WAITLISTED}
    if not meeting_ids:
        return {}
    wanted = {r.pk for r in registrations if r.status == Registration.Status.WAITLISTED}
    ranked = (
        Registration.objects.filter(meeting_id__in=meeting_ids, status=Registration.Status.WAITLISTED)
        .annotate(
            position=Window(
                RowNumber(), partition_by=[F("meeting_id")], order_by=[F("created_at").asc(), F("pk").asc()]
            )
        )
        .values_list("pk", "position")
    )
    return {pk: position for pk, position in ranked if pk in wanted}


def meetings_archive(*, now=None, search: str = "", topic=None, area=None):
    qs = _filtered(Meeting.objects.visible().past(now), search=search, topic=topic, area=area)
    return qs.prefetch_related("documents", "topics")


def topic_options() -> list[Topic]:
    """Topics that have a published or cancelled meeting (the list's filter)."""
    return list(Topic.objects.filter(meetings__in=Meeting.objects.visible()).distinct().order_by("name"))


def area_options():
    """Areas of activity that have a published or cancelled meeting (the list's filter)."""
    from organisations.models import AreaOfActivity

    return list(AreaOfActivity.objects.filter(meetings__in=Meeting.objects.visible()).distinct().order_by("name"))


def meetings_for_syndication(*, limit: int = 50):
    """The RSS/Atom feed: the newest published meetings first (by when they start), upcoming and recent."""
    return Meeting.objects.published().order_by("-start").prefetch_related("topics")[:limit]


def meeting_public_detail(*, slug: str) -> Meeting:
    """A published or cancelled meeting with its programme, speakers and documents; drafts are 404."""
    programme = ProgrammeItem.objects.prefetch_related("speakers")
    meeting = get_object_or_404(
        Meeting.objects.visible()
        .with_counts()
        .prefetch_related(Prefetch("programme_items", queryset=programme), "documents", "topics"),
        slug=slug,
    )
    meeting.participating_organisations = participating_organisations(meeting)
    return meeting


def participating_organisations(meeting: Meeting) -> list[str]:
    """After the meeting: the organisations that took part (attended) and consented, when registering,
    to be named; each once, by name. Never a person's name."""
    if not meeting.is_past:
        return []
    rows = (
        meeting.registrations.filter(status=Registration.Status.CONFIRMED, attended=True, organisation_public=True)
        .select_related("organisation")
        .only("organisation__name", "organisation_name")
    )
    names = {(r.organisation.name if r.organisation_id else r.organisation_name).strip() for r in rows}
    return sorted((name for name in names if name), key=str.casefold)


def meeting_for_registration(*, slug: str, counts: bool = True) -> Meeting:
    """The meeting a sign-up is for, with the counts of its registrations unless ``counts`` is off:
    counting reads every registration of the meeting, which a sign-up for a meeting without a
    capacity limit does not need."""
    queryset = Meeting.objects.visible().prefetch_related("questions")  # the form's questions, kept with it
    return get_object_or_404(queryset.with_counts() if counts else queryset, slug=slug)


def registrations_for_user(*, user):
    """A logged-in person's registrations: made while logged in, or with one of their verified addresses."""
    if not user.is_authenticated:
        return Registration.objects.none()
    from allauth.account.models import EmailAddress

    emails = [e.lower() for e in EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)]
    query = Q(user=user)
    if emails:
        query |= Q(email__in=emails)
    return (
        Registration.objects.filter(query)
        .exclude(status=Registration.Status.CANCELLED)
        .exclude(meeting__status=Meeting.Status.DRAFT)
        .select_related("meeting")
        .order_by("-meeting__start")
    )


def meetings_for_feed(*, now=None):
    """The calendar feed: every upcoming meeting and those of the last year (calendars want no more)."""
    now = now or timezone.now()
    return Meeting.objects.visible().filter(end__gte=now - timedelta(days=365)).order_by("start")
