from datetime import timedelta

from core.registry import portal

# Coordinators read the outbox (a record of what was sent) but never edit it by hand.
portal.register("outbox", retention="outbox.retention.purge", coordinator="read")
portal.work("outbox", "outbox.admin_work.items", order=80)
# Last: after any e-mail the other apps' erasure queued.
portal.personal_data("outbox", export="outbox.personal_data.export", erase="outbox.personal_data.erase", order=1000)
portal.periodic("outbox-sweep", "outbox.tasks.sweep_outbox", timedelta(seconds=60))
