"""Retention of the notifications: a notification goes NOTIFICATIONS_RETENTION_DAYS after it was made, read or not;
a digest's record once its window ended that long ago, except each person's latest and one still on its way.
Follows and e-mail choices stay. Nothing deleted is ever sent again, and the next digest starts where the last
one ended."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from core.regions import region_scope
from core.retention import personal_data_purge
from notifications import services
from notifications.models import Digest, Follow, Notification, Preference
from outbox.models import OutgoingEmail
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("disposal_decisions")]

# Monday 30 November 2026, 07:00 in Stockholm: a digest slot.
SLOT = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)
WEEK = timedelta(days=7)
YEAR = timedelta(days=365)
# A slot more than a year before SLOT, on winter time like it (a weekly slot is 07:00 local time).
OLD_SLOT = SLOT - 56 * WEEK


def _notify(user, title, at):
    return Notification.objects.create(
        user=user, event="meetings.published", object_type="meetings.meeting", object_id=abs(hash(title)) % 10**9,
        title=title, url="/moten/x/", created_at=at,
    )  # fmt: skip


def _purge(now):
    return personal_data_purge(now=now)["notifications"]


@pytest.fixture
def person():
    return UserFactory(email="foljare@example.se", language="sv")


def test_notifications_go_a_year_after_they_were_made_read_or_not(person, settings):
    settings.NOTIFICATIONS_RETENTION_DAYS = 365
    read = _notify(person, "Läst och gammal", SLOT - YEAR - timedelta(days=1))
    read.read_at = SLOT - YEAR
    read.save()
    _notify(person, "Oläst och gammal", SLOT - YEAR - timedelta(days=2))
    kept = _notify(person, "Nästan ett år", SLOT - YEAR + timedelta(hours=1))
    Follow.objects.create(user=person, kind="organisations.area", object_id=1, created_at=SLOT - 2 * YEAR)
    Preference.objects.create(user=person, email=Preference.Email.NONE)

    assert _purge(SLOT) == {"notifications_deleted": 2, "digests_deleted": 0}

    assert list(Notification.objects.all()) == [kept]
    assert Follow.objects.filter(user=person).exists() and Preference.objects.filter(user=person).exists()
    assert _purge(SLOT) == {"notifications_deleted": 0, "digests_deleted": 0}  # a second run finds nothing


def test_old_digests_go_but_the_latest_stays_and_nothing_is_sent_again(person, run_on_commit, settings):
    settings.NOTIFICATIONS_RETENTION_DAYS = 365
    start = OLD_SLOT
    for week in range(3):  # three weekly digests, a year and more ago, each of one notification
        _notify(person, f"Möte vecka {week}", start + week * WEEK - timedelta(days=1))
        with run_on_commit():
            assert services.digests_build(now=start + week * WEEK) == {"built": 1}
    latest = Digest.objects.order_by("window_end").last()
    OutgoingEmail.objects.all().delete()  # the outbox's own retention came first

    assert _purge(SLOT) == {"notifications_deleted": 3, "digests_deleted": 2}

    assert list(Digest.objects.all()) == [latest]
    _notify(person, "Nytt möte", SLOT - timedelta(days=1))
    sent_before = len(mail.outbox)
    with run_on_commit():
        assert services.digests_build(now=SLOT) == {"built": 1}
    assert len(mail.outbox) == sent_before + 1
    assert "Nytt möte" in mail.outbox[-1].body and "vecka" not in mail.outbox[-1].body
    newest = Digest.objects.order_by("window_end").last()
    assert newest.window_start == latest.window_end  # where the last one ended


def test_a_digest_still_on_its_way_stays_whatever_its_age(person, django_capture_on_commit_callbacks, settings):
    settings.NOTIFICATIONS_RETENTION_DAYS = 365
    old = OLD_SLOT
    _notify(person, "Första", old - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=False):
        services.digests_build(now=old)  # queued, never sent
    waiting = Digest.objects.get()
    Digest.objects.create(user=person, window_start=old, window_end=old + WEEK)  # a later one, e-mail gone
    _purge(SLOT)
    assert Digest.objects.filter(pk=waiting.pk).exists()


def test_the_rule_runs_in_each_region_on_its_own_rows(person, other_region, settings):
    settings.NOTIFICATIONS_RETENTION_DAYS = 365
    _notify(person, "Här", SLOT - 2 * YEAR)
    with region_scope(other_region):
        _notify(person, "Där", SLOT - 2 * YEAR)
    assert _purge(SLOT)["notifications_deleted"] == 1
    with region_scope(other_region):
        assert Notification.objects.count() == 1
