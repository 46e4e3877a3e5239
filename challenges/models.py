"""Challenges (utmaningar): what the region and civil society work on together, who takes part,
how it goes (dated updates) and the meetings and actions that address it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.case_numbers import CaseNumbered, unique_case_number
from core.files import DocumentValidator, private_storage
from core.models import RegionalModel
from core.region_state import current_region_id
from core.regions import current_region_file_path, regional_manager


def document_path(instance, filename: str) -> str:
    """Under the region's key (core/regions.py), by year as before."""
    from django.utils import timezone

    return current_region_file_path(f"challenges/documents/{timezone.now():%Y}", filename)


def region_staff():
    """Who may be a challenge's contact: staff who coordinate the region in force (a coordinator of another
    region is neither offered nor accepted)."""
    region_id = current_region_id()
    if region_id is None:
        return Q(is_staff=True)
    return Q(is_staff=True, coordinated_regions=region_id)


class ChallengeQuerySet(models.QuerySet):
    def public(self):
        """What everyone may see: published and accepted, in progress or concluded."""
        return self.filter(published=True, status__in=Challenge.PUBLIC_STATUSES)


class Challenge(CaseNumbered, RegionalModel):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        ACCEPTED = "accepted", pgettext_lazy("challenge status", "accepted")
        IN_PROGRESS = "in_progress", _("in progress")
        CONCLUDED = "concluded", _("concluded")
        DECLINED = "declined", _("declined")

    class RaisedBy(models.TextChoices):
        REGION = "region", _("the region")
        CIVIL_SOCIETY = "civil_society", _("civil society")

    PUBLIC_STATUSES = (Status.ACCEPTED, Status.IN_PROGRESS, Status.CONCLUDED)

    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=220)
    summary = models.CharField(_("summary"), max_length=400)
    summary_en = models.CharField(_("summary (English)"), max_length=400, blank=True)
    description = models.TextField(_("description"), max_length=10000, blank=True)
    description_en = models.TextField(_("description (English)"), max_length=10000, blank=True)
    raised_by = models.CharField(
        _("raised by"), max_length=20, choices=RaisedBy.choices, default=RaisedBy.CIVIL_SOCIETY, db_index=True
    )
    raising_organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("raising organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="raised_challenges",
    )
    raised_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by (person)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="raised_challenges",
    )
    areas = models.ManyToManyField(
        "organisations.AreaOfActivity", verbose_name=_("areas of activity"), blank=True, related_name="challenges"
    )
    municipalities = models.ManyToManyField(
        "organisations.Municipality", verbose_name=_("municipalities"), blank=True, related_name="challenges"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED, db_index=True
    )
    decline_reason = models.TextField(_("reason for declining"), max_length=5000, blank=True)
    outcome = models.TextField(_("outcome"), max_length=10000, blank=True)
    outcome_en = models.TextField(_("outcome (English)"), max_length=10000, blank=True)
    proposed_at = models.DateTimeField(_("proposed"), null=True, blank=True)
    accepted_at = models.DateTimeField(pgettext_lazy("challenge status", "accepted"), null=True, blank=True)
    started_at = models.DateTimeField(_("work started"), null=True, blank=True)
    concluded_at = models.DateTimeField(_("concluded"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined"), null=True, blank=True)
    published = models.BooleanField(
        _("published"), default=False, help_text=_("Accepted challenges are published; untick to hide one.")
    )
    in_focus = models.BooleanField(_("in focus on the home page"), default=False)
    contact_coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact coordinator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        limit_choices_to=region_staff,
        related_name="coordinated_challenges",
        help_text=_("Is told when organisations join or leave. Never shown publicly."),
    )
    meetings = models.ManyToManyField(
        "meetings.Meeting", verbose_name=_("meetings"), blank=True, related_name="challenges"
    )
    programme_items = models.ManyToManyField(
        "meetings.ProgrammeItem",
        verbose_name=_("talks"),
        blank=True,
        related_name="challenges",
        help_text=_("Talks in the linked meetings that address the challenge."),
    )
    actions = models.ManyToManyField(
        "agreements.Action", verbose_name=_("action-plan actions"), blank=True, related_name="challenges"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = regional_manager(ChallengeQuerySet)

    class Meta:
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(raised_by="region") | Q(raising_organisation__isnull=False),
                name="challenge_civil_society_has_organisation",
            ),
            models.UniqueConstraint(fields=["region", "slug"], name="challenges_challenge_slug_per_region"),
            unique_case_number(),
        ]
        indexes = [models.Index(fields=["published", "status", "-created_at"], name="challenge_public_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("challenges:detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.published and self.status in self.PUBLIC_STATUSES

    @property
    def is_open_for_joining(self) -> bool:
        return self.is_public and self.status != self.Status.CONCLUDED


class Participation(RegionalModel):
    """An organisation's part in a challenge; one per challenge and organisation."""

    class Role(models.TextChoices):
        RAISED = "raised", _("raised it")
        COORDINATES = "coordinates", _("coordinates")
        TAKES_PART = "takes_part", _("takes part")
        FOLLOWS = "follows", _("follows")

    # What a representative may choose when joining; "raised" and "coordinates" are set by the
    # raising flow and by coordinators.
    JOINABLE_ROLES = (Role.TAKES_PART, Role.FOLLOWS)

    challenge = models.ForeignKey(
        Challenge, verbose_name=_("challenge"), on_delete=models.CASCADE, related_name="participations"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="challenge_participations",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.TAKES_PART)
    joined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("joined by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    history = HistoricalRecords()

    objects = regional_manager()

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["challenge", "organisation"], name="participation_unique_per_organisation")
        ]

    def __str__(self):
        return f"{self.organisation} – {self.challenge} ({self.get_role_display()})"


class Update(RegionalModel):
    """A dated progress note or decision on a challenge, posted by a coordinator; shown as a timeline."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", _("progress")
        DECISION = "decision", _("decision")

    challenge = models.ForeignKey(
        Challenge, verbose_name=_("challenge"), on_delete=models.CASCADE, related_name="updates"
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PROGRESS)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    text = models.TextField(_("text"), max_length=10000, blank=True)
    text_en = models.TextField(_("text (English)"), max_length=10000, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    notified_at = models.DateTimeField(_("participants told"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = regional_manager()

    class Meta:
        verbose_name = _("update")
        verbose_name_plural = _("updates")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.title}"


class ChallengeDocument(RegionalModel):
    """A document attached to a challenge, served only through the access-checked view."""

    challenge = models.ForeignKey(
        Challenge, verbose_name=_("challenge"), on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"),
        upload_to=document_path,
        storage=private_storage,
        max_length=200,
        validators=[DocumentValidator(kinds=("pdf", "office", "image"))],
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    objects = regional_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("challenges:document", kwargs={"slug": self.challenge.slug, "pk": self.pk})

    @property
    def file_url(self) -> str:
        """The access-checked view, for the admin's file input (core.files.ServedFileInput)."""
        return self.get_absolute_url()


class EmailPreference(RegionalModel):
    """A person's choice about challenge e-mails in one region (opt-out: no row means every update is
    mailed). Users are global; the choice is the region's, like every consent."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="challenge_email_preferences",
    )
    updates = models.BooleanField(_("e-mail me when a challenge I take part in has news"), default=True)

    objects = regional_manager()

    class Meta:
        verbose_name = _("e-mail preference for challenges")
        verbose_name_plural = _("e-mail preferences for challenges")
        constraints = [
            models.UniqueConstraint(fields=["region", "user"], name="challenges_emailpreference_user_per_region")
        ]

    def __str__(self):
        return str(self.user)
