from django.utils.translation import gettext_lazy as _

from core.registry import portal

portal.register("meetings", demo="meetings.demo.load", retention="meetings.retention.purge", coordinator="manage")
portal.section("home", "meetings/_home.html", order=10, caches=["meetings"])
portal.section("mypages", "meetings/_mypages.html", order=10)
portal.work("meetings", "meetings.admin_work.items", order=90)
portal.nav("meetings", "meetings:list", _("Meetings"), order=10)
portal.personal_data("meetings", export="meetings.personal_data.export", erase="meetings.personal_data.erase")
