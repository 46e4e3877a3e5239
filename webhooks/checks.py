"""System check: ``WEBHOOKS_ALLOW_LOOPBACK`` opens the address guard to 127.0.0.1 (tests, drills); a
production server with it on could be made to call its own local services."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def loopback_not_allowed(app_configs=None, **kwargs):
    if settings.DEBUG or not settings.WEBHOOKS_ALLOW_LOOPBACK:
        return []
    return [
        checks.Warning(
            "WEBHOOKS_ALLOW_LOOPBACK is on: webhook endpoints may call 127.0.0.1 (http too).",
            hint="Unset WEBHOOKS_ALLOW_LOOPBACK outside tests and drills.",
            id="webhooks.W001",
        )
    ]
