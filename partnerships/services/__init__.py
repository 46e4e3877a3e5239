"""Writes with business rules for grants and partnerships: applying, assessing, deciding, reporting.

``now`` is a keyword on every service that depends on the clock, so that tests set the time instead of
waiting for it. A package by concern; modules import downward only (``common`` and ``mail`` are shared),
and this module re-exports the public names.
"""

from .applications import (
    ApplicationLockedError,
    application_save,
    application_submit,
)
from .assessments import assessment_declare_conflict, assessment_save
from .decisions import decision_announce, decision_announce_preview, decision_prepare
from .reports import report_review, report_review_preview, report_submit, reports_remind

__all__ = [
    "ApplicationLockedError",
    "application_save",
    "application_submit",
    "assessment_declare_conflict",
    "assessment_save",
    "decision_announce",
    "decision_announce_preview",
    "decision_prepare",
    "report_review",
    "report_review_preview",
    "report_submit",
    "reports_remind",
]
