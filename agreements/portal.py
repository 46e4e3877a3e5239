from django.utils.translation import gettext_lazy as _

from core.registry import portal

portal.register("agreements", demo="agreements.demo.load", coordinator="manage")
portal.section("home", "agreements/_home.html", order=20, caches=["agreements", "organisations"])
portal.section("mypages", "agreements/_mypages.html", order=30)
portal.work("agreements", "agreements.admin_work.items", order=10)
portal.nav("agreements", "agreements:list", _("Agreements"), order=30)
portal.personal_data("agreements", export="agreements.personal_data.export", erase="agreements.personal_data.erase")
# The portal's search (core/search): the agreements the public pages show (drafts never), with their text.
portal.searchable(
    "agreements",
    "agreements.Agreement",
    _("Agreements"),
    visible="public",
    fields={"title": "A", "summary": "B", "text": "C", "parties": "D"},
    summary="summary",
    date="adopted_on",
    caches=["agreements"],
    order=60,
)
# A closed case goes to the region's e-archive (earchive builds the package; agreements/archive.py describes it).
portal.archive_case(
    "agreements",
    "agreement",
    "agreements.Agreement",
    _("Agreement"),
    is_closed="agreements.archive.is_closed",
    contribute="agreements.archive.contribute",
)
portal.admin_action("agreements", "agreements.agreement", "earchive.admin_actions.export_to_earchive")
# The organisation's page says which agreements it signed and when (issue 26).
portal.slot(
    "organisations:detail",
    "agreements/slots/organisation_agreements.html",
    context="agreements.slots.organisation_context",
    caches=["agreements"],
)
