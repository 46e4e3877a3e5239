"""The API's rate limit (see ``conventions``); a module of its own for the same reason as ``pagination``."""

import logging

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle

logger = logging.getLogger(__name__)


class AnonymousRateThrottle(AnonRateThrottle):
    """``API_ANON_RATE`` requests per client address, read at request time (so tests and deployments can
    change it); off with ``DISABLE_RATE_LIMITS`` like every other rate limit of the portal. Everyone
    is anonymous to the API, so a logged-in visitor is counted by address too."""

    scope = "anon"

    def __init__(self):  # the rate is read per request, not from DRF's settings at import
        pass

    def allow_request(self, request, view):
        if not settings.RATELIMIT_ENABLE:
            return True
        self.rate = settings.API_ANON_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        try:
            return super().allow_request(request, view)
        except Exception as exc:  # the cache (Redis) is away: the API stays up, unlimited meanwhile
            logger.warning("api: rate limit skipped, cache unavailable (%s)", type(exc).__name__)
            return True

    def get_ident(self, request):
        meta_key = getattr(settings, "RATELIMIT_IP_META_KEY", None)
        if meta_key and request.META.get(meta_key):
            return request.META[meta_key].split(",")[0].strip()
        return request.META.get("REMOTE_ADDR", "")

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": "api", "ident": self.get_ident(request)}
