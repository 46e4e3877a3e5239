"""Meetings between the region and civil society: programme, registrations, reminders, documents.

A package of two modules; every model and public name is importable from ``meetings.models`` as before
(the migrations name ``meetings.models.new_join_token`` and the like)."""

from .meetings import Meeting, MeetingDocument, MeetingQuerySet, ProgrammeItem, Speaker, Topic, _document_path
from .registrations import (
    CHECKIN_ALPHABET,
    CHECKIN_CODE_LENGTH,
    MeetingEvaluation,
    Registration,
    RegistrationAnswer,
    RegistrationQuestion,
    Reminder,
    new_checkin_code,
    new_join_token,
)

__all__ = [
    "CHECKIN_ALPHABET",
    "CHECKIN_CODE_LENGTH",
    "Meeting",
    "MeetingDocument",
    "MeetingEvaluation",
    "MeetingQuerySet",
    "ProgrammeItem",
    "Registration",
    "RegistrationAnswer",
    "RegistrationQuestion",
    "Reminder",
    "Speaker",
    "Topic",
    "_document_path",
    "new_checkin_code",
    "new_join_token",
]
