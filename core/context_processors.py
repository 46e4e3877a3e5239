from django.conf import settings
from django.urls import reverse

from .links import region_context
from .registry import portal


def _region_look(region) -> dict:
    """The region's style sheet and logo, each with its version in the URL (core/region_style.py)."""
    if region is None:
        return {"REGION_CSS_URL": "", "REGION_LOGO_URL": ""}
    from .region_style import style_version

    version = style_version(region)
    return {
        "REGION_CSS_URL": f"{reverse('core:region_css')}?v={version}",
        "REGION_LOGO_URL": f"{reverse('core:region_logo')}?v={version}" if region.logo else "",
    }


def site(request):
    """Region name, contact and look for the layout on every page."""
    context = region_context()
    return {
        **context,
        **_region_look(context["REGION"]),
        "PRIVACY_POLICY_VERSION": settings.PRIVACY_POLICY_VERSION,
        # The main navigation: each app's portal.py adds its links (core/registry.py).
        "PORTAL_NAV": [
            {"url": reverse(item.url_name), "label": item.label, "namespace": item.namespace}
            for item in portal.nav_items()
        ],
    }
