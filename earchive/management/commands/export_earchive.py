"""Deliver closed cases to the e-archive: one E-ARK package (ZIP) per case in a folder.

    manage.py export_earchive --region vgr --kind agreement --ids 1 2 --out /srv/leverans
    manage.py export_earchive --region vasternorrland --kind consultation --all-closed --out /srv/leverans

Every case is checked (of the region, closed) before anything is written; a package appears in the folder
only when it is whole, and when one fails, the packages of this run are removed again.
"""

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.models import Region
from core.regions import region_scope
from core.registry import portal
from earchive.services import cases_export_to


class Command(BaseCommand):
    help = "Export closed cases of a region as e-archive packages (E-ARK SIP, FGS 2.0) into a folder."

    def add_arguments(self, parser):
        parser.add_argument("--region", required=True, help="The region's short name.")
        parser.add_argument(
            "--kind", required=True, help="The kind of case: " + ", ".join(c.kind for c in portal.archive_cases())
        )
        parser.add_argument("--ids", nargs="*", type=int, default=[], help="The cases' ids.")
        parser.add_argument("--all-closed", action="store_true", help="Every closed case of the kind.")
        parser.add_argument("--out", required=True, help="The folder the packages are written to.")

    def handle(self, *args, **options):
        try:
            region = Region.objects.get(short_name=options["region"])
        except Region.DoesNotExist:
            raise CommandError(f"No region with the short name {options['region']!r}.") from None
        case = portal.archive_kind(options["kind"])
        if case is None:
            raise CommandError(f"Unknown kind {options['kind']!r}; one of {[c.kind for c in portal.archive_cases()]}.")
        if not options["ids"] and not options["all_closed"]:
            raise CommandError("Name the cases with --ids, or choose --all-closed.")
        with region_scope(region):
            objects = self._objects(case, options)
            try:
                written = cases_export_to(objects=objects, user=None, out_dir=Path(options["out"]))
            except (ValidationError, PermissionDenied) as error:
                raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from None
            except OSError as error:
                raise CommandError(
                    f"The export failed ({error}); no package of this run was left in the folder."
                ) from error
        for path in written:
            self.stdout.write(str(path))
        self.stdout.write(self.style.SUCCESS(f"{len(written)} package(s) written to {options['out']}."))

    def _objects(self, case, options):
        queryset = case.model_class()._default_manager.all()
        if options["all_closed"]:
            return [obj for obj in queryset.order_by("pk") if case.closed(obj)]
        found = {obj.pk: obj for obj in queryset.filter(pk__in=options["ids"])}
        missing = [pk for pk in options["ids"] if pk not in found]
        if missing:
            raise CommandError(f"No {case.kind} with the id(s) {missing} in this region.")
        return [found[pk] for pk in options["ids"]]
