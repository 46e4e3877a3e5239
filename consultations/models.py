"""Consultations (remisser): a draft in numbered sections, one official answer per invited organisation,
and the region's compilation (remissammanställning) of how the answers were handled."""

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.case_numbers import CaseNumbered, unique_case_number
from core.files import PDF_ONLY, private_storage
from core.models import RegionalModel
from core.regions import current_region_file_path, regional_manager
from organisations.models import MandatedAct

# Form limits that match what we store (TextField has no column limit; these keep answers readable).
BACKGROUND_MAX = 20_000
SECTION_TEXT_MAX = 20_000
COMMENT_MAX = 5_000
GENERAL_COMMENT_MAX = 10_000
RESPONSE_MAX = 10_000


def document_path(instance, filename: str) -> str:
    """Under the region's key (core/regions.py), with a random name."""
    return current_region_file_path("consultations/drafts", f"{uuid.uuid4().hex}.pdf")


def attachment_path(instance, filename: str) -> str:
    """A random name (the original file name may carry personal data), under the region's key."""
    return current_region_file_path("consultations/answers", f"{uuid.uuid4().hex}.pdf")


class ConsultationQuerySet(models.QuerySet):
    def public(self):
        """What the public sees: every consultation that has been opened, open ones first, then newest."""
        order = models.Case(models.When(status=Consultation.Status.OPEN, then=0), default=1)
        return self.exclude(status=Consultation.Status.DRAFT).order_by(order, "-closes_at", "title")


