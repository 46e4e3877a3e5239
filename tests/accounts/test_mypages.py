import pytest
from django.urls import reverse

from tests.accounts.conftest import activate_totp

pytestmark = pytest.mark.django_db


def test_my_pages_needs_login(client):
    response = client.get(reverse("accounts:mypages"))
    assert response["Location"].startswith(reverse("account_login"))


def test_my_pages_links_to_account_pages_by_their_names(client, member):
    client.force_login(member)
    html = client.get(reverse("accounts:mypages")).content.decode()
    assert f'<a href="{reverse("account_email")}">E-postadresser</a>' in html
    assert f'<a href="{reverse("account_change_password")}">Ändra lösenord</a>' in html
    assert f'<a href="{reverse("mfa_index")}">Tvåfaktorsautentisering</a>' in html


def test_my_pages_shows_whether_two_factor_is_on(client, member):
    client.force_login(member)
    assert "(av)" in client.get(reverse("accounts:mypages")).content.decode()
    activate_totp(member)
    assert "(på)" in client.get(reverse("accounts:mypages")).content.decode()


def test_my_pages_offers_data_download(client, member):
    client.force_login(member)
    html = client.get(reverse("accounts:mypages")).content.decode()
    assert f'<a href="{reverse("accounts:data_download")}" download>Ladda ner mina uppgifter (JSON)</a>' in html
