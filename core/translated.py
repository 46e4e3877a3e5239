"""Texts that coordinators write in Swedish and, optionally, in English.

Swedish stays in the field it always had (``title``); the English version, when one is written, is in a
field of the same type beside it named ``<field>_en`` (``title_en``), blank by default. Nothing rewrites
queries or constructor arguments: ``title`` is the Swedish text everywhere, and the pages, the API and the
admin ask for the reader's version through the helpers here.

- ``translated(obj, "title")`` → a :class:`Translated` string: the English text on English pages when one
  is kept, else the Swedish one, knowing which language it is in (``.lang``, ``.lang_attr``).
- ``bilingual_fields(Model)`` → the fields that have an English version (what the admin puts side by side
  and what a search may look in).
- The template tags ``{% tr %}``, ``{% tr_block %}`` and the filter ``|tr`` live in ``core.templatetags.public``.

Swedish pages always show Swedish. An English page that falls back to the Swedish text marks it
``lang="sv"`` (WCAG 3.1.2) so a screen reader pronounces it as Swedish.
"""

from collections.abc import Mapping

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

SWEDISH = "sv"
ENGLISH = "en"
SUFFIX = "_en"


def active_language() -> str:
    """The page's language as a two-letter code (``sv`` outside a request)."""
    return (get_language() or SWEDISH).split("-")[0]


def asked_language(language: str | None = None) -> str:
    """``en`` when English is asked for (or active, when nothing is passed), else ``sv``."""
    code = (language or active_language()).split("-")[0].lower()
    return ENGLISH if code == ENGLISH else SWEDISH


class Translated(str):
    """A text in the language it is written in: a ``str`` (so every filter works on it) that knows its
    ``lang`` and whether it is the Swedish text standing in for a missing English one."""

    lang: str
    fallback: bool

    def __new__(cls, text: str, lang: str, fallback: bool = False):
        value = super().__new__(cls, text)
        value.lang = lang
        value.fallback = fallback
        return value

    @property
    def lang_attr(self) -> str:
        """`` lang="sv"`` when the text's language differs from the page's, else nothing."""
        if self.lang == active_language():
            return ""
        return mark_safe(f' lang="{self.lang}"')  # noqa: S308 - a fixed language code

    def inline(self) -> str:
        """The escaped text, in a ``<span lang="sv">`` where it is not in the page's language."""
        if self.lang_attr:
            return format_html("<span{}>{}</span>", self.lang_attr, str(self))
        return conditional_escape(str(self))


def translated(obj, field: str, language: str | None = None) -> Translated:
    """``obj.<field>`` in ``language`` (default: the page's): the English ``<field>_en`` when English is
    asked and one is written, else the Swedish ``<field>``. Works for models without an English version
    (always Swedish), for dicts kept in a cache (``{"title": …, "title_en": …}``) and for ``None``."""
    if obj is None:
        return Translated("", SWEDISH)
    read = obj.get if isinstance(obj, Mapping) else lambda name, default: getattr(obj, name, default)
    swedish = read(field, "") or ""
    if asked_language(language) == ENGLISH:
        english = read(field + SUFFIX, "") or ""
        if english.strip():
            return Translated(english, ENGLISH)
        return Translated(swedish, SWEDISH, fallback=bool(swedish))
    return Translated(swedish, SWEDISH)


def bilingual_fields(model) -> list[str]:
    """The names of ``model``'s fields that have an English version ``<name>_en`` (in declaration order)."""
    names = [f.name for f in model._meta.get_fields() if getattr(f, "concrete", False)]
    present = set(names)
    return [name for name in names if not name.endswith(SUFFIX) and name + SUFFIX in present]