class Consultation(CaseNumbered, RegionalModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open for answers")
        CLOSED = "closed", _("closed")
        COMPILED = "compiled", _("compilation published")

    class Audience(models.TextChoices):
        SIGNATORIES = "signatories", _("the verified signatories of the linked agreement")
        CHOSEN = "chosen", _("the organisations chosen below")
        ALL_VERIFIED = "all_verified", _("every verified organisation")

    title = models.CharField(_("title"), max_length=250)
    title_en = models.CharField(_("title (English)"), max_length=250, blank=True)
    slug = models.SlugField(_("slug"), max_length=120)
    background = models.TextField(_("background"), max_length=BACKGROUND_MAX)
    background_en = models.TextField(_("background (English)"), max_length=BACKGROUND_MAX, blank=True)
    document = models.FileField(_("full document (PDF)"), upload_to=document_path, blank=True, validators=[PDF_ONLY])
    agreement = models.ForeignKey(
        "agreements.Agreement",
        verbose_name=_("agreement"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
    )
    action_plan = models.ForeignKey(
        "agreements.ActionPlan",
        verbose_name=_("action plan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
    )
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("deadline for answers"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    audience = models.CharField(_("who may answer"), max_length=15, choices=Audience.choices, default=Audience.CHOSEN)
    invited_organisations = models.ManyToManyField(
        "organisations.Organisation",
        verbose_name=_("invited organisations"),
        blank=True,
        related_name="consultation_invitations",
        help_text=_("Used when “who may answer” is the organisations chosen below."),
    )
    compilation_summary = models.TextField(_("summary of the compilation"), max_length=RESPONSE_MAX, blank=True)
    compiled_at = models.DateTimeField(_("compilation published"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = regional_manager(ConsultationQuerySet)

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-closes_at", "title"]
        constraints = [
            models.UniqueConstraint(fields=["region", "slug"], name="consultations_consultation_slug_per_region"),
            unique_case_number(),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("consultations:detail", kwargs={"slug": self.slug})

    def deadline_passed(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.closes_at

    def is_accepting(self, now: datetime | None = None) -> bool:
        """Open for answers right now (a coordinator may still let one organisation answer late)."""
        return self.status == self.Status.OPEN and not self.deadline_passed(now)

    def answers_are_public(self, now: datetime | None = None) -> bool:
        """After the deadline every submitted answer is a public document."""
        if self.status in (self.Status.CLOSED, self.Status.COMPILED):
            return True
        return self.status == self.Status.OPEN and self.deadline_passed(now)

    def phase(self, now: datetime | None = None) -> str:
        """draft, open, closed or compiled as the public sees it now (the deadline closes it at once)."""
        if self.status == self.Status.OPEN and self.deadline_passed(now):
            return self.Status.CLOSED
        return self.status

    @property
    def is_compiled(self) -> bool:
        return self.status == self.Status.COMPILED


class Section(RegionalModel):
    """A numbered section of the draft: what organisations take a position on."""

    consultation = models.ForeignKey(
        Consultation, verbose_name=_("consultation"), on_delete=models.CASCADE, related_name="sections"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    heading = models.CharField(_("heading"), max_length=250)
    heading_en = models.CharField(_("heading (English)"), max_length=250, blank=True)
    text = models.TextField(_("text"), max_length=SECTION_TEXT_MAX, blank=True)
    text_en = models.TextField(_("text (English)"), max_length=SECTION_TEXT_MAX, blank=True)

    objects = regional_manager()

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["consultation", "order", "id"]

    def __str__(self):
        return self.heading


class SectionResponse(RegionalModel):
    """The region's response on a section: how the answers were dealt with (written at close)."""

    section = models.OneToOneField(
        Section, verbose_name=_("section"), on_delete=models.CASCADE, related_name="region_response"
    )
    text = models.TextField(_("the region's response"), max_length=RESPONSE_MAX)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = regional_manager()

    class Meta:
        verbose_name = _("the region's response")
        verbose_name_plural = _("the region's responses")

    def __str__(self):
        return str(self.section)


class Position(models.TextChoices):
    AGREE = "agree", _("agree")
    PARTLY = "partly", _("agree in part")
    DISAGREE = "disagree", _("disagree")
    ABSTAIN = "abstain", _("abstain")


class Answer(RegionalModel, MandatedAct):
    """An organisation's one official answer (remissvar). Public once the consultation has closed."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", pgettext_lazy("answer", "submitted")

    consultation = models.ForeignKey(
        Consultation, verbose_name=_("consultation"), on_delete=models.CASCADE, related_name="answers"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="consultation_answers",
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True)
    general_comment = models.TextField(_("general comment"), max_length=GENERAL_COMMENT_MAX, blank=True)
    attachment = models.FileField(
        _("attachment (PDF)"),
        upload_to=attachment_path,
        storage=private_storage,
        blank=True,
        validators=[PDF_ONLY],
    )
    late_allowed = models.BooleanField(
        _("late answer allowed"), default=False, help_text=_("A coordinator has accepted an answer after the deadline.")
    )
    late = models.BooleanField(_("submitted late"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(pgettext_lazy("answer", "submitted"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = regional_manager()

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["consultation", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "organisation"], name="consultation_answer_once"),
            models.CheckConstraint(
                condition=~models.Q(state="submitted") | models.Q(submitted_at__isnull=False),
                name="consultation_answer_submitted_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} – {self.consultation}"

    @property
    def is_submitted(self) -> bool:
        return self.state == self.State.SUBMITTED


class SectionAnswer(RegionalModel):
    answer = models.ForeignKey(Answer, verbose_name=_("answer"), on_delete=models.CASCADE, related_name="sections")
    section = models.ForeignKey(Section, verbose_name=_("section"), on_delete=models.CASCADE, related_name="answers")
    position = models.CharField(_("position"), max_length=10, choices=Position.choices, blank=True)
    comment = models.TextField(_("comment"), max_length=COMMENT_MAX, blank=True)

    objects = regional_manager()

    class Meta:
        verbose_name = _("answer on a section")
        verbose_name_plural = _("answers on sections")
        ordering = ["answer", "section__order", "section_id"]
        constraints = [models.UniqueConstraint(fields=["answer", "section"], name="section_answer_once")]

    def __str__(self):
        return f"{self.answer} – {self.section}"


class Reminder(RegionalModel):
    """One reminder per (consultation, organisation, kind): a beat run twice never mails twice."""

    class Kind(models.TextChoices):
        WEEK = "week", _("7 days before the deadline")
        DAY = "day", _("1 day before the deadline")

    OFFSETS = {Kind.WEEK: timedelta(days=7), Kind.DAY: timedelta(days=1)}

    consultation = models.ForeignKey(
        Consultation, verbose_name=_("consultation"), on_delete=models.CASCADE, related_name="reminders"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(_("reminder sent"), auto_now_add=True)

    objects = regional_manager()

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "organisation", "kind"], name="consultation_reminder_once_per_kind"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.organisation}"


class Announcement(RegionalModel):
    """An event told once per consultation (issue 25): "closes soon" by the beat; the unique
    constraint keeps a second run, or a second worker, from telling the followers twice."""

    class Kind(models.TextChoices):
        CLOSING_SOON = "closing_soon", _("closes soon")

    consultation = models.ForeignKey(
        Consultation, verbose_name=_("consultation"), on_delete=models.CASCADE, related_name="announcements"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(_("told"), auto_now_add=True)

    objects = regional_manager()

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        constraints = [models.UniqueConstraint(fields=["consultation", "kind"], name="consultations_announcement_once")]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.consultation}"
