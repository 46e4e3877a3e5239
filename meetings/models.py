"""Meetings between the region and civil society: programme, registrations, reminders, documents."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.files import ANY_DOCUMENT
from core.models import BilingualNameModel, RegionalModel
from core.regions import current_region_file_path, region_file_path, regional_manager


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
            confirmed_count=Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)),
            waitlisted_count=Count("registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED)),
            online_count=Count(
                "registrations",
                filter=Q(
                    registrations__status=Registration.Status.CONFIRMED,
                    registrations__attendance=Registration.Attendance.ONLINE,
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
    slug = models.SlugField(_("slug"), max_length=200)
    summary = models.CharField(_("summary"), max_length=400, blank=True)
    description = models.TextField(_("description"), blank=True)
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
            slots.append((Reminder.Kind.FIRST, self.reminder_before))
        if self.has_online_part and self.reminder_before_online:
            slots.append((Reminder.Kind.LAST, self.reminder_before_online))
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
    description = models.TextField(_("description"), blank=True)

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
CHECKIN_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CHECKIN_CODE_LENGTH = 8


def new_join_token() -> str:
    """The secret of a registration's personal join link (``/moten/<slug>/delta/<token>/``): 192 random bits."""
    return secrets.token_urlsafe(24)


def new_checkin_code() -> str:
    """The short code shown at the door (and in the QR code) for a physical or hybrid meeting."""
    return "".join(secrets.choice(CHECKIN_ALPHABET) for _ in range(CHECKIN_CODE_LENGTH))


class Registration(RegionalModel):
    class Attendance(models.TextChoices):
        ON_SITE = "on_site", _("On site")
        ONLINE = "online", _("Online")

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waitlist")
        CANCELLED = "cancelled", pgettext_lazy("registration", "Cancelled")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="meeting_registrations"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_registrations",
        verbose_name=_("organisation"),
    )
    organisation_name = models.CharField(_("organisation (free text)"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=200, blank=True)
    present_example = models.BooleanField(_("wishes to present a good example"), default=False)
    organisation_public = models.BooleanField(
        _("organisation may be named as taking part"),
        default=False,
        help_text=_(
            "Consent given when registering: the organisation is listed on the meeting's page after the meeting."
        ),
    )
    example_description = models.TextField(_("the good example"), blank=True)
    needs = models.TextField(_("access or dietary needs"), blank=True)
    attendance = models.CharField(
        _("takes part"),
        max_length=16,
        choices=Attendance.choices,
        blank=True,
        help_text=_("For hybrid meetings: on site or online. Empty for meetings of one format."),
    )
    consent_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    privacy_policy_version = models.CharField(_("privacy policy version"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=8, default="sv")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.CONFIRMED)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    join_token = models.CharField(
        _("personal join link"), max_length=64, unique=True, default=new_join_token, editable=False
    )
    checkin_code = models.CharField(
        _("check-in code"), max_length=16, unique=True, default=new_checkin_code, editable=False
    )
    joined_at = models.DateTimeField(_("joined online"), null=True, blank=True, editable=False)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True, editable=False)
    evaluation_sent_at = models.DateTimeField(_("evaluation sent"), null=True, blank=True, editable=False)
    # Whether the person has answered the evaluation; no time, so the answer cannot be told from it.
    evaluated = models.BooleanField(_("evaluation answered"), default=False, editable=False)
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)
    # The random token of the form that created this registration: a POST sent again with it (a retry
    # after a dropped connection, by the visitor or by a proxy) is answered from this row. Empty for
    # registrations made without the form (admin, demo data) or whose token was already taken.
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, editable=False)  # noqa: DJ001

    objects = regional_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "meeting",
                condition=~Q(status="cancelled"),
                name="registration_one_active_per_email",
            ),
            # Per region: a form token sent to another region's host is a new sign-up there, never an
            # answer from (or an error about) the other region's row.
            models.UniqueConstraint(
                fields=["region", "idempotency_key"], name="meetings_registration_idempotency_key_per_region"
            ),
        ]
        indexes = [models.Index(fields=["meeting", "status", "created_at"])]

    def __str__(self):
        return f"{self.name} – {self.meeting.title}"

    @property
    def organisation_display(self) -> str:
        return self.organisation.name if self.organisation_id else self.organisation_name

    @property
    def is_active(self) -> bool:
        return self.status != self.Status.CANCELLED

    @property
    def checkin_code_display(self) -> str:
        """The code in two groups of four (``ACDE-FGHJ``), as printed in the e-mail."""
        code = self.checkin_code or ""
        return f"{code[:4]}-{code[4:]}" if len(code) == 8 else code

    def get_join_url(self) -> str:
        """The personal join link (a path): the meeting link in the window, the waiting page before, the documentation after."""
        return reverse("meetings:join", kwargs={"slug": self.meeting.slug, "token": self.join_token})


