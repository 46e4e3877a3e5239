"""The register of idea-based public partnerships (IOP, idéburet offentligt partnerskap)."""

import uuid

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.case_numbers import CaseNumbered, unique_case_number
from core.files import PDF_ONLY
from core.models import RegionalModel
from core.regions import current_region_file_path, regional_manager

from .grants import TEXT_MAX


def agreement_path(instance, filename: str) -> str:
    return current_region_file_path("partnerships/agreements", f"{uuid.uuid4().hex}.pdf")


class PartnershipQuerySet(models.QuerySet):
    def public(self):
        """In force and ended ones are public; one being prepared is not yet."""
        return self.exclude(status=Partnership.Status.PREPARING)


class Partnership(CaseNumbered, RegionalModel):
    """An IOP: the region and one or more organisations, a purpose, a period and the region's contribution."""

    class Status(models.TextChoices):
        PREPARING = "preparing", _("being prepared")
        IN_FORCE = "in_force", _("in force")
        ENDED = "ended", _("ended")

    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=120)
    purpose = models.TextField(_("purpose"), max_length=TEXT_MAX)
    organisations = models.ManyToManyField(
        "organisations.Organisation", verbose_name=_("partner organisations"), related_name="partnerships"
    )
    area = models.ForeignKey(
        "organisations.AreaOfActivity",
        verbose_name=_("area"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    region_contribution = models.PositiveIntegerField(_("the region's contribution (SEK)"), default=0)
    contribution_note = models.CharField(
        _("about the contribution"), max_length=300, blank=True, help_text=_("For example premises or staff time.")
    )
    agreement_document = models.FileField(
        _("agreement (PDF)"), upload_to=agreement_path, blank=True, validators=[PDF_ONLY], max_length=200
    )
    challenges = models.ManyToManyField(
        "challenges.Challenge", verbose_name=_("challenges"), blank=True, related_name="partnerships"
    )
    actions = models.ManyToManyField(
        "agreements.Action", verbose_name=_("actions in the action plan"), blank=True, related_name="partnerships"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PREPARING, db_index=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = regional_manager(PartnershipQuerySet)

    class Meta:
        verbose_name = _("partnership (IOP)")
        verbose_name_plural = _("partnerships (IOP)")
        ordering = ["-starts_on", "title"]
        constraints = [
            models.UniqueConstraint(fields=["region", "slug"], name="partnerships_partnership_slug_per_region"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="partnerships_period_in_order"
            ),
            unique_case_number(),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("partnerships:detail", kwargs={"slug": self.slug})


class PartnershipFollowUp(RegionalModel):
    """The yearly follow-up of a partnership: one per year."""

    partnership = models.ForeignKey(
        Partnership, verbose_name=_("partnership"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    text = models.TextField(_("follow-up"), max_length=TEXT_MAX)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()
    objects = regional_manager()

    class Meta:
        verbose_name = _("yearly follow-up")
        verbose_name_plural = _("yearly follow-ups")
        ordering = ["partnership", "-year"]
        constraints = [models.UniqueConstraint(fields=["partnership", "year"], name="partnerships_follow_up_per_year")]

    def __str__(self):
        return f"{self.partnership} {self.year}"
