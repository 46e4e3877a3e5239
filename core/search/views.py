"""The search page (``/sok/``): cached whole for anonymous visitors like the other public pages, per
language, region (the cache key carries the host's region) and the parameters it reads, in canonical
order; it follows the page-cache versions of every searchable kind, so a publication shows at once."""

from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from core.pagecache import VersionedCache
from core.registry import portal

from .forms import SearchForm
from .results import search as run_search

PARAMS = ("q", "kind", "area", "municipality", "when", "from_date", "to_date", "page")
# The time filter ("upcoming") moves by time alone: a minute at most.
pages = VersionedCache("search", timeout=60, follows=lambda: portal.searchable_caches())


@require_GET
def search(request):
    return pages.cached_page(request, page="search", params=PARAMS, build=_search_page)


def _search_page(request):
    form = SearchForm(request.GET or None)
    query = form.query()
    kept = {name: value for name, value in request.GET.items() if name in PARAMS and name != "page" and value}
    context = {
        "form": form,
        "query": query,
        "groups": run_search(query, page_number=request.GET.get("page")) if query else [],
        "querystring": urlencode(kept),
        "overview_querystring": urlencode({k: v for k, v in kept.items() if k != "kind"}),
        "clear_querystring": urlencode({"q": kept["q"]}) if "q" in kept else "",
        "filtered": any(name in kept for name in PARAMS if name not in ("q", "page")),
    }
    return render(request, "core/search.html", context)
