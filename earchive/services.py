"""Exporting closed cases as e-archive packages.

A package is written to a temporary file first and only handed on (served, or moved to its place) when it
is whole: an error halfway leaves nothing behind, neither in the output folder nor in the temporary one.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from core.permissions import is_region_staff
from core.region_state import current_region
from core.registry import portal

from .package import package_info, write_package


@dataclass(frozen=True)
class ExportedPackage:
    filename: str
    path: Path  # a temporary file the caller serves or moves, then removes


def _case_of(obj):
    case = portal.archive_case_for(obj)
    if case is None:
        raise ValidationError(_("This kind of record cannot be exported to the e-archive."))
    return case


def case_export_check(*, obj, user) -> None:
    """Raise unless the case is of the region in force, ``user`` coordinates it and the case is closed.
    ``user=None`` is the command line (``export_earchive``), run by the installation's operators."""
    region = current_region()
    if region is None or obj.region_id != region.pk:
        raise PermissionDenied
    if user is not None and not is_region_staff(user, region):
        raise PermissionDenied
    case = _case_of(obj)
    if not case.closed(obj):
        raise ValidationError(
            _("“%(case)s” is still open. Only a closed case can be exported to the e-archive.") % {"case": obj}
        )


def case_export(*, obj, user, directory: str | None = None) -> ExportedPackage:
    """Write the e-archive package of the closed case ``obj`` to a temporary file (in ``directory``, by
    default the system's) and return it; nothing is left behind when anything fails."""
    case_export_check(obj=obj, user=user)
    case = _case_of(obj)
    region = current_region()
    contribution = case.contribution(obj)
    submitter = (getattr(user, "full_name", "") or getattr(user, "email", "")) if user else ""
    info = package_info(contribution, region=region, submitter=submitter or region.name, kind_label=str(case.label))
    handle, name = tempfile.mkstemp(prefix=".earchive-", suffix=".zip.partial", dir=directory)
    try:
        with os.fdopen(handle, "wb") as target:
            write_package(target, contribution, info, language=region_language())
    except BaseException:
        os.unlink(name)
        raise
    return ExportedPackage(filename=f"{info.objid}.zip", path=Path(name))


def cases_export_to(*, objects, user, out_dir: Path) -> list[Path]:
    """Export every case of ``objects`` into ``out_dir`` (one ZIP each, moved in place once whole).
    Every case is checked before anything is written: one open case stops the whole delivery."""
    for obj in objects:
        case_export_check(obj=obj, user=user)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    try:
        for obj in objects:
            package = case_export(obj=obj, user=user, directory=str(out_dir))
            final = out_dir / package.filename
            os.replace(package.path, final)
            written.append(final)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return written


def region_language() -> str:
    return "swe"
