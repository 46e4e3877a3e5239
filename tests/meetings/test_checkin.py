"""Check-in at the door by the code (and QR code) in the confirmation (issue 24): the coordinators' page
works without JavaScript, warns on a second scan, refuses another meeting's code, and only staff of the
meeting's region open it."""

import re

import pytest
from django.core import mail

from core.permissions import ensure_coordinator_group
from core.regions import region_scope
from meetings import services
from meetings.models import Meeting, Registration
from tests.factories import MeetingFactory, RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", response.content.decode()).split())


def _url(meeting) -> str:
    return f"/moten/{meeting.slug}/incheckning/"


def test_the_confirmation_carries_the_qr_code_and_the_code_in_text(register, run_on_commit):
    meeting = MeetingFactory()
    with run_on_commit():
        registration = register(meeting, "anna@example.se").registration
    message = mail.outbox[-1]
    shown = registration.checkin_code_display
    assert shown in message.body
    html = message.alternatives[0][0]
    assert shown in html and 'role="img"' in html and 'bgcolor="#000000"' in html
    assert "<svg" not in html  # mail clients do not show SVG: the QR code is a table of cells


def test_no_code_for_a_digital_meeting_or_an_online_participant(register, run_on_commit):
    with run_on_commit():
        register(MeetingFactory(digital=True), "a@example.se")
        register(
            MeetingFactory(format=Meeting.Format.HYBRID, online_link="https://x.example/r"),
            "b@example.se",
            attendance="online",
        )
    for message in mail.outbox:
        assert "incheckningskod" not in message.body.lower()


def test_the_manage_page_shows_the_qr_code_as_svg(client):
    from meetings.tokens import manage_url

    registration = RegistrationFactory(meeting=MeetingFactory())
    content = client.get(manage_url(registration, absolute=False)).content.decode()
    assert "<svg" in content and registration.checkin_code_display in content


def test_a_typed_code_checks_in_and_a_second_scan_warns(coordinator_client):
    meeting = MeetingFactory()
    registration = RegistrationFactory(meeting=meeting, name="Anna Andersson")
    RegistrationFactory(meeting=meeting)
    page = coordinator_client.get(_url(meeting))
    assert page.status_code == 200 and "camera=(self)" in page["Permissions-Policy"]
    assert "0 av 2 anmälda" in _text(page)
    typed = registration.checkin_code_display.lower().replace("-", " ")
    first = coordinator_client.post(_url(meeting), {"code": typed})
    content = _text(first)
    assert first.status_code == 200 and "Anna Andersson är incheckad" in content and "1 av 2" in content
    registration.refresh_from_db()
    checked = registration.checked_in_at
    assert checked is not None and registration.attended is True
    second = coordinator_client.post(_url(meeting), {"code": registration.checkin_code})
    assert "Redan incheckad" in _text(second) and "1 av 2" in _text(second)
    registration.refresh_from_db()
    assert registration.checked_in_at == checked
    assert coordinator_client.get(_url(meeting) + "?antal=1").json() == {"arrived": 1, "expected": 2}


def test_a_code_of_another_meeting_is_refused(coordinator_client):
    meeting, other = MeetingFactory(), MeetingFactory(title="Ett annat möte")
    stranger = RegistrationFactory(meeting=other)
    response = coordinator_client.post(_url(meeting), {"code": stranger.checkin_code})
    assert response.status_code == 422 and "Fel möte" in response.content.decode()
    stranger.refresh_from_db()
    assert stranger.checked_in_at is None and stranger.attended is None


@pytest.mark.parametrize("status", ["cancelled", "waitlisted"])
def test_a_cancelled_or_waitlisted_code_records_nothing(coordinator_client, status):
    meeting = MeetingFactory()
    registration = RegistrationFactory(meeting=meeting, status=status)
    response = coordinator_client.post(_url(meeting), {"code": registration.checkin_code})
    assert response.status_code == 422
    registration.refresh_from_db()
    assert registration.checked_in_at is None


@pytest.mark.parametrize("code", ["", "ZZZZ-ZZZZ", "A\x00B", "x" * 500, "<script>"])
def test_bad_input_is_a_form_answer_never_a_server_error(coordinator_client, postgres_nul_rule, code):
    meeting = MeetingFactory()
    response = coordinator_client.post(_url(meeting), {"code": code})
    assert response.status_code == 422
    assert not Registration.objects.filter(checked_in_at__isnull=False).exists()


def test_only_coordinators_of_the_region(client, other_region):
    meeting = MeetingFactory()
    registration = RegistrationFactory(meeting=meeting)
    assert client.get(_url(meeting)).status_code == 302  # to the login page
    participant = UserFactory()
    client.force_login(participant)
    assert client.post(_url(meeting), {"code": registration.checkin_code}).status_code == 403
    halland = UserFactory(is_staff=True, email="samordnare@halland.example.se")
    halland.groups.add(ensure_coordinator_group())
    other_region.coordinators.add(halland)
    client.force_login(halland)
    assert client.post(_url(meeting), {"code": registration.checkin_code}).status_code == 403
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_another_regions_meeting_is_not_found_here(coordinator_client, other_region):
    with region_scope(other_region):
        theirs = MeetingFactory(slug="halmstad")
    assert coordinator_client.get(_url(theirs)).status_code == 404


def test_the_service_checks_in_once():
    meeting = MeetingFactory()
    registration = RegistrationFactory(meeting=meeting)
    outcomes = [
        services.registration_check_in(meeting=meeting, code=registration.checkin_code).outcome for _ in range(2)
    ]
    assert outcomes == ["checked_in", "already"]


def test_a_registration_cancelled_between_the_read_and_the_check_in_is_not_marked_arrived():
    from django.db import connection

    meeting = MeetingFactory()
    registration = RegistrationFactory(meeting=meeting)
    cancelled = []

    def cancel_first(execute, sql, params, many, context):
        # The person cancels (another request) just after the check-in read them as confirmed.
        if sql.startswith('UPDATE "meetings_registration"') and not cancelled:
            cancelled.append(True)
            execute(
                'UPDATE "meetings_registration" SET "status" = %s WHERE "id" = %s',
                [Registration.Status.CANCELLED, registration.pk],
                False,
                context,
            )
        return execute(sql, params, many, context)

    with connection.execute_wrapper(cancel_first):
        result = services.registration_check_in(meeting=meeting, code=registration.checkin_code)
    assert cancelled and result.outcome == "not_confirmed"
    registration.refresh_from_db()
    assert registration.checked_in_at is None and registration.attended is None
