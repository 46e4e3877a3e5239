from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Grants and partnerships")

    def ready(self):
        from core.pagecache import register_invalidation

        from .cache import pages
        from .models import Decision, GrantCall, Partnership

        # Admin edits, imports and the shell: what the public pages show.
        register_invalidation(models=[GrantCall, Decision, Partnership], cache=pages)
