"""Open data: /api/v1/challenges/ has published challenges and public participations only, no people."""

import pytest

from tests.factories import (
    AreaOfActivityFactory,
    ChallengeFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipationFactory,
    UpdateFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/challenges/"


def test_only_published_challenges_and_listed_organisations(client):
    public = ChallengeFactory(title="Offentlig", contact_coordinator=UserFactory(is_staff=True, email="s@example.se"))
    ChallengeFactory(title="Föreslagen", proposed=True)
    ParticipationFactory(challenge=public, organisation=OrganisationFactory(name="Listad"))
    ParticipationFactory(challenge=public, organisation=OrganisationFactory(name="Olistad", public_listing=False))
    public.meetings.add(MeetingFactory(slug="motet"))
    response = client.get(URL)
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["title"] for row in rows] == ["Offentlig"]
    assert [p["organisation"] for p in rows[0]["participations"]] == ["Listad"]
    assert rows[0]["meetings"] == ["motet"]
    assert "@" not in response.content.decode()  # no e-mail addresses, no people
    assert client.get(f"{URL}{ChallengeFactory(proposed=True).slug}/").status_code == 404


def test_filters_work_and_a_bad_value_is_a_400(client):
    area = AreaOfActivityFactory()
    ChallengeFactory(title="Med område", areas=[area], status="in_progress")
    ChallengeFactory(title="Utan")
    assert [r["title"] for r in client.get(URL, {"area": area.pk}).json()["results"]] == ["Med område"]
    assert [r["title"] for r in client.get(URL, {"status": "in_progress"}).json()["results"]] == ["Med område"]
    assert client.get(URL, {"status": "proposed"}).status_code == 400


@pytest.mark.parametrize("rows", [2, 10])
def test_list_queries_do_not_grow(client, django_assert_max_num_queries, rows):
    for _ in range(rows):
        challenge = ChallengeFactory(raised_by="civil_society", raising_organisation=OrganisationFactory())
        ParticipationFactory(challenge=challenge)
        UpdateFactory(challenge=challenge)
        challenge.meetings.add(MeetingFactory())
    with django_assert_max_num_queries(12):
        assert client.get(URL).status_code == 200


def test_an_id_no_column_holds_is_a_400(client):
    assert client.get(URL, {"area": "9223372036854775808"}).status_code == 400
