"""Two representatives of one organisation press "Submit the application" at the same moment: one
submission, one receipt; the other is told it was already submitted (409), nothing is lost."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from outbox.models import OutgoingEmail
from partnerships import services
from partnerships.models import Application
from tests.factories.partnerships import NOW

from .conftest import application_kwargs


def _post_at_once(users, url, data):
    """POST the form for every user in real threads (each its own connection), released together."""
    barrier = threading.Barrier(len(users))
    statuses, errors = [], []

    def send(user):
        client = Client()
        client.force_login(user)
        try:
            barrier.wait()
            statuses.append(client.post(url, data).status_code)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(user,)) for user in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(statuses), errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_representatives_submitting_at_once_give_one_submission(
    call, organisation, representative, second_representative, clock
):
    draft = services.application_save(
        call=call, organisation=organisation, user=representative, now=NOW, **application_kwargs(call)
    )
    question = call.questions.first()
    data = {
        "organisation": organisation.pk,
        "title": draft.title,
        "description": draft.description,
        f"question_{question.pk}": "Ungefär trettio barn.",
        "item_0": "Lokalhyra",
        "amount_0": "20000",
        "item_1": "Material",
        "amount_1": "10000",
        "amount_requested": "30000",
        "action": "submit",
    }
    url = reverse("grants:apply", args=[call.slug])
    statuses, errors = _post_at_once([representative, second_representative] * 2, url, data)
    assert errors == []
    assert statuses == [302, 409, 409, 409]
    application = Application.objects.get()
    assert application.status == Application.Status.SUBMITTED
    assert OutgoingEmail.objects.filter(kind="partnerships.application_submitted").count() == 1
