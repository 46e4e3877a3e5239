from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelChoiceField, SafeModelMultipleChoiceField

from core.forms import EmailField, HoneypotMixin, IdempotencyMixin, column_length

from .models import AreaOfActivity, Contact, Municipality, Organisation
from .validators import normalise_orgnr


class InterestForm(HoneypotMixin, IdempotencyMixin, forms.Form):
    """The public "Register interest" form. All writes happen in ``services.interest_submit``; the
    hidden token makes the form sent twice store one submission."""

    mark_required = True  # the layout writes "(required)" after the label of every required field

    organisation_name = forms.CharField(
        label=_("Name of the organisation"),
        max_length=column_length(Organisation, "name"),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    organisation_number = forms.CharField(
        label=_("Organisation number"),
        required=False,
        max_length=20,
        help_text=_("Ten digits, for example 802002-4280. Leave empty if your network or group has none."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    legal_form = forms.ChoiceField(
        label=_("Legal form"),
        choices=[(value, capfirst(label)) for value, label in Organisation.LegalForm.choices],
        initial=Organisation.LegalForm.NON_PROFIT_ASSOCIATION,
    )
    # The region's own options, read per form (``__init__``): a class is built before any region is known.
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=_("Choose municipality"),
        help_text=_("Where the organisation is based."),
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Areas of activity"),
        queryset=AreaOfActivity.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    contact_name = forms.CharField(
        label=_("Your name"),
        max_length=column_length(Contact, "name"),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact_email = EmailField(
        label=_("Your e-mail address"),
        max_length=column_length(Contact, "email"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    contact_phone = forms.CharField(
        label=_("Your phone number"),
        required=False,
        max_length=column_length(Contact, "phone"),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    contact_role = forms.ChoiceField(
        label=_("Your role"),
        choices=[(value, capfirst(label)) for value, label in Contact.Role.choices],
        initial=Contact.Role.CONTACT,
        widget=forms.RadioSelect,
    )
    wants_dialogue_meetings = forms.BooleanField(label=_("Take part in dialogue meetings"), required=False)
    wants_present_example = forms.BooleanField(
        label=_("Present a good example, for instance from the refugee situation in 2015"), required=False
    )
    wants_further_work = forms.BooleanField(label=_("Take part in further work or working groups"), required=False)
    wants_raise_challenge = forms.BooleanField(label=_("Raise a challenge that matters to us"), required=False)
    message = forms.CharField(
        label=_("Tell us more"),
        required=False,
        max_length=5000,
        help_text=_("For example the good example or the challenge you want to raise."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    # Opt-out: it concerns the organisation, not a person, and only organisation data is shown.
    wants_public_listing = forms.BooleanField(
        label=_("Our organisation may be listed in the public directory once verified"),
        required=False,
        initial=True,
        help_text=_(
            "The directory shows the organisation's name, legal form, municipality, areas and description, never "
            "the contact person."
        ),
    )
    consent = forms.BooleanField(
        label=_("I agree that the region stores the information in this form"),
        required=True,
        error_messages={"required": _("Tick the box to agree, otherwise we cannot store your answers.")},
    )

    WISHES = ("wants_dialogue_meetings", "wants_present_example", "wants_further_work", "wants_raise_challenge")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.order_by("name")
        self.fields["areas"].queryset = AreaOfActivity.objects.order_by("name")
        self.fields["consent"].help_text = format_html(
            '{} <a href="{}">{}</a>.',
            _("We store your answers to contact you about the collaboration and to plan meetings."),
            reverse("core:privacy"),
            _("Read how we handle personal data"),
        )

    def clean_organisation_number(self):
        value = self.cleaned_data["organisation_number"].strip()
        if not value:
            return ""
        return normalise_orgnr(value)

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(name) for name in self.WISHES) and not (cleaned.get("message") or "").strip():
            raise ValidationError(
                _("Choose at least one thing your organisation wants to do, or tell us more in the text field."),
                code="no_wish",
            )
        return cleaned

    def wishes(self):
        return [self[name] for name in self.WISHES]

    @property
    def non_field_errors_anchor(self) -> str:
        """The error summary links "choose at least one thing" to the first of the choices."""
        return self[self.WISHES[0]].id_for_label


DESCRIPTION_MAX_LENGTH = 2000  # a few sentences, as the help text says; the directory shows it in full


class OrganisationProfileForm(forms.ModelForm):
    """What a representative may change: the public profile, not name, number or status."""

    mark_required = True

    class Meta:
        model = Organisation
        fields = ["description", "website", "municipality", "areas", "public_listing"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "website": forms.URLInput(attrs={"placeholder": "https://"}),
            "areas": forms.CheckboxSelectMultiple,
        }
        # Empty until ``__init__`` gives them the region's options (the class is built before any region is known).
        field_classes = {"municipality": SafeModelChoiceField, "areas": SafeModelMultipleChoiceField}
        labels = {
            "description": _("Short description"),
            "public_listing": _("List the organisation in the public directory"),
        }
        help_texts = {
            "description": _(
                "A few sentences about what the organisation does (at most 2,000 characters). Shown publicly."
            ),
            "website": _("The full address, starting with https://"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "www.rodakorset.se" becomes https://www.rodakorset.se, as the help text asks (Django assumes http).
        self.fields["website"].assume_scheme = "https"
        self.fields["description"].max_length = DESCRIPTION_MAX_LENGTH
        self.fields["description"].validators.append(MaxLengthValidator(DESCRIPTION_MAX_LENGTH))
        self.fields["description"].widget.attrs["maxlength"] = str(DESCRIPTION_MAX_LENGTH)
        self.fields["municipality"].queryset = Municipality.objects.order_by("name")
        self.fields["areas"].queryset = AreaOfActivity.objects.order_by("name")
        self.fields["areas"].required = False
