import datetime as dt

import pytest

from tests.factories import MandatedRepresentativeFactory, OrganisationFactory, RepresentativeFactory, UserFactory
from tests.factories.partnerships import NOW, CriterionFactory, GrantCallFactory, QuestionFactory

WIDE_MANDATE = {"mandate__valid_from": dt.date(2020, 1, 1), "mandate__valid_to": dt.date(2099, 12, 31)}


@pytest.fixture
def clock(monkeypatch):
    """Set the time the views and services see (``django.utils.timezone.now``)."""

    class Clock:
        now = NOW

        def set(self, value):
            self.now = value

    state = Clock()
    monkeypatch.setattr("django.utils.timezone.now", lambda: state.now)
    return state


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Föreningen Gemenskap", slug="foreningen-gemenskap")


@pytest.fixture
def representative(organisation):
    user = UserFactory(email="representant@example.se", full_name="Rita Representant")
    MandatedRepresentativeFactory(user=user, organisation=organisation, **WIDE_MANDATE)
    return user


@pytest.fixture
def second_representative(organisation):
    user = UserFactory(email="andra@example.se", full_name="Anders Andra")
    MandatedRepresentativeFactory(user=user, organisation=organisation, **WIDE_MANDATE)
    return user


@pytest.fixture
def unmandated(organisation):
    user = UserFactory(email="utan@example.se", full_name="Nils Utan")
    RepresentativeFactory(user=user, organisation=organisation)
    return user


@pytest.fixture
def other_organisation(db):
    return OrganisationFactory(name="Idrottsalliansen", slug="idrottsalliansen")


@pytest.fixture
def other_representative(other_organisation):
    user = UserFactory(email="annan@example.se", full_name="Olle Annan")
    MandatedRepresentativeFactory(user=user, organisation=other_organisation, **WIDE_MANDATE)
    return user


@pytest.fixture
def call(db):
    """A published call, open until 14 days after NOW, ceiling 50 000 SEK, two criteria and one question."""
    call = GrantCallFactory(title="Stöd till ideella organisationer 2030", slug="stod-2030")
    CriterionFactory(call=call, name="Nytta för folkhälsan")
    CriterionFactory(call=call, name="Genomförbarhet")
    QuestionFactory(call=call, text="Hur många deltar?")
    return call


def application_kwargs(call, **overrides) -> dict:
    """What a complete application saves (the budget adds up, under the ceiling)."""
    question = call.questions.first()
    data = {
        "title": "Läxhjälp för nyanlända",
        "description": "Läxhjälp två kvällar i veckan.",
        "answers": {str(question.pk): "Ungefär trettio barn."},
        "amount_requested": 30_000,
        "budget": [("Lokalhyra", 20_000), ("Material", 10_000)],
    }
    data.update(overrides)
    return data
