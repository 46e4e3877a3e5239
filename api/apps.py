from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("Open data")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # A cached answer of a list or an object is answered by the fast path (core/pagecache_fast.py) under
        # the API's rules: its language (?lang, Accept-Language) and its rate limit, counted as the view does.
        from rest_framework.settings import api_settings

        from core import pagecache_fast

        from .conventions import request_language

        def admit(request) -> bool:
            return all(throttle().allow_request(request, None) for throttle in api_settings.DEFAULT_THROTTLE_CLASSES)

        pagecache_fast.register_prefix("/api/", language=request_language, admit=admit)
