from django.utils.translation import gettext_lazy as _

from core.registry import portal

portal.register("agreements", demo="agreements.demo.load", coordinator="manage")
portal.section("home", "agreements/_home.html", order=20, caches=["agreements", "organisations"])
portal.section("mypages", "agreements/_mypages.html", order=30)
portal.work("agreements", "agreements.admin_work.items", order=10)
portal.nav("agreements", "agreements:list", _("Agreements"), order=30)
portal.personal_data("agreements", export="agreements.personal_data.export", erase="agreements.personal_data.erase")
# The organisation's page says which agreements it signed and when (issue 26).
portal.slot(
    "organisations:detail",
    "agreements/slots/organisation_agreements.html",
    context="agreements.slots.organisation_context",
    caches=["agreements"],
)
