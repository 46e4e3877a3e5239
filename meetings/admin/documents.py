"""Meeting documents: inline on the meeting and their own list (files through the checked storage widget)."""

from django.contrib import admin

from core.files import ADMIN_FILE_OVERRIDES

from ..models import MeetingDocument
from .common import MeetingListFilter, meeting_column


class MeetingDocumentInline(admin.TabularInline):
    model = MeetingDocument
    extra = 0
    fields = ("order", "kind", "title", "file", "url")
    formfield_overrides = ADMIN_FILE_OVERRIDES


@admin.register(MeetingDocument)
class MeetingDocumentAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", meeting_column)
    list_filter = ("kind", ("meeting", MeetingListFilter))
    search_fields = ("title", "meeting__title")
    list_select_related = ("meeting",)
    formfield_overrides = ADMIN_FILE_OVERRIDES
