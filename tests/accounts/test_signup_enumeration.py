"""Signing up with an address that already has an account does the same work as a new sign-up (one
password hash, one e-mail queued, the same answer), so neither the page nor its timing tells whether
an account exists. The test counts the work; it does not time it."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import MD5PasswordHasher
from django.urls import reverse

from accounts.forms import SignupForm
from outbox.models import OutgoingEmail
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "korrekt-hast-batteri"


class CountingHasher(MD5PasswordHasher):
    """MD5 (fast) that counts how often a password is hashed."""

    algorithm = "counting_md5"
    calls: list[str] = []

    def encode(self, password, salt):
        CountingHasher.calls.append(password)
        return super().encode(password, salt)


@pytest.fixture(autouse=True)
def _counting_hasher(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    CountingHasher.calls.clear()
    yield
    CountingHasher.calls.clear()


def _sign_up(client, email):
    return client.post(reverse("account_signup"), {"email": email, "password1": PASSWORD, "password2": PASSWORD})


@pytest.mark.parametrize("existing", [False, True], ids=["new-address", "existing-account"])
def test_signup_hashes_the_password_once_and_queues_one_email_either_way(client, existing):
    email = "anna.andersson@example.se"
    if existing:
        UserFactory(email=email)
        CountingHasher.calls.clear()
    response = _sign_up(client, email)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert CountingHasher.calls == [PASSWORD]
    assert OutgoingEmail.objects.filter(to=email, status=OutgoingEmail.Status.QUEUED).count() == 1


def test_both_paths_do_the_same_work(client):
    """Side by side: the same number of hashes and e-mails, whatever the address."""
    from django.test import Client

    UserFactory(email="finns@example.se")
    work = []
    for email in ("finns@example.se", "ny@example.se"):
        CountingHasher.calls.clear()
        before = OutgoingEmail.objects.count()
        _sign_up(Client(), email)
        work.append((len(CountingHasher.calls), OutgoingEmail.objects.count() - before))
    assert work[0] == work[1] == (1, 1)


def test_signup_racing_a_parallel_signup_with_the_same_address_answers_as_existing(client, monkeypatch):
    """Two sign-ups with one address at once: both pass the form's check, the other commits first.
    The loser gets the same answer as any existing address (no 500, one account, one e-mail each)."""
    email = "parallell@example.se"
    original_clean = SignupForm.clean

    def clean_then_lose_the_race(form):
        cleaned = original_clean(form)
        UserFactory(email=email)  # the parallel request commits after this one's check
        return cleaned

    monkeypatch.setattr(SignupForm, "clean", clean_then_lose_the_race)
    response = _sign_up(client, email)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert get_user_model().objects.filter(email=email).count() == 1
    assert OutgoingEmail.objects.filter(to=email, status=OutgoingEmail.Status.QUEUED).count() == 1
