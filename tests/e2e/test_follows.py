"""Follow an area, hear of a new meeting in it on Mina sidor and in the weekly digest, then stop the
digest with its one-click link (issue 25)."""

import re
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.core import mail
from playwright.sync_api import expect

from meetings.models import Meeting
from meetings.services.meeting import meeting_save
from notifications.models import Digest, Preference
from notifications.tasks import send_digests
from tests.e2e.conftest import axe_check
from tests.factories import UserFactory
from tests.factories.meetings import MeetingFactory
from tests.factories.organisations import AreaOfActivityFactory, OrganisationFactory, RepresentativeFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "korrekt-hast-batteri"


def _login(page, email):
    page.goto("/konto/login/")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").last.click()
    page.wait_for_url("**/mina-sidor/")


def test_follow_an_area_notification_digest_once_and_unsubscribe(page):
    person = UserFactory(email="foljare@example.se", language="sv")
    RepresentativeFactory(user=person, organisation=OrganisationFactory(name="Föreningen Gemenskap"))
    area = AreaOfActivityFactory(name="Folkhälsa", slug="folkhalsa")
    _login(page, person.email)

    # The representative chooses when the weekly digest comes: Wednesday at 16:00 (the region's is Monday 07:00).
    page.goto("/mina-sidor/")
    page.get_by_label("Dag", exact=True).select_option(label="onsdag")
    page.get_by_label("Tid", exact=True).select_option(label="16:00")
    page.get_by_role("button", name="Spara val för e-post").click()
    expect(page.get_by_text("Ditt val för e-post är sparat.")).to_be_visible()

    # Follow the area from the meetings list filtered on it (a plain form: no JavaScript needed), for
    # themselves (the form also offers their organisation).
    page.goto("/moten/?omrade=folkhalsa")
    expect(page.get_by_label("Följ för")).to_have_value("me")
    page.get_by_role("button", name="Följ Folkhälsa").click()
    expect(page.get_by_role("button", name="Sluta följa Folkhälsa")).to_be_visible()
    axe_check(page)

    # A coordinator publishes a meeting in the area (the admin's save runs this service).
    meeting = MeetingFactory(title="Dialog om folkhälsa", status=Meeting.Status.DRAFT)
    meeting.areas.add(area)
    meeting.status = Meeting.Status.PUBLISHED
    meeting_save(meeting=meeting)

    page.goto("/mina-sidor/")
    follows = page.locator("section", has=page.get_by_role("heading", name="Det jag följer"))
    expect(follows.get_by_text("Folkhälsa")).to_be_visible()
    notices = page.locator("section", has=page.get_by_role("heading", name="Notiser"))
    expect(notices.get_by_role("link", name="Dialog om folkhälsa")).to_be_visible()
    expect(notices.get_by_text("Oläst:")).to_be_visible()
    expect(page.get_by_label("Veckosammanfattning")).to_be_checked()
    axe_check(page)
    notices.get_by_role("button", name="Markera ”Dialog om folkhälsa” som läst").click()
    expect(notices.get_by_text("Oläst:")).to_have_count(0)

    # The weekly digest at the chosen hour, the beat run twice then (a moved clock): one e-mail, with the
    # meeting; an hour before, nothing.
    slot = _next_slot(datetime.now(UTC), (2, 16))
    mail.outbox.clear()
    with mock.patch("notifications.services.timezone.now", return_value=slot - timedelta(hours=1)):
        send_digests()
    assert mail.outbox == []
    with mock.patch("notifications.services.timezone.now", return_value=slot + timedelta(minutes=7)):
        send_digests()
        send_digests()
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert "Dialog om folkhälsa" in digest.body
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = re.search(r"<(.+)>", digest.extra_headers["List-Unsubscribe"]).group(1)

    # The unsubscribe link works without logging in: a confirm page, then stopped.
    page.context.clear_cookies()
    page.goto(unsubscribe)
    expect(page.get_by_role("heading", level=1, name="Stoppa e-post")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Stoppa e-breven").click()
    expect(page.get_by_role("heading", level=1, name="E-posten är stoppad")).to_be_visible()
    axe_check(page)
    assert Preference.objects.get(user=person).email == Preference.Email.NONE

    # The next week's new meeting makes a notification but no digest.
    second = MeetingFactory(title="Nästa möte", status=Meeting.Status.DRAFT)
    second.areas.add(area)
    second.status = Meeting.Status.PUBLISHED
    meeting_save(meeting=second)
    with mock.patch("notifications.services.timezone.now", return_value=slot + timedelta(days=7, minutes=7)):
        send_digests()
    assert len(mail.outbox) == 1 and Digest.objects.count() == 1

    # A forged link: a clear page, nothing changed.
    page.goto(unsubscribe[:-3] + "xyz")
    expect(page.get_by_role("heading", level=1, name="Länken fungerar inte")).to_be_visible()
    axe_check(page)


def test_english_follow_button_and_unsubscribe_page(page):
    from notifications.services import unsubscribe_token

    person = UserFactory(email="follower@example.se", language="en")
    AreaOfActivityFactory(name="Culture", slug="culture")
    _login(page, person.email)
    page.goto("/moten/?omrade=culture")
    page.get_by_role("button", name="In English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("button", name="Follow Culture").click()
    expect(page.get_by_role("button", name="Stop following Culture")).to_be_visible()
    page.goto(f"/foljer/avregistrera/{unsubscribe_token(person, 'instant')}/")
    expect(page.get_by_role("heading", level=1, name="Stop e-mails")).to_be_visible()
    axe_check(page)


def _next_slot(now, schedule=None):
    from notifications.services import last_slot

    return last_slot(now, schedule) + timedelta(days=7)


def test_a_representative_follows_for_the_organisation(page):
    person = UserFactory(email="foljare@example.se", language="sv")
    colleague = UserFactory(email="kollega@example.se", language="sv")
    organisation = OrganisationFactory(name="Föreningen Gemenskap")
    for someone in (person, colleague):
        RepresentativeFactory(user=someone, organisation=organisation)
    area = AreaOfActivityFactory(name="Folkhälsa", slug="folkhalsa")
    _login(page, person.email)
    page.goto("/moten/?omrade=folkhalsa")
    page.get_by_label("Följ för").select_option(label="Föreningen Gemenskap")
    page.get_by_role("button", name="Följ Folkhälsa").click()
    expect(page.get_by_role("button", name="Sluta följa Folkhälsa för Föreningen Gemenskap")).to_be_visible()
    axe_check(page)
    meeting = MeetingFactory(title="Dialog om folkhälsa", status=Meeting.Status.DRAFT)
    meeting.areas.add(area)
    meeting.status = Meeting.Status.PUBLISHED
    meeting_save(meeting=meeting)
    # The colleague hears of it, and sees the organisation's follow on Mina sidor.
    page.context.clear_cookies()
    _login(page, colleague.email)
    notices = page.locator("section", has=page.get_by_role("heading", name="Notiser"))
    expect(notices.get_by_role("link", name="Dialog om folkhälsa")).to_be_visible()
    follows = page.locator("section", has=page.get_by_role("heading", name="Det jag följer"))
    expect(follows.get_by_text("för Föreningen Gemenskap")).to_be_visible()
    follows.get_by_role("button", name="Sluta följa Folkhälsa").click()
    expect(follows.get_by_text("Du följer inget ännu.", exact=False)).to_be_visible()
