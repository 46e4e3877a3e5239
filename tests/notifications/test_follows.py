"""Follows, notifications, the weekly digest and one-click unsubscribe (issue 25 items 1-4)."""

from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from core.events import Event, UnknownEvent, emit
from core.regions import region_scope
from meetings.models import Meeting
from meetings.services.meeting import meeting_save
from notifications import services
from notifications.events import on_event
from notifications.models import Digest, Follow, Notification, Preference
from outbox.models import OutgoingEmail
from outbox.services import email_send
from tests.factories import UserFactory
from tests.factories.meetings import MeetingFactory
from tests.factories.organisations import AreaOfActivityFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db

# Monday 30 November 2026, 07:00 in Stockholm (06:00 UTC): a digest slot (weekday 0, hour 7).
SLOT = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)
WEEK = timedelta(days=7)


@pytest.fixture
def person():
    return UserFactory(email="foljare@example.se", language="sv")


@pytest.fixture
def area():
    return AreaOfActivityFactory(name="Folkhälsa", slug="folkhalsa")


def _follow(client, kind, key, action="follow", next_url="/moten/?omrade=folkhalsa"):
    return client.post(reverse("notifications:follow"), {"kind": kind, "key": key, "action": action, "next": next_url})


def _publish(area, title="Dialog om folkhälsa"):
    meeting = MeetingFactory(title=title, status=Meeting.Status.DRAFT)
    meeting.areas.add(area)
    meeting.status = Meeting.Status.PUBLISHED
    meeting_save(meeting=meeting)
    return meeting


def _notify(user, title, at):
    return Notification.objects.create(
        user=user,
        event="meetings.published",
        object_type="meetings.meeting",
        object_id=abs(hash(title)) % 10**9,
        title=title,
        url="/moten/x/",
        created_at=at,
    )


# Follow and unfollow ---------------------------------------------------------------------------


def test_follow_and_unfollow_an_area_without_javascript(client, person, area):
    client.force_login(person)
    page = client.get("/moten/?omrade=folkhalsa")
    assert "Följ Folkhälsa" in page.content.decode()
    response = _follow(client, "organisations.area", "folkhalsa")
    assert response.status_code == 302 and response["Location"] == "/moten/?omrade=folkhalsa"
    assert Follow.objects.filter(user=person, kind="organisations.area", object_id=area.pk).count() == 1
    _follow(client, "organisations.area", "folkhalsa")  # twice: still one
    assert Follow.objects.filter(user=person).count() == 1
    assert "Sluta följa Folkhälsa" in client.get("/moten/?omrade=folkhalsa").content.decode()
    assert "Folkhälsa" in client.get(reverse("accounts:mypages")).content.decode()
    _follow(client, "organisations.area", "folkhalsa", action="unfollow")
    assert not Follow.objects.filter(user=person).exists()


def test_follow_a_municipality_and_unfollow_from_mypages(client, person):
    municipality = MunicipalityFactory(name="Sundsvall")
    client.force_login(person)
    assert "Följ Sundsvall" in client.get(f"/organisationer/?municipality={municipality.pk}").content.decode()
    _follow(client, "organisations.municipality", str(municipality.pk), next_url="https://evil.example/")
    follow = Follow.objects.get(user=person)
    assert follow.label == "Sundsvall"
    response = client.post(reverse("notifications:unfollow", args=[follow.pk]))
    assert response.status_code == 302 and not Follow.objects.exists()


@pytest.mark.parametrize(
    ("kind", "key"),
    [("organisations.area", "finns-inte"), ("okand.sort", "1"), ("organisations.municipality", "abc"), ("", "")],
)
def test_follow_of_something_unknown_is_404(client, person, kind, key):
    client.force_login(person)
    assert _follow(client, kind, key).status_code == 404
    assert not Follow.objects.exists()


def test_follow_of_another_regions_area_is_404(client, person, other_region):
    with region_scope(other_region):
        AreaOfActivityFactory(name="Kultur", slug="kultur-halland")
    client.force_login(person)
    assert _follow(client, "organisations.area", "kultur-halland").status_code == 404


def test_follow_needs_login_and_post(client, area):
    assert _follow(client, "organisations.area", "folkhalsa").status_code == 302
    assert not Follow.objects.exists()


# Notifications ---------------------------------------------------------------------------------


