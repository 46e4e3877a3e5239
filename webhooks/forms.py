from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.region_state import current_region

from .models import Endpoint
from .services import event_choices, url_validate


class EndpointForm(forms.ModelForm):
    """An endpoint in the admin: its address is checked (HTTPS, a public address after DNS) before saving."""

    events = forms.MultipleChoiceField(
        label=_("Events"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The events this endpoint receives."),
    )

    class Meta:
        model = Endpoint
        fields = ["name", "url", "events", "is_active", "coordinator"]
        widgets = {"url": forms.URLInput(attrs={"placeholder": "https://"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["events"].choices = event_choices()
        self.fields["events"].initial = list(self.instance.events or [])
        region = current_region()
        users = get_user_model().objects.filter(is_active=True, is_staff=True)
        if region is not None:
            users = users.filter(coordinated_regions=region)
        self.fields["coordinator"].queryset = users.order_by("email").distinct()

    def clean_url(self):
        url = self.cleaned_data.get("url", "")
        if len(url) > Endpoint._meta.get_field("url").max_length:
            raise ValidationError(_("The address is too long."))
        return url_validate(url)