class RegistrationQuestion(RegionalModel):
    """A question of a meeting's sign-up form, in Swedish and English (issue 24)."""

    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")
        ONE_CHOICE = "one_choice", _("One choice")
        SEVERAL_CHOICES = "several_choices", _("Several choices")
        YES_NO = "yes_no", _("Yes or no")

    CHOICE_KINDS = (Kind.ONE_CHOICE, Kind.SEVERAL_CHOICES)
    SHORT_MAX, LONG_MAX = 200, 2000

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SHORT_TEXT)
    text = models.CharField(_("question"), max_length=300)
    text_en = models.CharField(_("question in English"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=False)
    choices = models.TextField(
        _("choices"), blank=True, help_text=_("For one or several choices: one choice per line, in Swedish.")
    )
    choices_en = models.TextField(
        _("choices in English"), blank=True, help_text=_("The same choices in the same order, one per line.")
    )

    objects = regional_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("question at sign-up")
        verbose_name_plural = _("questions at sign-up")

    def __str__(self):
        return self.text

    def clean(self):
        errors = {}
        labels, labels_en = self.choice_list(), self.choice_list(english=True)
        if self.kind in self.CHOICE_KINDS and len(labels) < 2:
            errors["choices"] = _("Give at least two choices, one per line.")
        if labels_en and len(labels_en) != len(labels):
            errors["choices_en"] = _("Give as many English choices as Swedish ones, in the same order.")
        if len(set(labels)) != len(labels):
            errors["choices"] = _("Each choice must be different.")
        if errors:
            raise ValidationError(errors)

    def choice_list(self, *, english: bool = False) -> list[str]:
        source = self.choices_en if english else self.choices
        return [line.strip() for line in source.splitlines() if line.strip()]

    @property
    def display_text(self) -> str:
        from django.utils.translation import get_language

        return self.text_en if (get_language() or "sv").startswith("en") and self.text_en else self.text

    def display_choices(self) -> list[tuple[str, str]]:
        """(value, label) in the reader's language; the value is the Swedish label (what the answer keeps)."""
        from django.utils.translation import get_language

        labels = self.choice_list()
        english = self.choice_list(english=True)
        if (get_language() or "sv").startswith("en") and len(english) == len(labels):
            return list(zip(labels, english, strict=True))
        return [(label, label) for label in labels]


class RegistrationAnswer(RegionalModel):
    """An answer to a question at sign-up. The question's text (and the chosen labels) are kept with the
    answer as they were, so a question changed or removed after sign-ups keeps the answers given."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        RegistrationQuestion, on_delete=models.SET_NULL, null=True, blank=True, related_name="answers"
    )
    question_text = models.CharField(_("question"), max_length=300)
    value = models.TextField(_("answer"), blank=True)

    objects = regional_manager()

    class Meta:
        ordering = ["question__order", "pk"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["registration", "question"], name="meetings_answer_once_per_question")
        ]

    def __str__(self):
        return f"{self.question_text}: {self.value}"


class MeetingEvaluation(RegionalModel):
    """One attendee's evaluation of a meeting: a rating and a free text, with nothing that names them
    (no registration, no time); ``Registration.evaluated`` keeps it to one per person."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="evaluations")
    rating = models.PositiveSmallIntegerField(_("rating (1–5)"))
    comment = models.TextField(_("comment"), max_length=2000, blank=True)

    objects = regional_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="meetings_evaluation_rating_1_5")
        ]

    def __str__(self):
        return f"{self.meeting_id}: {self.rating}"


class Reminder(RegionalModel):
    """One reminder e-mail per (registration, kind): the constraint keeps a beat run twice from mailing twice."""

    class Kind(models.TextChoices):
        FIRST = "first", _("First reminder")
        LAST = "last", _("Last reminder (digital)")

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    created_at = models.DateTimeField(_("planned"), auto_now_add=True)
    email = models.ForeignKey("outbox.OutgoingEmail", on_delete=models.SET_NULL, null=True, blank=True)

    objects = regional_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [models.UniqueConstraint(fields=["registration", "kind"], name="reminder_once_per_kind")]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.registration_id}"
