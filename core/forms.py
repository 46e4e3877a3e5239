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
from django.db.backends.base.operations import BaseDatabaseOperations
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from core import idempotency

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


# The range of the widest integer column (bigint): a number outside it can be no id, count or year the
# database holds, and passed on it is a database error (PostgreSQL "out of range", SQLite "Python int
# too large to convert to SQLite INTEGER"), not a form error.
COLUMN_MIN, COLUMN_MAX = -(2**63), 2**63 - 1
_COLUMN_DIGITS = len(str(COLUMN_MAX))  # 19: no int() of a longer string (Python refuses past 4,300 digits)


def parse_int(value, *, minimum: int = COLUMN_MIN, maximum: int = COLUMN_MAX) -> int | None:
    """The whole number ``value`` spells if it is one within ``minimum``..``maximum``, else None: ASCII
    digits only, an optional sign, spaces around. The one way to read a number typed into a query string,
    a form or a hidden field by hand. ``str.isdigit()`` is no test for that: it is true of "²", which
    ``int()`` refuses, and of "٣" and "𝟙", which ``int()`` takes though nobody typed an id so; and a long
    string of digits is a number Python refuses to convert (past 4,300 digits) or no column holds."""
    text = "" if value is None else str(value).strip()
    digits = text[1:] if text[:1] in "+-" else text
    if not digits or len(digits) > _COLUMN_DIGITS or not (digits.isascii() and digits.isdigit()):
        return None
    number = int(text)
    return number if minimum <= number <= maximum else None


def column_range(internal_type: str) -> tuple[int, int]:
    """The values an integer column of this type holds on every database the portal runs on (PostgreSQL's
    widths, narrower than SQLite's): a test on SQLite refuses what PostgreSQL would."""
    return BaseDatabaseOperations.integer_field_ranges.get(internal_type, (COLUMN_MIN, COLUMN_MAX))


def parse_id(value, *, internal_type: str = "BigAutoField") -> int | None:
    """The id ``value`` spells (a positive whole number its column holds: ``internal_type`` of the key,
    a ``BigAutoField`` by default), else None."""
    return parse_int(value, minimum=1, maximum=column_range(internal_type)[1])


# The years a date typed into the portal may have: what it dates (meetings, signatures, decisions, changes)
# lies between them. Outside is a typo or a probe, and near year 1 or 9999 a time zone's offset takes a
# moment out of what Python's datetime holds (OverflowError converting to UTC, on SQLite a 500).
YEAR_MIN, YEAR_MAX = 1900, 2999
YEAR_MESSAGE = _("Give a date between the years %(first)s and %(last)s.")


def parse_year(value) -> int | None:
    """The year ``value`` spells if it is one between ``YEAR_MIN`` and ``YEAR_MAX``, else None."""
    return parse_int(value, minimum=YEAR_MIN, maximum=YEAR_MAX)


class _ColumnSafeChoice:
    """Mixed into a model choice field whose keys are integer ids: a value no column can hold is an
    invalid choice before any query is made (``pk__in`` with it is a database error)."""

    def _key_range(self) -> tuple[int, int] | None:
        """The range of the key column if it is an integer one, else None (a slug or a code)."""
        if self.queryset is None:
            return None
        key = self.to_field_name or "pk"
        field = self.queryset.model._meta.pk if key == "pk" else self.queryset.model._meta.get_field(key)
        internal_type = field.get_internal_type()
        return column_range(internal_type) if internal_type in INTEGER_COLUMNS else None

    def _not_keys(self, values) -> list:
        bounds = self._key_range()
        if bounds is None:
            return []
        model = self.queryset.model
        return [
            value
            for value in values
            if not isinstance(value, model) and parse_int(value, minimum=bounds[0], maximum=bounds[1]) is None
        ]

    def to_python(self, value):
        if (
            not isinstance(self, forms.ModelMultipleChoiceField)  # its values go through _check_values
            and value not in self.empty_values
            and value != getattr(self, "null_value", None)  # django-filter's "null" choice
            and self._not_keys([value])
        ):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)

    def _check_values(self, value):
        wrong = self._not_keys(value)
        if wrong:
            raise forms.ValidationError(
                self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": str(wrong[0])[:20]}
            )
        return super()._check_values(value)


INTEGER_COLUMNS = {
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveBigIntegerField",
    "PositiveSmallIntegerField",
}
_MIXED_CLASSES: dict[tuple[type, type], type] = {}


