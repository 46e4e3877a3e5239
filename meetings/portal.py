from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from core.registry import portal

portal.register("meetings", demo="meetings.demo.load", retention="meetings.retention.purge", coordinator="manage")
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
# Registering for a meeting follows it (services.registrations): a challenge linked to it reaches them.
portal.followable("meetings.meeting", "meetings.Meeting", _("Meeting"), lookup="slug", visible="visible")
