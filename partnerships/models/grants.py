"""Grants to civil society: a call, the applications to it, their assessment, the decision and the
follow-up report. Amounts are whole kronor (as the region's grant decisions state them)."""

import uuid
from datetime import date, datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.case_numbers import CaseNumbered, unique_case_number
from core.files import ANY_DOCUMENT, private_storage
from core.models import RegionalModel
from core.regions import current_region_file_path, regional_manager
from organisations.models import MandatedAct

TEXT_MAX = 10_000
ANSWER_MAX = 5_000
SCORE_MAX = 5
BUDGET_ROWS = 8  # rows of the application form's budget (no JavaScript to add more)


def attachment_path(instance, filename: str) -> str:
    """A random name (the original file name may carry personal data), under the region's key."""
    suffix = filename.rsplit(".", 1)[-1].lower()[:8] if "." in filename else "bin"
    return current_region_file_path("partnerships/applications", f"{uuid.uuid4().hex}.{suffix}")


class GrantCallQuerySet(models.QuerySet):
    def public(self):
        return self.exclude(status=GrantCall.Status.DRAFT)


class GrantCall(CaseNumbered, RegionalModel):
    """A call for applications (utlysning): what the region supports, who may apply, how much."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", pgettext_lazy("call", "published")
        CLOSED = "closed", pgettext_lazy("call", "closed")

    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=120)
    purpose = models.TextField(_("purpose"), max_length=TEXT_MAX)
    who_may_apply = models.TextField(_("who may apply"), max_length=TEXT_MAX)
    area = models.ForeignKey(
        "organisations.AreaOfActivity",
        verbose_name=_("area"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    challenges = models.ManyToManyField(
        "challenges.Challenge",
        verbose_name=_("challenges"),
        blank=True,
        related_name="grant_calls",
        help_text=_("The challenges the call supports work on; their pages list its grants."),
    )
    amount_available = models.PositiveIntegerField(_("amount available (SEK)"))
    ceiling = models.PositiveIntegerField(_("highest amount per application (SEK)"))
    opens_on = models.DateField(_("opens"))
    closes_at = models.DateTimeField(_("last day to apply"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = regional_manager(GrantCallQuerySet)

    class Meta:
        verbose_name = _("grant call")
        verbose_name_plural = _("grant calls")
        ordering = ["-closes_at", "title"]
        constraints = [
            models.UniqueConstraint(fields=["region", "slug"], name="partnerships_call_slug_per_region"),
            models.CheckConstraint(condition=models.Q(ceiling__gt=0), name="partnerships_call_ceiling_positive"),
            unique_case_number(),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("grants:call", kwargs={"slug": self.slug})

    def is_open(self, now: datetime | None = None) -> bool:
        """Published, opened and before the deadline: applications are accepted."""
        now = now or timezone.now()
        return (
            self.status == self.Status.PUBLISHED and self.opens_on <= timezone.localdate(now) and now < self.closes_at
        )


class Criterion(RegionalModel):
    """What the assessors score (0–5) each application against."""

    call = models.ForeignKey(GrantCall, verbose_name=_("call"), on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("criterion"), max_length=250)
    description = models.TextField(_("description"), max_length=TEXT_MAX, blank=True)

    objects = regional_manager()

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["call", "order", "id"]

    def __str__(self):
        return self.name


class Question(RegionalModel):
    """A question the application form asks (answered in free text)."""

    call = models.ForeignKey(GrantCall, verbose_name=_("call"), on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("question"), max_length=500)
    required = models.BooleanField(_("required"), default=True)

    objects = regional_manager()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["call", "order", "id"]

    def __str__(self):
        return self.text


class Application(RegionalModel, MandatedAct):
    """An organisation's application to a call: one per call and organisation, a draft until submitted."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", pgettext_lazy("application", "submitted")
        ASSESSED = "assessed", _("assessed")
        GRANTED = "granted", _("granted")
        REFUSED = "refused", _("refused")

    call = models.ForeignKey(GrantCall, verbose_name=_("call"), on_delete=models.PROTECT, related_name="applications")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="grant_applications",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    title = models.CharField(_("project title"), max_length=200, blank=True)
    description = models.TextField(_("description"), max_length=TEXT_MAX, blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    amount_requested = models.PositiveIntegerField(_("amount applied for (SEK)"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("application", "submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(pgettext_lazy("application", "submitted"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = regional_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["call", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["call", "organisation"], name="partnerships_application_once"),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(submitted_at__isnull=False),
                name="partnerships_application_submitted_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} – {self.title or self.call}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def budget_total(self) -> int:
        return sum(line.amount for line in self.budget_lines.all())


class BudgetLine(RegionalModel):
    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="budget_lines"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    item = models.CharField(_("cost item"), max_length=200)
    amount = models.PositiveIntegerField(_("amount (SEK)"))

    objects = regional_manager()

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["application", "order", "id"]

    def __str__(self):
        return f"{self.item}: {self.amount}"


class ApplicationAttachment(RegionalModel):
    """A file the application comes with; checked on upload (``core.files``/``core.uploads``), private."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"), upload_to=attachment_path, storage=private_storage, validators=[ANY_DOCUMENT], max_length=200
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    # The form post's token (``core.forms.IdempotencyMixin``) and the file's contents, hashed together: the same
    # post sent twice (a double click on "Save draft") stores the file once.
    upload_key = models.CharField(max_length=64, blank=True, default="", editable=False)

    objects = regional_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["application", "uploaded_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "upload_key"],
                condition=~models.Q(upload_key=""),
                name="partnerships_attachment_once_per_post",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("grants:attachment", kwargs={"pk": self.application_id, "attachment": self.pk})


class Assessment(RegionalModel):
    """One assessor's assessment of one application. A declared conflict of interest keeps the assessor
    out: no scores can be given (``services.assessment_save``)."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="assessments"
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assessor"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    conflict_of_interest = models.BooleanField(
        _("conflict of interest declared"),
        default=False,
        help_text=_(
            "The assessor is related to the organisation (member of its board, employed, family) and stays out."
        ),
    )
    conflict_note = models.CharField(_("about the conflict"), max_length=500, blank=True)
    comment = models.TextField(_("overall comment"), max_length=TEXT_MAX, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = regional_manager()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["application", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "assessor"], name="partnerships_assessment_once"),
            models.CheckConstraint(
                condition=models.Q(conflict_of_interest=False) | models.Q(completed_at__isnull=True),
                name="partnerships_conflicted_assessment_never_completed",
            ),
        ]

    def __str__(self):
        return f"{self.application} – {self.assessor}"

    def total(self) -> int:
        return sum(score.score for score in self.scores.all())


class CriterionScore(RegionalModel):
    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(_("score (0–5)"))
    comment = models.TextField(_("comment"), max_length=ANSWER_MAX, blank=True)

    objects = regional_manager()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["assessment", "criterion__order", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="partnerships_score_once"),
            models.CheckConstraint(condition=models.Q(score__lte=SCORE_MAX), name="partnerships_score_at_most_5"),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}"


class DecisionQuerySet(models.QuerySet):
    def announced(self):
        return self.filter(decided_at__isnull=False)

    def public_grants(self):
        """What the region publishes: granted decisions, announced."""
        return self.announced().filter(outcome=Decision.Outcome.GRANTED)


class Decision(RegionalModel):
    """The region's decision on an application. Prepared by a coordinator, then announced (which mails
    the organisation); ``decided_at`` is set when announced."""

    class Outcome(models.TextChoices):
        GRANTED = "granted", _("granted")
        REFUSED = "refused", _("refused")

    application = models.OneToOneField(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="decision"
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    amount = models.PositiveIntegerField(_("granted amount (SEK)"), null=True, blank=True)
    reason = models.TextField(_("reason"), max_length=TEXT_MAX, blank=True)
    public_purpose = models.CharField(
        _("purpose as published"),
        max_length=300,
        blank=True,
        help_text=_("What the public list of grants says the money is for; the project title when empty."),
    )
    report_due_on = models.DateField(_("follow-up report due"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    case_number = models.CharField(_("case number"), max_length=50, blank=True)

    history = HistoricalRecords()
    objects = regional_manager(DecisionQuerySet)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-decided_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(outcome="granted") | models.Q(amount__gt=0),
                name="partnerships_grant_has_amount",
            ),
        ]

    def __str__(self):
        return f"{self.get_outcome_display()} – {self.application}"

    @property
    def purpose(self) -> str:
        return self.public_purpose or self.application.title or self.application.call.title


class FollowUpReport(RegionalModel):
    """What a granted organisation reports afterwards: what was done, how the money was used."""

    class Review(models.TextChoices):
        DUE = "due", _("waiting for the report")
        SUBMITTED = "submitted", pgettext_lazy("report", "submitted")
        APPROVED = "approved", _("approved")
        RETURNED = "returned", _("returned for completion")

    application = models.OneToOneField(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="report"
    )
    due_on = models.DateField(_("due"))
    what_was_done = models.TextField(_("what was done"), max_length=TEXT_MAX, blank=True)
    money_used = models.TextField(_("how the money was used"), max_length=TEXT_MAX, blank=True)
    amount_used = models.PositiveIntegerField(_("amount used (SEK)"), null=True, blank=True)
    review_status = models.CharField(
        _("review"), max_length=10, choices=Review.choices, default=Review.DUE, db_index=True
    )
    review_comment = models.TextField(_("review comment"), max_length=TEXT_MAX, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("report", "submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(pgettext_lazy("report", "submitted"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    history = HistoricalRecords()
    objects = regional_manager()

    class Meta:
        verbose_name = _("follow-up report")
        verbose_name_plural = _("follow-up reports")
        ordering = ["due_on", "id"]

    def __str__(self):
        return str(self.application)

    def is_overdue(self, today: date | None = None) -> bool:
        return self.review_status == self.Review.DUE and (today or timezone.localdate()) > self.due_on


class ReportReminder(RegionalModel):
    """One reminder per (report, kind): a beat run twice never mails twice."""

    class Kind(models.TextChoices):
        MONTH = "month", _("30 days before the due date")
        OVERDUE = "overdue", _("the due date has passed")

    report = models.ForeignKey(
        FollowUpReport, verbose_name=_("follow-up report"), on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(_("reminder sent"), auto_now_add=True)

    objects = regional_manager()

    class Meta:
        verbose_name = _("report reminder")
        verbose_name_plural = _("report reminders")
        constraints = [models.UniqueConstraint(fields=["report", "kind"], name="partnerships_report_reminder_once")]

    def __str__(self):
        return self.get_kind_display()
