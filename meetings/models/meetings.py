"""Meetings and what belongs to them: topics, the programme, speakers, documents."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.files import ANY_DOCUMENT
from core.models import BilingualNameModel, RegionalModel
from core.regions import current_region_file_path, region_file_path, regional_manager

from .choices import Attendance, RegistrationStatus, ReminderKind


class Topic(RegionalModel, BilingualNameModel):
    """A topic of meetings (e.g. "Folkhälsa"), kept by coordinators; each has a filtered list of meetings.
    Names and slugs are unique within a region (two regions may both have "Folkhälsa")."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100)

    objects = regional_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="meetings_topic_name_per_region"),
            models.UniqueConstraint(fields=["region", "slug"], name="meetings_topic_slug_per_region"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{reverse('meetings:list')}?amne={self.slug}"


class MeetingQuerySet(models.QuerySet):
    def visible(self):
        """What the public may see: everything but drafts (cancelled meetings stay, marked as cancelled)."""
        return self.exclude(status=Meeting.Status.DRAFT)

    def published(self):
        return self.filter(status=Meeting.Status.PUBLISHED)

    def upcoming(self, now=None):
        return self.filter(end__gte=now or timezone.now()).order_by("start")

    def past(self, now=None):
        return self.filter(end__lt=now or timezone.now()).order_by("-start")

    def with_counts(self):
        return self.annotate(
            confirmed_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)),
            waitlisted_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)),
            online_count=Count(
                "registrations",
                filter=Q(
                    registrations__status=RegistrationStatus.CONFIRMED,
                    registrations__attendance=Attendance.ONLINE,
                ),
            ),
        )


