from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.forms import HoneypotMixin, column_length, parse_id
from organisations.models import AreaOfActivity, Municipality

from .models import Challenge, Participation


def _is_id(value) -> bool:
    return parse_id(value) is not None  # ASCII digits a column holds: "²" and 5,000 nines are no id


class IdChoiceField(forms.ModelChoiceField):
    """A model choice by id that refuses a number no column can hold (instead of a database error)."""

    def to_python(self, value):
        if value not in self.empty_values and self.to_field_name is None and not _is_id(value):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for pk in value:
            if not _is_id(pk):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": str(pk)[:20]}
                )
        return super()._check_values(value)


class ChallengeRaiseForm(HoneypotMixin, forms.Form):
    """A representative raises a challenge for one of their verified organisations."""

    mark_required = True

    organisation = IdChoiceField(label=_("Raised by the organisation"), queryset=None, empty_label=None)
    title = forms.CharField(
        label=_("The challenge in a few words"),
        max_length=column_length(Challenge, "title"),
        help_text=_("For example: Long distances to health care for older people in sparsely populated areas."),
    )
    summary = forms.CharField(
        label=pgettext_lazy("challenge", "Summary"),
        max_length=column_length(Challenge, "summary"),
        help_text=_("One or two sentences, shown in the list of challenges."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    description = forms.CharField(
        label=_("Describe the challenge"),
        required=False,
        max_length=10000,
        help_text=_("What is the problem, who does it concern, and what could we do about it together?"),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    areas = IdMultipleChoiceField(
        label=_("Areas of activity"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    municipalities = IdMultipleChoiceField(
        label=_("Municipalities it concerns"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["areas"].queryset = AreaOfActivity.objects.order_by("name")
        self.fields["municipalities"].queryset = Municipality.objects.order_by("name")


class JoinForm(forms.Form):
    mark_required = True

    organisation = IdChoiceField(label=_("Organisation"), queryset=None, empty_label=None)
    role = forms.ChoiceField(
        label=_("How the organisation takes part"),
        choices=[(role.value, capfirst(role.label)) for role in Participation.JOINABLE_ROLES],
        initial=Participation.Role.TAKES_PART,
        widget=forms.RadioSelect,
        help_text=_("Organisations that follow a challenge get its news; those that take part also work on it."),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class EmailPreferenceForm(forms.Form):
    updates = forms.BooleanField(
        label=_("E-mail me when a challenge my organisations take part in has an update or a new meeting"),
        required=False,
    )


class ChallengeFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, max_length=100, help_text=_("Words in the title or text, or a case number.")
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    area = IdChoiceField(label=_("Area of activity"), queryset=None, required=False, empty_label=_("All areas"))
    municipality = IdChoiceField(
        label=_("Municipality"), queryset=None, required=False, empty_label=_("All municipalities")
    )
    raised_by = forms.ChoiceField(label=_("Raised by"), required=False)

    def __init__(self, *args, areas, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All statuses"))] + [
            (s.value, capfirst(s.label)) for s in Challenge.PUBLIC_STATUSES
        ]
        self.fields["raised_by"].choices = [("", _("The region and civil society"))] + [
            (value, capfirst(label)) for value, label in Challenge.RaisedBy.choices
        ]
        self.fields["area"].queryset = AreaOfActivity.objects.filter(pk__in=[a.pk for a in areas]).order_by("name")
        self.fields["municipality"].queryset = Municipality.objects.filter(
            pk__in=[m.pk for m in municipalities]
        ).order_by("name")
        self.fields["area"].to_field_name = "slug"

    def filters(self) -> dict:
        """The valid filters; an invalid value is ignored, never an error page."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "q": (data.get("q") or "").strip(),
            "status": data.get("status") or "",
            "area": data.get("area"),
            "municipality": data.get("municipality"),
            "raised_by": data.get("raised_by") or "",
        }


class ReasonForm(forms.Form):
    """The admin's intermediate page for declining (reason) and concluding (outcome)."""

    text = forms.CharField(label=_("Text"), max_length=10000, widget=forms.Textarea(attrs={"rows": 6, "cols": 80}))
