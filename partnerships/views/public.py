"""The public grant pages: calls, and the grants the region has decided (only what it publishes)."""

import re

from django.shortcuts import render

from core.forms import parse_year
from organisations.models import AreaOfActivity

from .. import selectors
from ..cache import pages

GRANT_PARAMS = ("ar", "omrade")
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,100}")


def call_list(request):
    """Open calls, then earlier ones; cached whole per language (the open ones' deadlines bound it)."""
    shown = {}

    def build(request):
        open_calls, other_calls = selectors.calls_public()
        shown["until"] = min((c.closes_at for c in open_calls), default=None)
        return render(request, "partnerships/call_list.html", {"open_calls": open_calls, "other_calls": other_calls})

    return pages.cached_page(request, page="calls", build=build, valid_until=lambda: shown.get("until"))


def call_detail(request, slug):
    call = selectors.call_get_public(slug=slug)
    context = {
        "call": call,
        "criteria": list(call.criteria.all()),
        "questions": list(call.questions.all()),
        "is_open": call.is_open(),
    }
    return render(request, "partnerships/call_detail.html", context)


def _year(value) -> int | None:
    """A year the filter can take, else no filter: "0001" is none (year 1 in Stockholm is before year 1
    in UTC, which Python's datetime cannot hold)."""
    return parse_year(value)


def grant_list(request):
    """Decided grants: organisation, amount, purpose, year and area, filtered by year and area, with totals."""

    def build(request):
        year = _year(request.GET.get("ar"))
        slug = request.GET.get("omrade") or ""
        area = AreaOfActivity.objects.filter(slug=slug).first() if SLUG.fullmatch(slug) else None
        grants = selectors.grants_public(year=year, area=area)
        context = {
            "grants": list(grants),
            "totals": selectors.grant_totals(grants),
            "by_year": selectors.grant_totals_by_year(grants),
            "years": selectors.grant_years(),
            "areas": list(selectors.grant_areas()),
            "year": year,
            "area": area,
        }
        return render(request, "partnerships/grant_list.html", context)

    return pages.cached_page(request, page="grants", params=GRANT_PARAMS, build=build)
