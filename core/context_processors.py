from django.conf import settings
from django.urls import reverse

from .registry import portal


def site(request):
    """Region name and contact for the layout on every page."""
    return {
        "REGION_NAME": settings.REGION_NAME,
        "REGION_CONTACT_EMAIL": settings.REGION_CONTACT_EMAIL,
        "REGION_CONTACT_PHONE": settings.REGION_CONTACT_PHONE,
        "PRIVACY_POLICY_VERSION": settings.PRIVACY_POLICY_VERSION,
        "SITE_URL": settings.SITE_URL.rstrip("/"),
        # The main navigation: each app's portal.py adds its links (core/registry.py).
        "PORTAL_NAV": [
            {"url": reverse(item.url_name), "label": item.label, "namespace": item.namespace}
            for item in portal.nav_items()
        ],
    }
