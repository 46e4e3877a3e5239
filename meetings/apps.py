from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from core.pagecache import register_invalidation

        # Admin edits, copies and the demo move the cached pages on commit (the services do too).
        from organisations.models import AreaOfActivity

        from .models import (
            Meeting,
            MeetingDocument,
            ProgrammeItem,
            Registration,
            RegistrationQuestion,
            Speaker,
            Topic,
        )
        from .selectors import pages, registration_scopes

        register_invalidation(
            models=[Meeting, ProgrammeItem, Speaker, MeetingDocument, Topic, AreaOfActivity, RegistrationQuestion],
            cache=pages,
        )
        register_invalidation(models=[Registration], cache=pages, scopes=registration_scopes)
