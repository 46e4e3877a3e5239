"""The open data API's grants and partnerships (see api/registry.py)."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from api.conventions import PublicViewSet
from api.registry import api
from challenges.models import Challenge

from .models import Decision, GrantCall, Partnership
from .serializers import GrantCallSerializer, GrantSerializer, PartnershipSerializer


class GrantCallViewSet(PublicViewSet):
    """``/api/v1/grant-calls/``."""

    api_description = _("Calls for grants to civil society organisations.")
    serializer_class = GrantCallSerializer
    cache_namespaces = ("partnerships",)

    def get_queryset(self):
        return GrantCall.objects.public().select_related("area").prefetch_related("criteria").order_by("-closes_at")


class GrantViewSet(PublicViewSet):
    """``/api/v1/grants/``: announced grants."""

    api_description = _("The grants the region has decided: organisation, amount, purpose and year.")
    serializer_class = GrantSerializer
    cache_namespaces = ("partnerships",)
    modified_field = "decided_at"
    lookup_field = "pk"
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return (
            Decision.objects.public_grants()
            .select_related("application__organisation", "application__call__area")
            .order_by("-decided_at", "pk")
        )


class PartnershipViewSet(PublicViewSet):
    """``/api/v1/partnerships/``."""

    api_description = _("Idea-based public partnerships (IOP) between the region and organisations.")
    serializer_class = PartnershipSerializer
    cache_namespaces = ("partnerships",)

    def get_queryset(self):
        return Partnership.objects.public().prefetch_related(
            "organisations", Prefetch("challenges", queryset=Challenge.objects.order_by("title"))
        )


api.register("grant-calls", GrantCallViewSet, basename="grant-call")
api.register("grants", GrantViewSet, basename="grant")
api.register("partnerships", PartnershipViewSet, basename="partnership")
api.dataset(
    "grants",
    title={"sv": "Bidrag till civilsamhället", "en": "Grants to civil society"},
    description={
        "sv": "Regionens utlysningar av bidrag till ideella organisationer och de beviljade bidragen: "
        "organisation, belopp, ändamål och år.",
        "en": "The region's calls for grants to non-profit organisations and the grants decided: "
        "organisation, amount, purpose and year.",
    },
    keywords={"sv": ["bidrag", "civilsamhälle", "föreningsbidrag"], "en": ["grants", "civil society"]},
    endpoint="api:grant-list",
    page="grants:grants",
    order=60,
)
api.dataset(
    "partnerships",
    title={"sv": "Idéburna offentliga partnerskap (IOP)", "en": "Idea-based public partnerships (IOP)"},
    description={
        "sv": "Regionens idéburna offentliga partnerskap: parter, syfte, period och regionens insats.",
        "en": "The region's idea-based public partnerships: parties, purpose, period and the region's contribution.",
    },
    keywords={"sv": ["IOP", "partnerskap", "civilsamhälle"], "en": ["IOP", "partnership", "civil society"]},
    endpoint="api:partnership-list",
    page="partnerships:list",
    order=61,
)
