"""The open data API's consultations (see api/registry.py and serializers.py)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api.conventions import PublicViewSet, StrictOrderingFilter
from api.registry import api
from core.regions import unscoped

from .models import Consultation
from .serializers import ConsultationSerializer, public_queryset


class ConsultationViewSet(PublicViewSet):
    """``/api/v1/consultations/``."""

    api_description = _("Consultations (remisser) on drafts: sections, and the answers and compilation once public.")

    serializer_class = ConsultationSerializer
    cache_namespaces = ("consultations",)
    filter_backends = [StrictOrderingFilter]
    ordering_fields = {"closes_at": ("closes_at",), "modified": ("updated_at",), "title": ("title",)}
    ordering = ("-closes_at",)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is built with no request and no region
            return unscoped(Consultation).none()
        return public_queryset()

    def cache_parts(self) -> tuple:
        # The deadline passes by time alone: the answers become public then, before any write bumps
        # the version. The number of overdue open consultations is part of the key.
        overdue = Consultation.objects.filter(status=Consultation.Status.OPEN, closes_at__lte=timezone.now()).count()
        return (overdue,)


api.register("consultations", ConsultationViewSet, basename="consultation")
api.dataset(
    "consultations",
    title={"sv": "Remisser och remissvar", "en": "Consultations and their answers"},
    description={
        "sv": "Regionens remisser, avsnitt för avsnitt; efter sista svarsdag varje "
        "organisations svar och ställningstaganden, och regionens remissammanställning.",
        "en": "Drafts the region sent out for consultation, section by section; after the deadline every "
        "organisation's answer and positions, and the region's compilation.",
    },
    endpoint="api:consultation-list",
    page="consultations:list",
)
