"""allauth's e-mails go through the outbox (OutgoingEmail rows, then the send task) in Swedish."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.urls import reverse

from outbox.models import OutgoingEmail
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_ADDRESS = "ny.person@example.se"


def sign_up(client, email=NEW_ADDRESS):
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": "korrekt-hast-batteri", "password2": "korrekt-hast-batteri"},
    )


def confirmation_link(text: str) -> str:
    return re.search(r"https?://\S+/konto/confirm-email/\S+/", text).group(0)


def test_signup_stores_verification_email_in_outbox_in_swedish(client):
    response = sign_up(client)
    assert response["Location"] == reverse("account_email_verification_sent")
    email = OutgoingEmail.objects.get()
    assert email.to == NEW_ADDRESS
    assert email.kind == "allauth:email_confirmation_signup"
    assert email.subject == "[Samverkansportalen] Bekräfta din e-postadress"
    assert email.language == "sv"
    assert email.status == OutgoingEmail.Status.QUEUED
    assert "/konto/confirm-email/" in email.body_text


def test_verification_email_names_the_portal_not_the_host(client, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"  # not whatever PORT the shell running the tests exported
    sign_up(client)
    email = OutgoingEmail.objects.get()
    assert "Hej från Samverkansportalen!" in email.body_text
    assert "ett konto på 127.0.0.1:8000." in email.body_text  # the domain of SITE_URL
    assert "Tack för att du använder Samverkansportalen!" in email.body_text


def test_verification_email_has_html_version_in_portal_layout(client):
    sign_up(client)
    email = OutgoingEmail.objects.get()
    assert "Bekräfta e-postadressen" in email.body_html
    assert settings.REGION_NAME in email.body_html
    assert f'href="{confirmation_link(email.body_text)}"' in email.body_html


def test_verification_email_is_sent_once_committed(client, run_on_commit, mailoutbox):
    with run_on_commit():
        sign_up(client)
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [NEW_ADDRESS]
    assert message.subject == "[Samverkansportalen] Bekräfta din e-postadress"
    assert message.alternatives[0][1] == "text/html"
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT


def test_verification_email_is_english_for_english_visitor(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    sign_up(client)
    email = OutgoingEmail.objects.get()
    assert email.subject == "[Samverkansportalen] Please confirm your e-mail address"
    assert email.language == "en"
    assert "Confirm e-mail address" in email.body_html


def test_confirmation_link_verifies_address_and_logs_in(client):
    sign_up(client)
    link = confirmation_link(OutgoingEmail.objects.get().body_text)
    path = link.split("testserver", 1)[-1]
    assert "Bekräfta att" in client.get(path).content.decode()
    response = client.post(path)
    assert response["Location"] == reverse("accounts:mypages")
    assert EmailAddress.objects.get(email=NEW_ADDRESS).verified
    assert client.get(reverse("accounts:mypages")).status_code == 200


def test_unverified_user_cannot_log_in_and_gets_a_new_link(client):
    user = UserFactory(email=NEW_ADDRESS, verified_email=False)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
    response = client.post(reverse("account_login"), {"login": NEW_ADDRESS, "password": "korrekt-hast-batteri"})
    assert response["Location"] == reverse("account_email_verification_sent")
    assert OutgoingEmail.objects.get().kind == "allauth:email_confirmation"
    assert client.get(reverse("accounts:mypages")).status_code == 302


def test_password_reset_email_in_outbox_in_swedish(client):
    user = UserFactory(email="glomsk@example.se")
    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response["Location"] == reverse("account_reset_password_done")
    email = OutgoingEmail.objects.get()
    assert email.to == user.email
    assert email.subject == "[Samverkansportalen] Återställ ditt lösenord"
    assert "/konto/password/reset/key/" in email.body_text
    assert "Välj ett nytt lösenord" in email.body_html


def test_password_reset_link_lets_user_choose_new_password(client):
    user = UserFactory(email="glomsk@example.se")
    client.post(reverse("account_reset_password"), {"email": user.email})
    link = re.search(r"https?://\S+/konto/password/reset/key/\S+/", OutgoingEmail.objects.get().body_text).group(0)
    response = client.get(link.split("testserver", 1)[-1], follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link.split("testserver", 1)[-1]
    response = client.post(form_url, {"password1": "nytt-langt-losenord-7", "password2": "nytt-langt-losenord-7"})
    assert response["Location"] == reverse("account_reset_password_from_key_done")
    user.refresh_from_db()
    assert user.check_password("nytt-langt-losenord-7")


def test_password_reset_for_unknown_address_reveals_nothing_on_the_page(client):
    response = client.post(reverse("account_reset_password"), {"email": "okand@example.se"})
    assert response["Location"] == reverse("account_reset_password_done")
    email = OutgoingEmail.objects.get()
    assert email.kind == "allauth:unknown_account"
    assert "det finns inget konto med den" in email.body_html


def test_outbox_row_logs_no_personal_data_in_kind(client):
    sign_up(client)
    assert NEW_ADDRESS not in OutgoingEmail.objects.get().kind


def test_signup_remembers_the_language_of_the_visitor(client):
    from accounts.models import User

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    sign_up(client)
    assert User.objects.get(email=NEW_ADDRESS).language == "en"


def test_signup_in_swedish_stores_swedish(client):
    from accounts.models import User

    sign_up(client)
    assert User.objects.get(email=NEW_ADDRESS).language == "sv"


def test_signup_succeeds_and_email_stays_queued_when_broker_is_down(client, run_on_commit, monkeypatch, mailoutbox):
    from kombu.exceptions import OperationalError

    from outbox import tasks

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6390. Connection refused.")

    monkeypatch.setattr(tasks.send_email, "delay", broker_down)
    with run_on_commit():
        response = sign_up(client)
    assert response["Location"] == reverse("account_email_verification_sent")
    email = OutgoingEmail.objects.get()
    assert email.status == OutgoingEmail.Status.QUEUED
    assert mailoutbox == []


def test_signup_with_taken_address_reveals_nothing_and_mails_the_owner(client):
    UserFactory(email=NEW_ADDRESS)
    response = sign_up(client)
    assert response["Location"] == reverse("account_email_verification_sent")
    email = OutgoingEmail.objects.get()
    assert email.kind == "allauth:account_already_exists"
    assert email.to == NEW_ADDRESS
    assert email.subject == "[Samverkansportalen] Konto finns redan"
    assert "Välj ett nytt lösenord" in email.body_html


@pytest.mark.parametrize(
    ("action", "kind"),
    [
        ("signup-new", "allauth:email_confirmation_signup"),
        ("signup-taken", "allauth:account_already_exists"),
        ("reset-known", "allauth:password_reset_key"),
        ("reset-unknown", "allauth:unknown_account"),
    ],
)
def test_account_email_links_are_on_site_url_whatever_the_request_host_and_scheme(
    client, settings, region, action, kind
):
    """allauth builds links from the request's Host header and forces https when DEBUG is off; the
    portal's links all start with the region's public address: its primary host, with SITE_URL's scheme
    and port, the same in every process (asked here on another host of the region)."""
    settings.SITE_URL = "http://portal.example.se:8301"
    settings.ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
    assert region.primary_host != "testserver"
    UserFactory(email="finns@example.se")
    form = {"password1": "korrekt-hast-batteri", "password2": "korrekt-hast-batteri"}
    url, email = {
        "signup-new": (reverse("account_signup"), NEW_ADDRESS),
        "signup-taken": (reverse("account_signup"), "finns@example.se"),
        "reset-known": (reverse("account_reset_password"), "finns@example.se"),
        "reset-unknown": (reverse("account_reset_password"), "okand@example.se"),
    }[action]
    client.post(url, {**form, "email": email}, HTTP_HOST="testserver")
    message = OutgoingEmail.objects.get(kind=kind)
    links = re.findall(r"https?://[^\s\"'<>]+", message.body_text + message.body_html)
    portal_links = [link for link in links if "/konto/" in link]
    assert portal_links
    expected = f"http://{region.primary_host}:8301/konto/"
    assert all(link.startswith(expected) for link in portal_links), portal_links
    assert "testserver" not in message.body_text + message.body_html
