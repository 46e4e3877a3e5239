"""The accessibility statement per region and language (DIGG's model for the Act (2018:1937) on
accessibility to digital public service), the reports of shortcomings visitors send, and the record of
the portal's automated accessibility checks (axe-core) shown to coordinators beside the statement."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import RegionalModel
from core.regions import regional_manager

MESSAGE_MAX = 4000


class AccessibilityStatement(RegionalModel):
    class Compliance(models.TextChoices):
        FULL = "full", _("fully compliant")
        PARTIAL = "partial", _("partially compliant")
        NOT = "not", _("not compliant")

    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    compliance = models.CharField(
        _("compliance with the Act"), max_length=10, choices=Compliance.choices, default=Compliance.PARTIAL
    )
    introduction = models.TextField(
        _("introduction"), blank=True, help_text=_("Optional: a few words about the site, shown first.")
    )
    assessment_method = models.TextField(
        _("how the site was assessed"),
        help_text=_("For example: self-assessment with automated tests and manual checks, or an external audit."),
    )
    assessed_on = models.DateField(_("assessed on"))
    reviewed_on = models.DateField(_("statement last reviewed"))
    response_time = models.CharField(
        _("how soon we answer"), max_length=100, blank=True, help_text=_("For example: within five working days.")
    )

    objects = regional_manager()

    class Meta:
        verbose_name = _("accessibility statement")
        verbose_name_plural = _("accessibility statements")
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(fields=["region", "language"], name="accessibility_statement_per_language")
        ]

    def __str__(self):
        return f"{self.get_language_display()}"


class InaccessibleContent(RegionalModel):
    class Reason(models.TextChoices):
        NON_COMPLIANCE = "non_compliance", _("non-compliance with the law")
        DISPROPORTIONATE_BURDEN = "disproportionate_burden", _("disproportionate burden")
        OUTSIDE_SCOPE = "outside_scope", _("the content is outside the scope of the law")

    statement = models.ForeignKey(
        AccessibilityStatement, verbose_name=_("statement"), on_delete=models.CASCADE, related_name="shortcomings"
    )
    reason = models.CharField(_("why it is not accessible"), max_length=25, choices=Reason.choices)
    description = models.TextField(_("content and shortcoming"), max_length=2000)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = regional_manager()

    class Meta:
        verbose_name = _("content that is not accessible")
        verbose_name_plural = _("content that is not accessible")
        ordering = ["statement", "order", "pk"]

    def __str__(self):
        return self.description[:80]


class AccessibilityReport(RegionalModel):
    """A shortcoming a visitor reported, or a request for content in another form. The name and address
    are optional, only to answer; deleted ``ACCESSIBILITY_REPORT_RETENTION_DAYS`` after sending."""

    message = models.TextField(_("message"), max_length=MESSAGE_MAX)
    page = models.CharField(_("page or document"), max_length=500, blank=True)
    wants_other_format = models.BooleanField(_("asks for the content in another form"), default=False)
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="sv")
    created_at = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)
    # The random token of the form that sent it: the same form sent again is answered from this row.
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, editable=False)  # noqa: DJ001

    objects = regional_manager()

    class Meta:
        verbose_name = _("accessibility report")
        verbose_name_plural = _("accessibility reports")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["region", "idempotency_key"], name="accessibility_report_key_per_region")
        ]

    def __str__(self):
        return self.message[:80]


class AccessibilityCheck(models.Model):
    """One automated accessibility check of the portal's pages (axe-core in the browser tests), as
    recorded by ``manage.py record_accessibility_check``: when, with what, which pages, what was found.
    The portal's code is the same for every region, so a check is the installation's, not a region's."""

    checked_at = models.DateTimeField(_("checked at"))
    tool = models.CharField(_("tool"), max_length=100)
    source = models.CharField(_("source"), max_length=200, blank=True, help_text=_("For example the test run."))
    pages = models.JSONField(_("pages"), default=list)  # [{"url": ..., "violations": [{"id", "impact", "nodes"}]}]
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("automated accessibility check")
        verbose_name_plural = _("automated accessibility checks")
        ordering = ["-checked_at"]

    def __str__(self):
        return f"{self.tool} {self.checked_at:%Y-%m-%d %H:%M}"

    @property
    def violation_count(self) -> int:
        return sum(len(page.get("violations", [])) for page in self.pages)

    @property
    def failing_pages(self) -> list[dict]:
        return [page for page in self.pages if page.get("violations")]
