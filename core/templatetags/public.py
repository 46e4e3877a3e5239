"""Small helpers for the public pages: error-summary anchors, content language, document formats."""

from django import template
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.forms import BaseForm
from django.forms.formsets import BaseFormSet
from django.template.base import token_kwargs
from django.template.defaultfilters import filesizeformat, linebreaks_filter, linebreaksbr
from django.utils.functional import LazyObject
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.money import sek
from core.translated import Translated, translated

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


def _has_errors(value) -> bool:
    if isinstance(value, LazyObject):  # the user and other lazy values are never forms; do not load them
        return False
    if isinstance(value, BaseForm):
        return value.is_bound and bool(value.errors)
    if isinstance(value, BaseFormSet):
        return value.is_bound and value.total_error_count() > 0
    return False


@register.simple_tag(takes_context=True)
def error_title_prefix(context) -> str:
    """ "Fel: " before the page's <title> when a form (or formset) on the page came back with errors, so that
    the first thing a screen reader reads after a refused submission says so (WCAG 3.3.1). base.html puts
    it in front of every page's title block: no page has to remember it, whatever its form is called.
    A page that refuses a submission without a form (a confirmation button) passes its message as ``error``."""
    values = context.flatten()
    if values.get("error") or any(_has_errors(value) for value in values.values()):
        return _("Error") + ": "
    # A submission refused before its form was judged (too many from one connection: 429) says why in
    # an error message; the page shows its messages below anyway, so reading them here loses none.
    request = values.get("request")
    if request is not None and any(message.level >= message_levels.ERROR for message in get_messages(request)):
        return _("Error") + ": "
    return ""


@register.filter
def summary_label(label) -> str:
    """A field's label as the error summary leads an error with it: "Name:", but "How do you take part?"
    and "I agree." without a colon after their own punctuation."""
    text = str(label or "").strip()
    if not text:
        return ""
    return text if text[-1] in "?.!:…" else f"{text}:"


@register.simple_tag
def content_lang(language: str = "sv"):
    """` lang="sv"` on content kept in Swedish (names, titles, descriptions written by people) when the page
    is in another language (WCAG 3.1.2); nothing when the page is already in that language."""
    current = (get_language() or "sv").split("-")[0]
    if current == language:
        return ""
    return mark_safe(f' lang="{language}"')  # noqa: S308 - a fixed language code


@register.filter(name="tr")
def tr_filter(obj, field: str) -> Translated:
    """``{{ meeting|tr:"title" }}``: the text in the page's language (plain, escaped as usual), for
    attributes, ``<title>`` and ``{% with %}``; ``{{ t.lang_attr }}`` marks the element it sits in."""
    return translated(obj, field)


@register.simple_tag(name="tr")
def tr_tag(obj, field: str) -> str:
    """``{% tr meeting "title" %}``: the English text on English pages, else the Swedish one, wrapped in
    ``<span lang="sv">`` where it is not in the page's language; escaped."""
    return translated(obj, field).inline()


BLOCK_FILTERS = {"linebreaks": linebreaks_filter, "linebreaksbr": linebreaksbr, "": None}


@register.simple_tag(name="tr_block")
def tr_block_tag(obj, field: str, text_filter: str = "linebreaks") -> str:
    """``{% tr_block meeting "description" "linebreaks" %}``: a block text through ``linebreaks`` (or
    ``linebreaksbr``, or ``""`` for none), escaped, in a ``<div lang="sv">`` where it is not in the page's
    language (``<span lang="sv">`` for ``linebreaksbr``, whose lines sit inside a paragraph)."""
    text = translated(obj, field)
    apply = BLOCK_FILTERS[text_filter]
    body = apply(str(text), autoescape=True) if apply else format_html("{}", str(text))
    if text.lang_attr:
        element = "span" if text_filter == "linebreaksbr" else "div"
        return format_html("<{}{}>{}</{}>", element, text.lang_attr, body, element)
    return body


@register.filter(name="sek")
def sek_filter(amount) -> str:
    """``{{ call.ceiling|sek }}``: an amount in whole kronor as the page's language writes it, "1 500 000 kr"
    or "SEK 1,500,000" (core/money.py). Inside a sentence the msgid leaves the currency to the filter:
    ``{% blocktranslate with amount=x|sek %}{{ amount }} available{% endblocktranslate %}``."""
    return sek(amount)


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


class ScrollRegionNode(template.Node):
    def __init__(self, nodelist, kwargs):
        self.nodelist = nodelist
        self.kwargs = kwargs

    def render(self, context):
        values = {key: value.resolve(context) for key, value in self.kwargs.items()}
        if values.get("labelledby"):
            name = format_html(' aria-labelledby="{}"', values["labelledby"])
        else:
            name = format_html(' aria-label="{}"', values.get("label") or "")
        return format_html(
            '<div class="table-responsive" tabindex="0" role="region"{}>{}</div>',
            name,
            mark_safe(self.nodelist.render(context)),  # noqa: S308 - the template's own rendered output
        )


@register.tag
def scroll_region(parser, token):
    """A box that scrolls sideways on its own when a wide table does not fit (WCAG 1.4.10), and that a
    keyboard can reach and a screen reader names (WCAG 2.1.1, axe ``scrollable-region-focusable``)::

        {% scroll_region labelledby="plan-3" %}<table>…</table>{% endscroll_region %}
        {% scroll_region label=_("Parameters") %}…{% endscroll_region %}

    ``labelledby`` is the id of the table's caption or heading (preferred: the name is what is shown);
    ``label`` a text when there is none. Every scrolling table of the portal is wrapped by this tag
    (``tests/public/test_public_ui.py`` checks the templates), so no wrapper forgets its tabindex or name."""
    bits = token.split_contents()
    kwargs = token_kwargs(bits[1:], parser)
    if not kwargs or set(kwargs) - {"labelledby", "label"} or len(bits) - 1 != len(kwargs):
        raise template.TemplateSyntaxError("{% scroll_region %} takes labelledby=… or label=…")
    nodelist = parser.parse(("endscroll_region",))
    parser.delete_first_token()
    return ScrollRegionNode(nodelist, kwargs)
