"""The public pages' layout, forms and wording (issue 20): English labels, error summaries, page titles,
pagination, favicon, the header's menu and the tables' scroll regions."""

import re

import pytest
from django.core.cache import cache
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def _english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})


def title(response) -> str:
    match = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)
    return re.sub(r"\s+", " ", match.group(1)).strip()


def test_english_sign_up_page_says_sign_up(client):
    _english(client)
    response = client.get("/konto/signup/")
    assert title(response).startswith("Sign up –")
    assert "Signup" not in response.content.decode()


def test_english_my_pages_say_two_factor_in_sentence_case(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    _english(client)
    page = client.get("/mina-sidor/").content.decode()
    assert "Two-factor authentication" in page
    assert "Two-Factor" not in page


def test_admin_index_title_follows_the_language():
    from django.contrib import admin

    with translation.override("en"):
        assert str(admin.site.index_title) == "Coordination"
    with translation.override("sv"):
        assert str(admin.site.index_title) == "Samordning"


# Error summaries and titles ---------------------------------------------------------------------------


def _summary(response) -> str:
    html = response.content.decode()
    match = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert match, "no error summary on the page"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0)))


def test_account_deletion_with_errors_is_titled_error_and_the_checkbox_says_tick(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.post("/mina-sidor/radera-konto/", {"password": "fel"})
    assert response.status_code == 200
    assert title(response).startswith("Fel: Radera mitt konto")
    summary = _summary(response)
    # The label ends with its own full stop: no ".:" after it, and a checkbox is ticked, not filled in.
    assert "för gott. Kryssa i rutan för att fortsätta." in summary
    assert ".:" not in summary and "Fyll i fältet" not in summary


def test_sign_up_with_errors_is_titled_error(client):
    response = client.post("/konto/signup/", {"email": "inte-en-adress"})
    assert response.status_code == 200
    assert title(response).startswith("Fel: Skapa konto")
    # Django REST framework's catalogue says "mejladress"; the portal says "e-postadress".
    assert "Fyll i en giltig e-postadress." in response.content.decode()
    assert "mejladress" not in response.content.decode()


def test_title_has_no_error_prefix_before_submission(client):
    assert not title(client.get("/konto/signup/")).startswith("Fel")


def test_error_summary_has_no_colon_after_a_question_mark():
    from django import forms
    from django.template.loader import render_to_string

    class Form(forms.Form):
        attendance = forms.ChoiceField(label="Hur deltar du?", choices=[("a", "A")], widget=forms.RadioSelect)
        name = forms.CharField(label="Namn")

    with translation.override("sv"):
        html = render_to_string("includes/error_summary.html", {"form": Form(data={})})
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Hur deltar du? Fyll i fältet." in text
    assert "Namn: Fyll i fältet." in text
    assert "?:" not in text


def test_a_checkbox_keeps_its_own_required_message():
    from meetings.forms import RegistrationForm

    field = RegistrationForm.base_fields["consent"]
    with translation.override("en"):
        assert str(field.error_messages["required"]).startswith("Tick the box to agree")


def test_swedish_catalogues_say_e_postadress_not_mejl():
    from pathlib import Path

    import polib

    root = Path(__file__).resolve().parents[2]
    catalogues = [p for p in root.glob("**/sv/LC_MESSAGES/django.po") if ".venv" not in p.parts]
    assert len(catalogues) > 5
    found = []
    for path in catalogues:
        for entry in polib.pofile(str(path)):
            for text in [entry.msgstr, *entry.msgstr_plural.values()]:
                if re.search(r"mejl|mailadress|\bepost", text, re.I):
                    found.append(f"{path.relative_to(root)}: {text}")
    assert found == []


# Tables ------------------------------------------------------------------------------------------------


def test_scroll_region_is_a_named_focusable_region():
    from django.template import Context, Template

    html = Template(
        '{% load public %}{% scroll_region labelledby="cap" %}<table><caption id="cap">X</caption></table>'
        "{% endscroll_region %}"
    ).render(Context())
    assert html.startswith('<div class="table-responsive" tabindex="0" role="region" aria-labelledby="cap">')
    assert html.endswith("</table></div>")
    labelled = Template("{% load public %}{% scroll_region label=name %}…{% endscroll_region %}")
    assert 'aria-label="Deltagare &amp; roller"' in labelled.render(Context({"name": "Deltagare & roller"}))


def test_scroll_region_needs_a_name():
    from django.template import Template, TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError):
        Template("{% load public %}{% scroll_region %}…{% endscroll_region %}")


