"""A person deletes their own account from "Mina sidor"."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import User
from accounts.services import user_delete
from tests.accounts.conftest import PASSWORD, activate_totp

pytestmark = pytest.mark.django_db

URL = "/mina-sidor/radera-konto/"


def test_delete_page_needs_login(client):
    assert client.get(URL)["Location"].startswith(reverse("account_login"))


def test_my_pages_links_to_account_deletion(client, member):
    client.force_login(member)
    assert f'href="{URL}"' in client.get(reverse("accounts:mypages")).content.decode()


def test_delete_with_password_removes_account_and_logs_out(client, member):
    activate_totp(member)
    client.force_login(member)
    response = client.post(URL, {"password": PASSWORD, "confirm": "on"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("core:home")
    assert "Ditt konto har raderats." in response.content.decode()
    assert not User.objects.filter(email=member.email).exists()
    assert not EmailAddress.objects.filter(email=member.email).exists()
    assert not Authenticator.objects.exists()
    assert client.get(reverse("accounts:mypages")).status_code == 302


def test_wrong_password_keeps_account_and_shows_error_summary(client, member):
    client.force_login(member)
    response = client.post(URL, {"password": "fel-losenord-1", "confirm": "on"})
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert 'href="#id_password"' in html
    assert User.objects.filter(pk=member.pk).exists()


def test_deletion_must_be_confirmed(client, member):
    client.force_login(member)
    response = client.post(URL, {"password": PASSWORD})
    assert 'href="#id_confirm"' in response.content.decode()
    assert User.objects.filter(pk=member.pk).exists()


def test_staff_cannot_delete_their_own_account(client, staff):
    client.force_login(staff)
    response = client.post(URL, {"password": PASSWORD, "confirm": "on"})
    assert "tas bort av en administratör" in response.content.decode()
    assert User.objects.filter(pk=staff.pk).exists()


def test_user_delete_refuses_staff(staff):
    with pytest.raises(PermissionDenied):
        user_delete(user=staff)
    assert User.objects.filter(pk=staff.pk).exists()


def test_user_delete_keeps_other_users(member):
    other = User.objects.create_user("annan@example.se", PASSWORD)
    user_delete(user=member)
    assert list(User.objects.all()) == [other]


def test_deleting_account_keeps_other_apps_records_without_the_link(member):
    """Sign-ups and signatures outlive the account (their own retention rules apply); only the
    link to the account is emptied, and organisation representation goes with the account."""
    from agreements.models import Signatory
    from meetings.models import Registration
    from organisations.models import Representative
    from tests.factories import RegistrationFactory, RepresentativeFactory, SignatoryFactory

    registration = RegistrationFactory(user=member, email=member.email)
    signatory = SignatoryFactory(requested_by=member)
    RepresentativeFactory(user=member)

    user_delete(user=member)

    assert Registration.objects.get(pk=registration.pk).user is None
    assert Signatory.objects.get(pk=signatory.pk).requested_by is None
    assert not Representative.objects.exists()


# An account opened with e-ID has no password (issue 23) ------------------------------------------------


@pytest.fixture
def eid_only(member):
    member.set_unusable_password()
    member.save()
    return member


def test_an_account_without_password_confirms_with_its_e_mail_address(client, eid_only):
    client.force_login(eid_only)
    page = client.get(URL).content.decode()
    assert 'name="email"' in page and 'name="password"' not in page

    wrong = client.post(URL, {"email": "someone.else@example.se", "confirm": "on"})
    assert wrong.status_code == 200 and 'id="error-summary"' in wrong.content.decode()
    assert "Det här är inte ditt kontos e-postadress." in wrong.content.decode()
    assert User.objects.filter(pk=eid_only.pk).exists()

    response = client.post(URL, {"email": eid_only.email.upper(), "confirm": "on"})
    assert response["Location"] == reverse("core:home")
    assert not User.objects.filter(pk=eid_only.pk).exists()


def test_a_forged_post_without_the_csrf_token_deletes_nothing(eid_only):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(eid_only)
    response = client.post(URL, {"email": eid_only.email, "confirm": "on"})
    assert response.status_code == 403
    assert User.objects.filter(pk=eid_only.pk).exists()


def test_with_e_id_in_the_region_it_asks_for_a_fresh_e_id_login_first(client, eid_region, eid_only):
    from allauth.socialaccount.models import SocialAccount

    from accounts.eid import person_number_hash

    number = "199001012389"
    eid_region.person("anna", level="EXTENDED", number=number)
    SocialAccount.objects.create(user=eid_only, provider=eid_region.provider_id, uid=person_number_hash(number))
    client.force_login(eid_only)
    page = client.get(URL).content.decode()
    assert "Bekräfta med e-legitimation" in page and 'name="email"' not in page
    assert "Ditt konto har inget lösenord: bekräfta med din e-legitimation" in page

    response = client.post(URL, {"email": eid_only.email, "confirm": "on"})  # not confirmed: nothing deleted
    assert response.status_code == 302 and "process=redirect" in response["Location"]
    assert User.objects.filter(pk=eid_only.pk).exists()

    done = client.get(eid_region.authorize(eid_region.start(client, url=response["Location"]), "anna"))

    assert done.status_code == 302 and done["Location"] == reverse("core:home")  # the POST replayed
    assert not User.objects.filter(pk=eid_only.pk).exists()


def test_an_account_with_a_password_still_confirms_with_it_even_with_e_id(client, eid_region, member):
    client.force_login(member)
    page = client.get(URL).content.decode()
    assert 'name="password"' in page and "Bekräfta med e-legitimation" not in page
