from datetime import timedelta

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.registry import portal

portal.register("elections", demo="elections.demo.load", retention="elections.retention.purge", coordinator="manage")
portal.nav("elections", "elections:list", pgettext_lazy("main navigation", "Selection rounds"), order=60)
portal.section("home", "elections/_home.html", order=30, context="elections.views.home_context", caches=["elections"])
portal.section("mypages", "elections/_mypages.html", order=40, context="elections.views.mypages_context")
portal.work("elections", "elections.admin_work.items", order=40)
portal.slot(
    "agreements:detail",
    "elections/slots/agreement_round.html",
    context="elections.slots.agreement_context",
    caches=["elections"],
)
portal.personal_data("elections", export="elections.personal_data.export", erase="elections.personal_data.erase")
portal.periodic("elections-voting-reminders", "elections.tasks.send_voting_reminders", timedelta(hours=1))
# Follows (issue 25): a published round may be followed; its steps reach the followers.
portal.followable("elections.round", "elections.SelectionRound", _("Selection round"), lookup="slug", visible="public")
portal.event("elections.nominations_opened", _("Nominations opened in a selection round"))  # services.rounds
portal.event("elections.voting_opened", _("Voting opened in a selection round"))  # services.rounds
portal.event("elections.result_published", _("A selection round's result published"))  # services.rounds