def _public_templates():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for path in sorted(root.glob("**/templates/**/*.html")):
        relative = path.relative_to(root)
        parts = relative.parts
        if ".venv" in parts or "admin" in parts or "emails" in parts or "simple_history" in parts:
            continue
        yield relative, path.read_text()


def test_every_data_table_scrolls_in_a_named_region_or_stacks():
    """A table wider than a phone either scrolls in ``{% scroll_region %}`` (keyboard focus, a name) or
    becomes stacked rows (``table-stack``); no hand-made ``table-responsive`` box forgets either."""
    problems = []
    checked = 0
    for relative, text in _public_templates():
        tables = re.findall(r"<table\b[^>]*>", text)
        data_tables = [t for t in tables if 'role="presentation"' not in t]
        stacked = [t for t in data_tables if "table-stack" in t]
        # Scroll regions that hold a table (a region may also hold a wide code example).
        wrapped = sum(
            "<table" in block for block in re.findall(r"{% scroll_region .*?{% endscroll_region %}", text, re.S)
        )
        checked += len(data_tables)
        if len(data_tables) != len(stacked) + wrapped:
            problems.append(f"{relative}: {len(data_tables)} tables, {wrapped} scroll regions, {len(stacked)} stacked")
        if re.search(r'class="[^"]*\btable-responsive\b', text):
            problems.append(f"{relative}: a table-responsive box by hand; use {{% scroll_region %}}")
    assert checked >= 10
    assert problems == []


# Header and favicon ------------------------------------------------------------------------------------


def test_menu_has_every_public_section(client):
    page = client.get("/").content.decode()
    nav = page[page.index('<nav class="site-nav"') : page.index("</nav>", page.index('<nav class="site-nav"'))]
    for href, label in [
        ("/moten/", "Möten"),
        ("/remisser/", "Remisser"),
        ("/bidrag/", "Bidrag"),
        ("/val/", "Val"),
        ("/oppna-data/", "Öppna data"),
    ]:
        assert f'href="{href}">{label}</a>' in nav
    assert "<summary" in nav  # the menu button for small screens, a <details> that needs no JavaScript


def test_every_page_links_a_favicon_that_exists(client):
    from pathlib import Path

    from django.contrib.staticfiles import finders

    page = client.get("/").content.decode()
    icons = re.findall(r'<link rel="(?:icon|apple-touch-icon)" href="/static/([^"]+)"', page)
    assert {Path(icon).suffix for icon in icons} >= {".svg", ".ico", ".png"}
    for icon in icons:
        assert finders.find(icon), icon


# Pagination --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("organisations", "expected"),
    [(1, "Sidan 5 finns inte: det finns 1 sida."), (3, "Sidan 5 finns inte: det finns 2 sidor.")],
)
def test_a_page_past_the_last_says_how_many_pages_in_good_swedish(client, organisations, expected):
    from tests.factories import OrganisationFactory

    for _ in range(organisations):
        OrganisationFactory()
    response = client.get("/api/v1/organisations/?page=5&page_size=2", HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 404
    assert expected in response.content.decode()


def test_title_prefix_for_a_form_in_any_variable_a_formset_or_an_error_message():
    from django import forms
    from django.template import Context, Template

    class Form(forms.Form):
        name = forms.CharField()

    tag = Template("{% load public %}{% error_title_prefix %}")
    with translation.override("sv"):
        assert tag.render(Context({"answer_form": Form(data={})})) == "Fel: "
        assert tag.render(Context({"answer_form": Form(data={"name": "Anna"})})) == ""
        assert tag.render(Context({"answer_form": Form()})) == ""  # not sent yet
        rows = forms.formset_factory(Form, min_num=1, validate_min=True)
        formset = rows(data={"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0"})
        assert tag.render(Context({"rows": formset})) == "Fel: "
        assert tag.render(Context({"error": "Organisationen deltar inte längre."})) == "Fel: "
    with translation.override("en"):
        assert tag.render(Context({"form": Form(data={})})) == "Error: "


def test_a_meeting_with_one_place_says_plats_not_platser(client):
    from tests.factories import MeetingFactory, RegistrationFactory

    meeting = MeetingFactory(capacity=1)
    RegistrationFactory(meeting=meeting)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "1 av 1 plats tagen" in page
    assert "1 av 1 platser" not in page
