"""e-ID login by OpenID Connect (issue 23, items 2 and 5) through the local provider (tests/eid_provider.py).

What the person sees is asserted: logged in or not, and the message of a refusal in their language."""

import html
import json
import logging
import re

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.core import mail

from accounts.assurance import describe
from accounts.eid import person_number_hash
from accounts.models import User
from tests.eid_provider import EIDFlow, region_eid_settings, with_query

pytestmark = pytest.mark.django_db

NUMBER = "199001012389"
REFUSED = "e-ID login was refused"


def logged_in_user(client):
    return client.get("/mina-sidor/").wsgi_request.user


def test_a_person_with_a_linked_e_id_logs_in(client, eid_region, member):
    eid_region.person("anna", level="PLUS", number=NUMBER)
    SocialAccount.objects.create(user=member, provider=eid_region.provider_id, uid=person_number_hash(NUMBER))

    response = eid_region.login(client, "anna")

    assert response.status_code == 302
    assert logged_in_user(client) == member
    authentication = describe(response.wsgi_request)
    assert authentication["method"] == "eid" and authentication["level"] == "PLUS"


def test_the_login_request_carries_pkce_a_nonce_and_the_configured_acr_values(client, eid_provider, settings, region):
    config = region_eid_settings(settings, region.short_name, eid_provider, ACR_VALUES="loa3 loa4")

    flow = EIDFlow(issuer=eid_provider, provider_id=config["provider_id"])
    url = flow.start(client, url=flow.login_url + "?auth_params=acr_values%3Dloa1")
    query = dict(part.split("=", 1) for part in url.split("?", 1)[1].split("&"))
    assert query["code_challenge_method"] == "S256" and query["code_challenge"]
    assert query["nonce"]
    assert query["acr_values"] == "loa3+loa4"  # the URL's auth_params are ignored


def test_a_level_below_the_requirement_is_refused(client, eid_region, member):
    eid_region.person("basic", level="BASIC", number=NUMBER)
    SocialAccount.objects.create(user=member, provider=eid_region.provider_id, uid=person_number_hash(NUMBER))

    response = eid_region.login(client, "basic")

    assert response.status_code == 401
    assert REFUSED in response.content.decode() or "e-legitimation" in response.content.decode()
    assert "BASIC" in response.content.decode()
    assert not logged_in_user(client).is_authenticated


def test_an_acr_not_accepted_is_refused_even_when_the_login_url_asked_for_it(client, eid_provider, settings, region):
    config = region_eid_settings(settings, region.short_name, eid_provider, ACR_VALUES="loa3 loa4")

    flow = EIDFlow(issuer=eid_provider, provider_id=config["provider_id"])
    flow.person("weak", acr="loa2", number=NUMBER)
    authorize = with_query(flow.start(client), acr_values="loa2")  # edited on the way to the provider

    response = client.get(flow.authorize(authorize, "weak"))

    assert response.status_code == 401
    assert "loa2" in response.content.decode()
    assert not logged_in_user(client).is_authenticated
    assert not SocialAccount.objects.exists()


def test_the_message_is_in_english_for_an_english_visitor(client, eid_region):
    eid_region.person("basic", level="BASIC", number=NUMBER)
    client.cookies["django_language"] = "en"
    response = eid_region.login(client, "basic")
    assert "Your e-ID login was refused" in response.content.decode()


def test_the_message_is_in_swedish_by_default(client, eid_region):
    eid_region.person("basic", level="BASIC", number=NUMBER)
    response = eid_region.login(client, "basic")
    assert "Din inloggning med e-legitimation nekades" in response.content.decode()


def test_a_replayed_state_is_refused(client, eid_region, member):
    eid_region.person("anna", level="PLUS", number=NUMBER)
    SocialAccount.objects.create(user=member, provider=eid_region.provider_id, uid=person_number_hash(NUMBER))
    callback = eid_region.authorize(eid_region.start(client), "anna")
    assert client.get(callback).status_code == 302
    client.post("/konto/logout/")

    response = client.get(callback)

    assert response.status_code == 401
    assert "har gått ut eller redan använts" in response.content.decode()
    assert not logged_in_user(client).is_authenticated


def test_a_forged_state_is_refused(client, eid_region):
    eid_region.person("anna", level="PLUS", number=NUMBER)
    callback = eid_region.authorize(eid_region.start(client), "anna")

    response = client.get(with_query(callback, state="forged-state"))

    assert response.status_code == 401
    assert not logged_in_user(client).is_authenticated


