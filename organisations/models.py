import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.files import DocumentValidator, private_storage
from core.models import BilingualNameModel, RegionalModel, TimeStampedModel
from core.regions import current_region_file_path, region_file_path, regional_manager

from .validators import validate_orgnr


class Municipality(RegionalModel):
    """A municipality (kommun) of a region's registry, managed by its coordinators. ``county`` is the
    county (län) it lies in, as text: a region's portal lists its own county's municipalities first."""

    name = models.CharField(_("name"), max_length=100)
    county = models.CharField(_("county"), max_length=100, blank=True)
    code = models.CharField(_("municipality code"), max_length=4, blank=True)

    objects = regional_manager()

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"],
                name="organisations_municipality_name_per_region",
                violation_error_message=_("A municipality with this name already exists in the region."),
            )
        ]

    def __str__(self):
        return self.name


class AreaOfActivity(RegionalModel, BilingualNameModel):
    """An area of activity (verksamhetsområde) of a region, managed by its coordinators."""

    # Unique per region (the constraint below), not across the installation as the shared field is.
    name = models.CharField(_("name"), max_length=100)

    # The English name says where it shows (redeclared: the shared field has no help text).
    name_en = models.CharField(
        _("name in English"),
        max_length=100,
        blank=True,
        help_text=_("Shown on the English pages; empty: the Swedish name."),
    )
    slug = models.SlugField(_("slug"), max_length=100)

    objects = regional_manager()

    class Meta:
        verbose_name = _("area of activity")
        verbose_name_plural = _("areas of activity")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"],
                name="organisations_areaofactivity_name_per_region",
                violation_error_message=_("An area of activity with this name already exists in the region."),
            ),
            models.UniqueConstraint(
                fields=["region", "slug"],
                name="organisations_areaofactivity_slug_per_region",
                violation_error_message=_("An area of activity with this slug already exists in the region."),
            ),
        ]

    def __str__(self):
        return self.display_name


class OrganisationQuerySet(models.QuerySet):
    def verified(self):
        return self.filter(status=Organisation.Status.VERIFIED)

    def public(self):
        """Verified organisations that consented to be listed publicly."""
        return self.verified().filter(public_listing=True)


