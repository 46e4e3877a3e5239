"""A fourth region, from the system administrator's form to its coordinator's first meeting, in a browser.

The system administrator creates Region Gotland in the admin (name, host ``gotland.localhost``, colours,
a PNG logo, its coordinator); on that host the portal is Gotland's; its coordinator opens the admin there
and publishes a meeting; the meeting is on Gotland's host only; its reminder e-mail links to that host.
Browsers resolve every ``*.localhost`` name to the loopback address, so the live server answers both.
"""

import datetime as dt
import io
import re
import time

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from PIL import Image

from core.models import Region
from core.regions import region_scope
from tests.e2e.conftest import axe_check
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _log_in(page, url, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": url}])


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 40), (29, 91, 44)).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_fourth_region_is_created_and_its_coordinator_publishes_a_meeting_seen_only_there(
    page, live_server, settings, tmp_path
):
    settings.STAFF_REQUIRE_MFA = False
    settings.MEDIA_ROOT = tmp_path / "media"
    port = live_server.url.rsplit(":", 1)[1]
    gotland = f"http://gotland.localhost:{port}"
    system = UserFactory(email="system@example.se", full_name="Sys Admin", is_staff=True, is_superuser=True)
    coordinator = UserFactory(email="samordnare.gotland@example.se", full_name="Greta Gotländska", is_staff=True)
    from core.permissions import ensure_coordinator_group

    coordinator.groups.add(ensure_coordinator_group())

    # The system administrator creates the region.
    _log_in(page, live_server.url, system)
    page.goto("/admin/core/region/add/")
    page.locator("#id_name").fill("Region Gotland")
    page.locator("#id_short_name").fill("gotland")
    page.locator("#id_contact_email").fill("samverkan@gotland.example.se")
    page.locator("#id_accent_color").fill("#1d5b2c")
    page.locator("#id_accent_dark_color").fill("#0f3318")
    page.locator("#id_logo").set_input_files({"name": "gotland.png", "mimeType": "image/png", "buffer": _png()})
    page.locator("#id_hosts-0-host").fill("gotland.localhost")
    page.locator("#id_hosts-0-is_primary").check()
    page.locator("#id_coordinators_from").select_option(label=str(coordinator))
    page.locator("#id_coordinators_add").click()
    page.locator("input[name=_save]").click()
    page.wait_for_url(re.compile("/admin/core/region/$"))
    region = Region.objects.get(short_name="gotland")
    assert region.primary_host == "gotland.localhost"
    assert list(region.coordinators.all()) == [coordinator]

    # On its host the portal is Gotland's: its name, its colour, its logo.
    page.goto(f"{gotland}/")
    assert "Region Gotland" in page.title()
    assert page.locator("header img").first.get_attribute("alt") == "Region Gotland"
    accent = page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--region-accent')")
    assert accent.strip().lower() == "#1d5b2c"
    axe_check(page)

    # Its coordinator opens the admin on Gotland's host and publishes a meeting.
    _log_in(page, gotland, coordinator)
    page.goto(f"{gotland}/admin/meetings/meeting/add/")
    soon = dt.datetime.now() + dt.timedelta(days=1, hours=2)
    page.locator("#id_title").fill("Dialogmöte i Visby")
    page.locator("#id_status").select_option("published")
    page.locator("#id_start_0").fill(soon.strftime("%Y-%m-%d"))
    page.locator("#id_start_1").fill("10:00")
    page.locator("#id_end_0").fill(soon.strftime("%Y-%m-%d"))
    page.locator("#id_end_1").fill("12:00")
    page.locator("#id_venue_name").fill("Almedalsbiblioteket")
    page.locator("#id_capacity").fill("40")
    page.locator("input[name=_save]").click()
    page.wait_for_url(re.compile("/admin/meetings/meeting/$"))
    from meetings.models import Meeting

    with region_scope(region.pk):
        slug = Meeting.objects.get(title="Dialogmöte i Visby").slug

    page.goto(f"{gotland}/moten/")
    assert page.get_by_role("link", name=re.compile("Dialogmöte i Visby")).count() == 1
    # The other regions do not show it.
    page.goto(f"{live_server.url}/moten/")
    assert "Dialogmöte i Visby" not in page.content()
    assert page.goto(f"{live_server.url}/moten/{slug}/").status == 404

    # Someone signs up on Gotland's host; the reminder links to Gotland's host.
    page.goto(f"{gotland}/moten/{slug}/anmalan/")
    page.locator("#id_name").fill("Ulla Ulfsdotter")
    page.locator("#id_email").fill("ulla@example.se")
    page.locator("#id_consent").check()
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile("/anmalan/klar/"))
    mail.outbox.clear()
    from django.utils import timezone

    from meetings.tasks import plan_reminders

    time.sleep(1)  # the reminder is due after the sign-up was made, and before now
    with region_scope(region.pk):
        meeting = Meeting.objects.get(slug=slug)
        meeting.reminder_before = meeting.start - timezone.now() + dt.timedelta(milliseconds=500)
        meeting.save(update_fields=["reminder_before"])
    plan_reminders()
    reminders = [message for message in mail.outbox if "ulla@example.se" in message.to]
    assert reminders, [message.subject for message in mail.outbox]
    assert f"{gotland}/moten/{slug}/" in reminders[0].body
    assert f"http://127.0.0.1:{port}" not in reminders[0].body and live_server.url not in reminders[0].body
