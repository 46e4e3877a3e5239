from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from core.registry import portal

portal.register(
    "consultations", demo="consultations.demo.load", retention="consultations.retention.purge", coordinator="manage"
)
portal.section(
    "home",
    "consultations/_home.html",
    order=25,
    context="consultations.selectors.home_context",
    caches=["consultations"],
)
portal.section("mypages", "consultations/_mypages.html", order=35, context="consultations.selectors.mypages_context")
portal.work("consultations", "consultations.admin_work.items", order=30)
portal.nav("consultations", "consultations:list", _("Consultations"), order=50)
portal.personal_data(
    "consultations", export="consultations.personal_data.export", erase="consultations.personal_data.erase"
)
portal.periodic("consultations-plan-reminders", "consultations.tasks.plan_reminders", timedelta(minutes=5))
# A closed case goes to the region's e-archive (earchive builds the package; consultations/archive.py describes it).
portal.archive_case(
    "consultations",
    "consultation",
    "consultations.Consultation",
    _("Consultation"),
    is_closed="consultations.archive.is_closed",
    contribute="consultations.archive.contribute",
)
portal.admin_action("consultations", "consultations.consultation", "earchive.admin_actions.export_to_earchive")
