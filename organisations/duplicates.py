"""Organisations that look like one being created: the coordinator is warned before adding a duplicate."""

import re
import unicodedata
from difflib import SequenceMatcher

from django.core.exceptions import ValidationError

from .models import Organisation
from .validators import normalise_orgnr

NAME_SIMILARITY = 0.85


def _simple(name: str) -> str:
    """Lower case, no accents or punctuation, single spaces: "Röda Korset, Sundsvall" → "roda korset sundsvall"."""
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def _numbers_close(a: str, b: str) -> bool:
    """Equal, or one digit apart (a typo) — both normalised to NNNNNN-NNNN."""
    if not a or not b or len(a) != len(b):
        return False
    return sum(x != y for x, y in zip(a, b, strict=True)) <= 1


def similar_organisations(*, name: str, organisation_number: str = "", exclude_pk=None, limit: int = 5):
    """Existing organisations whose name or organisation number is close to these, closest first."""
    wanted = _simple(name or "")
    try:
        number = normalise_orgnr(organisation_number) if organisation_number else ""
    except ValidationError:
        number = ""
    found = []
    rows = Organisation.objects.exclude(pk=exclude_pk).values_list("pk", "name", "organisation_number")
    for pk, other_name, other_number in rows.iterator():
        other = _simple(other_name)
        score = SequenceMatcher(None, wanted, other).ratio() if wanted and other else 0.0
        contained = len(wanted) >= 5 and len(other) >= 5 and (wanted in other or other in wanted)
        if score >= NAME_SIMILARITY or contained or _numbers_close(number, other_number):
            found.append((max(score, 0.9 if contained else 0.0, 1.0 if number and number == other_number else 0.0), pk))
    found.sort(key=lambda item: -item[0])
    pks = [pk for _score, pk in found[:limit]]
    by_pk = Organisation.objects.in_bulk(pks)
    return [by_pk[pk] for pk in pks]
