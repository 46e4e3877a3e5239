"""The region in force, without the models: ``core.models`` reads it (the default and the check of every
``region`` column) and ``core.regions`` sets it. Split from core/regions.py so that neither module
imports the other's importer."""

from __future__ import annotations

from contextvars import ContextVar

_current: ContextVar = ContextVar("samverkan_region", default=None)


class RegionMissing(RuntimeError):
    """A regional row was saved with no region in force and none given."""


class RegionMismatch(RuntimeError):
    """A regional row of one region was saved inside another region's scope."""


# The region in force ---------------------------------------------------------------------------------


def current_region():
    """The region in force (the request's host, the task's region), or None."""
    return _current.get()


def current_region_id() -> int | None:
    """The id of the region in force: the default of every ``region`` column."""
    region = _current.get()
    return region.pk if region is not None else None


def check_region(instance) -> None:
    """Called on every save of a regional row: it has a region, and it is the one in force (if any)."""
    if instance.region_id is None:
        region = _current.get()
        if region is None:
            raise RegionMissing(
                f"{type(instance).__name__} saved with no region: run it inside region_scope(region) "
                "or give region= explicitly"
            )
        instance.region_id = region.pk
    region = _current.get()
    if region is not None and instance.region_id != region.pk:
        raise RegionMismatch(
            f"{type(instance).__name__} of region {instance.region_id} saved inside region {region.pk}"
        )


def region_file_path(region, kind: str, filename: str) -> str:
    """Where an upload of ``region`` is stored: under its immutable key, never its (changeable) name."""
    return f"regions/{region.key}/{kind}/{filename}"
