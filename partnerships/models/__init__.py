"""Grants to civil society (calls, applications, assessments, decisions, follow-up reports) and the
register of idea-based public partnerships (IOP). A package by topic: ``grants`` and ``iop``."""

from .grants import (
    ANSWER_MAX,
    BUDGET_ROWS,
    SCORE_MAX,
    TEXT_MAX,
    Application,
    ApplicationAttachment,
    Assessment,
    BudgetLine,
    Criterion,
    CriterionScore,
    Decision,
    FollowUpReport,
    GrantCall,
    Question,
    ReportReminder,
)
from .iop import Partnership, PartnershipFollowUp

__all__ = [
    "ANSWER_MAX",
    "BUDGET_ROWS",
    "SCORE_MAX",
    "TEXT_MAX",
    "Application",
    "ApplicationAttachment",
    "Assessment",
    "BudgetLine",
    "Criterion",
    "CriterionScore",
    "Decision",
    "FollowUpReport",
    "GrantCall",
    "Partnership",
    "PartnershipFollowUp",
    "Question",
    "ReportReminder",
]
