from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from core.registry import portal

portal.register(
    "partnerships", demo="partnerships.demo.load", retention="partnerships.retention.purge", coordinator="manage"
)
portal.section("mypages", "partnerships/_mypages.html", order=38, context="partnerships.selectors.mypages_context")
portal.nav("partnerships", "grants:list", _("Grants"), order=55)
portal.slot(
    "challenges:detail",
    "partnerships/slots/challenge_partnerships.html",
    context="partnerships.slots.challenge_context",
    caches=["partnerships"],
)
portal.slot(
    "organisations:detail",
    "partnerships/slots/organisation_grants.html",
    context="partnerships.slots.organisation_context",
    caches=["partnerships"],
)
portal.personal_data(
    "partnerships", export="partnerships.personal_data.export", erase="partnerships.personal_data.erase"
)
portal.work("partnerships", "partnerships.admin_work.items", order=50)
portal.periodic("partnerships-report-reminders", "partnerships.tasks.remind_reports", timedelta(hours=6))
