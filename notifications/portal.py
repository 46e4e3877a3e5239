from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from core.registry import portal
from outbox.kinds import register as register_kind

portal.register("notifications", coordinator="read")
portal.section("mypages", "notifications/_mypages.html", order=5)
portal.subscriber("notifications", "notifications.services.on_event")
portal.personal_data(
    "notifications", export="notifications.personal_data.export", erase="notifications.personal_data.erase"
)
# Hourly: a digest's window ends on the weekly slot, so the hour it runs changes nothing it sends.
portal.periodic("notifications-digests", "notifications.tasks.send_digests", crontab(minute=7))
register_kind("notifications.instant", _("Notification of something followed"))
register_kind("notifications.digest", _("Weekly digest of what is followed"))
