"""``manage.py purge_region <short_name> --export <dir> [--yes]``: export a disabled region, then remove it.

1. Refuses an active region: disable it in the admin first (its hosts then answer "not found").
2. Writes ``<dir>/<short_name>-<date>/region.json``: the region (hosts, coordinators' e-mail addresses)
   and every row of every regional table (each model with a ``region`` foreign key to core.Region:
   ``core.models.RegionalModel`` subclasses and their history tables), and copies every stored file
   those rows name (and the logo) under ``files/``.
3. Deletes the region's rows in an order that respects their foreign keys (a row that another still
   protects waits for the next round), then the region itself, all in one transaction; the files go
   after the commit.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils import timezone

from core.models import Region, RegionHost
from core.regions import all_regions


def regional_models() -> list[type[models.Model]]:
    """Every installed model with a ``region`` foreign key to core.Region (RegionHost aside: it goes with
    the region), ordered so that a model comes before the regional models it points to."""
    found = []
    for model in apps.get_models():
        if model is RegionHost:
            continue
        try:
            field = model._meta.get_field("region")
        except Exception:  # noqa: S112 - no region column: not regional
            continue
        if field.concrete and field.many_to_one and field.related_model is Region:
            found.append(model)
    return _dependants_first(found)


def _dependants_first(found: list) -> list:
    members = set(found)
    targets = {
        model: {
            field.related_model
            for field in model._meta.concrete_fields
            if field.is_relation and field.related_model in members and field.related_model is not model
        }
        for model in found
    }
    ordered, placed = [], set()
    while len(ordered) < len(found):
        # Place a model once nothing left unplaced points to it (cycles: the rest as they come).
        ready = [m for m in found if m not in placed and not any(m in targets[o] for o in found if o not in placed)]
        for model in ready or [m for m in found if m not in placed]:
            ordered.append(model)
            placed.add(model)
    return ordered


def _files_of(queryset) -> list:
    fields = [field for field in queryset.model._meta.concrete_fields if isinstance(field, models.FileField)]
    if not fields:
        return []
    return [
        (field.storage, name)
        for row in queryset.values(*[field.attname for field in fields])
        for field in fields
        if (name := row[field.attname])
    ]


class Command(BaseCommand):
    help = "Export a disabled region (rows and files) to a directory, then delete it with all its rows."

    def add_arguments(self, parser):
        parser.add_argument("short_name")
        parser.add_argument("--export", required=True, help="Directory to write the export to.")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, short_name, export, yes, **options):
        with all_regions():
            region = Region.objects.prefetch_related("hosts", "coordinators").filter(short_name=short_name).first()
            if region is None:
                raise CommandError(f"No region with the short name {short_name!r}.")
            if region.is_active:
                raise CommandError(
                    f"{region.name} is active: disable it first (admin → Regions → “Disable”), then purge it."
                )
            target = Path(export) / f"{region.short_name}-{timezone.localdate().isoformat()}"
            if target.exists():
                raise CommandError(f"{target} exists already: choose another directory.")
            if not yes:
                answer = input(f"Delete {region.name} and every row it holds, after exporting to {target}? [yes/no] ")
                if answer.strip().lower() not in ("yes", "ja"):
                    raise CommandError("Nothing was deleted.")
            files = self._export(region, target)
            counts = self._purge(region)
            transaction.on_commit(lambda: self._delete_files(files))
        self.stdout.write(
            f"Exported to {target} and deleted {region.name}: "
            + ", ".join(f"{label} {count}" for label, count in counts.items() if count)
        )

    def _export(self, region: Region, target: Path) -> list:
        (target / "files").mkdir(parents=True)
        data = {
            "region": serializers.serialize("python", [region])[0],
            "hosts": list(region.hosts.values("host", "is_primary")),
            "coordinators": sorted(user.email for user in region.coordinators.all()),
            "rows": {},
        }
        files = [(region.logo.storage, region.logo.name)] if region.logo else []
        for model in regional_models():
            rows = model._base_manager.filter(region=region).order_by("pk")
            data["rows"][model._meta.label] = serializers.serialize("python", rows)
            files += _files_of(rows)
        for storage, name in files:
            destination = target / "files" / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            try:
                with storage.open(name, "rb") as source, destination.open("wb") as copy:
                    shutil.copyfileobj(source, copy)
            except FileNotFoundError:
                self.stderr.write(f"missing file, not exported: {name}")
        with (target / "region.json").open("w", encoding="utf-8") as handle:
            json.dump(data, handle, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
        return files

    @transaction.atomic
    def _purge(self, region: Region) -> dict[str, int]:
        counts: dict[str, int] = {}
        pending = regional_models()
        while pending:
            waiting = []
            for model in pending:
                try:
                    with transaction.atomic():
                        _deleted, per_model = model._base_manager.filter(region=region).delete()
                except (ProtectedError, RestrictedError):
                    waiting.append(model)
                    continue
                for label, count in per_model.items():
                    counts[label] = counts.get(label, 0) + count
            if len(waiting) == len(pending):
                names = ", ".join(model._meta.label for model in waiting)
                raise CommandError(f"Rows of {names} are still protected by other rows; nothing was deleted.")
            pending = waiting
        try:
            region.delete()
        except (ProtectedError, RestrictedError) as error:
            raise CommandError(f"{region.name} is still named by other rows; nothing was deleted: {error}") from None
        return counts

    def _delete_files(self, files) -> None:
        for storage, name in files:
            try:
                storage.delete(name)
            except OSError:
                self.stderr.write(f"could not delete the file {name}")
