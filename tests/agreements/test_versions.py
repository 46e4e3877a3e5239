"""The public comparison of two versions of an agreement's text, and the text shown when signing."""

import datetime as dt

import pytest
from django.urls import reverse

from agreements.comparison import compare, split_sections
from agreements.models import Agreement
from tests.factories import AgreementFactory, AgreementVersionFactory

pytestmark = pytest.mark.django_db

OLD = """1. Parter
Regionen och föreningarna.

2. Syfte
Att öka samarbetet mellan parterna.

3. Uppföljning
Följs upp årligen av regionen.

4. Giltighetstid
Gäller till och med 2018."""

NEW = """1. Parter
Regionen och föreningarna.

2. Syfte
Att öka och fördjupa samarbetet mellan parterna.

3. Uppföljning
Följs upp årligen av regionen.

4. Att underteckna
En förening kan ansluta sig när som helst."""


@pytest.fixture
def versions(agreement):
    return (
        AgreementVersionFactory(agreement=agreement, number=1, date=dt.date(2014, 4, 10), text=OLD),
        AgreementVersionFactory(agreement=agreement, number=2, date=dt.date(2019, 10, 22), text=NEW),
    )


def _url(agreement, **query):
    url = reverse("agreements:versions", kwargs={"slug": agreement.slug})
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def test_sections_split_at_numbered_headings_and_keep_the_preamble():
    sections = split_sections("Inledning.\n\n1. Parter\nA\n\n§ 2 Syfte\nB\n\n## Bilaga\nC")
    assert [s.heading for s in sections] == ["", "1. Parter", "§ 2 Syfte", "## Bilaga"]
    assert sections[0].body == "Inledning."


def test_a_renumbered_section_is_the_same_section_with_its_number_marked():
    changes = compare("1. Syfte\nA.\n\n2. Uppföljning\nB.", "1. Syfte\nA.\n\n2. Ny del\nNy.\n\n3. Uppföljning\nB.")
    assert [c.status for c in changes] == ["unchanged", "added", "changed"]
    assert [(s.kind, s.text) for s in changes[2].segments][:2] == [("removed", "2"), ("added", "3")]


def test_comparison_marks_added_and_removed_words_with_screen_reader_text(client, agreement, versions):
    response = client.get(_url(agreement))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Ändringar från version 1 till version 2" in content
    assert '<ins><span class="visually-hidden">Tillagt: </span>och fördjupa </ins>' in content
    assert (
        '<del><span class="visually-hidden">Borttaget: </span>4. Giltighetstid\nGäller till och med 2018.</del>'
        in content
    )
    assert "4. Att underteckna" in content and "(nytt avsnitt)" in content and "(avsnitt borttaget)" in content
    assert "3 av 5 avsnitt har ändrats." in content


def test_unchanged_sections_are_folded_and_not_marked(client, agreement, versions):
    content = client.get(_url(agreement)).content.decode()
    unchanged = content[content.index('class="diff-section diff-unchanged"') :]
    unchanged = unchanged[: unchanged.index("</section>")]
    assert "Regionen och föreningarna." in unchanged
    assert "<details>" in unchanged
    assert "<ins" not in unchanged and "<del" not in unchanged


def test_the_form_defaults_to_the_previous_and_the_current_version(client, agreement, versions):
    AgreementVersionFactory(agreement=agreement, number=3, date=dt.date(2023, 1, 1), text=NEW + "\n\n5. Nytt\nText.")
    content = client.get(_url(agreement)).content.decode()
    assert "Ändringar från version 2 till version 3" in content
    assert '<option value="2" selected>' in content and '<option value="3" selected>' in content


def test_chosen_versions_are_compared_in_either_direction(client, agreement, versions):
    content = client.get(_url(agreement, fran=2, till=1)).content.decode()
    assert "Ändringar från version 2 till version 1" in content
    assert '<del><span class="visually-hidden">Borttaget: </span>och fördjupa </del>' in content


