"""Reads for the public pages, the open data downloads and "Mina sidor"."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear, Lower
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core import access
from organisations.models import AreaOfActivity, Municipality, Organisation
from organisations.representation import organisations_of
from organisations.search import search_organisations

from .cache import pages
from .models import Action, ActionPlan, Agreement, AgreementVersion, Signatory, WorkingGroupMember
from .permissions import organisations_that_may_sign

SORTS = {
    "name": (Lower("organisation__name"), "id"),
    "-name": (Lower("organisation__name").desc(), "-id"),
    "date": ("signed_on", Lower("organisation__name")),
    "-date": ("-signed_on", Lower("organisation__name")),
}


def agreement_list_public() -> QuerySet[Agreement]:
    return (
        Agreement.objects.public()
        .select_related("replaced_by")
        .annotate(verified_count=Count("signatories", filter=Q(signatories__status=Signatory.Status.VERIFIED)))
    )


def agreement_get_public(*, slug: str) -> Agreement:
    """One public agreement with everything its page shows, in a fixed number of queries."""
    queryset = (
        Agreement.objects.exclude(status=Agreement.Status.DRAFT)
        .select_related("replaced_by")
        .prefetch_related(
            Prefetch("versions", queryset=AgreementVersion.objects.filter(published=True)),
            Prefetch(
                "action_plans",
                queryset=ActionPlan.objects.prefetch_related(
                    Prefetch("actions", queryset=Action.objects.order_by("order", "id"))
                ),
            ),
            Prefetch("working_group", queryset=WorkingGroupMember.objects.order_by("side", "order", "name")),
        )
    )
    return get_object_or_404(queryset, slug=slug)


def signatory_public_list(
    *,
    agreement: Agreement,
    search: str = "",
    municipality: Municipality | None = None,
    area: AreaOfActivity | None = None,
    sort: str = "name",
) -> QuerySet[Signatory]:
    """Verified signatories shown by name, filtered and sorted as on the public list (and its downloads)."""
    queryset = agreement.signatories.listed().select_related("organisation", "organisation__municipality")
    if search:
        queryset = search_organisations(
            queryset, search, name_field="organisation__name", number_field="organisation__organisation_number"
        )
    if municipality:
        queryset = queryset.filter(organisation__municipality=municipality)
    if area:
        queryset = queryset.filter(organisation__areas=area)
    return queryset.order_by(*SORTS.get(sort, SORTS["name"]))


def signatory_filter_options(*, agreement: Agreement) -> tuple[QuerySet[Municipality], QuerySet[AreaOfActivity]]:
    """Municipalities and areas that occur among the listed signatories (for the filter selects).

    Which ones occur is cached per agreement (page version); the querysets then select by primary key.
    """

    def build():
        listed = agreement.signatories.listed()
        return (
            list(
                Municipality.objects.filter(organisations__signatures__in=listed)
                .values_list("pk", flat=True)
                .order_by()
                .distinct()
            ),
            list(
                AreaOfActivity.objects.filter(organisations__signatures__in=listed)
                .values_list("pk", flat=True)
                .order_by()
                .distinct()
            ),
        )

    ids = pages.cached("filter-options", agreement.pk, build=build)
    municipalities = Municipality.objects.filter(pk__in=ids[0]).order_by("name")
    areas = AreaOfActivity.objects.filter(pk__in=ids[1]).order_by("name")
    return municipalities, areas


@dataclass(frozen=True)
class GrowthPoint:
    """One year of the growth table: signed and withdrawn during the year, and the total at its end
    (last year's total + added - withdrawn), so a year with fewer signatories says why."""

    year: int
    count: int
    added: int
    withdrawn: int = 0


def signatory_growth(*, agreement: Agreement, until_year: int | None = None) -> list[GrowthPoint]:
    """Cumulative number of verified signatories at the end of each year, from the first signature.

    A withdrawn signatory counts until the year it withdrew. Two aggregate queries, whatever the size;
    none while the page version and the year are unchanged (cached per agreement).
    """
    last_year = until_year or timezone.localdate().year
    return pages.cached(
        "growth", agreement.pk, last_year, build=lambda: _signatory_growth(agreement=agreement, until_year=last_year)
    )


def _signatory_growth(*, agreement: Agreement, until_year: int) -> list[GrowthPoint]:
    counted = agreement.signatories.ever_verified()
    signed = dict(
        counted.annotate(year=ExtractYear("signed_on"))
        .values("year")
        .annotate(n=Count("id"))
        .values_list("year", "n")
        .order_by()
    )
    withdrawn = dict(
        counted.filter(status=Signatory.Status.WITHDRAWN)
        .annotate(year=ExtractYear("withdrawn_on"))
        .values("year")
        .annotate(n=Count("id"))
        .values_list("year", "n")
        .order_by()
    )
    if not signed:
        return []
    first = min(signed)
    last = max([until_year or timezone.localdate().year, *signed, *withdrawn])
    points, total = [], 0
    for year in range(first, last + 1):
        added, left = signed.get(year, 0), withdrawn.get(year, 0)
        total += added - left
        points.append(GrowthPoint(year=year, count=total, added=added, withdrawn=left))
    return points


def signatory_count(*, agreement: Agreement) -> int:
    return agreement.signatories.verified().count()


def signatures_for_user(*, user) -> QuerySet[Signatory]:
    """Signatures of the organisations the user represents (for "Mina sidor")."""
    return (
        Signatory.objects.filter(organisation__in=organisations_of(user))
        .select_related("agreement", "organisation")
        .order_by("agreement__title", "organisation__name")
    )


def organisations_that_can_sign(*, user) -> QuerySet[Organisation]:
    """Verified organisations the user represents."""
    return organisations_that_may_sign(user).order_by("name")


def organisations_unsigned(*, user, agreement: Agreement) -> QuerySet[Organisation]:
    """The user's organisations that can sign and have no pending or verified signature of ``agreement``."""
    return organisations_that_can_sign(user=user).exclude(
        signatures__agreement=agreement, signatures__status__in=[Signatory.Status.PENDING, Signatory.Status.VERIFIED]
    )


def agreement_in_force_latest() -> Agreement | None:
    """The agreement in force that the home page presents (the most recently adopted)."""
    return Agreement.objects.in_force().order_by("-adopted_on").first()


def agreements_to_sign(*, user, signatures: list[Signatory]) -> list[Agreement]:
    """Agreements in force that at least one of the user's organisations has not signed (withdrawn counts as not)."""
    organisations = list(organisations_that_can_sign(user=user))
    if not organisations:
        return []
    signed = {(s.agreement_id, s.organisation_id) for s in signatures if s.status != Signatory.Status.WITHDRAWN}
    return [a for a in Agreement.objects.in_force() if any((a.pk, o.pk) not in signed for o in organisations)]


def signatory_of_representative(*, user, slug: str, pk: int) -> Signatory:
    """A signature of ``agreement`` (by slug) of an organisation the user represents, or 404."""
    return get_object_or_404(
        Signatory.objects.select_related("agreement", "organisation"),
        pk=pk,
        agreement__slug=slug,
        organisation__in=organisations_of(user),
    )


def versions_comparable(*, agreement: Agreement, user) -> list[AgreementVersion]:
    """The versions of ``agreement`` whose text may be compared by ``user``: the published ones with a
    text; coordinators (with the second factor) also see those being drafted."""
    queryset = AgreementVersion.objects.filter(agreement=agreement).exclude(text="").order_by("number")
    if not access.is_staff_with_second_factor(user, "agreements.view_agreement"):
        queryset = queryset.filter(published=True)
    return list(queryset)


def version_current(*, agreement: Agreement) -> AgreementVersion | None:
    """The newest published version with a text: the one a signature signs."""
    return agreement.versions.filter(published=True).exclude(text="").order_by("-number").first()


def agreement_get_for_comparison(*, slug: str) -> Agreement:
    """A public agreement (not a draft) for the comparison of its versions, or 404."""
    return get_object_or_404(Agreement.objects.exclude(status=Agreement.Status.DRAFT), slug=slug)


def signatures_of_organisation_public(*, organisation: Organisation) -> list[Signatory]:
    """The organisation's signatures as the public list shows them (verified, listed by name), of
    agreements that are not drafts, newest first: one query."""
    return list(
        Signatory.objects.listed()
        .filter(organisation=organisation)
        .exclude(agreement__status=Agreement.Status.DRAFT)
        .select_related("agreement")
        .order_by("-signed_on", "agreement__title")
    )