def test_a_wrong_nonce_is_refused(client, eid_region):
    eid_region.person("anna", level="PLUS", number=NUMBER)
    authorize = with_query(eid_region.start(client), nonce="another-nonce")

    response = client.get(eid_region.authorize(authorize, "anna"))

    assert response.status_code == 401
    assert "kunde inte kontrolleras" in response.content.decode()
    assert not logged_in_user(client).is_authenticated
    assert not SocialAccount.objects.exists()


def test_an_expired_or_used_code_is_refused(client, eid_region):
    eid_region.person("anna", level="PLUS", number=NUMBER)
    first = eid_region.authorize(eid_region.start(client), "anna")
    code = dict(part.split("=", 1) for part in first.split("?", 1)[1].split("&"))["code"]
    client.get(first)  # the code is used (a signup page follows: no account yet)
    second = eid_region.authorize(eid_region.start(client), "anna")

    response = client.get(with_query(second, code=code))

    assert response.status_code == 401
    assert "bekräftade inte inloggningen" in response.content.decode()
    assert not logged_in_user(client).is_authenticated


def test_an_id_token_signed_with_another_key_is_refused(client, eid_region, settings, member):
    app = settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"][-1]
    app["settings"]["openid_configuration_overrides"] = {"jwks_uri": f"{eid_region.issuer}/test/other-jwks"}
    eid_region.person("anna", level="PLUS", number=NUMBER)
    SocialAccount.objects.create(user=member, provider=eid_region.provider_id, uid=person_number_hash(NUMBER))

    response = eid_region.login(client, "anna")

    assert response.status_code == 401
    assert "kunde inte kontrolleras" in response.content.decode()
    assert not logged_in_user(client).is_authenticated


def test_another_regions_provider_is_refused(client, eid_provider, settings, region, other_region):
    halland = region_eid_settings(settings, "halland", eid_provider, MIN_LEVEL="BASIC")
    region_eid_settings(settings, region.short_name, eid_provider, MIN_LEVEL="BASIC")

    assert client.post(f"/konto/oidc/{halland['provider_id']}/login/").status_code == 404
    assert client.get(f"/konto/oidc/{halland['provider_id']}/login/callback/?code=x&state=y").status_code == 404
    login_page = client.get("/konto/login/").content.decode()
    assert halland["provider_id"] not in login_page
    assert "Logga in med e-legitimation" in login_page
    on_halland = client.get("/konto/login/", HTTP_HOST="halland.testserver").content.decode()
    assert halland["provider_id"] in on_halland


def test_without_e_id_the_login_page_has_no_e_id_button(client, region):
    page = client.get("/konto/login/").content.decode()
    assert "e-legitimation" not in page
    assert client.post("/konto/oidc/eid-vasternorrland/login/").status_code == 404


def test_the_person_number_is_stored_nowhere_and_logged_nowhere(client, eid_region, caplog, run_on_commit):
    eid_region.person("anna", level="PLUS", number=NUMBER, name="Anna Andersson", socialno=NUMBER)
    caplog.set_level(logging.DEBUG)
    with run_on_commit():
        response = eid_region.login(client, "anna")
        assert response.status_code == 302
        signup = client.get(response["Location"])
        assert signup.status_code == 200
        response = client.post(response["Location"], {"email": "anna.ny@example.se"})
    assert response.status_code == 302

    account = SocialAccount.objects.get()
    assert account.uid == person_number_hash(NUMBER)
    assert NUMBER not in json.dumps(account.extra_data) and NUMBER not in account.uid
    assert account.extra_data["eid"]["level"] == "PLUS"
    ours = [r for r in caplog.records if not r.name.startswith(("oidc_provider_mock", "werkzeug", "authlib"))]
    assert not any(NUMBER in r.getMessage() or NUMBER in json.dumps(r.__dict__, default=str) for r in ours)
    from django.db import connection

    with connection.cursor() as cursor:
        for model in (SocialAccount, User, EmailAddress):
            cursor.execute(f"SELECT * FROM {model._meta.db_table}")  # noqa: S608 - the table names are ours
            assert NUMBER not in repr(cursor.fetchall())


