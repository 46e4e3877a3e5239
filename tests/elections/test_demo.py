"""The demo replays the 26 April 2019 round: its result is the working group the demo shows."""

import io

import pytest
from django.core.management import call_command

from agreements.models import WorkingGroupMember
from core.models import Region
from core.regions import region_scope
from elections.models import Ballot, BallotCast, SelectionRound

pytestmark = pytest.mark.django_db


def test_demo_round_fills_the_working_group_and_a_second_round_takes_nominations(media_root):
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())  # idempotent
    assert not SelectionRound.objects.exists()  # the first region (the test's) has no round in the demo
    with region_scope(Region.objects.get(short_name="vgr")):
        _assert_the_2019_round_and_the_open_one()


def _assert_the_2019_round_and_the_open_one():
    published = SelectionRound.objects.get(slug="arbetsgrupp-handlingsplan-2019")
    assert published.status == SelectionRound.Status.PUBLISHED
    elected = {(n.candidate_name, n.candidate_organisation.name) for n in published.nominations.filter(elected=True)}
    members = set(
        WorkingGroupMember.objects.filter(
            agreement=published.agreement, side=WorkingGroupMember.Side.CIVIL_SOCIETY
        ).values_list("name", "affiliation")
    )
    assert len(elected) == 5 and elected == members
    assert BallotCast.objects.filter(round=published).count() == Ballot.objects.filter(round=published).count() == 64
    assert SelectionRound.objects.get(slug="arbetsgrupp-2027").nominations_open_now()


def test_demo_open_round_shows_whole_hours_and_stays_open(media_root):
    from django.utils import timezone

    call_command("load_demo", stdout=io.StringIO())
    with region_scope(Region.objects.get(short_name="vgr")):
        open_round = SelectionRound.objects.get(slug="arbetsgrupp-2027")
    times = [
        open_round.nomination_opens,
        open_round.nomination_closes,
        open_round.voting_opens,
        open_round.voting_closes,
    ]
    assert [(timezone.localtime(t).minute, timezone.localtime(t).second) for t in times] == [(0, 0)] * 4
    now = timezone.now()
    assert open_round.nomination_opens < now < open_round.nomination_closes < open_round.voting_opens
    assert open_round.nominations_open_now()
