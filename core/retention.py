"""Retention of personal data and records, as promised on the privacy page and the records page
("Så hanterar vi handlingar", core/templates/core/records.html).

Each app declares its rules in its ``portal.py`` (``portal.retention(...)``, see core/registry.py): a
function ``purge(*, now) -> dict | int`` that anonymises or deletes what it no longer needs, the texts that
describe it, and the key of the disposal decision (gallringsbeslut) it carries out. A region is a public
authority: it may dispose of records only by a decision, which it records in the admin
(``core.models.DisposalDecision``). In production (``DEBUG`` off) a rule runs only in a region that has
recorded its decision; otherwise it is logged and skipped, and ``manage.py check --deploy`` names it
(core/checks.py). ``personal_data_purge`` runs the rules in the region in force; the daily task
``core.tasks.purge_personal_data`` runs it once in every active region (``@for_each_region``), so each
app's rule only ever sees the rows of one region at a time.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from .region_state import RegionMissing, current_region
from .registry import RetentionRule, portal

logger = logging.getLogger(__name__)
SKIPPED = {"skipped": "no disposal decision"}


def decisions(region) -> dict[str, Any]:
    """The disposal decisions ``region`` has recorded, by key."""
    from .models import DisposalDecision

    return {d.key: d for d in DisposalDecision.objects.with_scope(region=region.pk).filter(region=region)}


def rules_without_decision(region=None) -> list[RetentionRule]:
    """The rules that have no decision in ``region`` (the region in force when None)."""
    region = region or current_region()
    recorded = decisions(region) if region is not None else {}
    return [rule for rule in portal.retention_rules() if rule.decision not in recorded]


def personal_data_purge(*, now=None) -> dict:
    """Run every registered retention rule once in the region in force, those without a disposal decision
    only when ``DEBUG`` is on (development). Idempotent: a second run finds nothing left to do."""
    region = current_region()
    if region is None:
        raise RegionMissing("the personal-data purge runs in one region: use region_scope or the daily task")
    now = now or timezone.now()
    recorded = decisions(region)
    result = {}
    for rule in portal.retention_rules():
        if rule.decision not in recorded and not settings.DEBUG:
            logger.warning(
                "retention rule %s skipped in %s: no disposal decision %r", rule.name, region.short_name, rule.decision
            )
            result[rule.name] = SKIPPED
            continue
        result[rule.name] = rule.run(now=now)
    logger.info("personal data purge in %s: %s", region.short_name, result)
    return result


@dataclass(frozen=True)
class RuleRow:
    """One rule as the public pages show it, with the region's decision (or None)."""

    rule: RetentionRule
    decision: Any

    @property
    def title(self):
        return self.rule.title or self.rule.name

    @property
    def after(self) -> str:
        return self.rule.after_text()


def rule_rows(region) -> list[RuleRow]:
    """Every rule with the decision ``region`` recorded for it (for the privacy and records pages)."""
    recorded = decisions(region) if region is not None else {}
    return [RuleRow(rule=rule, decision=recorded.get(rule.decision)) for rule in portal.retention_rules()]
