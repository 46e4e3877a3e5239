"""The demo's regions in tests, made as ``manage.py load_demo`` makes them: the test region (the first
region, Västernorrland's stories), Region Halland on halland.localhost and Västra Götalandsregionen on
vgr.localhost. A test loads an app's demo of a region inside ``region_scope(demo_regions()["vgr"])``."""

from core.demo import ensure_regions


def demo_regions() -> dict:
    """Short name → region (the first region under its own short name, ``vasternorrland`` in tests)."""
    return {region.short_name: region for region in ensure_regions()}
