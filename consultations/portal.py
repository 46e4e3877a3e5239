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
# Follows (issue 25): a published consultation may be followed; what happens to it reaches the followers.
portal.followable(
    "consultations.consultation", "consultations.Consultation", _("Consultation"), lookup="slug", visible="public"
)
portal.event("consultations.opened", _("A consultation opened"))  # services.steps.consultation_open
portal.event("consultations.closing_soon", _("A consultation closes soon"))  # the beat, once (Announcement)
portal.event("consultations.compiled", _("A consultation's compilation published"))  # services.steps
