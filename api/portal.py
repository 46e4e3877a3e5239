"""The open data page's place in the portal: a link in the main navigation (discovered like admin.py)."""

from django.utils.translation import gettext_lazy as _

from core.registry import portal

portal.register("api")
portal.nav("api", "opendata:documentation", _("Open data"), order=70)
portal.slot("base:footer", "api/slots/footer_link.html", order=70)