def test_publishing_a_meeting_notifies_each_follower_once(run_on_commit, person, area):
    other = UserFactory(email="annan@example.se")
    services.follow(user=person, kind="organisations.area", obj=area)
    services.follow(user=other, kind="organisations.area", obj=area)
    with run_on_commit():
        meeting = _publish(area)
    assert Notification.objects.filter(object_id=meeting.pk).count() == 2
    # The same event again (a second delivery) makes nothing new.
    event = Event(
        "meetings.published",
        "meetings.meeting",
        meeting.pk,
        meeting.title,
        "/x/",
        (("organisations.area", area.pk),),
        meeting.region_id,
        SLOT,
    )
    assert on_event(event) == 0
    assert Notification.objects.filter(object_id=meeting.pk).count() == 2
    # Saving it again (published -> published) is no new event.
    with run_on_commit():
        meeting_save(meeting=meeting)
    assert Notification.objects.count() == 2
    assert mail.outbox == []  # the default choice is the weekly digest


def test_the_database_keeps_one_notification_per_person_and_event(person):
    _notify(person, "Möte", SLOT)
    with pytest.raises(IntegrityError), transaction.atomic():
        _notify(person, "Möte", SLOT)


def test_unknown_event_cannot_be_emitted(area):
    with pytest.raises(UnknownEvent):
        emit("meetings.nonsense", obj=area)


def test_instant_choice_mails_at_once_with_one_click_headers(run_on_commit, person, area):
    Preference.objects.create(user=person, email=Preference.Email.INSTANT)
    services.follow(user=person, kind="organisations.area", obj=area)
    with run_on_commit():
        _publish(area, title="Direkt möte")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "Direkt möte" in message.subject
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/foljer/avregistrera/" in message.extra_headers["List-Unsubscribe"]
    assert Notification.objects.get(user=person).emailed_at is not None


def test_mypages_lists_notifications_read_and_unread_and_saves_the_choice(client, person):
    notification = _notify(person, "Nytt möte om kultur", SLOT)
    client.force_login(person)
    page = client.get(reverse("accounts:mypages")).content.decode()
    assert "Nytt möte om kultur" in page and "Oläst" in page
    client.post(reverse("notifications:read"), {"id": str(notification.pk)})
    notification.refresh_from_db()
    assert notification.read_at is not None
    client.post(reverse("notifications:preference"), {"email": "none"})
    assert services.preference_of(person) == "none"
    client.post(reverse("notifications:preference"), {"email": "bogus"})
    assert services.preference_of(person) == "none"


# The weekly digest -----------------------------------------------------------------------------


def test_last_slot_is_the_weekly_hour_in_local_time():
    assert services.last_slot(SLOT) == SLOT
    assert services.last_slot(SLOT - timedelta(microseconds=1)) == SLOT - WEEK
    assert services.last_slot(SLOT + WEEK - timedelta(seconds=1)) == SLOT


def test_digest_windows_across_the_edges(run_on_commit, person):
    before = _notify(person, "Före kanten", SLOT - timedelta(microseconds=1))
    at_edge = _notify(person, "Precis på kanten", SLOT)
    with run_on_commit():
        assert services.digests_build(now=SLOT + timedelta(minutes=7)) == {"built": 1}
    first = Digest.objects.get()
    assert (first.window_start, first.window_end, first.items) == (before.created_at, SLOT, 1)
    assert len(mail.outbox) == 1 and "Före kanten" in mail.outbox[0].body
    assert "Precis på kanten" not in mail.outbox[0].body
    # The beat twice, later in the week: nothing twice.
    with run_on_commit():
        assert services.digests_build(now=SLOT + timedelta(hours=1)) == {"built": 0}
        assert services.digests_build(now=SLOT + WEEK - timedelta(seconds=1)) == {"built": 0}
    assert len(mail.outbox) == 1
    # The next slot: the item made exactly at the edge, in exactly this digest.
    with run_on_commit():
        assert services.digests_build(now=SLOT + WEEK) == {"built": 1}
    second = Digest.objects.order_by("window_end").last()
    assert (second.window_start, second.window_end) == (SLOT, SLOT + WEEK)
    assert "Precis på kanten" in mail.outbox[1].body and "Före kanten" not in mail.outbox[1].body
    assert at_edge.pk
    # Nothing new: no e-mail.
    with run_on_commit():
        assert services.digests_build(now=SLOT + 2 * WEEK) == {"built": 0}
    assert len(mail.outbox) == 2
    message = mail.outbox[1]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_failed_send_is_retried_from_the_same_row(person, django_capture_on_commit_callbacks):
    _notify(person, "Ett möte", SLOT - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=False):
        services.digests_build(now=SLOT)
    digest = Digest.objects.get()
    with mock.patch("outbox.services.build_message", side_effect=OSError("smtp down")):
        email_send(email_id=digest.email_id)
    digest.email.refresh_from_db()
    assert digest.email.status == OutgoingEmail.Status.QUEUED and digest.email.attempts == 1
    _notify(person, "Ännu ett möte", SLOT + timedelta(hours=1))
    # The beat runs again (and the next week) while the first is on its way: nothing new is built.
    assert services.digests_build(now=SLOT + timedelta(hours=2)) == {"built": 0}
    assert services.digests_build(now=SLOT + WEEK) == {"built": 0}
    assert Digest.objects.count() == 1
    email_send(email_id=digest.email_id)  # the retry: the same row, the same content
    assert len(mail.outbox) == 1 and "Ett möte" in mail.outbox[0].body and "Ännu ett" not in mail.outbox[0].body
    assert mail.outbox[0].extra_headers["Message-ID"] == digest.email.message_id
    # Once sent, the next slot's digest starts where it ended.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.digests_build(now=SLOT + WEEK) == {"built": 1}
    assert "Ännu ett möte" in mail.outbox[1].body


