"""Reads for the challenge pages: what a visitor may see, with everything prefetched so the page
queries stay constant whatever the number of rows."""

from django.db.models import Case, IntegerField, Prefetch, Q, Value, When
from django.http import Http404

from meetings.models import Meeting, ProgrammeItem
from organisations.models import AreaOfActivity, Municipality, Organisation
from organisations.representation import organisations_of

from . import permissions
from .models import Challenge, Participation, Update


def _public_organisations():
    return Organisation.objects.public()


def challenge_list_public(*, q: str = "", status: str = "", area=None, municipality=None, raised_by: str = ""):
    qs = Challenge.objects.public()
    if q:
        qs = qs.filter(
            Q(title__icontains=q) | Q(summary__icontains=q) | Q(description__icontains=q) | Q(case_number__icontains=q)
        )
    if status:
        qs = qs.filter(status=status)
    if area is not None:
        qs = qs.filter(areas=area)
    if municipality is not None:
        qs = qs.filter(municipalities=municipality)
    if raised_by:
        qs = qs.filter(raised_by=raised_by)
    order = Case(
        When(status=Challenge.Status.IN_PROGRESS, then=Value(0)),
        When(status=Challenge.Status.ACCEPTED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        qs.select_related("raising_organisation")
        .prefetch_related("areas", "municipalities")
        .annotate(status_order=order)
        .order_by("status_order", "-accepted_at", "-pk")
        .distinct()
    )


def filter_options() -> dict:
    """Areas and municipalities that some public challenge concerns (empty filters are not offered)."""
    public = Challenge.objects.public()
    return {
        "areas": list(AreaOfActivity.objects.filter(challenges__in=public).distinct().order_by("name")),
        "municipalities": list(Municipality.objects.filter(challenges__in=public).distinct().order_by("name")),
    }


def challenge_for_detail(*, slug: str, user) -> Challenge:
    """The challenge with all it shows; 404 for anyone who may not see it (no hint that it exists)."""
    participations = Participation.objects.select_related("organisation").order_by("role", "organisation__name")
    meetings = (
        Meeting.objects.visible()
        .with_counts()
        .prefetch_related(
            "documents", Prefetch("programme_items", queryset=ProgrammeItem.objects.prefetch_related("speakers"))
        )
        .order_by("start")
    )
    challenge = (
        Challenge.objects.select_related("raising_organisation")
        .prefetch_related(
            "areas",
            "municipalities",
            "documents",
            "programme_items",
            Prefetch("participations", queryset=participations),
            Prefetch("updates", queryset=Update.objects.order_by("-date", "-pk")),
            Prefetch("meetings", queryset=meetings),
            "actions__action_plan",
        )
        .filter(slug=slug)
        .first()
    )
    if challenge is None or not permissions.can_see(user, challenge):
        raise Http404
    return challenge


def public_participations(challenge: Challenge) -> tuple[list[Participation], int]:
    """Participations shown publicly (organisations listed in the directory) and how many others take part."""
    shown, hidden = [], 0
    for participation in challenge.participations.all():
        org = participation.organisation
        if org.status == Organisation.Status.VERIFIED and org.public_listing:
            shown.append(participation)
        else:
            hidden += 1
    return shown, hidden


def challenges_in_focus(*, limit: int = 3) -> list[Challenge]:
    qs = Challenge.objects.public().exclude(status=Challenge.Status.CONCLUDED)
    return list(qs.order_by("-in_focus", "-accepted_at", "-pk")[:limit])


def challenges_for_meeting(*, meeting) -> list[Challenge]:
    return list(Challenge.objects.public().filter(meetings=meeting).order_by("title"))


def challenges_for_organisation(*, organisation) -> list[Participation]:
    return list(
        Participation.objects.filter(organisation=organisation, challenge__in=Challenge.objects.public())
        .select_related("challenge")
        .order_by("challenge__title")
    )


def challenges_for_user(*, user) -> list[Participation]:
    """Mina sidor: every challenge (of any status) the user's organisations raised or take part in."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Participation.objects.filter(organisation__in=organisations_of(user))
        .select_related("challenge", "organisation")
        .order_by("-challenge__created_at", "organisation__name")
    )


def mypages_context(request) -> dict:
    from .forms import EmailPreferenceForm
    from .services import email_preference_get

    user = request.user
    if not user.is_authenticated:
        return {}
    return {
        "challenge_participations": challenges_for_user(user=user),
        "challenge_preference_form": EmailPreferenceForm(initial={"updates": email_preference_get(user=user)}),
    }
