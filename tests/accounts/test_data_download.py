"""'Download my data' from "Mina sidor": a JSON file of everything linked to the account."""

import json

import pytest
from django.urls import reverse

from tests.accounts.conftest import activate_totp
from tests.factories import RegistrationFactory, RepresentativeFactory, SignatoryFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/mina-sidor/mina-uppgifter.json"


def download(client):
    response = client.get(URL)
    assert response.status_code == 200
    return response, json.loads(response.content)


def test_download_needs_login(client):
    assert client.get(URL)["Location"].startswith(reverse("account_login"))


def test_download_is_a_private_json_attachment(client, member):
    client.force_login(member)
    response, data = download(client)
    assert response["Content-Disposition"] == 'attachment; filename="mina-uppgifter-vasternorrland.json"'
    assert "no-store" in response["Cache-Control"]
    assert data["account"]["email"] == member.email
    assert data["account"]["full_name"] == member.full_name
    assert "password" not in data["account"]


def test_download_contains_sign_ups_organisations_and_signatures(client, member):
    registration = RegistrationFactory(user=member, email=member.email)
    link = RepresentativeFactory(user=member)
    SignatoryFactory(requested_by=member, organisation=link.organisation)
    client.force_login(member)
    _, data = download(client)
    assert data["meetings.Registration"][0]["meeting"] == str(registration.meeting)
    assert data["organisations.Representative"][0]["organisation"] == str(link.organisation)
    assert data["agreements.Signatory"][0]["organisation"] == str(link.organisation)
    assert data["account.EmailAddress"][0]["email"] == member.email


def test_download_never_contains_authenticator_secrets(client, member):
    activate_totp(member)
    client.force_login(member)
    response, data = download(client)
    assert {row["type"] for row in data["mfa.Authenticator"]} == {"totp", "recovery_codes"}
    assert all("data" not in row for row in data["mfa.Authenticator"])


def test_download_contains_nothing_of_other_people(client, member):
    other = UserFactory(email="annan@example.se")
    RegistrationFactory(user=other, email=other.email)
    client.force_login(member)
    response, data = download(client)
    assert "annan@example.se" not in response.content.decode()
    assert data["meetings.Registration"] == []


def test_download_query_count_does_not_grow_with_the_rows(client, member):
    """One query per section (and a few for the addresses and the session), however many rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(member)
    with CaptureQueriesContext(connection) as empty:
        download(client)
    for _ in range(10):
        RegistrationFactory(user=member, email=member.email)
        RepresentativeFactory(user=member)
        SignatoryFactory(requested_by=member)
    with CaptureQueriesContext(connection) as full:
        download(client)
    assert len(full) == len(empty) <= 48  # a few queries per app that declares personal data, whatever the rows


def test_download_contains_sign_ups_made_without_login_with_a_verified_address(client, member):
    """Mina sidor lists sign-ups made with the person's verified address before they logged in;
    the download holds them too."""
    without_login = RegistrationFactory(user=None, email=member.email, name="Anna utan konto")
    RegistrationFactory(user=None, email="nagon.annan@example.se", name="Någon annan")
    client.force_login(member)
    mypages = client.get(reverse("accounts:mypages")).content.decode()
    assert without_login.meeting.title in mypages
    _response, data = download(client)
    names = [row["name"] for row in data["meetings.Registration"]]
    assert names == ["Anna utan konto"]
