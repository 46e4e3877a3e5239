"""The interest form sent twice (a POST retried after a dropped connection) stores one submission and
sends one confirmation; the token with another address is a new submission."""

import re
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from core.idempotency import new_key as new_idempotency_key
from organisations.models import Contact, InterestSubmission, Organisation
from outbox.models import OutgoingEmail

pytestmark = pytest.mark.django_db

INTEREST = reverse("organisations:interest")
TOKEN_INPUT = re.compile(r'<input type="hidden" name="idempotency_key" value="([^"]*)"')


def _data(key, **overrides):
    data = {
        "organisation_name": "Nya föreningen",
        "legal_form": "ideell_forening",
        "contact_name": "Sofia Tungfelt",
        "contact_email": "sofia@example.se",
        "contact_role": "contact",
        "wants_dialogue_meetings": "on",
        "consent": "on",
        "idempotency_key": key,
    }
    data.update(overrides)
    return data


def _confirmations() -> int:
    return OutgoingEmail.objects.filter(kind="organisations.interest_confirmation").count()


@pytest.mark.parametrize("number", ["", "802002-4280"], ids=["no-number", "number"])
def test_the_interest_form_sent_twice_stores_and_mails_once(client, number):
    key = TOKEN_INPUT.search(client.get(INTEREST).content.decode()).group(1)
    for _ in range(2):
        response = client.post(INTEREST, _data(key, organisation_number=number))
        assert response.status_code == 302
    assert response["Location"] == reverse("organisations:thanks")
    assert InterestSubmission.objects.get().idempotency_key == key
    assert Organisation.objects.count() == Contact.objects.count() == 1
    assert _confirmations() == 1
    assert "Nya föreningen" in client.get(response["Location"]).content.decode()


def test_the_form_filled_in_again_for_another_organisation_is_a_new_submission(client):
    """The back button, another organisation typed in, the same contact address and the same token."""
    key = new_idempotency_key()
    client.post(INTEREST, _data(key))
    response = client.post(INTEREST, _data(key, organisation_name="Andra föreningen"))
    assert response.status_code == 302
    assert sorted(InterestSubmission.objects.values_list("submitted_organisation_name", flat=True)) == [
        "Andra föreningen",
        "Nya föreningen",
    ]
    assert _confirmations() == 2
    assert "Andra föreningen" in client.get(response["Location"]).content.decode()


def test_the_token_with_another_address_is_a_new_submission(client):
    key = new_idempotency_key()
    client.post(INTEREST, _data(key))
    response = client.post(INTEREST, _data(key, contact_name="Bo Berg", contact_email="bo@example.se"))
    assert response.status_code == 302
    assert InterestSubmission.objects.count() == 2
    assert InterestSubmission.objects.get(contact__email="bo@example.se").idempotency_key is None
    assert _confirmations() == 2
    assert "sofia@example.se" not in client.get(response["Location"]).content.decode()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_posts_of_one_interest_form_store_one_submission():
    key, posts = new_idempotency_key(), 6
    barrier = threading.Barrier(posts)
    statuses, errors = [], []

    def post(n):
        try:
            client = Client(REMOTE_ADDR=f"192.0.2.{n}")
            barrier.wait(timeout=30)
            statuses.append(client.post(INTEREST, _data(key)).status_code)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(n,)) for n in range(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert statuses == [302] * posts
    assert InterestSubmission.objects.count() == Organisation.objects.count() == 1
    assert _confirmations() == 1
