"""The agreement (överenskommelse) between the region and civil society, who signed it, and its action plans."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.case_numbers import CaseNumbered, unique_case_number
from core.files import DocumentValidator, private_storage
from core.models import RegionalModel, TimeStampedModel
from core.regions import current_region_file_path, region_file_path, regional_manager
from organisations.models import MandatedAct

from .validators import validate_board_decision

# Uploaded board decisions contain names and signatures: they live in the private storage
# (core.files.private_storage), which no URL serves; coordinators read them through a view that checks access.
# Agreement versions and action plans are public documents, served by views that check the agreement is public.
PUBLIC_DOCUMENT = DocumentValidator(kinds=("pdf", "office"))


def _in_region(instance, kind: str, filename: str) -> str:
    """Under the region's immutable key (``regions/<key>/agreements/<kind>/…``)."""
    if instance.region_id is not None:
        return region_file_path(instance.region, f"agreements/{kind}", filename)
    return current_region_file_path(f"agreements/{kind}", filename)


def board_decision_path(instance, filename: str) -> str:
    """A random name: the original file name may carry personal data."""
    return _in_region(instance, "board-decisions", f"{uuid.uuid4().hex}.pdf")


def version_document_path(instance, filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()[:10] or ".pdf"
    return _in_region(instance, "versions", f"{uuid.uuid4().hex}{suffix}")


def action_plan_document_path(instance, filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()[:10] or ".pdf"
    return _in_region(instance, "action-plans", f"{uuid.uuid4().hex}{suffix}")


class AgreementQuerySet(models.QuerySet):
    def public(self):
        """Agreements shown on the public pages: everything but drafts, those in force first."""
        order = models.Case(
            models.When(status=Agreement.Status.IN_FORCE, then=0),
            models.When(status=Agreement.Status.REPLACED, then=1),
            default=2,
            output_field=models.IntegerField(),
        )
        return (
            self.exclude(status=Agreement.Status.DRAFT)
            .annotate(_status_order=order)
            .order_by("_status_order", "-adopted_on", "title")
        )

    def in_force(self):
        return self.filter(status=Agreement.Status.IN_FORCE)


class Agreement(CaseNumbered, RegionalModel, TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        IN_FORCE = "in_force", _("in force")
        EXPIRED = "expired", _("expired")
        REPLACED = "replaced", _("replaced")

    title = models.CharField(_("title"), max_length=250)
    title_en = models.CharField(_("title (English)"), max_length=250, blank=True)
    slug = models.SlugField(_("slug"), max_length=120)
    parties = models.TextField(_("parties"), help_text=_("One party per line."))
    summary = models.TextField(_("summary"))
    summary_en = models.TextField(_("summary (English)"), blank=True)
    text = models.TextField(_("text of the agreement"), blank=True)
    adopted_on = models.DateField(_("adopted"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    replaced_by = models.ForeignKey(
        "self", verbose_name=_("replaced by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="replaces"
    )

    objects = regional_manager(AgreementQuerySet)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-adopted_on", "title"]
        constraints = [
            models.UniqueConstraint(fields=["region", "slug"], name="agreements_agreement_slug_per_region"),
            unique_case_number(),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("agreements:detail", kwargs={"slug": self.slug})

    @property
    def is_in_force(self) -> bool:
        return self.status == self.Status.IN_FORCE

    @property
    def party_list(self) -> list[str]:
        return [line.strip() for line in self.parties.splitlines() if line.strip()]


class AgreementVersionQuerySet(models.QuerySet):
    def published(self):
        """Versions the public sees (and may compare): published ones of an agreement that is not a draft."""
        return self.filter(published=True).exclude(agreement__status=Agreement.Status.DRAFT)


class AgreementVersion(CaseNumbered, RegionalModel):
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version number"))
    date = models.DateField(_("date"))
    document = models.FileField(
        _("document"),
        upload_to=version_document_path,
        max_length=255,
        blank=True,
        validators=[PUBLIC_DOCUMENT],
        help_text=_("A PDF or an office document (OpenDocument, Word, Excel or PowerPoint)."),
    )
    change_note = models.TextField(_("what changed"), blank=True)
    # The text as it reads in this version, so that two versions can be compared section by section
    # (a heading or a numbered paragraph starts a section: ``agreements.comparison``).
    text = models.TextField(
        _("text of this version"),
        blank=True,
        help_text=_("Start each section on a line of its own with its number or heading, e.g. “3. Principles”."),
    )
    published = models.BooleanField(
        _("published"),
        default=True,
        help_text=_("Untick while the version is being drafted: it is then neither shown nor comparable publicly."),
    )

    objects = regional_manager(AgreementVersionQuerySet)

    class Meta:
        verbose_name = _("agreement version")
        verbose_name_plural = _("agreement versions")
        ordering = ["agreement", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="agreement_version_unique"),
            unique_case_number(),
        ]

    def __str__(self):
        return _("%(agreement)s, version %(number)s") % {"agreement": self.agreement, "number": self.number}

    @property
    def document_url(self) -> str:
        """The document, through the view that checks the agreement is public (or the visitor staff)."""
        return reverse("agreements:version_document", kwargs={"slug": self.agreement.slug, "number": self.number})


class SignatoryQuerySet(models.QuerySet):
    def verified(self):
        return self.filter(status=Signatory.Status.VERIFIED)

    def listed(self):
        """Verified signatories that are shown by name on the public list."""
        return self.verified().filter(public=True)

    def ever_verified(self):
        """Signatories that counted at some time: verified now, or verified and later withdrawn."""
        return self.filter(
            models.Q(status=Signatory.Status.VERIFIED)
            | models.Q(status=Signatory.Status.WITHDRAWN, verified_at__isnull=False, withdrawn_on__isnull=False)
        )


class Signatory(RegionalModel, TimeStampedModel, MandatedAct):
    """An organisation that signed an agreement. Signer names are personal data: never public."""

    class Method(models.TextChoices):
        PAPER = "paper", _("on paper")
        ONLINE = "online", _("online")
        IMPORTED = "imported", _("imported")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending verification")
        VERIFIED = "verified", _("verified")
        WITHDRAWN = "withdrawn", _("withdrawn")

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.PROTECT, related_name="signatories"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="signatures",
    )
    signed_on = models.DateField(_("date signed"), db_index=True)
    signed_by_name = models.CharField(_("signed by (name)"), max_length=200, blank=True)
    signed_by_title = models.CharField(_("signed by (title)"), max_length=200, blank=True)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices, default=Method.PAPER)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    public = models.BooleanField(_("shown in the public list"), default=True)
    confirms_authority = models.BooleanField(_("signer confirmed the authority to sign"), default=False)
    board_decision = models.FileField(
        _("board decision (PDF)"),
        upload_to=board_decision_path,
        max_length=255,
        storage=private_storage,
        blank=True,
        validators=[validate_board_decision],
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signature_requests",
    )
    requested_at = models.DateTimeField(_("requested at"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawal_requested_at = models.DateTimeField(_("withdrawal requested at"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawal confirmed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = regional_manager(SignatoryQuerySet)

    class Meta:
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "organisation"], name="signatory_once_per_agreement"),
            models.CheckConstraint(
                condition=~models.Q(status="withdrawn") | models.Q(withdrawn_on__isnull=False),
                name="signatory_withdrawn_has_date",
            ),
        ]
        indexes = [models.Index(fields=["agreement", "status", "public", "signed_on"], name="signatory_public_idx")]

    def __str__(self):
        return f"{self.organisation} – {self.agreement}"


class ActionPlan(CaseNumbered, RegionalModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("being drafted")
        DECIDED = "decided", _("decided")
        CONCLUDED = "concluded", _("concluded")

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="action_plans"
    )
    title = models.CharField(_("title"), max_length=250)
    title_en = models.CharField(_("title (English)"), max_length=250, blank=True)
    period_start = models.PositiveSmallIntegerField(_("first year"))
    period_end = models.PositiveSmallIntegerField(_("last year"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    summary = models.TextField(_("summary"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    decided_by = models.CharField(_("decided by"), max_length=200, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    document = models.FileField(
        _("document"),
        upload_to=action_plan_document_path,
        max_length=255,
        blank=True,
        validators=[PUBLIC_DOCUMENT],
        help_text=_("A PDF or an office document (OpenDocument, Word, Excel or PowerPoint)."),
    )

    objects = regional_manager()

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["agreement", "-period_start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="action_plan_period_order"
            ),
            unique_case_number(),
        ]

    def __str__(self):
        return self.title

    @property
    def period(self) -> str:
        return f"{self.period_start}–{self.period_end}"

    @property
    def document_url(self) -> str:
        return reverse("agreements:action_plan_document", kwargs={"slug": self.agreement.slug, "pk": self.pk})


class Action(RegionalModel):
    class Responsible(models.TextChoices):
        REGION = "region", _("the region")
        CIVIL_SOCIETY = "civil_society", _("civil society")
        JOINT = "joint", _("both parties")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        CANCELLED = "cancelled", pgettext_lazy("action status", "cancelled")

    action_plan = models.ForeignKey(
        ActionPlan, verbose_name=_("action plan"), on_delete=models.CASCADE, related_name="actions"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    area = models.CharField(_("area"), max_length=120, blank=True)
    title = models.CharField(_("title"), max_length=250)
    title_en = models.CharField(_("title (English)"), max_length=250, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    responsible = models.CharField(
        _("responsible"), max_length=15, choices=Responsible.choices, default=Responsible.JOINT
    )
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.PLANNED)

    objects = regional_manager()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["action_plan", "order", "id"]

    def __str__(self):
        return self.title


class WorkingGroupMember(RegionalModel):
    class Side(models.TextChoices):
        POLITICIAN = "politician", _("politician")
        CIVIL_SOCIETY = "civil_society", _("civil society")

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="working_group"
    )
    name = models.CharField(_("name"), max_length=200)
    side = models.CharField(_("side"), max_length=15, choices=Side.choices)
    affiliation = models.CharField(_("party or organisation"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=100, blank=True, help_text=_("For example chair."))
    term_start = models.DateField(_("term from"), null=True, blank=True)
    term_end = models.DateField(_("term until"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = regional_manager()

    class Meta:
        verbose_name = _("working group member")
        verbose_name_plural = _("working group members")
        ordering = ["agreement", "side", "order", "name"]

    def __str__(self):
        return self.name