class Organisation(RegionalModel, TimeStampedModel):
    class LegalForm(models.TextChoices):
        NON_PROFIT_ASSOCIATION = "ideell_forening", _("non-profit association")
        FOUNDATION = "stiftelse", _("foundation")
        FAITH_COMMUNITY = "trossamfund", _("registered faith community")
        ECONOMIC_ASSOCIATION = "ekonomisk_forening", _("economic association")
        NETWORK = "natverk", _("network or informal group")
        OTHER = "annan", _("other")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        VERIFIED = "verified", _("verified")
        INACTIVE = "inactive", _("inactive")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220)
    # Stored normalised as NNNNNN-NNNN; empty for networks without a number.
    organisation_number = models.CharField(
        _("organisation number"), max_length=11, blank=True, validators=[validate_orgnr]
    )
    legal_form = models.CharField(
        _("legal form"), max_length=30, choices=LegalForm.choices, default=LegalForm.NON_PROFIT_ASSOCIATION
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
    )
    areas = models.ManyToManyField(
        AreaOfActivity, verbose_name=_("areas of activity"), blank=True, related_name="organisations"
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("short description"), blank=True)
    public_listing = models.BooleanField(_("consents to public listing"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    representatives = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Representative",
        verbose_name=_("representatives"),
        related_name="organisations",
        blank=True,
    )

    objects = regional_manager(OrganisationQuerySet)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            # A number is unique within a region's registry: the same association may take part in two regions.
            models.UniqueConstraint(
                fields=["region", "organisation_number"],
                condition=~models.Q(organisation_number=""),
                name="organisations_organisation_number_per_region",
                violation_error_message=_(
                    "An organisation with this organisation number is already registered in the region."
                ),
            ),
            models.UniqueConstraint(
                fields=["region", "slug"],
                name="organisations_organisation_slug_per_region",
                violation_error_message=_("An organisation with this slug already exists in the region."),
            ),
        ]
        indexes = [
            models.Index(Lower("name"), name="organisation_name_lower_idx"),
            models.Index(fields=["status", "public_listing", "name"], name="organisation_public_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organisations:detail", kwargs={"slug": self.slug})


class Contact(RegionalModel):
    """A person at an organisation. Personal data: shown to coordinators only, never publicly."""

    class Role(models.TextChoices):
        CONTACT = "contact", _("contact person")
        SIGNATORY = "signatory", _("authorised signatory")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.CONTACT)
    # Someone who names an existing organisation on the public form is added unconfirmed (anyone
    # can type a known number); a coordinator confirms them. Contacts entered by coordinators are.
    confirmed = models.BooleanField(
        _("confirmed"),
        default=True,
        help_text=_("Unconfirmed contacts came through the public form for an organisation that was already known."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = regional_manager()

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint("organisation", Lower("email"), name="contact_email_unique_per_organisation")
        ]

    def __str__(self):
        return f"{self.name} ({self.organisation})"


class Representative(RegionalModel):
    """A user account that may act for an organisation (edit its profile, sign agreements)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="representative_links"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="representative_links"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = regional_manager()

    class Meta:
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="representative_unique")]

    def __str__(self):
        return f"{self.user} – {self.organisation}"


class InterestSubmission(RegionalModel):
    """What an organisation told us through the public interest form ("Anmäl intresse")."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="interest_submissions"
    )
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("contact person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interest_submissions",
    )
    wants_dialogue_meetings = models.BooleanField(_("take part in dialogue meetings"), default=False)
    wants_present_example = models.BooleanField(_("present a good example"), default=False)
    wants_further_work = models.BooleanField(_("take part in further work or working groups"), default=False)
    wants_raise_challenge = models.BooleanField(_("raise a challenge"), default=False)
    message = models.TextField(_("message"), blank=True)
    # What the sender typed, kept because a known number links to an existing organisation whose
    # registered data is never changed from the public form.
    submitted_organisation_name = models.CharField(_("organisation name as submitted"), max_length=200, blank=True)
    wants_public_listing = models.BooleanField(_("wants to be listed in the public directory"), default=False)
    consent = models.BooleanField(_("consent"), default=False)
    consent_policy_version = models.CharField(_("privacy policy version"), max_length=20, blank=True)
    language = models.CharField(_("language"), max_length=10, default="sv")
    handled = models.BooleanField(_("handled"), default=False)
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True, db_index=True)
    # The random token of the form that sent it: the same form sent again is answered from this row.
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, editable=False)  # noqa: DJ001

    objects = regional_manager()

    class Meta:
        verbose_name = _("interest submission")
        verbose_name_plural = _("interest submissions")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "idempotency_key"], name="organisations_interestsubmission_key_per_region"
            )
        ]

    def __str__(self):
        return f"{self.organisation} ({self.created_at:%Y-%m-%d})" if self.created_at else str(self.organisation)


def mandate_evidence_path(instance, filename: str) -> str:
    """Under the region's immutable key, with a random name: the original name may carry personal data."""
    name = f"{uuid.uuid4().hex}.pdf"
    if instance.region_id is not None:
        return region_file_path(instance.region, "organisations/mandates", name)
    return current_region_file_path("organisations/mandates", name)


MANDATE_EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


class MandateQuerySet(models.QuerySet):
    def requested(self):
        return self.filter(status=Mandate.Status.REQUESTED)

    def current(self, *, on=None):
        """Verified, and in force on ``on`` (today): what an act may rest on."""
        day = on or timezone.localdate()
        return self.filter(status=Mandate.Status.VERIFIED, valid_from__lte=day, valid_to__gte=day)

    def expiring(self, *, within_days: int = 30, on=None):
        """Current mandates whose last day falls within ``within_days`` days."""
        day = on or timezone.localdate()
        return self.current(on=day).filter(valid_to__lte=day + timedelta(days=within_days))


