from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from core.registry import portal

portal.register("meetings", demo="meetings.demo.load", coordinator="manage")
# Carries out the region's disposal decision (core/retention.py); described on the records page.
portal.retention(
    "meetings",
    "meetings.retention.purge",
    decision="meeting-registrations",
    title=_("Registrations for meetings"),
    removes=_("The participant's name, e-mail, phone, role, needs and answers to the questions at sign-up"),
    keeps=_("Each registration's status, attendance and organisation, for statistics"),
    after=_("%(days)s days after the meeting ended"),
    periods={"days": "MEETINGS_REGISTRATION_RETENTION_DAYS"},
)
portal.section("home", "meetings/_home.html", order=10, caches=["meetings"])
portal.section("mypages", "meetings/_mypages.html", order=10)
portal.work("meetings", "meetings.admin_work.items", order=90)
portal.nav("meetings", "meetings:list", _("Meetings"), order=10)
# The layout's feed links (every page: static per language, nothing cached to follow).
portal.slot("base:head", "meetings/slots/head_feeds.html", order=10)
portal.slot("base:footer", "meetings/slots/footer_calendar.html", order=10)
portal.personal_data("meetings", export="meetings.personal_data.export", erase="meetings.personal_data.erase")
portal.periodic("meetings-plan-reminders", "meetings.tasks.plan_reminders", timedelta(seconds=60))
portal.event("meetings.published", _("A new meeting"))  # emitted by services.meeting.meeting_save
portal.followable("meetings.topic", "meetings.Topic", _("Meeting topic"), lookup="slug")
# The portal's search (core/search): what the meeting pages show (drafts never).
portal.searchable(
    "meetings",
    "meetings.Meeting",
    _("Meetings"),
    visible="visible",
    fields={"title": "A", "summary": "B", "description": "C", "organiser": "D"},
    summary="summary",
    date="start",
    ends="end",
    areas="areas",
    caches=["meetings"],
    order=10,
)
# Registering for a meeting follows it (services.registrations): a challenge linked to it reaches them.
portal.followable("meetings.meeting", "meetings.Meeting", _("Meeting"), lookup="slug", visible="visible")
