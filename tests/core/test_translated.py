"""Texts in Swedish and, optionally, English (core/translated.py): the reader's version, marked with the
language it is in, through the helper, the template tags and the admin's pairs."""

import pytest
from django.template import Context, Template
from django.utils import translation

from challenges.models import Challenge
from core.admin_translated import pair_fieldsets
from core.translated import bilingual_fields, translated
from meetings.models import Meeting, ProgrammeItem


def _meeting(**texts):
    return Meeting(**{"title": "Dialogmöte", "summary": "Sammanfattning", "description": "Rad ett\nRad två", **texts})


def render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template("{% load public %}" + source).render(Context(context))


def test_swedish_pages_show_swedish_even_where_english_is_written():
    with translation.override("sv"):
        text = translated(_meeting(title_en="Dialogue meeting"), "title")
        assert (text, text.lang, text.lang_attr) == ("Dialogmöte", "sv", "")


def test_english_pages_show_the_english_text():
    with translation.override("en"):
        text = translated(_meeting(title_en="Dialogue meeting"), "title")
        assert (text, text.lang, text.lang_attr, text.fallback) == ("Dialogue meeting", "en", "", False)


def test_english_pages_fall_back_to_the_swedish_text_marked_swedish():
    with translation.override("en"):
        text = translated(_meeting(title_en="   "), "title")
        assert (text, text.lang, text.fallback) == ("Dialogmöte", "sv", True)
        assert text.lang_attr == ' lang="sv"'


def test_a_cached_dict_and_a_missing_object_are_read_too():
    with translation.override("en"):
        assert translated({"title": "Remiss", "title_en": "Consultation"}, "title") == "Consultation"
        assert translated({"title": "Remiss"}, "title") == "Remiss"
        assert translated(None, "title") == ""


def test_the_tag_wraps_a_fallback_in_a_swedish_span_and_escapes():
    meeting = _meeting(title="Möte <b>nu</b>")
    assert render('{% tr m "title" %}', "en", m=meeting) == '<span lang="sv">Möte &lt;b&gt;nu&lt;/b&gt;</span>'
    assert render('{% tr m "title" %}', "sv", m=meeting) == "Möte &lt;b&gt;nu&lt;/b&gt;"
    meeting.title_en = "Meeting <i>now</i>"
    assert render('{% tr m "title" %}', "en", m=meeting) == "Meeting &lt;i&gt;now&lt;/i&gt;"


def test_the_block_tag_keeps_the_line_breaks_and_marks_a_swedish_block():
    meeting = _meeting()
    assert render('{% tr_block m "description" "linebreaks" %}', "en", m=meeting) == (
        '<div lang="sv"><p>Rad ett<br>Rad två</p></div>'
    )
    assert render('{% tr_block m "description" "linebreaksbr" %}', "en", m=meeting) == (
        '<span lang="sv">Rad ett<br>Rad två</span>'
    )
    meeting.description_en = "Line one\n\nLine <two>"
    assert render('{% tr_block m "description" "linebreaks" %}', "en", m=meeting) == (
        "<p>Line one</p>\n\n<p>Line &lt;two&gt;</p>"
    )


def test_the_filter_gives_plain_text_for_titles_and_attributes():
    meeting = _meeting(title_en="A & B")
    assert render('<title>{{ m|tr:"title" }}</title>', "en", m=meeting) == "<title>A &amp; B</title>"
    assert render('{{ m|tr:"summary"|truncatechars:5 }}', "en", m=meeting) == "Samm…"
    with_attr = '{% with t=m|tr:"summary" %}<p{{ t.lang_attr }}>{{ t }}</p>{% endwith %}'
    assert render(with_attr, "en", m=meeting) == '<p lang="sv">Sammanfattning</p>'


def test_the_bilingual_fields_of_the_coordinators_texts():
    assert bilingual_fields(Meeting) == ["title", "summary", "description"]
    assert bilingual_fields(ProgrammeItem) == ["title", "description"]
    assert bilingual_fields(Challenge) == ["title", "summary", "description", "outcome"]


def test_the_admin_puts_each_english_field_beside_its_swedish_one():
    fieldsets = [(None, {"fields": ["title", "slug", ("summary", "status"), "title_en", "description_en"]})]
    assert pair_fieldsets(Meeting, fieldsets) == [
        (None, {"fields": [("title", "title_en"), "slug", ("summary", "summary_en", "status")]})
    ]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_an_empty_text_is_empty_in_both_languages(language):
    with translation.override(language):
        assert translated(_meeting(summary=""), "summary") == ""
