from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("Consultations")

    def ready(self):
        from core.pagecache import register_invalidation
        from organisations.models import Organisation

        from .cache import pages
        from .models import Answer, Consultation, Section, SectionAnswer, SectionResponse

        # Admin edits, imports and the shell: every model the public consultation pages show
        # (organisation names appear in the answers and the invited list).
        register_invalidation(
            models=[Consultation, Section, SectionResponse, Answer, SectionAnswer, Organisation], cache=pages
        )
