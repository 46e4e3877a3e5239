from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import HoneypotMixin, IdempotencyMixin

from .models import MESSAGE_MAX, AccessibilityReport


def _length(field: str) -> int:
    return AccessibilityReport._meta.get_field(field).max_length


class ReportForm(HoneypotMixin, IdempotencyMixin, forms.Form):
    """Report a shortcoming in the site's accessibility, or ask for content in another form. No account."""

    mark_required = True

    message = forms.CharField(
        label=_("What is the problem, or what do you need?"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Describe what did not work, or which content you need in another form (for example large print, easy Swedish or audio)."
        ),
    )
    page = forms.CharField(
        label=_("Which page or document?"),
        required=False,
        max_length=_length("page"),
        help_text=_("The address or the name of the page, if you know it."),
    )
    wants_other_format = forms.BooleanField(label=_("I want the content in another form"), required=False)
    name = forms.CharField(
        label=_("Your name"),
        required=False,
        max_length=_length("name"),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        required=False,
        max_length=_length("email"),
        help_text=_("If you want an answer and a receipt. We use it only to answer you."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
