"""English mode and form details a new user noticed."""

import pytest
from django.core.cache import cache

from tests.factories.organisations import AreaOfActivityFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def _english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})


def test_login_page_in_english_uses_sentence_case_and_e_mail(client):
    _english(client)
    text = client.get("/konto/login/").content.decode()
    assert "Remember Me" not in text and "Sign In" not in text
    assert "Remember me" in text


def test_areas_of_activity_have_english_names_in_english_mode(client):
    area = AreaOfActivityFactory(name="Folkhälsa", name_en="Public health", slug="folkhalsa")
    OrganisationFactory(name="Hälsoföreningen", areas=[area])
    _english(client)
    page = client.get("/organisationer/").content.decode()
    assert "Public health" in page


def test_home_title_in_english_is_home(client):
    _english(client)
    assert "<title>Home –" in client.get("/").content.decode()


def test_signatory_sort_in_english_says_a_to_z(client):
    from tests.factories import AgreementFactory

    agreement = AgreementFactory()
    _english(client)
    page = client.get(f"/overenskommelser/{agreement.slug}/undertecknare/").content.decode()
    assert "Name, A–Z" in page and "A–Ö" not in page


def test_swedish_max_length_message_reads_well():
    from django import forms
    from django.utils import translation

    with translation.override("sv"):
        with pytest.raises(forms.ValidationError) as caught:
            forms.CharField(max_length=5).clean("abcdefgh")
        assert caught.value.messages == ["Skriv högst 5 tecken (nu 8)."]


def test_profile_website_without_scheme_becomes_https():
    from organisations.forms import OrganisationProfileForm

    organisation = OrganisationFactory()
    form = OrganisationProfileForm(
        data={"website": "www.rodakorset.se", "description": "Kort.", "public_listing": "on"}, instance=organisation
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["website"] == "https://www.rodakorset.se"


def test_profile_description_is_limited_with_a_message():
    from organisations.forms import OrganisationProfileForm

    form = OrganisationProfileForm(data={"description": "x" * 6000}, instance=OrganisationFactory())
    assert not form.is_valid()
    assert "description" in form.errors


def test_error_summary_links_a_radio_group_to_its_first_choice_and_counts_fields_only(client):
    page = client.post("/organisationer/anmal-intresse/", {"contact_role": ""}).content.decode()
    summary = page.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    assert 'href="#"' not in summary
    assert 'href="#id_contact_role_0"' in summary
