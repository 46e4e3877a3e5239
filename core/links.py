"""Absolute links: one base for every process (web, worker, beat, run_periodic), ``settings.SITE_URL``.

A link written outside a request (an e-mail, an .ics file, a download kept in the cache for every
visitor) must not depend on the process that wrote it or on the Host header of the request that
happened to build it.
"""

from django.conf import settings


def absolute_url(path: str) -> str:
    """``path`` (from ``reverse`` or ``get_absolute_url``) on the portal's public address."""
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")
