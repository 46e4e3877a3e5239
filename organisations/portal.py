from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from core.registry import portal

portal.register("organisations", demo="organisations.demo.load", coordinator="manage")
# Carries out the region's disposal decision (core/retention.py); described on the records page.
portal.retention(
    "organisations",
    "organisations.retention.purge",
    decision="unverified-organisations",
    title=_("Interest submissions never verified"),
    removes=_(
        "Organisations that were never verified, with their contact persons and interest submissions (only the "
        "contact persons and submissions when the organisation signed something)"
    ),
    keeps=_("Verified organisations and what they publish in the directory"),
    after=_("%(days)s days after the last submission"),
    periods={"days": "ORGANISATIONS_UNVERIFIED_RETENTION_DAYS"},
)
portal.section("home", "organisations/_home.html", order=90, caches=["organisations"])
portal.section("mypages", "organisations/_mypages.html", order=20)
portal.work("organisations", "organisations.admin_work.items", order=20)
portal.nav("organisations", "organisations:directory", _("Organisations"), order=20)
portal.slot("core:home", "organisations/slots/home_interest.html", order=10)  # the start page's call to action
portal.personal_data(
    "organisations", export="organisations.personal_data.export", erase="organisations.personal_data.erase"
)
portal.periodic("organisations-mandate-expiry", "organisations.tasks.send_mandate_expiry_notices", timedelta(hours=6))
# What people may follow (issue 25): notifications/ looks them up by kind, in the region in force.
portal.followable("organisations.area", "organisations.AreaOfActivity", _("Area of activity"), lookup="slug")
portal.followable("organisations.municipality", "organisations.Municipality", _("Municipality"))
# The portal's search (core/search): what the directory shows (verified, consenting to be listed).
portal.searchable(
    "organisations",
    "organisations.Organisation",
    _("Organisations"),
    visible="public",
    fields={"name": "A", "description": "C"},
    title="name",
    summary="description",
    areas="areas",
    municipalities="municipality",
    caches=["organisations"],
    order=50,
)
portal.follow_on_behalf(
    "organisations", choices="organisations.follows.choices", members="organisations.follows.members"
)
