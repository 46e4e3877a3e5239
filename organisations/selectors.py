"""Reads of organisations that depend on who asks."""

from django.db.models import Case, Exists, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.db.models.lookups import IContains

from core.links import region_name
from core.models import in_active_language

from .cache import pages
from .models import AreaOfActivity, Municipality, Organisation
from .permissions import can_see
from .representation import organisations_of


def organisation_directory_queryset() -> QuerySet[Organisation]:
    """Organisations in the public directory, with what the list shows in a constant number of queries."""
    return (
        Organisation.objects.public()
        .select_related("municipality")
        .prefetch_related(Prefetch("areas", queryset=AreaOfActivity.objects.order_by("name")))
        .order_by(_partner_regions_last(), "name", "pk")
    )


def _partner_regions_last():
    """The region's own organisations first, those in a municipality of another county after them (the demo
    shows Västra Götaland's signatories as a partner region's). A county is the region's own when the name
    of the region in force names it ("Region Västernorrland" names "Västernorrland"); an organisation without
    a municipality or county counts as the region's own; when no county is recognised nothing is reordered.
    All in SQL, so building the queryset reads nothing (the API schema builds it without a database)."""
    own_region = Value(region_name())
    home_known = Exists(Municipality.objects.filter(IContains(own_region, F("county"))).exclude(county=""))
    return Case(
        When(~home_known, then=Value(0)),
        When(Q(municipality__isnull=True) | Q(municipality__county=""), then=Value(0)),
        When(IContains(own_region, F("municipality__county")), then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )


def organisation_public_count() -> int:
    """How many organisations the directory lists (the home page); cached until one changes."""
    return pages.cached("count", build=lambda: Organisation.objects.public().count())


def municipality_options() -> list[tuple[int, str]]:
    """(pk, name) of every municipality for the directory's filter; cached until one changes."""
    return _options("municipalities", Municipality.objects.order_by("name"))


def area_options() -> list[tuple[int, str]]:
    """(pk, name) of every area of activity for the directory's filter, in the reader's language;
    cached per language until one changes."""
    from django.utils.translation import get_language

    english = (get_language() or "sv").startswith("en")

    def build():
        rows = AreaOfActivity.objects.values_list("pk", "name", "name_en")
        options = [(pk, in_active_language(name, name_en)) for pk, name, name_en in rows]
        return sorted(options, key=lambda option: option[1].casefold())

    return pages.cached("options", "areas", "en" if english else "sv", build=build)


def _options(name: str, queryset: QuerySet) -> list[tuple[int, str]]:
    return pages.cached("options", name, build=lambda: list(queryset.values_list("pk", "name")))


def organisation_for_detail(*, slug: str, user) -> Organisation | None:
    """A public organisation, or any organisation for its own representatives and for coordinators with
    the second factor (core.access)."""
    qs = Organisation.objects.select_related("municipality").prefetch_related("areas")
    organisation = qs.filter(slug=slug).first()
    if organisation is None:
        return None
    return organisation if can_see(user, organisation) else None


def organisations_for_user(*, user) -> QuerySet[Organisation]:
    """The organisations a user represents (for "My pages")."""
    return organisations_of(user).select_related("municipality").order_by("name")
