"""Reads for the public pages, the slots and Mina sidor. Public reads show only what the region
publishes: calls that are not drafts, announced grants (organisation, amount, purpose, year, area) and
partnerships that are not being prepared; never a person."""

import datetime as dt

from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear
from django.shortcuts import get_object_or_404
from django.utils import timezone

from organisations.models import AreaOfActivity
from organisations.representation import organisations_of

from .models import Application, Decision, GrantCall, Partnership


def calls_public():
    """Open calls first (the deadline nearest first), then the others, newest first."""
    now = timezone.now()
    calls = list(GrantCall.objects.public().select_related("area").order_by("-closes_at", "title"))
    open_calls = sorted((c for c in calls if c.is_open(now)), key=lambda c: c.closes_at)
    return open_calls, [c for c in calls if not c.is_open(now)]


def call_get_public(*, slug: str) -> GrantCall:
    return get_object_or_404(GrantCall.objects.public().select_related("area"), slug=slug)


def grants_public(*, year: int | None = None, area: AreaOfActivity | None = None):
    """Announced grants, newest first, filtered by the year of the decision and the call's area."""
    grants = (
        Decision.objects.public_grants()
        .select_related("application__organisation", "application__call__area")
        .annotate(year=ExtractYear("decided_at"))
        .order_by("-decided_at", "application__organisation__name")
    )
    if year:
        grants = grants.filter(decided_at__year=year)
    if area is not None:
        grants = grants.filter(application__call__area=area)
    return grants


def grant_totals(grants) -> dict:
    """The number of grants and their sum, for the filtered list."""
    totals = grants.aggregate(count=Count("pk"), amount=Sum("amount"))
    return {"count": totals["count"] or 0, "amount": totals["amount"] or 0}


def grant_totals_by_year(grants) -> list[dict]:
    return list(
        grants.order_by()
        .values("decided_at__year")
        .annotate(count=Count("pk"), amount=Sum("amount"))
        .order_by("-decided_at__year")
    )


def grant_years() -> list[int]:
    years = Decision.objects.public_grants().dates("decided_at", "year", order="DESC")
    return [d.year for d in years]


def grant_areas():
    """Areas of the calls that have announced grants (the filter's choices)."""
    ids = Decision.objects.public_grants().values("application__call__area")
    return AreaOfActivity.objects.filter(pk__in=ids).order_by("pk")


def partnerships_public(*, status: str = ""):
    items = Partnership.objects.public().prefetch_related("organisations").select_related("area")
    if status:
        items = items.filter(status=status)
    return items


def partnership_get_public(*, slug: str) -> Partnership:
    queryset = Partnership.objects.public().prefetch_related("organisations", "follow_ups", "actions")
    return get_object_or_404(queryset, slug=slug)


def mypages_context(request) -> dict:
    """The applications and reports of the organisations the visitor represents."""
    user = request.user
    organisations = organisations_of(user)
    applications = (
        Application.objects.filter(organisation__in=organisations)
        .select_related("call", "organisation", "decision", "report")
        .order_by("-created_at")
    )
    return {"grant_applications": list(applications)}


def organisation_grants(*, organisation):
    return grants_public().filter(application__organisation=organisation)


def challenge_links(*, challenge) -> dict:
    """The public partnerships linked to a challenge and the announced grants of calls linked to it."""
    partnerships = list(Partnership.objects.public().filter(challenges=challenge).prefetch_related("organisations"))
    grants = list(grants_public().filter(application__call__challenges=challenge))
    return {"partnerships": partnerships, "grants": grants}


def partnerships_missing_follow_up(year: int, partnerships=None):
    """Of ``partnerships`` (all by default), those in force during some of ``year`` (not one still being
    prepared) with no yearly follow-up for it: written early the next year, so the admin's start page counts
    last year's."""
    partnerships = Partnership.objects.all() if partnerships is None else partnerships
    return (
        partnerships.exclude(status=Partnership.Status.PREPARING)
        .filter(starts_on__lte=dt.date(year, 12, 31), ends_on__gte=dt.date(year, 1, 1))
        .exclude(follow_ups__year=year)
    )
