"""Browser tests for meetings: register, confirmation e-mail, cancel via the manage link, waitlist."""

import re

import pytest
from django.core import mail
from icalendar import Calendar
from playwright.sync_api import expect

from meetings.models import Registration
from tests.e2e.conftest import axe_check
from tests.factories import MeetingFactory, ProgrammeItemFactory, RegistrationFactory, SpeakerFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _fill_form(page, *, name, email):
    page.get_by_label("Namn", exact=True).fill(name)
    page.get_by_label("E-post", exact=True).fill(email)
    page.get_by_label("Organisation (frivilligt)").fill("Möckelnföreningarna")
    page.get_by_label("Jag godkänner att mina personuppgifter behandlas").check()


def test_register_get_confirmation_email_and_cancel_through_manage_link(page):
    meeting = MeetingFactory(title="Dialogmöte om nära vård", capacity=10)
    item = ProgrammeItemFactory(meeting=meeting, title="God och nära vård")
    SpeakerFactory(programme_item=item, name="Linda Strid", title="programansvarig")

    page.goto("/moten/")
    axe_check(page)
    page.get_by_role("link", name="Dialogmöte om nära vård").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Dialogmöte om nära vård"
    expect(page.get_by_text("10 platser kvar")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Anmäl dig till mötet").click()
    axe_check(page)
    page.get_by_role("button", name="Anmäl dig").click()
    expect(page.locator("#error-summary")).to_be_visible()
    axe_check(page)
    _fill_form(page, name="Sofia Tungfelt", email="sofia@example.se")
    page.get_by_role("button", name="Anmäl dig").click()
    expect(page.get_by_role("heading", name="Tack för din anmälan")).to_be_visible()
    axe_check(page)

    message = next(m for m in mail.outbox if m.to == ["sofia@example.se"])
    assert message.subject.startswith("Anmälan bekräftad")
    filename, content, mimetype = message.attachments[0]
    assert filename.endswith(".ics") and mimetype.startswith("text/calendar")
    cal = Calendar.from_ical(content if isinstance(content, bytes) else content.encode())
    assert str(cal.walk("VEVENT")[0]["SUMMARY"]) == "Dialogmöte om nära vård"
    manage_path = re.search(r"https?://[^/\s]+(/moten/anmalan/\S+/)", message.body).group(1)

    page.goto(manage_path)
    expect(page.get_by_role("heading", name="Din anmälan", exact=True)).to_be_visible()
    expect(page.get_by_text("Bekräftad").first).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Avboka min anmälan").click()
    axe_check(page)
    page.get_by_role("button", name="Ja, avboka min anmälan").click()
    expect(page.get_by_text("Din anmälan är avbokad")).to_be_visible()
    axe_check(page)
    assert Registration.objects.get(email="sofia@example.se").status == Registration.Status.CANCELLED


def test_join_waitlist_on_full_meeting(page):
    meeting = MeetingFactory(title="Verkstad om goda exempel", capacity=1)
    RegistrationFactory(meeting=meeting)

    page.goto(f"/moten/{meeting.slug}/")
    expect(page.get_by_text("Mötet är fullt.")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Ställ dig i kö").click()
    axe_check(page)
    _fill_form(page, name="Johanna Ek", email="johanna@example.se")
    page.get_by_role("button", name="Ställ dig i kö").click()
    expect(page.get_by_role("heading", name="Du står i kö")).to_be_visible()
    axe_check(page)
    assert Registration.objects.get(email="johanna@example.se").status == Registration.Status.WAITLISTED
    message = next(m for m in mail.outbox if m.to == ["johanna@example.se"])
    assert message.subject.startswith("Du står i kö")


def test_digital_meeting_detail_is_accessible_and_hides_link(page):
    meeting = MeetingFactory(digital=True, title="Digitalt dialogmöte")
    page.goto(f"/moten/{meeting.slug}/")
    expect(page.get_by_text("Digitalt möte", exact=True)).to_be_visible()
    assert meeting.online_link not in page.content()
    axe_check(page)
