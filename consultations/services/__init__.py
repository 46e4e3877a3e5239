"""Writes with business rules for consultations: opening, answering, reminders, closing and the compilation.

``now`` is a keyword on every service that depends on the clock, so that tests set the time instead
of waiting for it. Every write the public can see moves the page version on (``pages_changed``).

A package by concern; its modules import downward only (steps, answers and reminders use problems
and recipients, never each other), and this module re-exports the public names, so
``from consultations import services; services.answer_save(...)`` and
``from consultations.services import X`` keep working. Patch a name where it is looked up
(``consultations.services.answers.X``), not here.
"""

from ..cache import pages_changed
from .answers import (
    AnswerLockedError,
    ConsultationClosedError,
    answer_allow_late,
    answer_reopen,
    answer_reopen_preview,
    answer_save,
    answer_submit,
)
from .events import consultations_announce_closing
from .recipients import organisation_recipients, recipients_count
from .reminders import reminders_plan
from .steps import (
    compilation_publish,
    compilation_publish_preview,
    consultation_close,
    consultation_close_preview,
    consultation_open,
    consultation_open_preview,
    consultation_step_back,
    consultation_step_back_preview,
    consultations_close_due,
    section_response_set,
)

__all__ = [
    "AnswerLockedError",
    "ConsultationClosedError",
    "answer_allow_late",
    "answer_reopen",
    "answer_reopen_preview",
    "answer_save",
    "answer_submit",
    "compilation_publish",
    "compilation_publish_preview",
    "consultation_close",
    "consultation_close_preview",
    "consultation_open",
    "consultation_open_preview",
    "consultation_step_back",
    "consultation_step_back_preview",
    "consultations_announce_closing",
    "consultations_close_due",
    "organisation_recipients",
    "pages_changed",
    "recipients_count",
    "reminders_plan",
    "section_response_set",
]
