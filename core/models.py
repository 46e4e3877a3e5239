"""Abstract models that apps share, so the same columns are declared once.

They add no tables and no columns of their own: a model that adopts one keeps exactly the columns it had
(the field definitions here are the ones the models already used, so ``makemigrations`` finds nothing).
Where a model's field differs (another ``verbose_name``, a ``help_text``), the model either redeclares
that field (Django lets a child override a field of an abstract parent) or keeps its own definitions.
"""

import uuid

from django.db import models
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from core.case_number_format import validate_case_number_format
from core.region_state import RegionMismatch, check_region, current_region_id, region_file_path


class TimeStampedModel(models.Model):
    """``created_at`` (set once) and ``updated_at`` (set on every save)."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


# Django orders a model's fields by when each was created, so fields of a shared base would come first.
# The time stamps were the last columns of every model that adopted this base; they stay last, so the
# personal-data export and every other "all fields" listing keep the order they had.
for _last, _field in enumerate(TimeStampedModel._meta.local_fields, start=10**9):
    _field.creation_counter = _last


def in_active_language(name: str, name_en: str) -> str:
    """``name_en`` on the English pages when one is kept, else the Swedish ``name`` (for rows read with
    ``values_list`` as well as for objects)."""
    if name_en and (get_language() or "sv").startswith("en"):
        return name_en
    return name


class BilingualNameModel(models.Model):
    """A Swedish ``name`` (unique) and an optional English ``name_en``, shown through ``display_name``."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)

    class Meta:
        abstract = True

    @property
    def display_name(self) -> str:
        """The name in the reader's language (the Swedish name when no English one is kept)."""
        return in_active_language(self.name, self.name_en)

    @property
    def is_swedish_only(self) -> bool:
        """No English name: the English pages show the Swedish one, marked ``lang="sv"``."""
        return not self.name_en


# Regions --------------------------------------------------------------------------------------------
# A region (Region Västernorrland, Region Halland …) is the root of every regional record: one
# installation serves several, each on its own host(s), with its own name, look and coordinators.
# How a request, a task and a query find their region: core/regions.py.


def _region_logo_path(region: "Region", filename: str) -> str:
    return region_file_path(region, "logo", filename)


class RegionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Region(models.Model):
    """One region that runs its collaboration on the portal. Never deleted from the admin (a region that
    stops is disabled; ``manage.py purge_region`` exports and then removes one)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    short_name = models.SlugField(
        _("short name"),
        max_length=40,
        unique=True,
        help_text=_(
            "Lower-case letters, digits and hyphens, e.g. “halland”. Names the region's secrets in the "
            "environment (REGION_HALLAND_EMAIL_URL …); cannot be changed later."
        ),
    )
    # Immutable: uploaded files are stored under it, so renaming a region moves no file.
    key = models.UUIDField(_("file key"), default=uuid.uuid4, unique=True, editable=False)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("A disabled region's hosts answer “not found”; nothing is deleted.")
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    sender_email = models.EmailField(
        _("sender address"), blank=True, help_text=_("The From address of the region's e-mails.")
    )
    accent_color = models.CharField(
        _("accent colour"),
        max_length=7,
        default="#00594f",
        help_text=_("#rrggbb; needs a contrast of at least 4.5:1 against white (links, buttons)."),
    )
    accent_dark_color = models.CharField(
        _("dark accent colour"),
        max_length=7,
        default="#003d36",
        help_text=_("#rrggbb; needs a contrast of at least 3:1 against white (header, focus ring)."),
    )
    logo = models.FileField(_("logo"), upload_to=_region_logo_path, blank=True, help_text=_("SVG or PNG."))
    accessibility_statement_sv = models.TextField(_("accessibility statement (Swedish)"), blank=True)
    accessibility_statement_en = models.TextField(_("accessibility statement (English)"), blank=True)
    privacy_text_sv = models.TextField(_("privacy page (Swedish)"), blank=True)
    privacy_text_en = models.TextField(_("privacy page (English)"), blank=True)
    case_number_format = models.CharField(
        _("case number format"),
        max_length=60,
        blank=True,
        validators=[validate_case_number_format],
        help_text=_(
            "How the region writes its case numbers (diarienummer), e.g. “RS {year}/{number}”; {number:5} pads "
            "the number to five digits. Case numbers typed by coordinators must follow it, and the counter "
            "writes new ones in it. Empty: any case number is accepted and none is assigned."
        ),
    )
    coordinators = models.ManyToManyField(
        "accounts.User",
        blank=True,
        related_name="coordinated_regions",
        verbose_name=_("coordinators"),
        help_text=_("Staff who coordinate this region in the admin (a person may coordinate several)."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name

    @property
    def primary_host(self) -> str:
        for host in self.hosts.all():
            if host.is_primary:
                return host.host
        return ""

    def clean(self):
        from django.core.exceptions import ValidationError

        from core.colours import colour_errors

        errors = colour_errors(self.accent_color, self.accent_dark_color)
        if errors:
            raise ValidationError(errors)


class RegionHost(models.Model):
    """A host name a region answers on (without port). One is primary: links are built on it, and
    the others redirect to it."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="hosts", verbose_name=_("region"))
    host = models.CharField(
        _("host"), max_length=253, unique=True, help_text=_("e.g. samverkan.regionhalland.se (no port, no path)")
    )
    is_primary = models.BooleanField(_("primary"), default=False)

    class Meta:
        ordering = ["-is_primary", "host"]
        verbose_name = _("host")
        verbose_name_plural = _("hosts")
        constraints = [
            models.UniqueConstraint(
                fields=["region"], condition=models.Q(is_primary=True), name="core_regionhost_one_primary"
            )
        ]

    def __str__(self) -> str:
        return self.host

    def save(self, *args, **kwargs):
        self.host = self.host.strip().lower().rstrip(".")
        super().save(*args, **kwargs)


