from django.utils.translation import gettext_lazy as _

from core.registry import portal

portal.register("challenges", demo="challenges.demo.load", coordinator="manage")
# Carries out the region's disposal decision (core/retention.py); described on the records page.
portal.retention(
    "challenges",
    "challenges.retention.purge",
    decision="challenge-participants",
    title=_("Who raised and joined challenges"),
    removes=_("Who raised a challenge or joined it as a person"),
    keeps=_("The challenge, the organisations taking part and their roles, the updates and the documents"),
    after=_("%(days)s days after the challenge was concluded or declined"),
    periods={"days": "CHALLENGES_RETENTION_DAYS"},
)
portal.section("home", "challenges/_home.html", order=15, caches=["challenges"])
portal.section("mypages", "challenges/_mypages.html", order=25, context="challenges.selectors.mypages_context")
portal.work("challenges", "challenges.admin_work.items", order=25)
portal.nav("challenges", "challenges:list", _("Challenges"), order=40)
portal.slot(
    "meetings:detail",
    "challenges/slots/meeting_challenges.html",
    context="challenges.slots.meeting_context",
    caches=["challenges"],
)
portal.slot(
    "organisations:detail",
    "challenges/slots/organisation_challenges.html",
    context="challenges.slots.organisation_context",
    caches=["challenges"],
)
portal.personal_data("challenges", export="challenges.personal_data.export", erase="challenges.personal_data.erase")
portal.admin_action("challenges", "organisations.interestsubmission", "challenges.admin_actions.make_challenges")
# Follows (issue 25): a public challenge may be followed; its events reach the followers.
portal.followable("challenges.challenge", "challenges.Challenge", _("Challenge"), lookup="slug", visible="public")
portal.event("challenges.accepted", _("A new challenge"))  # in a followed area or municipality
portal.event("challenges.update", _("A challenge update"))  # to the challenge's followers
# The portal's search (core/search): the public challenges only (never proposed, declined or unpublished).
portal.searchable(
    "challenges",
    "challenges.Challenge",
    _("Challenges"),
    visible="public",
    fields={"title": "A", "summary": "B", "description": "C", "outcome": "D"},
    summary="summary",
    date="accepted_at",
    areas="areas",
    municipalities="municipalities",
    caches=["challenges"],
    order=20,
)
portal.event("challenges.meeting_linked", _("A meeting linked to a challenge"))  # services.updates
