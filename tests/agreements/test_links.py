"""Links a visitor expects (issue 26): signatories to the directory, an organisation's signed agreements."""

import datetime as dt

import pytest
from django.urls import reverse

from agreements.models import Agreement, Signatory
from core.regions import region_scope
from organisations.models import Organisation
from tests.factories import AgreementFactory, OrganisationFactory, SignatoryFactory

pytestmark = pytest.mark.django_db

B_HOST = "halland.testserver"


def _signatories(client, agreement):
    return client.get(reverse("agreements:signatories", kwargs={"slug": agreement.slug})).content.decode()


def test_signatory_list_links_organisations_listed_in_the_directory(client, agreement):
    listed = OrganisationFactory(name="Listad förening", slug="listad")
    SignatoryFactory(agreement=agreement, organisation=listed)
    content = _signatories(client, agreement)
    assert f'<a href="{listed.get_absolute_url()}">Listad förening</a>' in content
    assert client.get(listed.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    "values", [{"public_listing": False}, {"status": Organisation.Status.INACTIVE}, {"status": "submitted"}]
)
def test_signatory_list_does_not_link_an_organisation_not_in_the_directory(client, agreement, values):
    hidden = OrganisationFactory(name="Olistad förening", slug="olistad", **values)
    SignatoryFactory(agreement=agreement, organisation=hidden)
    content = _signatories(client, agreement)
    assert "Olistad förening" in content
    assert hidden.get_absolute_url() not in content


def test_a_withdrawn_consent_removes_the_link_at_once(client, agreement, run_on_commit):
    organisation = OrganisationFactory(name="Ångrande förening", slug="angrande")
    SignatoryFactory(agreement=agreement, organisation=organisation)
    assert organisation.get_absolute_url() in _signatories(client, agreement)
    organisation.public_listing = False
    with run_on_commit():
        organisation.save()
    assert organisation.get_absolute_url() not in _signatories(client, agreement)


def test_organisation_page_lists_the_agreements_it_signed_and_when(client, agreement):
    organisation = OrganisationFactory(name="Undertecknande förening", slug="undertecknande")
    SignatoryFactory(agreement=agreement, organisation=organisation, signed_on=dt.date(2014, 4, 10))
    old = AgreementFactory(title="Den gamla överenskommelsen", slug="gamla", status=Agreement.Status.REPLACED)
    SignatoryFactory(agreement=old, organisation=organisation, signed_on=dt.date(2010, 1, 5))
    content = client.get(organisation.get_absolute_url()).content.decode()
    assert "Undertecknade överenskommelser" in content
    assert f'<a href="{agreement.get_absolute_url()}">{agreement.title}</a>' in content
    assert "undertecknad torsdag 10 april 2014" in content
    assert content.index(agreement.title) < content.index("Den gamla överenskommelsen")
    assert "(ersatt)" in content


def test_organisation_page_leaves_out_signatures_not_public(client, agreement):
    organisation = OrganisationFactory(name="Försiktig förening", slug="forsiktig")
    SignatoryFactory(agreement=agreement, organisation=organisation, public=False)
    SignatoryFactory(
        agreement=AgreementFactory(title="Väntande", slug="vantande"),
        organisation=organisation,
        status=Signatory.Status.PENDING,
    )
    SignatoryFactory(
        agreement=AgreementFactory(title="Utkastet", slug="utkast", status=Agreement.Status.DRAFT),
        organisation=organisation,
    )
    content = client.get(organisation.get_absolute_url()).content.decode()
    assert "Undertecknade överenskommelser" not in content
    assert agreement.title not in content and "Väntande" not in content and "Utkastet" not in content


def test_an_unlisted_organisations_page_shows_no_signatures_even_to_its_representative(client, agreement):
    from tests.factories import RepresentativeFactory, UserFactory

    organisation = OrganisationFactory(name="Olistad", slug="olistad", public_listing=False)
    SignatoryFactory(agreement=agreement, organisation=organisation)
    user = UserFactory()
    RepresentativeFactory(user=user, organisation=organisation)
    client.force_login(user)
    response = client.get(organisation.get_absolute_url())
    assert response.status_code == 200
    assert "Undertecknade överenskommelser" not in response.content.decode()


def test_organisation_page_shows_only_its_own_regions_signatures(client, agreement, other_region):
    ours = OrganisationFactory(name="Förening Norr", slug="foreningen")
    SignatoryFactory(agreement=agreement, organisation=ours)
    with region_scope(other_region):
        theirs = OrganisationFactory(name="Förening Syd", slug="foreningen")
        SignatoryFactory(agreement=AgreementFactory(title="Hallands överenskommelse"), organisation=theirs)
    url = reverse("organisations:detail", kwargs={"slug": "foreningen"})
    our_page = client.get(url).content.decode()
    their_page = client.get(url, HTTP_HOST=B_HOST).content.decode()
    assert agreement.title in our_page and "Hallands överenskommelse" not in our_page
    assert "Hallands överenskommelse" in their_page and agreement.title not in their_page


def test_a_signature_shows_on_the_organisation_page_once_verified(client, agreement, run_on_commit):
    organisation = OrganisationFactory(slug="snart")
    signatory = SignatoryFactory(agreement=agreement, organisation=organisation, status=Signatory.Status.PENDING)
    assert agreement.title not in client.get(organisation.get_absolute_url()).content.decode()
    signatory.status = Signatory.Status.VERIFIED
    with run_on_commit():
        signatory.save()
    assert agreement.title in client.get(organisation.get_absolute_url()).content.decode()


def test_organisation_page_queries_do_not_grow_with_signatures(client, django_assert_max_num_queries):
    organisation = OrganisationFactory(slug="flitig")
    for n in range(15):
        SignatoryFactory(agreement=AgreementFactory(slug=f"a-{n}"), organisation=organisation)
    with django_assert_max_num_queries(12):
        content = client.get(organisation.get_absolute_url()).content.decode()
    assert content.count("undertecknad ") == 15


def test_signatory_list_queries_do_not_grow_with_links(client, agreement, django_assert_max_num_queries):
    SignatoryFactory.create_batch(30, agreement=agreement)
    with django_assert_max_num_queries(14):
        assert _signatories(client, agreement).count('<a href="/organisationer/') == 30
