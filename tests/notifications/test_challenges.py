"""Follows of challenges (issue 25, slice 2): public ones only, joining follows, updates and a new
challenge in a followed municipality reach the followers."""

import pytest
from django.urls import reverse

from challenges import services
from notifications.models import Follow, Notification
from tests.challenges.conftest import other_representative  # noqa: F401 - the fixture
from tests.factories import UserFactory
from tests.factories.challenges import ChallengeFactory
from tests.factories.organisations import MunicipalityFactory

pytestmark = pytest.mark.django_db


def test_a_public_challenge_is_followed_a_hidden_one_is_404(client):
    person = UserFactory(email="foljare@example.se")
    public = ChallengeFactory(slug="oppen-utmaning")
    hidden = ChallengeFactory(proposed=True, slug="dold-utmaning")
    client.force_login(person)
    assert "Följ" in client.get(public.get_absolute_url()).content.decode()
    url = reverse("notifications:follow")
    assert client.post(url, {"kind": "challenges.challenge", "key": public.slug}).status_code == 302
    assert client.post(url, {"kind": "challenges.challenge", "key": hidden.slug}).status_code == 404
    assert list(Follow.objects.values_list("object_id", flat=True)) == [public.pk]


def test_joining_follows_and_an_update_notifies_the_followers(other_representative, coordinator, run_on_commit):  # noqa: F811
    challenge = ChallengeFactory()
    services.participation_join(
        challenge=challenge, organisation=other_representative.organisation, user=other_representative, role="follows"
    )
    assert Follow.objects.filter(user=other_representative, kind="challenges.challenge", object_id=challenge.pk)
    with run_on_commit():
        services.update_post(challenge=challenge, by=coordinator, title="Beslut om mötesplats")
    notification = Notification.objects.get(user=other_representative)
    assert notification.event == "challenges.update" and "Beslut om mötesplats" in notification.title


def test_a_new_challenge_in_a_followed_municipality(coordinator, run_on_commit):
    from notifications.services import follow

    person = UserFactory(email="kommunfoljare@example.se")
    municipality = MunicipalityFactory(name="Härnösand")
    follow(user=person, kind="organisations.municipality", obj=municipality)
    challenge = ChallengeFactory(proposed=True)
    challenge.municipalities.add(municipality)
    with run_on_commit():
        services.challenge_accept(challenge=challenge, by=coordinator)
    assert Notification.objects.get(user=person).event == "challenges.accepted"
