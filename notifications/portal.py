from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from core.registry import portal
from outbox.kinds import register as register_kind

from .slots import follow_context

portal.register("notifications", coordinator="manage")  # the digest's day and hour; the rest is read-only
portal.section("mypages", "notifications/_mypages.html", order=5)
portal.subscriber("notifications", "notifications.events.on_event")
portal.personal_data(
    "notifications", export="notifications.personal_data.export", erase="notifications.personal_data.erase"
)
# Carries out the region's disposal decision (core/retention.py); described on the records page.
portal.retention(
    "notifications",
    "notifications.retention.purge",
    decision="notifications",
    title=_("Notifications"),
    removes=_("Notifications on Mina sidor, read or not, and the records of weekly digests sent"),
    keeps=_("What people follow, their e-mail choices, and each person's latest digest (where the next one starts)"),
    after=_("%(days)s days after they were made"),
    periods={"days": "NOTIFICATIONS_RETENTION_DAYS"},
)
# Every 15 minutes: a digest's window ends on the weekly slot, so when it runs changes nothing it sends
# (a timedelta, as run_periodic also reads the schedule without Celery).
portal.periodic("notifications-digests", "notifications.tasks.send_digests", timedelta(minutes=15))
# The follow button on the pages that offer it (each page renders its slot with the object or its key).
for host, kind in [
    ("meetings:list_area", "organisations.area"),
    ("meetings:list_topic", "meetings.topic"),
    ("organisations:directory_municipality", "organisations.municipality"),
    ("challenges:detail_follow", "challenges.challenge"),
    ("consultations:detail_follow", "consultations.consultation"),
    ("elections:detail_follow", "elections.round"),
    ("meetings:detail_follow", "meetings.meeting"),
]:
    portal.slot(host, "notifications/slots/follow.html", context=follow_context(kind))
# And on each item of their lists (the public list is what may be followed: no check per item).
for host, kind in [
    ("challenges:list_follow", "challenges.challenge"),
    ("consultations:list_follow", "consultations.consultation"),
    ("elections:list_follow", "elections.round"),
]:
    portal.slot(host, "notifications/slots/follow.html", context=follow_context(kind, listed=True))
register_kind("notifications.instant", _("Notification of something followed"))
register_kind("notifications.digest", _("Weekly digest of what is followed"))
