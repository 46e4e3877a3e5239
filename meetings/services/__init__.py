"""Every write with a business rule about meetings and registrations (keyword-only, atomic).

E-mails go through the outbox and are sent after commit.
"""

from .common import RegistrationResult
from .evaluations import evaluation_submit, evaluation_summary, meeting_send_evaluation
from .meeting import (
    meeting_copy,
    meeting_message_participants,
    meeting_save,
    meeting_send_documentation,
    meeting_send_documentation_preview,
    meeting_update,
    speakers_send_confirmations,
)
from .registrations import (
    CheckInResult,
    registration_cancel,
    registration_check_in,
    registration_create,
    registration_record_join,
    registration_update,
    registrations_mark_attended,
)
from .reminders import reminders_plan

__all__ = [
    "speakers_send_confirmations",
    "evaluation_submit",
    "evaluation_summary",
    "meeting_send_evaluation",
    "CheckInResult",
    "registration_check_in",
    "registration_record_join",
    "RegistrationResult",
    "meeting_copy",
    "meeting_message_participants",
    "meeting_save",
    "meeting_send_documentation",
    "meeting_send_documentation_preview",
    "meeting_update",
    "registration_cancel",
    "registration_create",
    "registration_update",
    "registrations_mark_attended",
    "reminders_plan",
]
