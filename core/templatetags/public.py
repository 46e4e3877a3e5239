"""Small helpers for the public pages: error-summary anchors, content language, document formats."""

from django import template
from django.template.defaultfilters import filesizeformat
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def error_anchor(bound_field) -> str:
    """The id an error-summary link points at: the field itself, or the first choice of a radio or
    checkbox group (whose label has no single ``for``)."""
    return bound_field.id_for_label or (f"{bound_field.auto_id}_0" if bound_field.auto_id else "")


@register.filter
def field_error_count(form) -> int:
    """Fields with an error (the summary's count; non-field errors are listed but are not fields)."""
    return sum(1 for name in form.errors if name != "__all__")


@register.simple_tag
def content_lang(language: str = "sv"):
    """` lang="sv"` on content kept in Swedish (names, titles, descriptions written by people) when the page
    is in another language (WCAG 3.1.2); nothing when the page is already in that language."""
    current = (get_language() or "sv").split("-")[0]
    if current == language:
        return ""
    return mark_safe(f' lang="{language}"')  # noqa: S308 - a fixed language code


KINDS = {
    "pdf": "PDF",
    "doc": "Word",
    "docx": "Word",
    "odt": "OpenDocument",
    "ods": "OpenDocument",
    "odp": "OpenDocument",
    "xls": "Excel",
    "xlsx": "Excel",
    "ppt": "PowerPoint",
    "pptx": "PowerPoint",
    "png": "PNG",
    "jpg": "JPEG",
    "jpeg": "JPEG",
    "gif": "GIF",
    "webp": "WebP",
    "csv": "CSV",
}


@register.filter
def document_format(fieldfile) -> str:
    """'PDF, 1.2 MB' for an uploaded file: the format from its ending and its size from storage.
    Empty when there is no file or storage cannot tell the size (the link still works)."""
    if not fieldfile:
        return ""
    ending = fieldfile.name.rsplit(".", 1)[-1].lower() if "." in fieldfile.name else ""
    kind = KINDS.get(ending, ending.upper())
    try:
        size = fieldfile.size
    except (OSError, ValueError, NotImplementedError):
        size = None
    except Exception:  # noqa: BLE001 - object storage errors must not break a public page
        size = None
    parts = [kind] if kind else []
    if size is not None:
        parts.append(filesizeformat(size))
    return ", ".join(parts)


@register.filter
def link_kind(url: str) -> str:
    """What an external document link leads to, for its description."""
    return _("external link") if url else ""


@register.filter
def without_parentheses(value: str) -> str:
    """ "(M)" → "M": for text that a template puts in parentheses itself."""
    value = (value or "").strip()
    if value.startswith("(") and value.endswith(")"):
        return value[1:-1].strip()
    return value
