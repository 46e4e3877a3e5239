from django.conf import settings
from django.urls import reverse

from .links import region_context
from .registry import portal


def site(request):
    """Region name and contact for the layout on every page."""
    return {
        **region_context(),
        "PRIVACY_POLICY_VERSION": settings.PRIVACY_POLICY_VERSION,
        # The main navigation: each app's portal.py adds its links (core/registry.py).
        "PORTAL_NAV": [
            {"url": reverse(item.url_name), "label": item.label, "namespace": item.namespace}
            for item in portal.nav_items()
        ],
    }
