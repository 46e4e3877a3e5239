"""The ground floor's own entry: the coordinators' group and the demo coordinator."""

from datetime import timedelta

from core.registry import portal

portal.register("core", demo="core.demo.load")
# The regions a person coordinates (Region.coordinators).
portal.personal_data("core", export="core.personal_data_regions.export", erase="core.personal_data_regions.erase")
portal.periodic("purge-personal-data", "core.tasks.purge_personal_data", timedelta(hours=24))
portal.periodic("clear-expired-sessions", "core.tasks.clear_expired_sessions", timedelta(hours=24))
