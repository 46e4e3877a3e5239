from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from core.registry import portal

portal.register(
    "organisations",
    demo="organisations.demo.load",
    retention="organisations.retention.purge",
    coordinator="manage",
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
portal.follow_on_behalf(
    "organisations", choices="organisations.follows.choices", members="organisations.follows.members"
)