def bound_to_columns(field: forms.Field) -> None:
    """Keep ``field`` (one form's own copy) within what a database column holds: a number field gets the
    bigint range as its limits unless it has narrower ones, a date field the years ``YEAR_MIN``..``YEAR_MAX``,
    a model choice by integer id refuses, as an invalid choice, an id no column holds, and a JSON field
    refuses text nested too deep to read. Applied to every field of every form rendered by the
    portal's renderer (allauth's and django-filter's included) when the form first touches it."""
    if getattr(field, "_bound_to_columns", False):
        return
    field._bound_to_columns = True
    if isinstance(field, forms.IntegerField):  # FloatField and DecimalField are IntegerFields too
        if field.max_value is None or field.max_value > COLUMN_MAX:
            field.validators.append(validators.MaxValueValidator(COLUMN_MAX))
        if field.min_value is None or field.min_value < COLUMN_MIN:
            field.validators.append(validators.MinValueValidator(COLUMN_MIN))
    elif isinstance(field, forms.DateField | forms.DateTimeField | forms.SplitDateTimeField):
        field.validators.append(validate_year)
    elif isinstance(field, forms.ModelChoiceField) and not isinstance(field, _ColumnSafeChoice):
        _mix_into(field, _ColumnSafeChoice)
    elif isinstance(field, forms.JSONField) and not isinstance(field, _DepthSafeJSON):
        _mix_into(field, _DepthSafeJSON)


def _mix_into(field: forms.Field, mixin: type) -> None:
    """Make ``field`` (one form's own copy) an instance of its class with ``mixin`` in front."""
    cls = type(field)
    if (cls, mixin) not in _MIXED_CLASSES:
        _MIXED_CLASSES[cls, mixin] = type(cls.__name__, (mixin, cls), {"__module__": cls.__module__})
    field.__class__ = _MIXED_CLASSES[cls, mixin]


def validate_year(value) -> None:
    """A date or moment between the years ``YEAR_MIN`` and ``YEAR_MAX`` (see there): on every date field of every
    form, so that none stores a moment that Python's datetime cannot move to UTC or back (year 1 or 9999 in a
    time zone east or west of UTC: an ``OverflowError`` on save or when shown, a 500)."""
    if value is not None and hasattr(value, "year") and not YEAR_MIN <= value.year <= YEAR_MAX:
        raise forms.ValidationError(YEAR_MESSAGE, code="year", params={"first": YEAR_MIN, "last": YEAR_MAX})


class _DepthSafeJSON:
    """Mixed into a JSON form field: text nested deeper than Python's recursion limit (``[[[[…``) is invalid
    JSON, not a ``RecursionError`` (a 500) when the form is cleaned or shown again."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except RecursionError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid", params={"value": ""}) from None

    def bound_data(self, data, initial):
        try:
            return super().bound_data(data, initial)
        except RecursionError:
            return forms.fields.InvalidJSONInput(data)


class BootstrapBoundField(BoundField):
    def __init__(self, form, field, name):
        bound_to_columns(field)
        super().__init__(form, field, name)

    @property
    def file_to_choose_again(self) -> str:
        """The name of the file chosen for this field when the form comes back with errors elsewhere: a browser
        never fills a file input again, so the page says to choose it again ("" when there is nothing to say)."""
        if not (isinstance(self.field, forms.FileField) and self.form.is_bound and self.form.errors):
            return ""
        upload = self.form.files.get(self.html_name)
        if upload is None or self.errors:
            return ""
        return str(getattr(upload, "name", "") or "")[:100]

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


class IdempotencyMixin(forms.Form):
    """A hidden random token per rendered form, so that the same POST sent twice (the visitor pressing
    again after a dropped connection, or a proxy retrying) is recognised and answered from what the
    first one stored. Works without JavaScript and without a session.

    A cached page must not hand one visitor's token to the next: ``core.pagecache`` stores the input
    with a placeholder and fills a fresh token into every copy it serves (``core.idempotency``).
    A missing or malformed token only turns the protection off for that POST; it is never an error.
    """

    idempotency_key = forms.CharField(required=False, widget=forms.HiddenInput, initial=idempotency.new_key)

    def clean_idempotency_key(self) -> str:
        value = self.cleaned_data.get("idempotency_key") or ""
        return value if idempotency.KEY_RE.fullmatch(value) else ""


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
