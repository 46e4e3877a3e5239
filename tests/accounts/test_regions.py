"""Accounts are global, what a person does is regional: "download my data" on a region's host holds the
person's rows of that region (and says which region), and deleting the account erases the person's data
in every region, whichever host it is asked on."""

import json

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.selectors import user_data_export
from accounts.services import user_delete
from core.regions import all_regions, no_region, region_scope
from organisations.models import Contact, InterestSubmission, Representative
from tests.accounts.conftest import PASSWORD
from tests.factories import ContactFactory, InterestSubmissionFactory, OrganisationFactory, RepresentativeFactory

pytestmark = pytest.mark.django_db

B_HOST = "halland.testserver"
DOWNLOAD = "/mina-sidor/mina-uppgifter.json"


@pytest.fixture
def in_two(member, other_region):
    """The member represents an organisation and is a contact person (with a submission) in each region."""
    RepresentativeFactory(user=member, organisation=OrganisationFactory(name="Sundsvalls förening"))
    InterestSubmissionFactory(
        contact=ContactFactory(email=member.email, organisation=OrganisationFactory(name="Timrå förening")),
        organisation=Contact.objects.get(email=member.email).organisation,
        message=f"Skriv till {member.email}",
    )
    with region_scope(other_region):
        RepresentativeFactory(user=member, organisation=OrganisationFactory(name="Halmstads förening"))
        contact = ContactFactory(email=member.email.upper(), organisation=OrganisationFactory(name="Varbergs förening"))
        InterestSubmissionFactory(contact=contact, organisation=contact.organisation, message=f"Mejla {member.email}")
    return member


def _names(rows):
    return sorted(str(row.get("organisation") or row.get("name")) for row in rows)


def test_download_on_each_host_holds_that_regions_rows_and_names_the_region(client, in_two, region, other_region):
    client.force_login(in_two)
    response_a = client.get(DOWNLOAD)
    response_b = client.get(DOWNLOAD, HTTP_HOST=B_HOST)
    data_a, data_b = json.loads(response_a.content), json.loads(response_b.content)
    assert data_a["region"]["name"] == region.name and data_a["region"]["short_name"] == region.short_name
    assert data_b["region"]["name"] == "Region Halland" and data_b["region"]["address"].startswith("http://halland.")
    assert response_b["Content-Disposition"] == 'attachment; filename="mina-uppgifter-halland.json"'
    assert _names(data_a["organisations.Representative"]) == ["Sundsvalls förening"]
    assert _names(data_b["organisations.Representative"]) == ["Halmstads förening"]
    assert _names(data_a["organisations.Contact"]) == ["Timrå förening"]
    assert _names(data_b["organisations.Contact"]) == ["Varbergs förening"]
    assert [row["region"] for row in data_b["organisations.InterestSubmission"]] == ["Region Halland"]
    text_a = response_a.content.decode()
    assert "Halmstad" not in text_a and "Varberg" not in text_a
    # The account itself is the same in both.
    assert data_a["account"] == data_b["account"]


def test_the_export_outside_any_region_says_so(in_two):
    with all_regions():
        data = user_data_export(user=in_two)
    assert data["region"]["all_regions"] is True
    assert _names(data["organisations.Representative"]) == ["Halmstads förening", "Sundsvalls förening"]


def test_deleting_the_account_on_one_host_erases_it_in_every_region(client, in_two, other_region):
    client.force_login(in_two)
    response = client.post(reverse("accounts:delete"), {"password": PASSWORD, "confirm": "on"}, HTTP_HOST=B_HOST)
    assert response.status_code == 302
    assert not User.objects.filter(email=in_two.email).exists()
    with all_regions():
        assert not Representative.objects.exists()
        assert not Contact.objects.filter(email__iexact=in_two.email).exists()
        messages = list(InterestSubmission.objects.values_list("message", flat=True))
    assert len(messages) == 2 and all(in_two.email not in message for message in messages)


def test_the_deletion_service_needs_no_region_in_force(in_two, other_region):
    with no_region():
        erased = user_delete(user=in_two)
    assert erased["organisations"]["representations"] == 2
    assert erased["organisations"]["contacts_deleted"] == 2
    with region_scope(other_region):
        assert not Representative.objects.exists()
