"""A sign-up for a meeting without a place limit takes no lock: one that arrives while the meeting is
being cancelled must not be confirmed after its participants were listed and told it is cancelled."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from core.regions import current_region, region_scope
from meetings import services
from meetings.models import Meeting, Registration
from outbox.models import OutgoingEmail
from tests.factories import MeetingFactory


def _sign_up(meeting, **kwargs):
    return services.registration_create(
        meeting=meeting, name="Sen Anmälan", email="sen@example.se", consent=True, language="sv", **kwargs
    )


def _cancel_committed(meeting):
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("in_transaction", [False, True], ids=["usual", "in-a-transaction"])
def test_a_sign_up_from_a_page_read_before_the_cancellation_is_refused(in_transaction):
    meeting = MeetingFactory(capacity=None)  # the page's copy: published when the visitor read it
    _cancel_committed(meeting)
    with pytest.raises(ValidationError) as refused:
        if in_transaction:  # the path of a sign-up with answers, or on SQLite
            with transaction.atomic():
                _sign_up(meeting)
        else:  # on PostgreSQL the one-statement insert
            _sign_up(meeting)
    assert refused.value.code == "cancelled"
    assert not Registration.objects.exists()
    assert not OutgoingEmail.objects.filter(kind="meetings.confirmation").exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("in_transaction", [False, True], ids=["one-statement", "transaction"])
def test_a_sign_up_waiting_on_a_cancellation_in_progress_is_refused_at_its_commit(in_transaction):
    meeting = MeetingFactory(capacity=None)
    region = current_region()
    locked, outcome = threading.Event(), []

    def cancel():
        with region_scope(region):
            try:
                with transaction.atomic():  # as meeting_save: lock, list and mail the participants, commit
                    Meeting.objects.select_for_update().get(pk=meeting.pk)
                    _cancel_committed(meeting)
                    locked.set()
                    time.sleep(0.5)  # the sign-up below is waiting on this row meanwhile
            finally:
                connection.close()

    def sign_up():
        with region_scope(region):
            try:
                locked.wait(timeout=30)
                if in_transaction:
                    with transaction.atomic():
                        _sign_up(meeting)
                else:
                    _sign_up(meeting)
                outcome.append("stored")
            except ValidationError as error:
                outcome.append(error.code)
            finally:
                connection.close()

    threads = [threading.Thread(target=cancel), threading.Thread(target=sign_up)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert outcome == ["cancelled"]
    assert not Registration.objects.exists()
