"""The accessibility statement as a page shows it: the region's own for the reader's language, or, until the
region has written one, the portal's own statement (its known shortcomings, how it is tested) with the
region's name and contact."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .models import AccessibilityCheck, AccessibilityStatement, InaccessibleContent

# When the portal's own statement was last assessed and reviewed (the portal's code: axe-core on every page in
# the browser tests, keyboard and screen-reader checks by hand).
PORTAL_ASSESSED_ON = dt.date(2026, 11, 16)
PORTAL_REVIEWED_ON = dt.date(2026, 12, 7)

REASONS = [choice for choice, _label in InaccessibleContent.Reason.choices]


@dataclass
class StatementView:
    compliance: str
    introduction: str
    assessment_method: str
    assessed_on: dt.date
    reviewed_on: dt.date
    response_time: str
    shortcomings: dict[str, list[str]] = field(default_factory=dict)  # reason -> descriptions, in REASONS order
    is_portal_default: bool = False

    @property
    def has_shortcomings(self) -> bool:
        return any(self.shortcomings.values())


def _portal_statement() -> StatementView:
    return StatementView(
        compliance=AccessibilityStatement.Compliance.PARTIAL,
        introduction="",
        assessment_method=_(
            "Self-assessment. Every public page and form is tested automatically in a browser with axe-core on "
            "every change of the code; changes that cause serious or critical faults cannot be published. We "
            "also check the pages by hand with keyboard only, with a screen reader and at 320 pixels width."
        ),
        assessed_on=PORTAL_ASSESSED_ON,
        reviewed_on=PORTAL_REVIEWED_ON,
        response_time=_("within five working days"),
        shortcomings={
            InaccessibleContent.Reason.NON_COMPLIANCE: [
                _(
                    "Documents the region uploads, such as minutes and slides from meetings, may be PDF files "
                    "that are not fully accessible (WCAG 2.1, 1.3.1 and 4.1.2)."
                ),
                _(
                    "The administration pages for the region's coordinators build on Django's standard admin "
                    "and have not been reviewed as closely as the public pages."
                ),
            ],
            InaccessibleContent.Reason.DISPROPORTIONATE_BURDEN: [],
            InaccessibleContent.Reason.OUTSIDE_SCOPE: [
                _(
                    "Recordings of digital meetings published before 23 September 2020 may lack captions "
                    "(recorded media published before that date is outside the scope of the law)."
                ),
            ],
        },
        is_portal_default=True,
    )


def statement_for(language: str) -> StatementView:
    """The statement in ``language`` of the region in force (the portal's own when it has none)."""
    statement = AccessibilityStatement.objects.filter(language=language).prefetch_related("shortcomings").first()
    if statement is None:
        return _portal_statement()
    grouped: dict[str, list[str]] = {reason: [] for reason in REASONS}
    for item in statement.shortcomings.all():
        grouped.setdefault(item.reason, []).append(item.description)
    return StatementView(
        compliance=statement.compliance,
        introduction=statement.introduction,
        assessment_method=statement.assessment_method,
        assessed_on=statement.assessed_on,
        reviewed_on=statement.reviewed_on,
        response_time=statement.response_time,
        shortcomings=grouped,
    )


def last_check() -> AccessibilityCheck | None:
    return AccessibilityCheck.objects.order_by("-checked_at").first()
