"""Swedish and English side by side in the admin.

A model whose texts have an English version (``title`` and ``title_en``, see core/translated.py) is
edited with each pair on one line: the mixin turns every ``"title"`` of the fieldsets into
``("title", "title_en")`` and drops a lone ``"title_en"``, so an admin lists only the Swedish names (or none
at all) and never has to remember the English ones.
"""

from core.translated import SUFFIX, bilingual_fields


def _paired(entry, bases: set[str]) -> list[str]:
    names = [entry] if isinstance(entry, str) else list(entry)
    line = []
    for name in names:
        if name.endswith(SUFFIX) and name[: -len(SUFFIX)] in bases:
            continue  # placed beside its Swedish field
        line.append(name)
        if name in bases:
            line.append(name + SUFFIX)
    return line


def pair_fieldsets(model, fieldsets) -> list:
    """``fieldsets`` with each bilingual field followed by its English version on the same line."""
    bases = set(bilingual_fields(model))
    if not bases:
        return fieldsets
    result = []
    for title, options in fieldsets:
        lines = []
        for entry in options.get("fields", ()):
            line = _paired(entry, bases)
            if line:
                lines.append(line[0] if len(line) == 1 else tuple(line))
        result.append((title, {**options, "fields": lines}))
    return result


class BilingualAdminMixin:
    """For a ModelAdmin or an inline: the Swedish and English version of each text on one line."""

    def get_fieldsets(self, request, obj=None):
        return pair_fieldsets(self.model, super().get_fieldsets(request, obj))

    def get_readonly_fields(self, request, obj=None):
        """A text that may not be changed may not be changed in English either."""
        fields = list(super().get_readonly_fields(request, obj))
        bases = set(bilingual_fields(self.model))
        return fields + [name + SUFFIX for name in fields if name in bases and name + SUFFIX not in fields]
