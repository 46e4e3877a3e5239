from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.forms import EmailField, HoneypotMixin, IdempotencyMixin, column_length
from organisations.representation import organisations_of

from .models import Registration, RegistrationQuestion

YES, NO = "Ja", "Nej"  # what a yes/no answer keeps (the coordinators' language), whatever the form's language


class _DetailsMixin(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=column_length(Registration, "name"),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Phone (optional)"),
        max_length=column_length(Registration, "phone"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    organisation_name = forms.CharField(
        label=_("Organisation (optional)"),
        max_length=column_length(Registration, "organisation_name"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    role = forms.CharField(
        label=_("Your role in the organisation (optional)"),
        max_length=column_length(Registration, "role"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    present_example = forms.BooleanField(
        label=_("I would like to present a good example at the meeting"), required=False
    )
    example_description = forms.CharField(
        label=_("Describe the good example briefly (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    needs = forms.CharField(
        label=_("Access or dietary needs (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example wheelchair access, hearing loop, allergies or vegetarian food."),
    )

    attendance = forms.ChoiceField(
        label=_("How will you take part?"),
        choices=Registration.Attendance.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether you take part on site or online.")},
        help_text=_("The meeting is held on site and online at the same time."),
    )

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        if meeting is not None and not meeting.has_venue:
            del self.fields["needs"]
        if meeting is None or not meeting.is_hybrid:
            del self.fields["attendance"]


class RegistrationForm(HoneypotMixin, IdempotencyMixin, _DetailsMixin):
    """The public sign-up form; no account needed. Consent is never pre-ticked. The hidden token makes a
    POST sent twice store one registration and answer both with its confirmation."""

    email = EmailField(
        label=_("E-mail"),
        max_length=column_length(Registration, "email"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation you represent"),
        queryset=None,
        required=False,
        empty_label=_("Another organisation or none"),
    )
    organisation_public = forms.BooleanField(
        label=_("Our organisation may be named on the meeting's page as one that took part (optional)"),
        required=False,
        help_text=_("Only the organisation's name, never yours."),
    )
    consent = forms.BooleanField(
        label=_("I agree that my personal data is handled as described in the privacy notice"),
        error_messages={"required": _("Tick the box to agree, otherwise we cannot register you.")},
    )

    field_order = [
        "name",
        "email",
        "phone",
        "attendance",
        "organisation",
        "organisation_name",
        "role",
        "present_example",
        "example_description",
        "needs",
        "organisation_public",
        "consent",
    ]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(self.meeting.questions.all()) if self.meeting is not None and self.meeting.pk else []
        for question in self.questions:
            self.fields[f"question_{question.pk}"] = question_field(question)
        position = self.field_order.index("consent")
        self.field_order = [
            *self.field_order[:position],
            *(f"question_{q.pk}" for q in self.questions),
            *self.field_order[position:],
        ]
        self.fields["consent"].help_text = format_html(
            '<a href="{}">{}</a>', reverse("core:privacy"), _("Read how we handle personal data")
        )
        # An anonymous visitor acts for no organisation: no queryset to build for them.
        acting = user is not None and user.is_authenticated
        organisations = organisations_of(user) if acting else None
        if organisations is not None and organisations.exists():
            self.fields["organisation"].queryset = organisations
        else:
            del self.fields["organisation"]
        self.order_fields(self.field_order)

    def answers(self) -> list[tuple[RegistrationQuestion, str]]:
        """(question, answer as kept) for the questions answered; choices by their Swedish labels."""
        given = []
        for question in self.questions:
            value = self.cleaned_data.get(f"question_{question.pk}")
            if isinstance(value, list):
                value = "; ".join(value)
            elif question.kind == RegistrationQuestion.Kind.YES_NO:
                value = {"yes": YES, "no": NO}.get(value, "")
            value = (value or "").strip()
            if value:
                given.append((question, value))
        return given


def question_field(question: RegistrationQuestion) -> forms.Field:
    """The form field of a question at sign-up, labelled in the reader's language."""
    Kind = RegistrationQuestion.Kind
    common = {"label": question.display_text, "required": question.required}
    if question.kind == Kind.LONG_TEXT:
        return forms.CharField(
            max_length=RegistrationQuestion.LONG_MAX, widget=forms.Textarea(attrs={"rows": 3}), **common
        )
    if question.kind == Kind.ONE_CHOICE:
        return forms.ChoiceField(choices=question.display_choices(), widget=forms.RadioSelect, **common)
    if question.kind == Kind.SEVERAL_CHOICES:
        return forms.MultipleChoiceField(
            choices=question.display_choices(), widget=forms.CheckboxSelectMultiple, **common
        )
    if question.kind == Kind.YES_NO:
        return forms.ChoiceField(choices=[("yes", _("Yes")), ("no", _("No"))], widget=forms.RadioSelect, **common)
    return forms.CharField(max_length=RegistrationQuestion.SHORT_MAX, **common)


class RegistrationChangeForm(_DetailsMixin):
    """What a registrant may change on the manage page (the e-mail address is the key and stays)."""

    field_order = ["name", "phone", "attendance"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(self.field_order)


class CheckInForm(forms.Form):
    """The coordinator's check-in: a typed (or scanned) code."""

    code = forms.CharField(
        label=_("Check-in code"),
        max_length=40,
        help_text=_(
            "The eight characters under the person's QR code, e.g. ACDE-FGHJ. Spaces and dashes do not matter."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false", "autofocus": True}
        ),
    )

    def clean_code(self):
        value = self.cleaned_data["code"]
        if "\x00" in value:
            raise forms.ValidationError(_("The code can only hold letters and digits."), code="nul")
        return value


class EvaluationForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How was the meeting, from 1 (poor) to 5 (very good)?"),
        choices=[
            (5, _("5 – very good")),
            (4, "4"),
            (3, "3"),
            (2, "2"),
            (1, _("1 – poor")),
        ],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a rating from 1 to 5.")},
    )
    comment = forms.CharField(
        label=_("What was good, what could be better? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Anonymous: the organisers see the answers together, never who wrote what."),
    )
