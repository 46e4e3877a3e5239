from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Nomination


class NominationForm(forms.ModelForm):
    nominating_organisation = forms.ModelChoiceField(queryset=None, label=_("Nominated by"), empty_label=None)
    candidate_organisation = forms.ModelChoiceField(
        queryset=None,
        label=_("The candidate's organisation"),
        help_text=_("Your own organisation or another organisation that has signed the agreement."),
    )

    class Meta:
        model = Nomination
        fields = [
            "nominating_organisation",
            "candidate_name",
            "candidate_title",
            "candidate_organisation",
            "candidate_email",
            "presentation",
        ]
        labels = {
            "candidate_name": _("The candidate's name"),
            "candidate_title": _("Title or role (optional)"),
            "candidate_email": _("The candidate's e-mail address"),
            "presentation": _("A short presentation"),
        }
        help_texts = {
            "candidate_email": _(
                "The candidate gets a link to accept or decline. The address is never shown publicly."
            ),
            "presentation": _("Shown to everyone when nominations close. At most 2,000 characters."),
        }
        widgets = {"presentation": forms.Textarea(attrs={"rows": 6, "maxlength": 2000})}

    def __init__(self, *args, acting_for, eligible, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominating_organisation"].queryset = acting_for
        self.fields["candidate_organisation"].queryset = eligible
        if acting_for.count() == 1:
            self.fields["nominating_organisation"].widget = forms.HiddenInput()
            self.fields["nominating_organisation"].initial = acting_for.first()
            self.fields["candidate_organisation"].initial = acting_for.first()
        for name in ("candidate_name", "candidate_title", "candidate_email", "presentation"):
            field = self.fields[name]
            field.validators.append(_no_nul)

    def clean_candidate_email(self):
        return self.cleaned_data["candidate_email"].strip().lower()


def _no_nul(value):
    if "\x00" in str(value):
        raise forms.ValidationError(_("The text contains a character that cannot be stored."))


class BallotForm(forms.Form):
    candidates = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Candidates you approve"),
    )

    def __init__(self, *args, round, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.round = round
        field = self.fields["candidates"]
        field.choices = [(c.pk, f"{c.candidate_name}, {c.candidate_organisation.name}") for c in candidates]
        field.help_text = _("Approve up to %(seats)s candidates. An empty ballot counts towards turnout only.") % {
            "seats": round.seats
        }

    def clean_candidates(self):
        chosen = self.cleaned_data["candidates"]
        if len(chosen) > self.round.seats:
            raise forms.ValidationError(
                _("Approve at most %(seats)s candidates (you chose %(count)s).")
                % {"seats": self.round.seats, "count": len(chosen)}
            )
        return chosen


class CandidateAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        choices=[("accept", _("Yes, I stand as a candidate")), ("decline", _("No, I decline"))],
        widget=forms.RadioSelect,
        label=_("Your answer"),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to the nominating organisation)"), widget=forms.Textarea, max_length=2000
    )
