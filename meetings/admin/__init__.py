"""Coordinators' admin for meetings, one module per concern (Django's admin autodiscovery imports this package).

- ``meetings``: the meeting list and change page (counts, fill bar, inlines, copies after a save)
- ``lists``: the printable door list and check-in at the door
- ``actions``: the meeting list's actions (copy, send the documentation, message the participants)
- ``forms``: the change form's reminder choices and the message form
- ``registrations``: registrations (export, attendance, cancellation) and the reminder log
- ``programme``: programme items, speakers and topics
- ``documents``: meeting documents
"""

from . import documents, meetings, programme, registrations
from .common import ATTENDANCE_PARAM, MeetingListFilter, attendance_q, meeting_column
from .forms import REMINDER_OFFSETS, MeetingAdminForm, MessageForm, ReminderOffsetField, offset_label
from .meetings import MeetingAdmin
from .registrations import RegistrationAdmin

__all__ = [
    "ATTENDANCE_PARAM",
    "REMINDER_OFFSETS",
    "MeetingAdmin",
    "MeetingAdminForm",
    "MeetingListFilter",
    "MessageForm",
    "RegistrationAdmin",
    "ReminderOffsetField",
    "attendance_q",
    "documents",
    "meeting_column",
    "meetings",
    "offset_label",
    "programme",
    "registrations",
]
