"""No log line carries personal data: the public flows log ids, never names, addresses or phones."""

import logging

import pytest
from django.urls import reverse

from tests.factories import MeetingFactory, UserFactory

pytestmark = pytest.mark.django_db

NAME = "Petronella Loggström"
EMAIL = "petronella.loggstrom@example.se"
PHONE = "070-987 65 43"


def _assert_nothing_personal(caplog):
    text = "\n".join(f"{r.getMessage()} {r.exc_text or ''} {r.args!r}" for r in caplog.records)
    assert caplog.records, "the flow should log something"
    for value in (NAME, "Petronella", EMAIL, "loggstrom", PHONE):
        assert value.lower() not in text.lower(), value


def test_interest_submission_logs_no_personal_data(client, caplog, coordinator, run_on_commit):
    caplog.set_level(logging.DEBUG)
    with run_on_commit():
        response = client.post(
            reverse("organisations:interest"),
            {
                "organisation_name": "Loggföreningen",
                "legal_form": "ideell_forening",
                "contact_name": NAME,
                "contact_email": EMAIL,
                "contact_phone": PHONE,
                "contact_role": "contact",
                "wants_dialogue_meetings": "on",
                "consent": "on",
            },
        )
    assert response.status_code == 302
    _assert_nothing_personal(caplog)


def test_meeting_sign_up_and_cancellation_log_no_personal_data(client, caplog, run_on_commit):
    from meetings import services
    from meetings.models import Registration

    caplog.set_level(logging.DEBUG)
    meeting = MeetingFactory()
    with run_on_commit():
        response = client.post(
            reverse("meetings:register", kwargs={"slug": meeting.slug}),
            {"name": NAME, "email": EMAIL, "phone": PHONE, "consent": "on"},
        )
    assert response.status_code == 302
    with run_on_commit():
        services.registration_cancel(registration=Registration.objects.get())
    _assert_nothing_personal(caplog)


def test_failed_login_and_password_reset_log_no_personal_data(client, caplog, run_on_commit):
    UserFactory(email=EMAIL, full_name=NAME, phone=PHONE)
    caplog.set_level(logging.DEBUG)
    client.post(reverse("account_login"), {"login": EMAIL, "password": "fel-losenord-1"})
    with run_on_commit():
        client.post(reverse("account_reset_password"), {"email": EMAIL})
    _assert_nothing_personal(caplog)
