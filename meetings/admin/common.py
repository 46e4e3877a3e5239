"""Pieces the meeting admins share: the meeting filter and column, and the on-site/online split."""

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..models import Registration

ATTENDANCE_PARAM = "deltar"


class MeetingListFilter(admin.RelatedFieldListFilter):
    """ "Efter möte", not "På meeting" (the foreign keys carry no verbose name of their own)."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        self.title = _("meeting")


@admin.display(description=_("meeting"), ordering="meeting__start")
def meeting_column(obj):
    return obj.meeting


def attendance_q(attendance: str) -> Q:
    """Registrations that take part this way; on site includes those who chose nothing (one-format sign-ups)."""
    if attendance == Registration.Attendance.ONLINE:
        return Q(attendance=Registration.Attendance.ONLINE)
    return ~Q(attendance=Registration.Attendance.ONLINE)
