"""The ground floor's own entry: the coordinators' group and the demo coordinator."""

from core.registry import portal

portal.register("core", demo="core.demo.load")
