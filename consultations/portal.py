from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from core.registry import portal

portal.register("consultations", demo="consultations.demo.load", coordinator="manage")
# Carries out the region's disposal decision (core/retention.py); described on the records page.
portal.retention(
    "consultations",
    "consultations.retention.purge",
    decision="consultation-answers",
    title=_("Answers to consultations"),
    removes=_("Drafts never submitted (with their attachments), and who started and submitted an answer as a person"),
    keeps=_("The organisations' submitted answers and the compilation (public records)"),
    after=_("%(compiled)s days after the compilation was published (%(closed)s days after the deadline when none is)"),
    periods={"compiled": "CONSULTATIONS_RETENTION_DAYS", "closed": "CONSULTATIONS_UNCOMPILED_RETENTION_DAYS"},
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
# The portal's search (core/search): every consultation the public pages show (drafts never).
portal.searchable(
    "consultations",
    "consultations.Consultation",
    _("Consultations"),
    visible="public",
    fields={"title": "A", "background": "C", "compilation_summary": "D"},
    summary="background",
    date="closes_at",
    caches=["consultations"],
    order=30,
)
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
# Follows (issue 25): a published consultation may be followed; what happens to it reaches the followers.
portal.followable(
    "consultations.consultation", "consultations.Consultation", _("Consultation"), lookup="slug", visible="public"
)
portal.event("consultations.opened", _("A consultation opened"))  # services.steps.consultation_open
portal.event("consultations.closing_soon", _("A consultation closes soon"))  # the beat, once (Announcement)
portal.event("consultations.compiled", _("A consultation's compilation published"))  # services.steps