@pytest.mark.parametrize("query", [{"fran": 1, "till": 9}, {"fran": "abc", "till": 2}, {"fran": 2, "till": 2}])
def test_bad_version_choice_is_a_clear_message_not_an_error(client, agreement, versions, query):
    response = client.get(_url(agreement, **query))
    content = response.content.decode()
    assert response.status_code == 400
    assert "Något behöver rättas" in content
    assert "Välj en version i listan" in content or "Välj två olika versioner" in content
    assert "<ins" not in content


def test_unknown_or_draft_agreement_is_not_found(client, versions):
    assert client.get(reverse("agreements:versions", kwargs={"slug": "finns-inte"})).status_code == 404
    draft = AgreementFactory(status=Agreement.Status.DRAFT)
    AgreementVersionFactory(agreement=draft, number=1, text=OLD)
    AgreementVersionFactory(agreement=draft, number=2, text=NEW)
    assert client.get(_url(draft)).status_code == 404


def test_an_unpublished_version_is_not_comparable_by_the_public(client, agreement, versions):
    AgreementVersionFactory(agreement=agreement, number=3, text="1. Hemligt\nUtkast.", published=False)
    content = client.get(_url(agreement)).content.decode()
    assert "Ändringar från version 1 till version 2" in content
    assert "Hemligt" not in content
    response = client.get(_url(agreement, fran=2, till=3))
    assert response.status_code == 400
    assert "Hemligt" not in response.content.decode()


def test_a_coordinator_may_compare_a_version_being_drafted(coordinator_client, agreement, versions):
    AgreementVersionFactory(agreement=agreement, number=3, text=NEW.replace("när som helst", "i maj"), published=False)
    content = coordinator_client.get(_url(agreement, fran=2, till=3)).content.decode()
    assert "(ej publicerad)" in content
    assert '<ins><span class="visually-hidden">Tillagt: </span>i maj</ins>' in content


def test_one_version_only_says_there_is_nothing_to_compare(client, agreement):
    AgreementVersionFactory(agreement=agreement, number=1, text=OLD)
    response = client.get(_url(agreement))
    assert response.status_code == 200
    assert "inget att jämföra" in response.content.decode()


def test_english_page_is_complete(client, agreement, versions):
    client.cookies["django_language"] = "en"
    content = client.get(_url(agreement), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Changes from version 1 to version 2" in content
    assert '<span class="visually-hidden">Added: </span>' in content
    assert '<span class="visually-hidden">Removed: </span>' in content


def test_agreement_page_links_to_the_comparison_and_hides_unpublished_versions(client, agreement, versions):
    AgreementVersionFactory(agreement=agreement, number=3, change_note="Hemligt utkast", published=False)
    content = client.get(agreement.get_absolute_url()).content.decode()
    assert _url(agreement) in content
    assert "Hemligt utkast" not in content


def test_an_unpublished_versions_document_is_not_public(client, agreement, media_root):
    from django.core.files.base import ContentFile

    from tests.samples import PDF

    version = AgreementVersionFactory(agreement=agreement, number=1, published=False)
    version.document.save("v.pdf", ContentFile(PDF))
    assert client.get(version.document_url).status_code == 404


def test_comparison_page_queries_are_few_and_constant(client, agreement, django_assert_max_num_queries):
    for number in range(1, 21):
        AgreementVersionFactory(
            agreement=agreement, number=number, text=f"{OLD}\n\n5. Tillägg {number}\nText {number}."
        )
    with django_assert_max_num_queries(6):
        assert client.get(_url(agreement, fran=3, till=17)).status_code == 200


def test_signing_form_shows_the_text_of_the_version_being_signed(client, agreement, versions, representative):
    client.force_login(representative)
    content = client.get(reverse("agreements:sign", args=[agreement.slug])).content.decode()
    assert "<details" in content
    assert "Läs texten du undertecknar (version 2, " in content and "22 oktober 2019)" in content
    assert "Att öka och fördjupa samarbetet mellan parterna." in content
    assert "Gäller till och med 2018." not in content


def test_signing_form_without_versions_shows_the_agreements_text(client, agreement, representative):
    client.force_login(representative)
    content = client.get(reverse("agreements:sign", args=[agreement.slug])).content.decode()
    assert "Läs texten du undertecknar" in content
    assert agreement.text in content
