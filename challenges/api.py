"""The open data API's challenges (see api/registry.py): published challenges with their public
participations, timeline and meetings; never a proposed or declined one, never a person."""

import django_filters
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend

from api.conventions import PublicViewSet, StrictOrderingFilter
from api.filters import DateTimeFilter
from api.registry import api
from core.regions import unscoped
from organisations.models import AreaOfActivity, Municipality

from .models import Challenge
from .serializers import ChallengeSerializer, public_challenges_queryset


class ChallengeApiFilter(django_filters.FilterSet):
    """The public list's filters (status, area, municipality, raised by) plus modified_since. The choices are
    read per request (a callable), in the request's region."""

    status = django_filters.ChoiceFilter(
        choices=[(s.value, s.label) for s in Challenge.PUBLIC_STATUSES], label=_("Status (code)")
    )
    area = django_filters.ModelChoiceFilter(
        field_name="areas", queryset=lambda request: AreaOfActivity.objects.all(), label=_("Area of activity (id)")
    )
    municipality = django_filters.ModelChoiceFilter(
        field_name="municipalities", queryset=lambda request: Municipality.objects.all(), label=_("Municipality (id)")
    )
    raised_by = django_filters.ChoiceFilter(choices=Challenge.RaisedBy.choices, label=_("Raised by (code)"))
    modified_since = DateTimeFilter(
        field_name="updated_at", lookup_expr="gte", label=_("Changed at or after (ISO 8601)")
    )

    class Meta:
        model = Challenge
        fields = ["status", "area", "municipality", "raised_by", "modified_since"]


class ChallengeViewSet(PublicViewSet):
    """``/api/v1/challenges/``."""

    api_description = _("Published challenges: what the region and civil society work on together.")

    serializer_class = ChallengeSerializer
    cache_namespaces = ("challenges",)
    filter_backends = [DjangoFilterBackend, StrictOrderingFilter]
    filterset_class = ChallengeApiFilter
    ordering_fields = {"title": ("title",), "accepted": ("accepted_at", "pk"), "modified": ("updated_at",)}
    ordering = ("title",)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is built with no request and no region
            return unscoped(Challenge).none()
        return public_challenges_queryset().distinct()


api.register("challenges", ChallengeViewSet, basename="challenge")
api.dataset(
    "challenges",
    title={"sv": "Utmaningar", "en": "Challenges"},
    description={
        "sv": "Utmaningarna som regionen och civilsamhället arbetar med tillsammans: vem som lyfte dem, "
        "organisationer som deltar, tidslinjen med lägesrapporter och beslut, möten och resultat.",
        "en": "The challenges the region and civil society work on together: who raised them, the "
        "organisations taking part, the timeline of progress notes and decisions, meetings and outcomes.",
    },
    keywords={"sv": ["utmaningar", "civilsamhälle", "samverkan"], "en": ["challenges", "civil society"]},
    endpoint="api:challenge-list",
    page="challenges:list",
    order=40,
)
