"""The open-data serializer: published challenges and public participations only, no people."""

import pytest

from challenges.serializers import ChallengeSerializer, public_challenges_queryset
from tests.factories import ChallengeFactory, OrganisationFactory, ParticipationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_only_published_challenges_and_listed_organisations(django_assert_max_num_queries):
    public = ChallengeFactory(title="Offentlig", contact_coordinator=UserFactory(is_staff=True))
    ChallengeFactory(title="Föreslagen", proposed=True)
    ParticipationFactory(challenge=public, organisation=OrganisationFactory(name="Listad"))
    ParticipationFactory(challenge=public, organisation=OrganisationFactory(name="Olistad", public_listing=False))
    for _ in range(5):
        ParticipationFactory(challenge=ChallengeFactory())
    with django_assert_max_num_queries(8):
        data = ChallengeSerializer(public_challenges_queryset(), many=True).data
    titles = [row["title"] for row in data]
    assert "Offentlig" in titles and "Föreslagen" not in titles
    row = next(row for row in data if row["title"] == "Offentlig")
    assert [p["organisation"] for p in row["participations"]] == ["Listad"]
    text = str(data)
    assert "@" not in text  # no e-mail addresses, no people
