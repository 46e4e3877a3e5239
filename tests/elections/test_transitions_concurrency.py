"""Candidates answering while a coordinator opens voting early: one lock order (the round, then its
nominations), so no deadlock, and every nomination ends either accepted in time or lapsed."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from agreements.models import Signatory
from core.regions import current_region, region_scope
from elections import services
from elections.models import Nomination, SelectionRound
from tests.factories import AgreementFactory, OrganisationFactory, SignatoryFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CANDIDATES = 7


def _at_once(targets):
    barrier = threading.Barrier(len(targets))
    errors = []

    region = current_region()

    def run(target):
        try:
            barrier.wait(timeout=30)
            with region_scope(region):  # a thread starts with no region in force
                target()
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return errors


def test_answers_racing_an_early_opening_of_voting_never_deadlock():
    agreement = AgreementFactory()
    organisation = OrganisationFactory()
    SignatoryFactory(agreement=agreement, organisation=organisation, status=Signatory.Status.VERIFIED)
    now = timezone.now()
    selection_round = SelectionRound.objects.create(
        agreement=agreement,
        title="Val",
        slug="val",
        status=SelectionRound.Status.NOMINATING,
        nomination_opens=now - dt.timedelta(days=7),
        nomination_closes=now + dt.timedelta(days=21),
        voting_opens=now + dt.timedelta(days=24),
        voting_closes=now + dt.timedelta(days=38),
    )

    def nominate(n, status):
        return Nomination.objects.create(
            round=selection_round,
            nominating_organisation=organisation,
            candidate_name=f"Kandidat {n}",
            candidate_organisation=organisation,
            candidate_email=f"k{n}@example.se",
            presentation="Presentation.",
            status=status,
        )

    nominate(0, Nomination.Status.ACCEPTED)
    pending = [nominate(n, Nomination.Status.PENDING) for n in range(1, CANDIDATES + 1)]
    targets = [
        lambda nomination=nomination: services.nomination_respond(nomination=nomination, accept=True)
        for nomination in pending
    ]
    targets.append(lambda: services.round_open_voting(round=selection_round, move_dates=True, lapse_pending=True))
    assert _at_once(targets) == []
    selection_round.refresh_from_db()
    assert selection_round.status == SelectionRound.Status.VOTING
    for nomination in pending:
        nomination.refresh_from_db()
        answered_in_time = nomination.status == Nomination.Status.ACCEPTED and nomination.responded_at is not None
        lapsed = nomination.status == Nomination.Status.DECLINED and nomination.responded_at is None
        assert answered_in_time or lapsed
        if answered_in_time:
            assert nomination.responded_at <= selection_round.nomination_closes
