"""The programme (inline on the meeting and its own list), speakers, and the topics meetings are filed under."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from core.admin_translated import BilingualAdminMixin

from ..models import ProgrammeItem, Speaker, Topic
from .common import MeetingListFilter, meeting_column


class ProgrammeItemInline(BilingualAdminMixin, admin.TabularInline):
    model = ProgrammeItem
    extra = 0
    fields = ("order", "start_time", "end_time", "title", "description", "speaker_list")
    readonly_fields = ("speaker_list",)
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("speakers")

    @admin.display(description=_("speakers"))
    def speaker_list(self, obj):
        return "; ".join(str(s) for s in obj.speakers.all()) if obj.pk else "–"


class SpeakerInline(admin.TabularInline):
    model = Speaker
    extra = 1
    fields = ("order", "name", "title", "organisation", "email", "registration", "confirmation_sent_at")
    readonly_fields = ("confirmation_sent_at",)
    raw_id_fields = ("registration",)


@admin.register(ProgrammeItem)
class ProgrammeItemAdmin(BilingualAdminMixin, admin.ModelAdmin):
    list_display = ("title", meeting_column, "start_time", "order")
    list_filter = (("meeting", MeetingListFilter),)
    search_fields = ("title", "speakers__name", "meeting__title")
    list_select_related = ("meeting",)
    inlines = [SpeakerInline]


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    list_display = ("name", "title", "organisation", "programme_item")
    list_filter = ("programme_item__meeting",)
    search_fields = ("name", "organisation", "programme_item__title")
    list_select_related = ("programme_item",)


@admin.register(Topic)
class TopicAdmin(BilingualAdminMixin, admin.ModelAdmin):
    list_display = ("name", "name_en", "slug", "meeting_count")
    search_fields = ("name", "name_en")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_meeting_count=Count("meetings"))

    @admin.display(description=_("meetings"), ordering="_meeting_count")
    def meeting_count(self, obj):
        return obj._meeting_count