def test_a_digest_that_failed_for_good_frees_its_window(person, django_capture_on_commit_callbacks):
    _notify(person, "Ett möte", SLOT - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=False):
        services.digests_build(now=SLOT)
    OutgoingEmail.objects.update(status=OutgoingEmail.Status.FAILED)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.digests_build(now=SLOT + timedelta(hours=1)) == {"built": 1}
    assert Digest.objects.filter(abandoned=True).count() == 1
    assert "Ett möte" in mail.outbox[0].body


def test_the_database_keeps_one_digest_per_window(person):
    Digest.objects.create(user=person, window_start=SLOT - WEEK, window_end=SLOT)
    with pytest.raises(IntegrityError), transaction.atomic():
        Digest.objects.create(user=person, window_start=SLOT - WEEK, window_end=SLOT)


@pytest.mark.parametrize("choice", ["instant", "none"])
def test_no_digest_for_who_chose_otherwise(person, choice, run_on_commit):
    Preference.objects.create(user=person, email=choice)
    _notify(person, "Ett möte", SLOT - timedelta(days=1))
    with run_on_commit():
        assert services.digests_build(now=SLOT) == {"built": 0}
    assert mail.outbox == []


def test_the_periodic_task_runs_in_each_region(person, run_on_commit):
    from notifications.tasks import send_digests

    _notify(person, "Ett möte", SLOT - timedelta(days=1))
    with mock.patch("notifications.services.timezone.now", return_value=SLOT), run_on_commit():
        send_digests()
        send_digests()
    assert len(mail.outbox) == 1


# Unsubscribe -----------------------------------------------------------------------------------


def test_unsubscribe_link_confirms_then_stops(client, person):
    url = reverse("notifications:unsubscribe", args=[services.unsubscribe_token(person, "digest")])
    page = client.get(url)
    assert page.status_code == 200 and "Stoppa" in page.content.decode()
    assert services.preference_of(person) == "digest"  # a GET changes nothing (link scanners)
    assert client.post(url).status_code == 200
    assert services.preference_of(person) == "none"


def test_one_click_post_from_a_mail_provider(person):
    from django.test import Client

    url = reverse("notifications:unsubscribe", args=[services.unsubscribe_token(person, "instant")])
    response = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and services.preference_of(person) == "none"


@pytest.mark.parametrize("token", ["forged", "eyJ1Ijo5OTksImsiOiJkaWdlc3QifQ:abc", "x" * 300])
def test_a_forged_unsubscribe_link_changes_nothing(client, person, token):
    Preference.objects.create(user=person, email="instant")
    for method in (client.get, client.post):
        response = method(reverse("notifications:unsubscribe", args=[token]))
        assert response.status_code == 400 and "Länken fungerar inte" in response.content.decode()
    assert services.preference_of(person) == "instant"


