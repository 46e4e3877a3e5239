"""Forms of mandates: the representative's request (Mina sidor) and the coordinators' reasons (admin)."""

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.files import DocumentValidator

from .mandates import REQUESTABLE_KINDS
from .models import MANDATE_EVIDENCE_MAX_BYTES, Mandate

EVIDENCE_VALIDATOR = DocumentValidator(kinds=("pdf",), max_bytes=MANDATE_EVIDENCE_MAX_BYTES)


class MandateRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of mandate"),
        choices=[(kind.value, capfirst(kind.label)) for kind in REQUESTABLE_KINDS],
        widget=forms.RadioSelect,
        help_text=_(
            "Authorised signatory: you sign for the organisation under its statutes or registration. "
            "Appointed by the board: the board decided that you act for the organisation."
        ),
    )
    valid_to = forms.DateField(
        label=_("Valid until"),
        help_text=_("The last day of the mandate, for example the end of the board's term (YYYY-MM-DD)."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    evidence = forms.FileField(
        label=_("The statutes or the board's minutes"),
        help_text=_("A PDF file of at most 10 MB. Only you and the region's coordinators can see it."),
        validators=[EVIDENCE_VALIDATOR],
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    message = forms.CharField(
        label=_("Message to the coordinators (optional)"),
        required=False,
        max_length=Mandate._meta.get_field("message").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_valid_to(self):
        value = self.cleaned_data["valid_to"]
        if value < timezone.localdate():
            raise forms.ValidationError(_("The last day must be today or later."))
        return value


class MandateVerifyForm(forms.Form):
    note = forms.CharField(
        label=_("How the mandate was checked (optional when it has an evidence file)"),
        required=False,
        max_length=Mandate._meta.get_field("verification_note").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MandateReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to the holder)"),
        max_length=Mandate._meta.get_field("refusal_reason").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
