"""System checks of public records: ``manage.py check --deploy`` names every retention rule that has no
disposal decision in an active region (core/retention.py): in production such a rule does not run."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core import checks
from django.db import DatabaseError, connection


def _database_has_decisions_table() -> bool:
    """Whether there is a migrated database to read (never creating an SQLite file that is not there:
    ``check --deploy`` may run in a build, before the database exists)."""
    from .models import DisposalDecision

    if connection.vendor == "sqlite":
        name = str(connection.settings_dict.get("NAME") or "")
        if name and name != ":memory:" and "mode=memory" not in name and not Path(name).exists():
            return False
    return DisposalDecision._meta.db_table in connection.introspection.table_names()


def missing_decisions() -> list[tuple[object, object]]:
    """(region, rule) for every active region and rule without the decision the rule carries out."""
    from .models import Region
    from .regions import all_regions
    from .retention import rules_without_decision

    with all_regions():
        regions = list(Region.objects.active().order_by("name"))
    return [(region, rule) for region in regions for rule in rules_without_decision(region)]


@checks.register("records", deploy=True)
def retention_rules_have_decisions(app_configs=None, **kwargs):
    if settings.DEBUG:
        return []
    try:
        if not _database_has_decisions_table():
            return []  # nothing migrated yet: nothing can be missing
        missing = missing_decisions()
    except DatabaseError as error:
        # A build runs the deploy check before the database exists or answers (CI does): that is said, not
        # failed; the check that counts is the one run beside the database, after `migrate`.
        return [
            checks.Info(
                f"The disposal decisions could not be read: {type(error).__name__}.",
                hint="Run the check where the database answers to see which retention rules lack a decision.",
                id="core.I010",
            )
        ]
    return [
        checks.Error(
            f"The retention rule “{rule.name}” ({rule.title or rule.name}) has no disposal decision "
            f"“{rule.decision}” in {region.name}: it does not run there.",
            hint="Record the region's decision in the admin (Gallringsbeslut): reference, date and who decided.",
            obj=f"retention rule {rule.name}",
            id="core.E010",
        )
        for region, rule in missing
    ]
