"""Forms of the public pages (filter, signing, withdrawal) and of the admin (withdraw, import)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from core.files import DocumentValidator
from organisations.models import AreaOfActivity, Municipality

from .models import Agreement
from .validators import validate_board_decision


class SignatoryFilterForm(forms.Form):
    SORT_CHOICES = [
        ("name", _("Name, A–Z")),
        ("-name", _("Name, Z–A")),
        ("-date", _("Date signed, newest first")),
        ("date", _("Date signed, oldest first")),
    ]

    q = forms.CharField(label=_("Search by organisation name or number"), required=False, max_length=100)
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=_("All municipalities"),
    )
    area = forms.ModelChoiceField(
        label=_("Area of activity"), queryset=AreaOfActivity.objects.none(), required=False, empty_label=_("All areas")
    )
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)

    def __init__(self, *args, municipalities=None, areas=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = (
            municipalities if municipalities is not None else Municipality.objects.all()
        )
        self.fields["area"].queryset = areas if areas is not None else AreaOfActivity.objects.all()

    def filters(self) -> dict:
        """Cleaned filters; invalid values are ignored so a stale link still shows the list."""
        if not self.is_valid():
            return {"search": "", "municipality": None, "area": None, "sort": "name"}
        data = self.cleaned_data
        return {
            "search": data["q"],
            "municipality": data["municipality"],
            "area": data["area"],
            "sort": data["sort"] or "name",
        }


class SignForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None, empty_label=None)
    signed_by_name = forms.CharField(label=_("Name of the person who signs"), max_length=200)
    signed_by_title = forms.CharField(
        label=_("Title or role of the person who signs"), max_length=200, help_text=_("For example chair of the board.")
    )
    confirms_authority = forms.BooleanField(
        label=_("I confirm that the person who signs has the authority to sign for the organisation."),
        required=True,
        error_messages={"required": _("Confirm that the signer has the authority to sign for the organisation.")},
    )
    public = forms.BooleanField(
        label=_("Show the organisation's name in the public list of signatories"), required=False, initial=True
    )
    board_decision = forms.FileField(
        label=_("Board decision (optional)"),
        required=False,
        help_text=_("A PDF file of at most 10 MB. Only the region's coordinators can see it."),
        validators=[validate_board_decision],
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["signed_by_name"].widget.attrs["autocomplete"] = "name"
        self.fields["signed_by_title"].widget.attrs["autocomplete"] = "organization-title"


class WithdrawalRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class WithdrawForm(forms.Form):
    """Admin: confirm a withdrawal, with reason and date."""

    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        initial=_("Withdrawn at the organisation's request."),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )
    withdrawn_on = forms.DateField(
        label=_("Withdrawn on"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )


class SignatoryImportForm(forms.Form):
    """Admin: a spreadsheet of existing signatories."""

    agreement = forms.ModelChoiceField(label=_("Agreement"), queryset=None)
    file = forms.FileField(
        label=_("Spreadsheet (CSV or XLSX)"),
        help_text=_(
            "Columns: organisation name, organisation number, date signed (YYYY-MM-DD). The first row is a header."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per request: the agreements of the region in force (the admin's host).
        self.fields["agreement"].queryset = Agreement.objects.all()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".csv", ".xlsx")):
            raise ValidationError(_("Upload a CSV or XLSX file."), code="format")
        if upload.size > 5 * 1024 * 1024:
            raise ValidationError(_("The file is too large (at most 5 MB)."), code="too_large")
        if name.endswith(".xlsx"):
            # A workbook is a zip: unpacked with bounds (zip bombs) before openpyxl reads it.
            DocumentValidator(kinds=("office",), max_bytes=5 * 1024 * 1024)(upload)
        return upload


class VersionCompareForm(forms.Form):
    """Which two versions to compare (``?fran=1&till=2``, a GET form): by default the one before the
    newest against the newest."""

    fran = forms.TypedChoiceField(label=_("Compare version"), coerce=int)
    till = forms.TypedChoiceField(label=_("with version"), coerce=int)

    error_messages = {"same": _("Choose two different versions.")}

    def __init__(self, query, *, versions):
        self.versions = {version.number: version for version in versions}
        numbers = sorted(self.versions)
        data = {
            "fran": query.get("fran") or (numbers[-2] if len(numbers) > 1 else ""),
            "till": query.get("till") or (numbers[-1] if numbers else ""),
        }
        super().__init__(data)
        choices = [(version.number, self._label(version)) for version in sorted(versions, key=lambda v: v.number)]
        for name in ("fran", "till"):
            self.fields[name].choices = choices
            self.fields[name].error_messages["invalid_choice"] = _(
                "There is no version %(value)s of this agreement to compare. Choose one from the list."
            )

    @staticmethod
    def _label(version) -> str:
        label = _("Version %(number)s, %(date)s") % {
            "number": version.number,
            "date": formats.date_format(version.date, "DATE_FORMAT"),
        }
        return label if version.published else _("%(version)s (not published)") % {"version": label}

    def clean(self):
        data = super().clean()
        if data.get("fran") is not None and data.get("fran") == data.get("till"):
            raise ValidationError(self.error_messages["same"], code="same")
        return data

    def chosen(self):
        """The two versions, older first as the visitor chose them (from, to)."""
        return self.versions[self.cleaned_data["fran"]], self.versions[self.cleaned_data["till"]]
