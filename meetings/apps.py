from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from core.pagecache import register_invalidation

        from .models import Meeting, MeetingDocument, ProgrammeItem, Registration, Speaker
        from .selectors import pages, registration_scopes

        # Admin edits, copies and the demo move the cached pages on commit (the services do too).
        register_invalidation(models=[Meeting, ProgrammeItem, Speaker, MeetingDocument], cache=pages)
        register_invalidation(models=[Registration], cache=pages, scopes=registration_scopes)
