"""The public comparison of two versions of an agreement's text (``/overenskommelser/<slug>/versioner/``)."""

from django.shortcuts import render

from . import comparison, selectors
from .cache import pages
from .forms import VersionCompareForm

COMPARE_PARAMS = ("fran", "till")


def version_compare(request, slug):
    """What changed between two versions, section by section; a GET form chooses them (no script).
    Cached per the two versions asked for until something changes; a bad choice is a 400 with the form."""
    return pages.cached_page(
        request,
        page="versions",
        params=COMPARE_PARAMS,
        parts=[slug],
        build=lambda request: _version_compare_page(request, slug),
    )


def _version_compare_page(request, slug):
    agreement = selectors.agreement_get_for_comparison(slug=slug)
    versions = selectors.versions_comparable(agreement=agreement, user=request.user)
    form = VersionCompareForm(request.GET, versions=versions)
    context = {"agreement": agreement, "versions": versions, "form": form, "changes": None}
    status = 200
    if len(versions) > 1:
        if form.is_valid():
            older, newer = form.chosen()
            changes = comparison.compare(older.text, newer.text)
            context.update(
                older=older,
                newer=newer,
                changes=changes,
                changed_count=sum(1 for change in changes if change.is_changed),
            )
        else:
            status = 400
    return render(request, "agreements/version_compare.html", context, status=status)
