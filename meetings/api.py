"""The open data API's meetings (see api/registry.py).

Published meetings (and cancelled ones, marked so, as on the public pages); never a draft, never the
online link, never a registration or anything about participants. The contact person's name, e-mail
and phone are left out too: the public page shows them to a visitor, a bulk harvest does not get them.
"""

import django_filters
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers

from api.conventions import PublicViewSet, StrictOrderingFilter
from api.fields import (
    NULLABLE_URI,
    ApiUrlField,
    LabelField,
    PageUrlField,
    TextLanguageField,
    TranslatedTextField,
    absolute,
    absolute_reverse,
)
from api.filters import DateTimeFilter
from api.registry import api

from .models import Meeting, MeetingDocument, ProgrammeItem
from .selectors import REGISTRATIONS_SCOPE, meeting_scope, pages

REGISTRATION_STATES = ["open", "waitlist", "full", "not_open", "closed", "cancelled"]


class SpeakerSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True, help_text=_("Name of the speaker (published in the programme)."))
    title = serializers.CharField(read_only=True, help_text=_("The speaker's title or role, may be empty."))
    organisation = serializers.CharField(read_only=True, help_text=_("The speaker's organisation, may be empty."))


class ProgrammeItemSerializer(serializers.Serializer):
    order = serializers.IntegerField(read_only=True, help_text=_("Position in the programme."))
    start_time = serializers.TimeField(read_only=True, allow_null=True, help_text=_("Local time it starts, or null."))
    end_time = serializers.TimeField(read_only=True, allow_null=True, help_text=_("Local time it ends, or null."))
    title = TranslatedTextField(help_text=_("Title of the talk or item."))
    title_lang = TextLanguageField("title")
    description = TranslatedTextField(help_text=_("Description, may be empty."))
    description_lang = TextLanguageField("description")
    speakers = SpeakerSerializer(many=True, read_only=True, help_text=_("Speakers, in order."))


class DocumentSerializer(serializers.Serializer):
    kind = serializers.CharField(read_only=True, help_text=_("minutes, slides, recording or other."))
    kind_label = LabelField("kind")
    title = serializers.CharField(read_only=True, help_text=_("Title of the document."))
    url = serializers.SerializerMethodField(
        help_text=_("Link: an uploaded file through the portal's document view, or the external address.")
    )

    @extend_schema_field(NULLABLE_URI)
    def get_url(self, document: MeetingDocument) -> str | None:
        request = self.context.get("request")
        if document.file:
            return absolute_reverse(request, "meetings:document", slug=document.meeting.slug, pk=document.pk)
        return absolute(request, document.url) if document.url else None


class VenueSerializer(serializers.Serializer):
    name = serializers.CharField(source="venue_name", read_only=True, help_text=_("Name of the venue."))
    address = serializers.CharField(
        source="venue_address", read_only=True, help_text=_("Street address, may be empty.")
    )


class RegistrationSerializer(serializers.Serializer):
    state = serializers.ChoiceField(
        choices=REGISTRATION_STATES, read_only=True, help_text=_("Whether one can sign up now.")
    )
    opens = serializers.DateTimeField(
        source="registration_opens",
        read_only=True,
        allow_null=True,
        help_text=_("When registration opens (null: it is open from publication)."),
    )
    closes = serializers.DateTimeField(
        source="closes_at", read_only=True, help_text=_("When registration closes (the start if none was set).")
    )
    waitlist = serializers.BooleanField(
        source="waitlist_enabled", read_only=True, help_text=_("Whether a full meeting takes a waitlist.")
    )
    url = serializers.SerializerMethodField(help_text=_("Where to sign up (the public registration form)."))

    @extend_schema_field(NULLABLE_URI)
    def get_url(self, meeting) -> str | None:
        return absolute_reverse(self.context.get("request"), "meetings:register", slug=meeting.slug)

    def to_representation(self, meeting):
        data = super().to_representation(meeting)
        data["state"] = meeting.registration_state(confirmed=meeting.confirmed_count, now=self.context.get("now"))
        return data


class ContactSerializer(serializers.Serializer):
    organiser = serializers.CharField(read_only=True, help_text=_("Who organises the meeting."))
    url = serializers.SerializerMethodField(help_text=_("The public page, where the contact person is named."))

    @extend_schema_field(NULLABLE_URI)
    def get_url(self, meeting) -> str | None:
        return absolute(self.context.get("request"), meeting.get_absolute_url() + "#contact-title")


class MeetingSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text=_("Stable numeric id."))
    slug = serializers.SlugField(read_only=True, help_text=_("Stable text id, used in the URLs."))
    url = PageUrlField()
    api_url = ApiUrlField("api:meeting-detail")
    title = TranslatedTextField(help_text=_("Title of the meeting."))
    title_lang = TextLanguageField("title")
    summary = TranslatedTextField(help_text=_("One-paragraph summary, may be empty."))
    summary_lang = TextLanguageField("summary")
    description = TranslatedTextField(help_text=_("Description (plain text), may be empty."))
    description_lang = TextLanguageField("description")
    status = serializers.ChoiceField(
        choices=["published", "cancelled"],
        read_only=True,
        help_text=_("published, or cancelled (kept, marked as cancelled)."),
    )
    status_label = LabelField("status")
    start = serializers.DateTimeField(read_only=True, help_text=_("Start, ISO 8601 with the offset."))
    end = serializers.DateTimeField(read_only=True, help_text=_("End, ISO 8601 with the offset."))
    time_zone = serializers.SerializerMethodField(help_text=_("The time zone of the meeting (IANA name)."))
    format = serializers.CharField(read_only=True, help_text=_("digital, physical or hybrid."))
    format_label = LabelField("format")
    venue = serializers.SerializerMethodField(help_text=_("Where it takes place (physical and hybrid), or null."))
    capacity = serializers.IntegerField(read_only=True, allow_null=True, help_text=_("Places (null: unlimited)."))
    places_left = serializers.SerializerMethodField(help_text=_("Places left (null: unlimited)."))
    registration = RegistrationSerializer(source="*", read_only=True, help_text=_("Registration window and state."))
    topics = serializers.ListField(
        source="topic_list", child=serializers.CharField(), read_only=True, help_text=_("Topics.")
    )
    contact = ContactSerializer(source="*", read_only=True, help_text=_("Who organises it."))
    programme = ProgrammeItemSerializer(
        source="programme_items", many=True, read_only=True, help_text=_("Programme items with speakers, in order.")
    )
    documents = DocumentSerializer(many=True, read_only=True, help_text=_("Minutes, slides and other documents."))
    calendar_url = serializers.SerializerMethodField(help_text=_("The meeting as an iCalendar file."))
    modified = serializers.DateTimeField(source="updated_at", read_only=True, help_text=_("Last change (ISO 8601)."))

    class Meta:
        model = Meeting
        fields = [
            "id", "slug", "url", "api_url", "title", "title_lang", "summary", "summary_lang", "description",
            "description_lang", "status", "status_label",
            "start", "end", "time_zone", "format", "format_label", "venue", "capacity", "places_left",
            "registration", "topics", "contact", "programme", "documents", "calendar_url", "modified",
        ]  # fmt: skip

    def get_time_zone(self, meeting) -> str:
        return timezone.get_current_timezone_name()

    @extend_schema_field(VenueSerializer(allow_null=True))
    def get_venue(self, meeting):
        return VenueSerializer(meeting).data if meeting.has_venue else None

    def get_places_left(self, meeting) -> int | None:
        return meeting.places_left(meeting.confirmed_count)

    @extend_schema_field(NULLABLE_URI)
    def get_calendar_url(self, meeting) -> str | None:
        return absolute_reverse(self.context.get("request"), "meetings:ics", slug=meeting.slug)


class MeetingFilter(django_filters.FilterSet):
    when = django_filters.ChoiceFilter(
        choices=[("upcoming", "upcoming"), ("past", "past")], method="filter_when",
        label=_("upcoming (not yet ended) or past (the archive)"),
    )  # fmt: skip
    format = django_filters.ChoiceFilter(choices=Meeting.Format.choices, label=_("digital, physical or hybrid"))
    status = django_filters.ChoiceFilter(
        choices=[("published", "published"), ("cancelled", "cancelled")], label=_("published or cancelled")
    )
    start_from = DateTimeFilter(field_name="end", lookup_expr="gte", label=_("Ends at or after"))
    start_to = DateTimeFilter(field_name="start", lookup_expr="lte", label=_("Starts at or before"))
    q = django_filters.CharFilter(method="search", label=_("Search in title, summary and topics"))
    modified_since = DateTimeFilter(
        field_name="updated_at", lookup_expr="gte", label=_("Changed at or after (ISO 8601)")
    )

    class Meta:
        model = Meeting
        fields = ["when", "format", "status", "start_from", "start_to", "q", "modified_since"]

    def filter_when(self, queryset, name, value):
        now = timezone.now()
        return queryset.filter(end__gte=now) if value == "upcoming" else queryset.filter(end__lt=now)

    def search(self, queryset, name, value):
        from django.db.models import Q

        value = value.strip()
        if not value:
            return queryset
        matching = Meeting.objects.filter(topics__name__icontains=value).values("pk")
        return queryset.filter(Q(title__icontains=value) | Q(summary__icontains=value) | Q(pk__in=matching))


