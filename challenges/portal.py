from django.utils.translation import gettext_lazy as _

from core.registry import portal

portal.register("challenges", demo="challenges.demo.load", retention="challenges.retention.purge", coordinator="manage")
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
portal.event("challenges.meeting_linked", _("A meeting linked to a challenge"))  # services.updates
