"""Browser tests of a dialogue meeting as issue 24 describes it: questions at sign-up, the personal join
link (waiting page, then the meeting), attendance in the admin, the evaluation after the meeting, the
organisation on the public page; and the check-in page at the door on a 390 px phone."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from meetings import services
from meetings.models import Meeting, MeetingEvaluation, Registration
from tests.e2e.conftest import axe_check, log_in
from tests.factories import MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _log_out(page):
    page.context.clear_cookies()


def test_questions_join_link_attendance_evaluation_and_organisation(page, live_server, demo_coordinator):
    room = f"{live_server.url}/moten/?motesrum=1"  # the meeting room: a page of this server, reachable here
    start = (timezone.now() + dt.timedelta(days=2)).replace(microsecond=0)
    meeting = MeetingFactory(
        title="Dialogmöte 4 maj",
        digital=True,
        online_link=room,
        capacity=None,
        start=start,
        end=start + dt.timedelta(hours=3),
    )

    # A coordinator adds two questions to the sign-up form.
    log_in(page, live_server, demo_coordinator)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"/admin/meetings/meeting/{meeting.pk}/change/")
    add = page.locator("#questions-group .add-row a")
    add.click()
    page.locator("#id_questions-0-kind").select_option("one_choice")
    page.locator("#id_questions-0-text").fill("Vill ni presentera ett gott exempel från 2015?")
    page.locator("#id_questions-0-text_en").fill("Would you like to present a good example from 2015?")
    page.locator("#id_questions-0-required").check()
    page.locator("#id_questions-0-choices").fill("Ja\nNej")
    add.click()
    page.locator("#id_questions-1-kind").select_option("short_text")
    page.locator("#id_questions-1-text").fill("Vilken kommun kommer ni från?")
    page.locator("#id_questions-1-order").fill("2")
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist .success, ul.messagelist li.success").first).to_be_visible()
    assert meeting.questions.count() == 2
    _log_out(page)

    # A person registers, answering them, and consents to the organisation being named.
    page.goto(f"/moten/{meeting.slug}/anmalan/")
    expect(page.get_by_text("Vill ni presentera ett gott exempel från 2015?")).to_be_visible()
    axe_check(page)
    page.get_by_label("Namn", exact=True).fill("Sofia Tungfelt")
    page.get_by_label("E-post", exact=True).fill("sofia@example.se")
    page.get_by_label("Organisation (frivilligt)").fill("Möckelnföreningarna")
    page.get_by_label("Ja", exact=True).check()
    page.get_by_label("Vilken kommun kommer ni från?").fill("Härnösand")
    page.get_by_label("Vår organisation får nämnas").check()
    page.get_by_label("Jag godkänner att mina personuppgifter behandlas").check()
    page.get_by_role("button", name="Anmäl dig").click()
    expect(page.get_by_role("heading", name="Tack för din anmälan")).to_be_visible()
    registration = Registration.objects.get(email="sofia@example.se")
    assert {a.question_text: a.value for a in registration.answers.all()} == {
        "Vill ni presentera ett gott exempel från 2015?": "Ja",
        "Vilken kommun kommer ni från?": "Härnösand",
    }

    # The e-mail and its .ics hold the personal link, not the meeting room's.
    message = next(m for m in mail.outbox if m.to == ["sofia@example.se"])
    personal = f"{live_server.url}{registration.get_join_url()}"
    ics = message.attachments[0][1]
    ics = (ics.decode() if isinstance(ics, bytes) else ics).replace("\r\n ", "")
    assert personal in message.body and personal in ics
    assert room not in message.body and room not in message.alternatives[0][0] and room not in ics

    # Before the window: the waiting page, with the calendar file.
    page.goto(registration.get_join_url())
    expect(page.get_by_role("heading", name="Mötet har inte öppnat än")).to_be_visible()
    expect(page.get_by_role("link", name="Lägg till i din kalender (.ics)")).to_be_visible()
    axe_check(page)
    # In the window: the same link shows the button to the meeting room (a link scanner's visit records
    # nothing), and the button opens the room and records the attendance.
    Meeting.objects.filter(pk=meeting.pk).update(
        start=timezone.now() + dt.timedelta(minutes=10), end=timezone.now() + dt.timedelta(hours=2)
    )
    page.goto(registration.get_join_url())
    expect(page.get_by_role("heading", name="Mötet är öppet")).to_be_visible()
    axe_check(page)
    registration.refresh_from_db()
    assert registration.joined_at is None
    page.get_by_role("button", name="Anslut till mötet").click()
    page.wait_for_url(re.compile(r"motesrum=1"))
    registration.refresh_from_db()
    assert registration.attended is True and registration.joined_at is not None

    # The attendance shows in the admin.
    log_in(page, live_server, demo_coordinator)
    page.goto(f"/admin/meetings/registration/?meeting__id__exact={meeting.pk}")
    row = page.locator("#result_list tbody tr").first
    expect(row).to_contain_text("Sofia Tungfelt")
    expect(row.locator("td.field-joined_at")).not_to_have_text("-")
    axe_check(page)

    # After the meeting: the evaluation arrives, is answered once, and the summary is on the meeting's page.
    Meeting.objects.filter(pk=meeting.pk).update(
        start=timezone.now() - dt.timedelta(hours=3), end=timezone.now() - dt.timedelta(hours=1)
    )
    assert services.meeting_send_evaluation(meeting=Meeting.objects.get(pk=meeting.pk)) == 1
    evaluation = next(m for m in mail.outbox if m.to == ["sofia@example.se"] and "Hur var mötet" in m.subject)
    path = re.search(r"https?://[^/\s]+(/moten/\S+/utvardering/\S+/)", evaluation.body).group(1)
    _log_out(page)
    page.goto(path)
    axe_check(page)
    page.get_by_label("4", exact=True).check()
    page.get_by_label(re.compile("Vad var bra")).fill("Bra exempel från föreningarna")
    page.get_by_role("button", name="Skicka").click()
    expect(page.get_by_text("Tack! Ditt svar har kommit fram.")).to_be_visible()
    assert MeetingEvaluation.objects.get().rating == 4
    log_in(page, live_server, demo_coordinator)
    page.goto(f"/admin/meetings/meeting/{meeting.pk}/change/")
    expect(page.get_by_text("Bra exempel från föreningarna")).to_be_visible()

    # The organisation that took part, and consented, on the public page.
    _log_out(page)
    page.goto(f"/moten/{meeting.slug}/")
    expect(page.get_by_role("heading", name="Organisationer som deltog")).to_be_visible()
    expect(page.get_by_text("Möckelnföreningarna")).to_be_visible()
    assert "Sofia" not in page.content()
    axe_check(page)


def test_check_in_page_on_a_phone(page, live_server, demo_coordinator):
    meeting = MeetingFactory(title="Dialogmöte på Halmstad Teater")
    other = MeetingFactory(title="Ett annat möte")
    anna = RegistrationFactory(meeting=meeting, name="Anna Andersson")
    RegistrationFactory(meeting=meeting, name="Bo Berg")
    stranger = RegistrationFactory(meeting=other, name="Cecilia Ceder")
    log_in(page, live_server, demo_coordinator)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/moten/{meeting.slug}/incheckning/")
    expect(page.get_by_role("heading", name="Incheckning", exact=True)).to_be_visible()
    expect(page.locator("#checkin-counts")).to_contain_text("0 av 2")
    axe_check(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    code = page.get_by_label("Incheckningskod")
    code.fill(anna.checkin_code_display.lower())
    page.get_by_role("button", name="Checka in").click()
    expect(page.locator("#checkin-result")).to_contain_text("Anna Andersson är incheckad")
    expect(page.locator("#checkin-counts")).to_contain_text("1 av 2")
    axe_check(page)

    page.get_by_label("Incheckningskod").fill(anna.checkin_code)
    page.get_by_role("button", name="Checka in").click()
    expect(page.locator("#checkin-result")).to_contain_text("Redan incheckad")
    axe_check(page)

    page.get_by_label("Incheckningskod").fill(stranger.checkin_code)
    page.get_by_role("button", name="Checka in").click()
    expect(page.locator("#checkin-result")).to_contain_text("Fel möte")
    expect(page.locator("#checkin-counts")).to_contain_text("1 av 2")
    axe_check(page)
    stranger.refresh_from_db()
    assert stranger.checked_in_at is None
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