class RegionalModel(models.Model):
    """A record of one region: the ``region`` column, filled from the region in force (the request's
    host, the task's region) and checked on save; ``core.regions.regional_manager`` scopes its queries."""

    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        default=current_region_id,
        verbose_name=_("region"),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        check_region(self)
        self._check_links()
        super().save(*args, **kwargs)

    def _check_links(self) -> None:
        """A row links only to rows of its own region (a contact's organisation, a registration's meeting):
        the forms offer only the region's, and code handed another region's row refuses to save it rather
        than join two regions' records."""
        for field in self._meta.concrete_fields:
            model = field.related_model
            if not field.is_relation or field.name == "region" or not issubclass(model, RegionalModel):
                continue
            pk = getattr(self, field.attname)
            if pk is None:
                continue
            if field.is_cached(self):
                region_id = getattr(self, field.name).region_id
            else:
                region_id = model._base_manager.filter(pk=pk).values_list("region_id", flat=True).first()
            if region_id is not None and region_id != self.region_id:
                raise RegionMismatch(
                    f"{type(self).__name__} of region {self.region_id} links to {model.__name__} {pk} "
                    f"of region {region_id}"
                )

    def validate_constraints(self, exclude=None):
        """A value that must be unique in its region (``UniqueConstraint(fields=["region", "slug"])``) is a
        clear error on its field in every form. The region is on no form (``editable=False``), so Django's
        own check would skip such constraints, and a taken slug would reach the database (a 500)."""
        from django.core.exceptions import FieldError, ValidationError

        if self.region_id is None:
            self.region_id = current_region_id()
        errors = {}
        try:
            super().validate_constraints(exclude={*(exclude or ()), "region"})
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for constraint in self._meta.constraints:
            fields = getattr(constraint, "fields", ())
            if len(fields) != 2 or fields[0] != "region":
                continue
            name = fields[1]
            value = getattr(self, self._meta.get_field(name).attname)
            if (exclude and name in exclude) or value in (None, "") or self.region_id is None:
                continue
            taken = type(self)._default_manager.with_scope(region=self.region_id).filter(**{name: value})
            condition = getattr(constraint, "condition", None)
            if condition is not None:  # e.g. unique when given: only rows (this one too) that meet it
                against = self._get_field_expression_map(meta=self._meta, exclude=exclude)
                try:
                    if not condition.check(against):
                        continue
                except FieldError:
                    continue
                taken = taken.filter(condition)
            if not self._state.adding and self.pk is not None:
                taken = taken.exclude(pk=self.pk)
            if taken.exists():
                message = constraint.get_violation_error_message()
                if constraint.violation_error_message == constraint.default_violation_error_message:
                    message = _("%(field)s is already used in this region: choose another one.") % {
                        "field": capfirst(self._meta.get_field(name).verbose_name)
                    }
                errors.setdefault(name, []).append(ValidationError(message, code="unique"))
        if errors:
            raise ValidationError(errors)


# Public records -------------------------------------------------------------------------------------
# Case numbers (core/case_numbers.py) and the disposal decisions the retention rules carry out
# (core/retention.py).


class CaseNumberCounter(RegionalModel):
    """The last case number the portal handed out in a region and year (``case_number_next`` locks the row)."""

    year = models.PositiveSmallIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    objects = ScopedManager(region="region")  # as core.regions.regional_manager (which imports this module)

    class Meta:
        verbose_name = _("case number counter")
        verbose_name_plural = _("case number counters")
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="core_casenumbercounter_year")]

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class DisposalDecision(RegionalModel):
    """A region's decision (gallringsbeslut) that allows a retention rule to dispose of records: the rule
    names its ``key`` (``portal.retention(..., decision=key)``) and runs in production only where the
    region has recorded the decision."""

    key = models.CharField(
        _("retention rule"),
        max_length=60,
        help_text=_("The rule of the portal that carries out this decision."),
    )
    reference = models.CharField(
        _("reference"), max_length=60, help_text=_("The decision's case number or paragraph, e.g. RS 2024/117 § 12.")
    )
    decided_on = models.DateField(_("decided on"))
    decided_by = models.CharField(_("decided by"), max_length=200, help_text=_("e.g. Regionstyrelsen."))
    note = models.TextField(_("note"), blank=True, help_text=_("Shown on the public page with the decision."))

    objects = ScopedManager(region="region")  # as core.regions.regional_manager (which imports this module)

    class Meta:
        verbose_name = _("disposal decision")
        verbose_name_plural = _("disposal decisions")
        ordering = ["key"]
        constraints = [models.UniqueConstraint(fields=["region", "key"], name="core_disposaldecision_key")]

    def __str__(self) -> str:
        return f"{self.reference} ({self.decided_by}, {self.decided_on:%Y-%m-%d})"
