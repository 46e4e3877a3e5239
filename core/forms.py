"""Form pieces shared by the public forms."""

from django import forms
from django.utils.translation import gettext_lazy as _


class HoneypotMixin(forms.Form):
    """A field that people never see or fill; bots that fill every field are turned away.

    Render ``{{ form.website_address }}`` inside ``<div class="honeypot" aria-hidden="true">``
    (the ``honeypot`` CSS class moves it off-screen; ``tabindex=-1`` keeps keyboards out).
    """

    website_address = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def is_bot(self) -> bool:
        return bool(self.data.get(self.add_prefix("website_address")))