MEETING_EXAMPLE = OpenApiExample(
    "The digital meeting of 4 May 2022 (shortened)",
    summary=_("The digital meeting of 4 May 2022 (shortened)"),
    value={
        "id": 2,
        "slug": "samverkan-civilsamhallet-4-maj-2022",
        "url": "https://samverkan.example.se/moten/samverkan-civilsamhallet-4-maj-2022/",
        "api_url": "https://samverkan.example.se/api/v1/meetings/samverkan-civilsamhallet-4-maj-2022/",
        "title": "Samverkan med civilsamhället – flyktingsituationen och folkhälsan",
        "title_lang": "sv",
        "status": "published",
        "status_label": "Publicerat",
        "start": "2022-05-04T09:00:00+02:00",
        "end": "2022-05-04T12:00:00+02:00",
        "time_zone": "Europe/Stockholm",
        "format": "digital",
        "format_label": "Digitalt",
        "venue": None,
        "capacity": None,
        "places_left": None,
        "registration": {"state": "closed", "opens": None, "closes": "2022-05-04T09:00:00+02:00", "waitlist": True,
                         "url": "https://samverkan.example.se/moten/samverkan-civilsamhallet-4-maj-2022/anmalan/"},
        "topics": ["flyktingsituationen", "folkhälsa", "God och nära vård"],
        "programme": [{"order": 1, "start_time": "09:00:00", "end_time": "09:30:00", "title": "Rätten till vård",
                       "title_lang": "sv", "description": "", "description_lang": "sv", "speakers": [{"name": "Anna-Karin Öberg", "title": "asylsamordnare",
                                                        "organisation": ""}]}],
    },
)  # fmt: skip


@extend_schema_view(retrieve=extend_schema(examples=[MEETING_EXAMPLE]))
class MeetingViewSet(PublicViewSet):
    """``/api/v1/meetings/``."""

    api_description = _("Meetings as on the public pages: published and cancelled, never drafts.")

    serializer_class = MeetingSerializer
    filter_backends = [DjangoFilterBackend, StrictOrderingFilter]
    filterset_class = MeetingFilter
    ordering_fields = {"start": ("start",), "title": ("title",), "modified": ("updated_at",), "id": ("id",)}
    ordering = ("start",)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request, no region
            return Meeting.objects.none()
        return (
            Meeting.objects.visible()
            .with_counts()
            .prefetch_related(
                Prefetch("programme_items", queryset=ProgrammeItem.objects.prefetch_related("speakers")),
                Prefetch("documents", queryset=MeetingDocument.objects.select_related("meeting")),
                "topics",
            )
        )

    def cache_follows(self) -> list[str]:
        # The list shows every meeting's places left; a meeting's page only its own (as the pages).
        if self.action_name() == "retrieve":
            return [pages.namespace, f"{pages.namespace}:{meeting_scope(self.kwargs.get('slug', ''))}"]
        return [pages.namespace, f"{pages.namespace}:{REGISTRATIONS_SCOPE}"]

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}


api.register("meetings", MeetingViewSet, basename="meeting")
api.dataset(
    "meetings",
    title={"sv": "Dialogmöten", "en": "Dialogue meetings"},
    description={
        "sv": "Regionens möten med det civila samhället: tid, format, plats, platser kvar, anmälan, ämnen, "
        "program med talare och dokument.",
        "en": "The region's meetings with civil society: time, format, venue, places left, registration, "
        "topics, programme with speakers and documents.",
    },
    keywords={"sv": ["dialogmöten", "civilsamhälle", "samverkan"], "en": ["meetings", "civil society"]},
    endpoint="api:meeting-list",
    page="meetings:list",
    order=10,
)
