from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from core.registry import portal
from outbox.kinds import register as register_kind

portal.register("webhooks", coordinator="manage", demo="webhooks.demo.load")
portal.subscriber("webhooks", "webhooks.services.on_event", order=200)
portal.personal_data("webhooks", export="webhooks.personal_data.export", erase="webhooks.personal_data.erase")
# Carries out the region's disposal decision (core/retention.py); described on the records page.
portal.retention(
    "webhooks",
    "webhooks.retention.purge",
    decision="webhook-log",
    title=_("Webhook deliveries"),
    removes=_("Finished delivery attempts to partners' systems, and the events none of them refer to any more"),
    keeps=_("The endpoints, and attempts still waiting to be sent"),
    after=_("%(days)s days after the attempt finished"),
    periods={"days": "WEBHOOKS_RETENTION_DAYS"},
)
# Every minute: due retries and attempts whose task was lost (a timedelta: run_periodic reads it too).
portal.periodic("webhooks-sweep", "webhooks.tasks.sweep", timedelta(minutes=1))
# How to receive them, on the open data page (the api app renders the slot).
portal.slot("opendata:documentation", "webhooks/slots/opendata.html", order=50)
register_kind("webhooks.disabled", _("Webhook endpoint disabled (to its coordinator)"))
