"""A double click or a retry on "Lyft en utmaning": the same proposal is stored once, and parallel
raises of one title by different organisations each get a free slug instead of a 500."""

import threading

import pytest
from django.db import connection

from challenges import services
from challenges.models import Challenge
from core.regions import current_region, region_scope
from outbox.models import OutgoingEmail
from tests.factories import OrganisationFactory, RepresentativeFactory, UserFactory

TITLE = "Långa avstånd till vården"


def _representative(n):
    user = UserFactory(email=f"ombud{n}@example.se")
    organisation = OrganisationFactory(name=f"Förening {n}", slug=f"forening-{n}")
    RepresentativeFactory(user=user, organisation=organisation)
    return user, organisation


def _raise(user, organisation):
    return services.challenge_raise(user=user, organisation=organisation, title=TITLE, summary="Sammanfattning.")


def _raise_at_once(pairs):
    """Raise for every (user, organisation) in real threads released together; return the errors."""
    barrier = threading.Barrier(len(pairs))
    errors = []
    region = current_region()  # a new thread starts with no region: each enters the test's

    def send(user, organisation):
        try:
            barrier.wait()
            with region_scope(region):
                _raise(user, organisation)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=pair) for pair in pairs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@pytest.mark.django_db
def test_raising_the_same_proposal_twice_keeps_the_pending_one():
    user, organisation = _representative(1)
    first = _raise(user, organisation)
    assert _raise(user, organisation) == first
    assert Challenge.objects.count() == 1
    assert OutgoingEmail.objects.filter(to=user.email, kind="challenges.receipt").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_raises_of_one_proposal_store_it_once():
    user, organisation = _representative(1)
    assert _raise_at_once([(user, organisation)] * 8) == []
    assert Challenge.objects.count() == 1
    assert OutgoingEmail.objects.filter(to=user.email, kind="challenges.receipt").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_raises_of_one_title_by_different_organisations_get_free_slugs():
    assert _raise_at_once([_representative(n) for n in range(6)]) == []
    slugs = sorted(Challenge.objects.values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs)) == 6
