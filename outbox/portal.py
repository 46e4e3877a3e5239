from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from core.registry import portal

# Coordinators read the outbox (a record of what was sent) but never edit it by hand.
portal.register("outbox", coordinator="read")
# Carries out the region's disposal decision (core/retention.py); described on the records page.
portal.retention(
    "outbox",
    "outbox.retention.purge",
    decision="sent-emails",
    title=_("E-mails sent by the portal"),
    removes=_("Sent and failed e-mails, with their addresses and texts"),
    keeps=_("E-mails still waiting to be sent"),
    after=_("%(days)s days after they were written"),
    periods={"days": "OUTBOX_RETENTION_DAYS"},
)
portal.work("outbox", "outbox.admin_work.items", order=80)
# Last: after any e-mail the other apps' erasure queued.
portal.personal_data("outbox", export="outbox.personal_data.export", erase="outbox.personal_data.erase", order=1000)
portal.periodic("outbox-sweep", "outbox.tasks.sweep_outbox", timedelta(seconds=60))