class Meeting(RegionalModel):
    class Format(models.TextChoices):
        DIGITAL = "digital", _("Digital")
        PHYSICAL = "physical", _("Physical")
        HYBRID = "hybrid", _("Hybrid (on site and online)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=200)
    summary = models.CharField(_("summary"), max_length=400, blank=True)
    summary_en = models.CharField(_("summary (English)"), max_length=400, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    format = models.CharField(_("format"), max_length=16, choices=Format.choices, default=Format.PHYSICAL)
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    venue_address = models.CharField(
        _("street address"),
        max_length=300,
        blank=True,
        help_text=_("Street, postcode and town, e.g. Storgatan 1, 852 30 Sundsvall. Linked to OpenStreetMap."),
    )
    venue_accessibility = models.TextField(
        _("accessibility of the venue"),
        max_length=1000,
        blank=True,
        help_text=_("E.g. step-free entrance, lift, hearing loop, accessible toilet, parking, public transport."),
    )
    online_link = models.URLField(
        _("online link"),
        blank=True,
        help_text=_("Only sent to confirmed participants; never shown on public pages."),
    )
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True, help_text=_("Empty means unlimited."))
    registration_opens = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes = models.DateTimeField(
        _("registration closes"), null=True, blank=True, help_text=_("Empty means at the start of the meeting.")
    )
    waitlist_enabled = models.BooleanField(_("waitlist"), default=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="meetings")
    areas = models.ManyToManyField(
        "organisations.AreaOfActivity", verbose_name=_("areas of activity"), blank=True, related_name="meetings"
    )
    organiser = models.CharField(_("organiser"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    reminder_before = models.DurationField(
        _("first reminder before the start"),
        null=True,
        blank=True,
        default=timedelta(days=2),
        help_text=_("For example 2 days, 0:00:00. Empty: no reminder."),
    )
    reminder_before_online = models.DurationField(
        _("last reminder before the start (digital and hybrid)"),
        null=True,
        blank=True,
        default=timedelta(hours=1),
        help_text=_("For example 1:00:00. Only for digital and hybrid meetings. Empty: no reminder."),
    )
    sequence = models.PositiveIntegerField(_("calendar revision"), default=0, editable=False)
    notified_80_at = models.DateTimeField(_("coordinators told 80 % full"), null=True, blank=True, editable=False)
    notified_full_at = models.DateTimeField(_("coordinators told full"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = regional_manager(MeetingQuerySet)

    class Meta:
        ordering = ["start"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="meeting_end_after_start"),
            models.UniqueConstraint(fields=["region", "slug"], name="meetings_meeting_slug_per_region"),
        ]

    def __str__(self):
        return f"{self.title} ({timezone.localtime(self.start):%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse("meetings:detail", kwargs={"slug": self.slug})

    def clean(self):
        errors = {}
        if self.has_venue and not self.venue_name:
            errors["venue_name"] = _("A meeting on site needs a venue.")
        if self.registration_opens and self.registration_closes and self.registration_closes <= self.registration_opens:
            errors["registration_closes"] = _("Registration must close after it opens.")
        if errors:
            raise ValidationError(errors)

    @property
    def has_online_part(self) -> bool:
        return self.format in (self.Format.DIGITAL, self.Format.HYBRID)

    @property
    def has_venue(self) -> bool:
        return self.format in (self.Format.PHYSICAL, self.Format.HYBRID)

    @property
    def is_past(self) -> bool:
        return self.end < timezone.now()

    @property
    def closes_at(self):
        return self.registration_closes or self.start

    @property
    def topic_list(self) -> list[str]:
        """The topics' Swedish names (the open data API); prefetch ``topics`` on lists."""
        return [topic.name for topic in self.topics.all()]

    @property
    def is_hybrid(self) -> bool:
        return self.format == self.Format.HYBRID

    @property
    def on_site_count(self) -> int:
        """Confirmed participants on site (needs ``with_counts()``): all of them unless the meeting is hybrid."""
        return getattr(self, "confirmed_count", 0) - getattr(self, "online_count", 0)

    @property
    def map_url(self) -> str:
        """A link to the address on OpenStreetMap (a search: no embedded map, no script, no tracking)."""
        if not self.has_venue or not (self.venue_address or self.venue_name):
            return ""
        from urllib.parse import urlencode

        query = self.venue_address or self.venue_name
        return "https://www.openstreetmap.org/search?" + urlencode({"query": query})

    def reminder_slots(self) -> list[tuple[str, timedelta]]:
        """(kind, offset before the start) of the reminders this meeting sends."""
        slots = []
        if self.reminder_before:
            slots.append((ReminderKind.FIRST, self.reminder_before))
        if self.has_online_part and self.reminder_before_online:
            slots.append((ReminderKind.LAST, self.reminder_before_online))
        return slots

    def places_left(self, confirmed: int) -> int | None:
        if self.capacity is None:
            return None
        return max(0, self.capacity - confirmed)

    def registration_state(self, *, confirmed: int, now=None) -> str:
        """Why someone can or cannot sign up now: open, waitlist, full, not_open, closed, cancelled, draft."""
        now = now or timezone.now()
        if self.status == self.Status.CANCELLED:
            return "cancelled"
        if self.status == self.Status.DRAFT:
            return "draft"
        if self.registration_opens and now < self.registration_opens:
            return "not_open"
        if now >= self.closes_at:
            return "closed"
        if self.capacity is not None and confirmed >= self.capacity:
            return "waitlist" if self.waitlist_enabled else "full"
        return "open"


class ProgrammeItem(RegionalModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="programme_items")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    start_time = models.TimeField(_("from"), null=True, blank=True)
    end_time = models.TimeField(_("to"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    objects = regional_manager()

    class Meta:
        ordering = ["order", "start_time", "pk"]
        verbose_name = _("programme item")
        verbose_name_plural = _("programme")

    def __str__(self):
        return self.title


class Speaker(RegionalModel):
    programme_item = models.ForeignKey(ProgrammeItem, on_delete=models.CASCADE, related_name="speakers")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    email = models.EmailField(
        _("e-mail"),
        blank=True,
        help_text=_("The speaker's own confirmation (practical details and personal join link) goes here."),
    )
    registration = models.ForeignKey(
        "Registration",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="speaker_roles",
        verbose_name=_("registration"),
        help_text=_("The speaker's registration for the meeting; made when the confirmation is sent if empty."),
    )
    confirmation_sent_at = models.DateTimeField(_("confirmation sent"), null=True, blank=True, editable=False)

    objects = regional_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def __str__(self):
        return ", ".join(part for part in (self.name, self.title, self.organisation) if part)


def _document_path(instance, filename: str) -> str:
    """Under the region's immutable key, by year (as before regions: meetings/documents/<year>/)."""
    kind = f"meetings/documents/{timezone.now():%Y}"
    if instance.region_id is not None:
        return region_file_path(instance.region, kind, filename)
    return current_region_file_path(kind, filename)


class MeetingDocument(RegionalModel):
    class Kind(models.TextChoices):
        MINUTES = "minutes", _("Minutes")
        SLIDES = "slides", _("Slides")
        RECORDING = "recording", _("Recording")
        OTHER = "other", _("Other")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.MINUTES)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"),
        upload_to=_document_path,
        blank=True,
        validators=[ANY_DOCUMENT],
        help_text=_("A PDF, an office document (OpenDocument, Word, Excel or PowerPoint) or an image."),
    )
    url = models.URLField(_("link"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = regional_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.CheckConstraint(condition=~Q(file="") | ~Q(url=""), name="meetingdocument_file_or_url"),
        ]

    def __str__(self):
        return self.title

    @property
    def file_url(self) -> str:
        """The uploaded file, through the view that applies the meeting page's access rules."""
        return reverse("meetings:document", kwargs={"slug": self.meeting.slug, "pk": self.pk})

    @property
    def href(self) -> str:
        return self.file_url if self.file else self.url


# The check-in code's letters: no 0/O, 1/I/L, 2/Z, 5/S, 8/B (easy to read aloud and to type from a phone).