def test_a_token_for_another_salt_or_kind_is_refused(person):
    from django.core import signing

    assert services.unsubscribe_read(signing.dumps({"u": person.pk, "k": "digest"})) is None
    assert (
        services.unsubscribe_read(signing.dumps({"u": person.pk, "k": "all"}, salt=services.UNSUBSCRIBE_SALT)) is None
    )


def test_an_unsubscribe_link_works_in_its_own_region_only(client, person, other_region):
    from django.core import signing

    from core.regions import region_scope

    with region_scope(other_region):
        Preference.objects.create(user=person, email="instant")
        theirs = reverse("notifications:unsubscribe", args=[services.unsubscribe_token(person, "instant")])
    ours = reverse("notifications:unsubscribe", args=[services.unsubscribe_token(person, "instant")])

    assert client.post(theirs).status_code == 400  # Halland's link on this region's host
    assert services.preference_of(person) == "digest"
    assert client.post(ours).status_code == 200 and services.preference_of(person) == "none"
    with region_scope(other_region):
        assert services.preference_of(person) == "instant"
        assert client.post(theirs, HTTP_HOST="halland.testserver").status_code == 200
        assert services.preference_of(person) == "none"
    # A link from before links named their region still works where it is used.
    legacy = signing.dumps({"u": person.pk, "k": "digest"}, salt=services.UNSUBSCRIBE_SALT, compress=True)
    assert services.unsubscribe_read(legacy) == (person.pk, "digest")


# Personal data ---------------------------------------------------------------------------------


def test_export_and_erase(person, area):
    from notifications import personal_data

    services.follow(user=person, kind="organisations.area", obj=area)
    _notify(person, "Ett möte", SLOT)
    Preference.objects.create(user=person, email="none")
    exported = personal_data.export(person)
    assert len(exported["notifications.Follow"]) == 1 and len(exported["notifications.Notification"]) == 1
    assert len(exported["notifications.Preference"]) == 1 and exported["notifications.Digest"] == []
    personal_data.erase(person)
    assert not Follow.objects.exists() and not Notification.objects.exists() and not Preference.objects.exists()


def test_an_item_committed_after_its_window_was_sent_comes_in_the_next_digest(person, run_on_commit):
    _notify(person, "I tid", SLOT - timedelta(hours=2))
    with run_on_commit():
        services.digests_build(now=SLOT)
    # Made (its clock) before the slot, committed after the digest was built: in no digest yet.
    late = _notify(person, "Sen transaktion", SLOT - timedelta(hours=1))
    with run_on_commit():
        assert services.digests_build(now=SLOT + WEEK) == {"built": 1}
        assert services.digests_build(now=SLOT + 2 * WEEK) == {"built": 0}
    assert "Sen transaktion" in mail.outbox[1].body and "I tid" not in mail.outbox[1].body
    late.refresh_from_db()
    assert late.digest == Digest.objects.order_by("window_end").last()


@pytest.mark.parametrize("key", ["a\x00b", "x" * 201])
def test_a_key_with_nul_or_too_long_is_404_and_the_list_answers(client, person, key):
    client.force_login(person)
    assert _follow(client, "organisations.area", key).status_code == 404
    assert client.get("/moten/", {"omrade": key}).status_code == 200


def test_a_sent_digest_whose_e_mail_the_outbox_deleted_is_never_sent_again(run_on_commit, person, settings):
    """The outbox deletes sent e-mails after OUTBOX_RETENTION_DAYS; the digest row stays as the record that its
    window was sent, so its items come in no later digest and the next window starts where it ended."""
    _notify(person, "Gammalt möte", SLOT - timedelta(days=1))
    with run_on_commit():
        assert services.digests_build(now=SLOT) == {"built": 1}
    first = Digest.objects.get()
    assert first.email.status == OutgoingEmail.Status.SENT
    OutgoingEmail.objects.filter(pk=first.email_id).delete()  # the outbox's retention
    _notify(person, "Nytt möte", SLOT + timedelta(days=1))
    with run_on_commit():
        assert services.digests_build(now=SLOT + WEEK) == {"built": 1}
    assert "Nytt möte" in mail.outbox[1].body and "Gammalt möte" not in mail.outbox[1].body
    second = Digest.objects.order_by("window_end").last()
    assert (second.window_start, second.window_end) == (SLOT, SLOT + WEEK)
    assert not Digest.objects.filter(abandoned=True).exists()
