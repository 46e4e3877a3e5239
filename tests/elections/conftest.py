import datetime as dt

import pytest
from django.utils import timezone

from agreements.models import Signatory
from elections.models import Nomination, SelectionRound
from tests.eid_provider import eid_provider, eid_region  # noqa: F401 - the local e-ID provider (test_eid_stepup_acts.py)
from tests.factories import (
    AgreementFactory,
    MandatedRepresentativeFactory,
    OrganisationFactory,
    SignatoryFactory,
    UserFactory,
)


@pytest.fixture
def agreement(db):
    return AgreementFactory(title="Överenskommelse om samverkan", slug="samverkan")


@pytest.fixture
def signatories(agreement):
    """Three verified signatory organisations, each with one representative holding a verified mandate, and
    one pending signatory."""
    people = []
    for index, name in enumerate(["Föreningen Alfa", "Föreningen Beta", "Föreningen Gamma"], start=1):
        organisation = OrganisationFactory(name=name)
        SignatoryFactory(agreement=agreement, organisation=organisation, status=Signatory.Status.VERIFIED)
        user = UserFactory(email=f"rep{index}@example.se", full_name=f"Representant {index}")
        MandatedRepresentativeFactory(user=user, organisation=organisation)
        people.append((organisation, user))
    pending = OrganisationFactory(name="Föreningen Väntar")
    SignatoryFactory(agreement=agreement, organisation=pending, status=Signatory.Status.PENDING)
    MandatedRepresentativeFactory(user=UserFactory(email="pending@example.se"), organisation=pending)
    return people


def make_round(agreement, *, status=SelectionRound.Status.DRAFT, phase="nominating", seats=2, **extra):
    """A round whose nomination or voting period is going on now."""
    now = timezone.now()
    if phase == "nominating":
        times = dict(
            nomination_opens=now - dt.timedelta(days=1),
            nomination_closes=now + dt.timedelta(days=5),
            voting_opens=now + dt.timedelta(days=6),
            voting_closes=now + dt.timedelta(days=10),
        )
    else:
        times = dict(
            nomination_opens=now - dt.timedelta(days=10),
            nomination_closes=now - dt.timedelta(days=5),
            voting_opens=now - dt.timedelta(days=1),
            voting_closes=now + dt.timedelta(days=1),
        )
    return SelectionRound.objects.create(
        agreement=agreement,
        seats=seats,
        status=status,
        term_start=dt.date(2027, 1, 1),
        term_end=dt.date(2030, 12, 31),
        **{"title": "Val till arbetsgruppen", "slug": "val-arbetsgrupp", **times, **extra},
    )


@pytest.fixture
def nominating_round(agreement, signatories):
    return make_round(agreement, status=SelectionRound.Status.NOMINATING)


@pytest.fixture
def voting_round(agreement, signatories):
    selection_round = make_round(agreement, status=SelectionRound.Status.VOTING, phase="voting", seats=2)
    for index, (organisation, user) in enumerate(signatories):
        Nomination.objects.create(
            round=selection_round,
            nominating_organisation=organisation,
            nominated_by=user,
            candidate_name=f"Kandidat {index + 1}",
            candidate_organisation=organisation,
            candidate_email=f"k{index + 1}@example.se",
            presentation="Presentation.",
            status=Nomination.Status.ACCEPTED,
        )
    return selection_round
