"""Serializer fields shared by every app's ``api.py``."""

from django.urls import NoReverseMatch, reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.links import absolute_url
from core.translated import translated

# A link that may be missing (no document, a view not installed): ``@extend_schema_field(NULLABLE_URI)``.
NULLABLE_URI = {"type": ["string", "null"], "format": "uri"}


def absolute(request, path: str | None) -> str | None:
    """On the request's host; without a request (a document cached for every visitor) on ``SITE_URL``."""
    if not path:
        return None
    return request.build_absolute_uri(path) if request is not None else absolute_url(path)


def absolute_reverse(request, name: str, **kwargs) -> str | None:
    """The absolute URL of ``name``, or None when that URL does not exist (yet)."""
    try:
        return absolute(request, reverse(name, kwargs=kwargs))
    except NoReverseMatch:
        return None


@extend_schema_field(OpenApiTypes.URI)
class PageUrlField(serializers.Field):
    """The absolute URL of the object's public page (``get_absolute_url``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("help_text", _("Absolute URL of the public page."))
        super().__init__(**kwargs)

    def to_representation(self, value):
        return absolute(self.context.get("request"), value.get_absolute_url())


@extend_schema_field(OpenApiTypes.URI)
class ApiUrlField(serializers.Field):
    """The absolute URL of this object in the API (``api:<basename>-detail``)."""

    def __init__(self, view_name: str, lookup: str = "slug", **kwargs):
        self.view_name, self.lookup = view_name, lookup
        kwargs.setdefault("source", "*")
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("help_text", _("Absolute URL of this object in the API."))
        super().__init__(**kwargs)

    def to_representation(self, value):
        return absolute_reverse(
            self.context.get("request"), self.view_name, **{self.lookup: getattr(value, self.lookup)}
        )


class LabelField(serializers.CharField):
    """The translated label of a choice field (``get_<field>_display``), in the request's language."""

    def __init__(self, field: str, **kwargs):
        kwargs.setdefault("source", f"get_{field}_display")
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("help_text", format_lazy(_("Label of `{field}` in the request's language."), field=field))
        super().__init__(**kwargs)


@extend_schema_field({"type": ["string", "null"], "examples": ["RS 2026/123"]})
class CaseNumberField(serializers.Field):
    """The region's case number (diarienummer) of the record, or null when it has none."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("help_text", _("The region's case number (diarienummer), or null when it has none."))
        super().__init__(**kwargs)

    def to_representation(self, value):
        return value or None


IN_ASKED_LANGUAGE = _(
    "In the language asked for (`lang`, `Accept-Language`); the Swedish text when no English one is written."
)


@extend_schema_field(OpenApiTypes.STR)
class TranslatedTextField(serializers.Field):
    """A text coordinators write in Swedish and optionally in English (``<field>`` and ``<field>_en``, see
    core/translated.py): the English text when English is asked for and written, else the Swedish one.
    The name and meaning of the field stay those existing clients know; ``<field>_lang`` says which it is."""

    def __init__(self, text_field: str | None = None, **kwargs):
        self.text_field = text_field
        kwargs.setdefault("source", "*")
        kwargs.setdefault("read_only", True)
        help_text = kwargs.pop("help_text", "")
        kwargs["help_text"] = format_lazy("{} {}", help_text, IN_ASKED_LANGUAGE) if help_text else IN_ASKED_LANGUAGE
        super().__init__(**kwargs)

    def bind(self, field_name, parent):
        super().bind(field_name, parent)
        self.text_field = self.text_field or field_name

    def to_representation(self, value):
        return str(translated(value, self.text_field))


@extend_schema_field({"type": "string", "enum": ["sv", "en"]})
class TextLanguageField(serializers.Field):
    """``sv`` or ``en``: the language ``text_field`` is given in (``en`` only when English was asked for and
    an English text is written)."""

    def __init__(self, text_field: str, **kwargs):
        self.text_field = text_field
        kwargs.setdefault("source", "*")
        kwargs.setdefault("read_only", True)
        kwargs.setdefault(
            "help_text",
            format_lazy(
                _("Language of `{field}`: en when English was asked for and is written, else sv."), field=text_field
            ),
        )
        super().__init__(**kwargs)

    def to_representation(self, value):
        return translated(value, self.text_field).lang
