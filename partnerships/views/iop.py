"""The public register of idea-based public partnerships (IOP) and their agreements."""

from django.shortcuts import get_object_or_404, render

from core import access

from .. import selectors
from ..cache import pages
from ..models import Partnership

LIST_PARAMS = ("status",)


def partnership_list(request):
    """Partnerships in force first, then ended ones; cached whole per language."""

    def build(request):
        status = request.GET.get("status") or ""
        if status not in (Partnership.Status.IN_FORCE, Partnership.Status.ENDED):
            status = ""
        items = list(selectors.partnerships_public(status=status))
        context = {
            "in_force": [p for p in items if p.status == Partnership.Status.IN_FORCE],
            "ended": [p for p in items if p.status == Partnership.Status.ENDED],
            "status": status,
            "total_contribution": sum(p.region_contribution for p in items if p.status == Partnership.Status.IN_FORCE),
        }
        return render(request, "partnerships/partnership_list.html", context)

    return pages.cached_page(request, page="iop-list", params=LIST_PARAMS, build=build)


def partnership_detail(request, slug):
    partnership = selectors.partnership_get_public(slug=slug)
    context = {
        "partnership": partnership,
        "organisations": list(partnership.organisations.order_by("name")),
        "challenges": list(partnership.challenges.public()),
        "actions": list(partnership.actions.select_related("action_plan")),
        "follow_ups": list(partnership.follow_ups.all()),
    }
    return render(request, "partnerships/partnership_detail.html", context)


def agreement_document(request, slug):
    """The signed agreement: public with the partnership; one being prepared only through the draft gate."""
    partnership = get_object_or_404(Partnership, slug=slug)
    return access.private_file_response(
        request,
        partnership.agreement_document,
        public=partnership.status != Partnership.Status.PREPARING,
        permission="partnerships.view_partnership",
        filename=f"{slug}-overenskommelse.pdf",
    )
