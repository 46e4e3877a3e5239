"""Two people of the same organisation send the form at the same moment: one organisation."""

import threading

import pytest
from django.db import connection

from organisations import services
from organisations.models import InterestSubmission, Organisation

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_simultaneous_submissions_of_a_new_number_give_one_organisation():
    barrier = threading.Barrier(4)
    errors = []

    def send(n):
        try:
            barrier.wait()
            services.interest_submit(
                organisation_name="Samtidiga föreningen",
                organisation_number="802002-4280",
                contact_name=f"Person {n}",
                contact_email=f"person{n}@example.se",
                wants_dialogue_meetings=True,
                consent=True,
            )
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Organisation.objects.count() == 1
    assert InterestSubmission.objects.count() == 4
