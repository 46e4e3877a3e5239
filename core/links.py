"""Absolute links and the region's name and contact, the same in every process (web, worker, beat,
run_periodic): built from the region in force (core/regions.py), never from the Host of whoever asked.

A link written outside a request (an e-mail, an .ics file, a download kept in the cache for every
visitor) is on the region's primary host, with the installation's scheme and port (``SITE_URL``).
"""

from django.conf import settings

from core.regions import base_url, current_region


def site_url() -> str:
    """``scheme://host[:port]`` of the region in force (``SITE_URL`` when there is none)."""
    return base_url()


def absolute_url(path: str) -> str:
    """``path`` (from ``reverse`` or ``get_absolute_url``) on the region's public address."""
    return site_url() + "/" + path.lstrip("/")


def region_context() -> dict:
    """The region's name, contact and address, for pages and e-mails (the settings' when no region is in
    force: a page that answers before any region is known)."""
    region = current_region()
    if region is None:
        return {
            "REGION": None,
            "REGION_NAME": settings.REGION_NAME,
            "REGION_CONTACT_EMAIL": settings.REGION_CONTACT_EMAIL,
            "REGION_CONTACT_PHONE": settings.REGION_CONTACT_PHONE,
            "SITE_URL": settings.SITE_URL.rstrip("/"),
        }
    return {
        "REGION": region,
        "REGION_NAME": region.name,
        "REGION_CONTACT_EMAIL": region.contact_email,
        "REGION_CONTACT_PHONE": region.contact_phone,
        "SITE_URL": site_url(),
    }


def region_name() -> str:
    region = current_region()
    return region.name if region is not None else settings.REGION_NAME
