"""Factories for grants and partnerships (kept with the tests of the app)."""

import datetime as dt

import factory

from partnerships.models import (
    Application,
    BudgetLine,
    Criterion,
    Decision,
    GrantCall,
    Partnership,
    Question,
)
from tests.factories.organisations import OrganisationFactory

# A fixed clock for the tests: services get ``now`` from here, nothing depends on the wall clock.
NOW = dt.datetime(2030, 3, 1, 12, 0, tzinfo=dt.UTC)


class GrantCallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GrantCall

    title = factory.Sequence(lambda n: f"Stöd till ideella organisationer {n}")
    slug = factory.Sequence(lambda n: f"stod-{n}")
    purpose = "Stöd till verksamhet som stärker folkhälsan."
    who_may_apply = "Ideella organisationer i länet."
    amount_available = 500_000
    ceiling = 50_000
    opens_on = dt.date(2030, 2, 1)
    closes_at = NOW + dt.timedelta(days=14)
    status = GrantCall.Status.PUBLISHED


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    call = factory.SubFactory(GrantCallFactory)
    order = factory.Sequence(lambda n: n)
    name = factory.Sequence(lambda n: f"Kriterium {n}")


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    call = factory.SubFactory(GrantCallFactory)
    order = factory.Sequence(lambda n: n)
    text = factory.Sequence(lambda n: f"Fråga {n}?")


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    call = factory.SubFactory(GrantCallFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    title = "Läxhjälp för nyanlända"
    description = "Vi ordnar läxhjälp två kvällar i veckan."
    amount_requested = 30_000


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    application = factory.SubFactory(ApplicationFactory)
    item = "Lokalhyra"
    amount = 30_000


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    application = factory.SubFactory(ApplicationFactory, status=Application.Status.GRANTED, submitted_at=NOW)
    outcome = Decision.Outcome.GRANTED
    amount = 25_000
    decided_at = NOW


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Partnerskap {n}")
    slug = factory.Sequence(lambda n: f"partnerskap-{n}")
    purpose = "Tillsammans ta emot människor på flykt."
    starts_on = dt.date(2022, 3, 1)
    ends_on = dt.date(2031, 2, 28)
    region_contribution = 400_000
    status = Partnership.Status.IN_FORCE

    @factory.post_generation
    def partners(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.organisations.set(extracted)
