import datetime as dt

import pytest

from core.retention import personal_data_purge
from elections import services
from elections.models import BallotCast, Nomination

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("disposal_decisions")]


def test_published_round_forgets_addresses_and_people_after_the_retention_period(voting_round, signatories, settings):
    settings.ELECTIONS_RETENTION_DAYS = 90
    organisation, user = signatories[0]
    declined = voting_round.nominations.order_by("pk").last()
    declined.status = Nomination.Status.DECLINED
    declined.save()
    services.ballot_cast(
        round=voting_round, user=user, organisation=organisation, nomination_ids=[voting_round.nominations.first().pk]
    )
    services.round_count(round=voting_round, now=voting_round.voting_closes + dt.timedelta(seconds=1))
    published = services.round_publish(round=voting_round)
    assert (
        personal_data_purge(now=published.published_at + dt.timedelta(days=89))["elections"]["nominations_anonymised"]
        == 0
    )
    result = personal_data_purge(now=published.published_at + dt.timedelta(days=91))["elections"]
    assert result == {"nominations_anonymised": 3, "ballot_casts_anonymised": 1}
    assert not Nomination.objects.filter(candidate_email__contains="@example.se").exists()
    declined.refresh_from_db()
    assert declined.candidate_name == "–"
    assert Nomination.objects.filter(status=Nomination.Status.ACCEPTED, candidate_name="Kandidat 1").exists()
    cast = BallotCast.objects.get()
    assert cast.cast_by is None and cast.organisation == organisation
    assert (
        personal_data_purge(now=published.published_at + dt.timedelta(days=92))["elections"]["nominations_anonymised"]
        == 0
    )
