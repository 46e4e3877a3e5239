"""Spreadsheet import/export of the registry (django-import-export), keyed on the organisation number.

An export imports back without duplicates: rows are matched on the normalised organisation
number (any common spelling in the sheet), and rows without a number on the slug, then on the
exact name among organisations without a number. Cells are made safe for spreadsheets
(``core.spreadsheets.SafeResource``: no formulas, no control characters). A bad row (wrong check digit, unknown
municipality or area) is reported with its line and nothing is imported until it is fixed.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, widgets

from core.spreadsheets import SafeResource

from .models import AreaOfActivity, Municipality, Organisation
from .services import organisation_slug_unique
from .validators import normalise_orgnr


class NamedManyToManyWidget(widgets.ManyToManyWidget):
    """Areas by name, separated by commas; an unknown name is a row error, not silently dropped."""

    def clean(self, value, row=None, **kwargs):
        names = [n.strip() for n in str(value or "").split(self.separator) if n.strip()]
        if not names:
            return self.model.objects.none()
        found = {obj.name.casefold(): obj for obj in self.model.objects.all()}
        unknown = [n for n in names if n.casefold() not in found]
        if unknown:
            raise ValueError(_("Unknown area of activity: %(names)s") % {"names": ", ".join(unknown)})
        return self.model.objects.filter(pk__in=[found[n.casefold()].pk for n in names])


class MunicipalityWidget(widgets.ForeignKeyWidget):
    def clean(self, value, row=None, **kwargs):
        if not str(value or "").strip():
            return None
        try:
            return Municipality.objects.get(name__iexact=str(value).strip())
        except Municipality.DoesNotExist:
            raise ValueError(_("Unknown municipality: %(name)s") % {"name": value}) from None


class OrganisationResource(SafeResource):
    organisation_number = fields.Field(attribute="organisation_number", column_name="organisation_number")
    name = fields.Field(attribute="name", column_name="name")
    slug = fields.Field(attribute="slug", column_name="slug", readonly=True)
    legal_form = fields.Field(attribute="legal_form", column_name="legal_form")
    municipality = fields.Field(
        attribute="municipality", column_name="municipality", widget=MunicipalityWidget(Municipality, field="name")
    )
    areas = fields.Field(
        attribute="areas",
        column_name="areas",
        widget=NamedManyToManyWidget(AreaOfActivity, separator=",", field="name"),
    )
    website = fields.Field(attribute="website", column_name="website")
    description = fields.Field(attribute="description", column_name="description")
    public_listing = fields.Field(
        attribute="public_listing", column_name="public_listing", widget=widgets.BooleanWidget()
    )
    status = fields.Field(attribute="status", column_name="status")

    class Meta:
        model = Organisation
        fields = (
            "organisation_number",
            "name",
            "slug",
            "legal_form",
            "municipality",
            "areas",
            "website",
            "description",
            "public_listing",
            "status",
        )
        export_order = fields
        import_id_fields = ("organisation_number",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def import_data(self, dataset, **kwargs):
        # All or nothing: a sheet with a bad row imports nothing, also outside the admin.
        kwargs.setdefault("rollback_on_validation_errors", True)
        return super().import_data(dataset, **kwargs)

    def get_queryset(self):
        return super().get_queryset().select_related("municipality").prefetch_related("areas")

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)  # no control characters (core/spreadsheets.py)
        number = str(row.get("organisation_number") or "").strip()
        if number:
            try:
                row["organisation_number"] = normalise_orgnr(number)
            except ValidationError as exc:
                raise ValidationError({"organisation_number": exc.messages}) from None
        else:
            row["organisation_number"] = ""
        for key in ("website", "description"):
            if row.get(key) is None:
                row[key] = ""

    def get_instance(self, instance_loader, row):
        number = row.get("organisation_number") or ""
        if number:
            return Organisation.objects.filter(organisation_number=number).first()
        slug = str(row.get("slug") or "").strip()
        if slug:
            found = Organisation.objects.filter(slug=slug, organisation_number="").first()
            if found:
                return found
        name = str(row.get("name") or "").strip()
        if name:
            return Organisation.objects.filter(organisation_number="", name__iexact=name).order_by("pk").first()
        return None

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if not instance.slug and instance.name:
            instance.slug = organisation_slug_unique(instance.name)
        if not instance.status:
            instance.status = Organisation.Status.SUBMITTED
        if not instance.legal_form:
            instance.legal_form = Organisation.LegalForm.OTHER
