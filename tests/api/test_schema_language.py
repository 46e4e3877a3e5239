"""The schema and the open data page describe the API in the reader's language: every description,
summary and help text is translated, so the Swedish page is Swedish and the English page English."""

import html
import json
import re

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

# (Swedish, English) texts from the schema's shared parts and from several apps.
DESCRIBED = [
    ("Sidnummer, från 1. En sida efter den sista ger 404.", "Page number, from 1. A page after the last is a 404."),
    ("Senaste ändring (ISO 8601).", "Last change (ISO 8601)."),
    (
        "Möten som på de offentliga sidorna: publicerade och inställda, aldrig utkast.",
        "Meetings as on the public pages: published and cancelled, never drafts.",
    ),
    ("Ändrad vid denna tidpunkt eller senare (ISO 8601)", "Changed at or after (ISO 8601)"),
    ("Överenskommelsens rubrik.", "Title of the agreement."),
    ("Text-id (slug) för mötena om den (/api/v1/meetings/).", "Slugs of the meetings about it (/api/v1/meetings/)."),
]


def _page(client, language=None):
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/oppna-data/")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_the_open_data_page_describes_fields_and_parameters_in_swedish(client, world):
    page = _page(client)
    for swedish, english in DESCRIBED:
        assert swedish in page
        assert english not in page
    assert "Sorteringsordning: namn åtskilda med kommatecken, '-' framför för fallande ordning." in page


def test_the_open_data_page_in_english_keeps_the_english_descriptions(client, world):
    page = _page(client, "en")
    for swedish, english in DESCRIBED:
        assert english in page
        assert swedish not in page


def _texts(node, path="", found=None) -> dict[str, str]:
    """Every description and summary of the schema by where it is, leaving out example values
    (the demo data, which is Swedish in both languages)."""
    found = {} if found is None else found
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("description", "summary") and isinstance(value, str):
                found[f"{path}/{key}"] = value
            elif key != "value":
                _texts(value, f"{path}/{key}", found)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            name = value.get("name", index) if isinstance(value, dict) else index
            _texts(value, f"{path}[{name}]", found)
    return found


# drf-spectacular's list of the choices of a field whose labels are its codes (a registration's state):
# "* `open` - open", one line per code, the same in both languages.
CODES_ONLY = re.compile(r"\* `([\w-]+)` - \1(\n\* `([\w-]+)` - \3)*")


def _same_in_both_languages(text: str) -> bool:
    return text == "" or CODES_ONLY.fullmatch(text) is not None


def test_no_description_of_the_swedish_schema_is_left_in_english(client, world):
    swedish = _texts(json.loads(client.get("/api/v1/schema/", {"format": "json", "lang": "sv"}).content))
    english = _texts(json.loads(client.get("/api/v1/schema/", {"format": "json", "lang": "en"}).content))
    assert swedish.keys() == english.keys()
    assert len(swedish) > 300
    untranslated = {
        where: text for where, text in swedish.items() if text == english[where] and not _same_in_both_languages(text)
    }
    assert not untranslated, "\n".join(f"{where}: {text}" for where, text in sorted(untranslated.items()))
    assert (
        swedish["/paths//api/v1/meetings//get/parameters[page]/description"]
        == "Sidnummer, från 1. En sida efter den sista ger 404."
    )
    assert english["/info/description"].startswith("Read-only open data API of Samverkansportalen")


def test_the_open_data_page_names_the_api_address_without_a_double_colon(client, world):
    page = _page(client)
    assert "API:t:" not in page
    assert re.search(r"<li>API: <a href=\"[^\"]+/api/v1/\"><code>", page)