def test_two_logins_of_one_person_match_one_account_by_the_keyed_hash(client, eid_region, member):
    eid_region.person("anna-1", level="PLUS", number=NUMBER)
    eid_region.person("anna-2", level="PLUS", number="19900101-2389")  # another subject, the same person
    SocialAccount.objects.create(user=member, provider=eid_region.provider_id, uid=person_number_hash(NUMBER))

    assert eid_region.login(client, "anna-1").status_code == 302
    assert logged_in_user(client) == member
    client.post("/konto/logout/")
    assert eid_region.login(client, "anna-2").status_code == 302
    assert logged_in_user(client) == member
    assert SocialAccount.objects.count() == 1


def test_a_new_account_by_e_id_opens_after_the_e_mail_address_is_verified(client, eid_region, run_on_commit):
    eid_region.person("ny", level="EXTENDED", number=NUMBER)
    with run_on_commit():
        response = eid_region.login(client, "ny")
        assert response["Location"] == "/konto/3rdparty/signup/"
        assert 'name="email"' in client.get(response["Location"]).content.decode()
        response = client.post("/konto/3rdparty/signup/", {"email": "ny@example.se"})

    assert response.status_code == 302 and "confirm-email" in response["Location"]
    user = User.objects.get(email="ny@example.se")
    assert not logged_in_user(client).is_authenticated
    assert not EmailAddress.objects.get(user=user).verified
    assert SocialAccount.objects.get(user=user).uid == person_number_hash(NUMBER)
    assert any("ny@example.se" in message.to for message in mail.outbox)


def test_an_account_links_its_e_id_from_my_pages(client, eid_region, member):
    from tests.accounts.conftest import log_in

    eid_region.person("anna", level="EXTENDED", number=NUMBER)
    log_in(client, member)
    page = client.get("/mina-sidor/").content.decode()
    assert "Koppla e-legitimation" in page
    # The e-ID section is in the page once, and the page's title is only its name.
    assert page.count('id="mypages-eid"') == 1
    assert "<section" not in page.split("<title>", 1)[1].split("</title>", 1)[0]
    action = html.unescape(re.search(r'<form method="post" action="([^"]*process=connect[^"]*)"', page).group(1))
    response = eid_region.login(client, "anna", url=action)

    assert response.status_code == 302 and response["Location"] == "/mina-sidor/"
    assert SocialAccount.objects.get(user=member).uid == person_number_hash(NUMBER)
    assert logged_in_user(client) == member
    assert "Koppla e-legitimation" not in client.get("/mina-sidor/").content.decode()


def test_an_e_id_of_another_account_is_not_linked(client, eid_region, member):
    from tests.accounts.conftest import log_in
    from tests.factories import UserFactory

    other = UserFactory(email="bertil@example.se")
    SocialAccount.objects.create(user=other, provider=eid_region.provider_id, uid=person_number_hash(NUMBER))
    eid_region.person("bertil", level="EXTENDED", number=NUMBER)
    log_in(client, member)

    response = eid_region.login(client, "bertil", process="connect", next="/mina-sidor/")

    assert response.status_code == 401
    assert logged_in_user(client) == member
    assert not SocialAccount.objects.filter(user=member).exists()


def test_the_e_id_link_is_in_the_data_download_and_goes_with_the_account(client, eid_region, member):
    from accounts.selectors import user_data_export
    from accounts.services import user_delete

    SocialAccount.objects.create(
        user=member,
        provider=eid_region.provider_id,
        uid=person_number_hash(NUMBER),
        extra_data={"eid": {"level": "PLUS"}},
    )
    rows = user_data_export(user=member)["socialaccount.SocialAccount"]
    assert rows[0]["uid"] == person_number_hash(NUMBER) and rows[0]["extra_data"]["eid"]["level"] == "PLUS"

    user_delete(user=member)

    assert not SocialAccount.objects.exists()


def test_the_signup_page_and_the_connections_page_open_in_swedish(client, eid_region, member):
    from tests.accounts.conftest import log_in

    eid_region.person("ny", level="EXTENDED", number=NUMBER)
    response = eid_region.login(client, "ny")
    signup = client.get(response["Location"])
    assert signup.status_code == 200
    assert "e-legitimation" in signup.content.decode()

    client.cookies.clear()
    SocialAccount.objects.create(user=member, provider=eid_region.provider_id, uid=person_number_hash("1"))
    log_in(client, member)
    connections = client.get("/konto/3rdparty/")
    assert connections.status_code == 200
    assert person_number_hash("1") not in connections.content.decode()
