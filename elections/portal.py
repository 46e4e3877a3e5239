from datetime import timedelta

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.registry import portal

portal.register("elections", demo="elections.demo.load", coordinator="manage")
# Carries out the region's disposal decision (core/retention.py); described on the records page.
portal.retention(
    "elections",
    "elections.retention.purge",
    decision="selection-rounds",
    title=_("Selection rounds"),
    removes=_(
        "Candidates' e-mail addresses, the names and presentations of candidates who declined or were "
        "withdrawn, and who nominated or cast a ballot as a person"
    ),
    keeps=_("The elected candidates, the organisations that nominated and voted, and the result"),
    after=_("%(days)s days after the result was published"),
    periods={"days": "ELECTIONS_RETENTION_DAYS"},
)
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
portal.periodic("elections-compact-ballots", "elections.tasks.compact_ballot_tables", timedelta(hours=1))
# The portal's search (core/search): the rounds the public pages show (drafts never).
portal.searchable(
    "elections",
    "elections.SelectionRound",
    pgettext_lazy("main navigation", "Selection rounds"),
    visible="public",
    fields={"title": "A", "description": "B", "working_group": "C"},
    summary="description",
    date="voting_closes",
    caches=["elections"],
    order=40,
)
# Follows (issue 25): a published round may be followed; its steps reach the followers.
portal.followable("elections.round", "elections.SelectionRound", _("Selection round"), lookup="slug", visible="public")
portal.event("elections.nominations_opened", _("Nominations opened in a selection round"))  # services.rounds
portal.event("elections.voting_opened", _("Voting opened in a selection round"))  # services.rounds
portal.event("elections.result_published", _("A selection round's result published"))  # services.rounds
