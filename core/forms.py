"""Form pieces shared by every form: one layout (the renderer) and the honeypot.

Every form of the portal is rendered by ``FormRenderer`` (``settings.FORM_RENDERER``):

- ``{{ field.as_field_group }}`` (or ``{% include "forms/field.html" with field=... %}`` to pass
  ``columns=True`` for a long list of checkboxes) writes a field with its label, help text and
  error in one Bootstrap 5 layout, ``templates/forms/field.html``;
- ``BootstrapBoundField`` gives each widget its Bootstrap class when it is rendered, so forms
  need no styling loop; a class set on the widget wins.

Django's own ``BoundField`` ties the help text and the error to the input (``aria-describedby``
with ``<id>_helptext`` and ``<id>_error``, ``aria-invalid``); the field template writes those ids.
Set ``aria-describedby`` on a widget only to replace that, never to repeat it.
"""

from django import forms
from django.core import validators
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

# Django's one "This field is required." ("Fyll i fältet.") reads wrongly under a checkbox: there is nothing
# to fill in. Every required checkbox without a message of its own says what to do instead.
CHECKBOX_REQUIRED = _("Tick the box to continue.")


def install_checkbox_message() -> None:
    """Make ``CHECKBOX_REQUIRED`` the default "required" message of every ``forms.BooleanField`` (ours,
    allauth's, the admin's); a field's own ``error_messages`` still win. Called from ``CoreConfig.ready``."""
    forms.BooleanField.default_error_messages = {
        **forms.BooleanField.__dict__.get("default_error_messages", {}),
        "required": CHECKBOX_REQUIRED,
    }


def bootstrap_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


class BootstrapBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if not widget.is_hidden and "class" not in attrs and "class" not in widget.attrs:
            attrs["class"] = bootstrap_class(widget)
        return attrs


class FormRenderer(TemplatesSetting):
    """Django's renderer with the portal's field template and Bootstrap classes on every widget."""

    field_template_name = "forms/field.html"
    bound_field_class = BootstrapBoundField


class HoneypotMixin(forms.Form):
    """A field that people never see or fill; bots that fill every field are turned away.

    Render ``{% include "includes/honeypot.html" %}`` (a ``<div class="honeypot" aria-hidden="true">``
    that the CSS moves off-screen; ``tabindex=-1`` keeps keyboards out).
    """

    website_address = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def is_bot(self) -> bool:
        return bool(self.data.get(self.add_prefix("website_address")))


# The longest address an e-mail column holds (RFC 5321 path limit; Django's model EmailField
# default). Django's form EmailField accepts 320 characters, so every form caps it here.
EMAIL_MAX_LENGTH = 254


def limit_email_field(field: forms.Field, max_length: int = EMAIL_MAX_LENGTH) -> forms.Field:
    """Cap an e-mail form field at what the columns hold, with a message that says so.

    Also used on allauth's own fields (signup, login, password reset, add e-mail), whose
    EmailField allows 320 characters while its ``EmailAddress.email`` column holds 254."""
    field.max_length = max_length
    field.validators = [v for v in field.validators if not isinstance(v, validators.MaxLengthValidator)]
    field.validators.append(
        validators.MaxLengthValidator(
            max_length,
            message=_(
                "An e-mail address can be at most %(limit_value)d characters long (this one has %(show_value)d)."
            ),
        )
    )
    field.widget.attrs["maxlength"] = str(max_length)
    return field


class EmailField(forms.EmailField):
    """An e-mail field no longer than the e-mail columns (254 characters), with a clear message."""

    def __init__(self, *, max_length: int = EMAIL_MAX_LENGTH, **kwargs):
        super().__init__(**kwargs)
        limit_email_field(self, max_length)


def column_length(model, field_name: str) -> int:
    """The length of a model's character column, so that a hand-written form field never accepts more."""
    return model._meta.get_field(field_name).max_length
