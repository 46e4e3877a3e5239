"""The ground floor's own entry: the coordinators' group and the demo coordinator."""

from datetime import timedelta

from core.registry import portal

portal.register("core", demo="core.demo.load")
portal.periodic("purge-personal-data", "core.tasks.purge_personal_data", timedelta(hours=24))