class Mandate(RegionalModel):
    """What a representative may do for their organisation, and on what evidence (issue 23).

    Who may do which act under which kind of mandate is one table: ``representation.ACTS``. A mandate
    counts only when verified by a coordinator and in force (``valid_from`` ≤ today ≤ ``valid_to``);
    "expired" is not stored, it is read from ``valid_to``.
    """

    class Kind(models.TextChoices):
        SIGNATORY = "signatory", _("authorised signatory")
        BOARD = "board", _("appointed by the board")
        CONTACT = "contact", _("contact person without a mandate")

    class Status(models.TextChoices):
        REQUESTED = "requested", pgettext_lazy("mandate", "requested")
        VERIFIED = "verified", pgettext_lazy("mandate", "verified")
        REFUSED = "refused", pgettext_lazy("mandate", "refused")
        REVOKED = "revoked", pgettext_lazy("mandate", "revoked")
        WITHDRAWN = "withdrawn", _("withdrawn by the representative")

    representative = models.ForeignKey(
        Representative, verbose_name=_("representative"), on_delete=models.CASCADE, related_name="mandates"
    )
    kind = models.CharField(_("kind of mandate"), max_length=10, choices=Kind.choices)
    evidence = models.FileField(
        _("evidence (PDF)"),
        upload_to=mandate_evidence_path,
        max_length=255,
        storage=private_storage,
        blank=True,
        validators=[DocumentValidator(kinds=("pdf",), max_bytes=MANDATE_EVIDENCE_MAX_BYTES)],
        help_text=_("The statutes or the board's minutes. Only the holder and the region's coordinators see it."),
    )
    verification_note = models.TextField(
        _("how it was checked"),
        blank=True,
        max_length=2000,
        help_text=_("The coordinator's note, e.g. “checked in the register of associations on 3 March”."),
    )
    message = models.TextField(_("message from the representative"), blank=True, max_length=2000)
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_to = models.DateField(_("valid to"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED, db_index=True
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    refused_at = models.DateTimeField(_("refused at"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True, max_length=2000)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Set when the holder was told that the mandate runs out: the notice is sent once.
    expiry_notice_sent_at = models.DateTimeField(_("expiry notice sent at"), null=True, blank=True)

    objects = regional_manager(MandateQuerySet)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # One request waits at a time per representation: a form sent twice does not queue two.
            models.UniqueConstraint(
                fields=["representative"],
                condition=models.Q(status="requested"),
                name="organisations_mandate_one_request_per_representative",
                violation_error_message=_("A request for a mandate is already waiting for the coordinators."),
            ),
            models.CheckConstraint(
                condition=models.Q(valid_to__gte=models.F("valid_from")),
                name="organisations_mandate_valid_to_after_from",
                violation_error_message=_("The last day must not be before the first."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.representative}"

    @property
    def is_expired(self) -> bool:
        return self.valid_to is not None and self.valid_to < timezone.localdate()

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.status == self.Status.VERIFIED and self.valid_from <= today <= self.valid_to

    @property
    def state_display(self) -> str:
        """The status as a person reads it: a verified mandate past its last day is "expired"."""
        if self.status == self.Status.VERIFIED and self.is_expired:
            return str(pgettext_lazy("mandate", "expired"))
        return self.get_status_display()

    @property
    def evidence_url(self) -> str | None:
        return reverse("organisations:mandate_evidence", kwargs={"pk": self.pk}) if self.pk and self.evidence else None


class MandatedAct(models.Model):
    """The audit trail of an act done for an organisation under a mandate (issue 23): a signature, a cast
    record, a submitted answer. Which mandate it rested on and how the person was authenticated
    (``accounts.assurance.describe``). The mandate is ``SET_NULL``: erasing its holder deletes it, and
    the act, the organisation's record, stays without it."""

    class AuthMethod(models.TextChoices):
        PASSWORD = "password", _("password")
        EID = "eid", _("e-identification")
        CODE = "code", _("one-time code by e-mail")
        MFA = "mfa", _("second factor")
        SOCIAL = "socialaccount", _("external account")
        PASSKEY = "passkey", _("passkey")

    mandate = models.ForeignKey(
        Mandate,
        verbose_name=_("mandate used"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    auth_method = models.CharField(_("authenticated with"), max_length=20, blank=True, choices=AuthMethod.choices)
    auth_level = models.CharField(_("authentication level"), max_length=200, blank=True)
    authenticated_at = models.DateTimeField(_("authenticated at"), null=True, blank=True)

    class Meta:
        abstract = True

    def record_act(self, *, mandate, authentication: dict | None) -> None:
        """Set the audit fields (not saved): the mandate and what ``assurance.describe`` said."""
        authentication = authentication or {}
        method = str(authentication.get("method") or "")
        self.mandate = mandate
        self.auth_method = method[:20]
        self.auth_level = str(authentication.get("level") or "")[:200]
        self.authenticated_at = authentication.get("at")
