"""Following for an organisation, and the digest's day and hour per region and per person (issue 25)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from notifications import services
from notifications.models import Digest, DigestSchedule, Follow, Notification, Preference
from tests.factories import RepresentativeFactory, UserFactory
from tests.factories.organisations import AreaOfActivityFactory, OrganisationFactory
from tests.notifications.test_follows import _notify, _publish

pytestmark = pytest.mark.django_db

# Monday 30 November 2026, 07:00 in Stockholm (06:00 UTC).
MONDAY_7 = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Föreningen Gemenskap")


@pytest.fixture
def representatives(organisation):
    people = [UserFactory(email=f"rep{n}@example.se", language="sv") for n in (1, 2)]
    for person in people:
        RepresentativeFactory(user=person, organisation=organisation)
    return people


@pytest.fixture
def area():
    return AreaOfActivityFactory(name="Folkhälsa", slug="folkhalsa")


def _follow_for(client, organisation, action="follow"):
    data = {"kind": "organisations.area", "key": "folkhalsa", "for": organisation.pk, "action": action}
    return client.post(reverse("notifications:follow"), data)


def test_a_representative_follows_for_the_organisation_and_every_representative_is_told(
    client, representatives, organisation, area, run_on_commit
):
    first, second = representatives
    client.force_login(first)
    page = client.get("/moten/", {"omrade": "folkhalsa"}).content.decode()
    assert "Följ för" in page and "Föreningen Gemenskap" in page
    assert _follow_for(client, organisation).status_code == 302
    assert _follow_for(client, organisation).status_code == 302  # twice: one follow
    assert Follow.objects.get().organisation_id == organisation.pk
    with run_on_commit():
        _publish(area, title="Dialog om folkhälsa")
    assert set(Notification.objects.values_list("user__email", flat=True)) == {"rep1@example.se", "rep2@example.se"}
    # The other representative sees the follow in Mina sidor and stops it in one click.
    client.force_login(second)
    mypages = client.get(reverse("accounts:mypages")).content.decode()
    assert "för Föreningen Gemenskap" in mypages
    follow = Follow.objects.get()
    assert client.post(reverse("notifications:unfollow", args=[follow.pk])).status_code == 302
    assert not Follow.objects.exists()


def test_nobody_follows_for_an_organisation_they_do_not_represent(client, organisation, area):
    outsider = UserFactory(email="utomstaende@example.se")
    client.force_login(outsider)
    assert _follow_for(client, organisation).status_code == 404
    assert (
        client.post(
            reverse("notifications:follow"), {"kind": "organisations.area", "key": "folkhalsa", "for": "x1"}
        ).status_code
        == 404
    )
    assert not Follow.objects.exists()


def test_an_organisations_follow_is_not_stopped_by_an_outsider(client, representatives, organisation, area):
    follow = services.follow(
        user=representatives[0], kind="organisations.area", obj=area, organisation_id=organisation.pk
    )
    client.force_login(UserFactory(email="utomstaende@example.se"))
    assert client.post(reverse("notifications:unfollow", args=[follow.pk])).status_code == 404
    assert Follow.objects.filter(pk=follow.pk).exists()


def test_the_region_default_and_a_persons_own_digest_time(run_on_commit):
    regional = UserFactory(email="region@example.se")
    own = UserFactory(email="egen@example.se")
    DigestSchedule.objects.create(weekday=4, hour=16)  # Friday 16:00 for the region
    Preference.objects.create(user=own, email="digest", digest_weekday=6, digest_hour=18)  # Sunday 18:00
    friday_16 = MONDAY_7 + timedelta(days=4, hours=9)  # 15:00 UTC = 16:00 in Stockholm
    sunday_18 = MONDAY_7 + timedelta(days=6, hours=11)
    for person in (regional, own):
        _notify(person, f"Nytt för {person.email}", MONDAY_7 + timedelta(hours=1))
    with run_on_commit():
        assert services.digests_build(now=MONDAY_7 + timedelta(days=1)) == {"built": 0}  # Monday's slot is past
        assert services.digests_build(now=friday_16 - timedelta(seconds=1)) == {"built": 0}
        assert services.digests_build(now=friday_16) == {"built": 1}
        assert services.digests_build(now=friday_16 + timedelta(hours=1)) == {"built": 0}
    assert [m.to for m in mail.outbox] == [["region@example.se"]]
    with run_on_commit():
        assert services.digests_build(now=sunday_18 - timedelta(seconds=1)) == {"built": 0}
        assert services.digests_build(now=sunday_18) == {"built": 1}
    assert mail.outbox[1].to == ["egen@example.se"]
    assert Digest.objects.get(user=own).window_end == sunday_18


def test_mypages_saves_the_day_and_hour_and_refuses_nonsense(client):
    person = UserFactory(email="foljare@example.se")
    client.force_login(person)
    url = reverse("notifications:preference")
    client.post(url, {"email": "digest", "weekday": "2", "hour": "9"})
    assert services.schedule_of(person) == (2, 9)
    response = client.post(url, {"email": "digest", "weekday": "9", "hour": "25"}, follow=True)
    assert "Välj en veckodag och en timme i listorna." in response.content.decode()
    assert services.schedule_of(person) == (2, 9)
    client.post(url, {"email": "digest", "weekday": "", "hour": ""})
    assert services.schedule_of(person) == (0, 7)  # the region's again


def test_a_digest_another_beat_built_meanwhile_is_not_built_twice(monkeypatch, run_on_commit):
    """The beat reads a chunk of people, another beat builds one of their digests before this one stores
    them: the chunk's insert fails as a whole and each person is built on their own, that one not again."""
    first, second = UserFactory(email="forsta@example.se"), UserFactory(email="andra@example.se")
    for person in (first, second):
        _notify(person, f"Nytt för {person.email}", MONDAY_7 - timedelta(days=1))
    read = services._states
    calls = []

    def stale(user_ids, end):
        states = read(user_ids, end)
        if not calls:  # the other beat, between this one's read and its insert
            calls.append(user_ids)
            services.digest_build(user=first, now=MONDAY_7 + timedelta(minutes=5))
        return states

    monkeypatch.setattr(services, "_states", stale)
    with run_on_commit():
        assert services.digests_build(now=MONDAY_7 + timedelta(minutes=5)) == {"built": 1}
    assert Digest.objects.filter(user=first).count() == 1 and Digest.objects.filter(user=second).count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["andra@example.se", "forsta@example.se"]
