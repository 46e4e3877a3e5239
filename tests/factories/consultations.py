"""Factories for consultations (kept with the tests of the app)."""

import datetime as dt

import factory
from django.utils import timezone

from consultations.models import Answer, Consultation, Section, SectionAnswer

# A fixed clock for the tests: every service gets ``now`` from here, nothing depends on the wall clock.
NOW = dt.datetime(2030, 3, 1, 12, 0, tzinfo=dt.UTC)


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Remiss {n}")
    slug = factory.Sequence(lambda n: f"remiss-{n}")
    background = "Regionen skickar ett utkast på remiss."
    closes_at = NOW + dt.timedelta(days=14)
    audience = Consultation.Audience.CHOSEN
    status = Consultation.Status.DRAFT

    @factory.post_generation
    def invited(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.invited_organisations.set(extracted)


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    consultation = factory.SubFactory(ConsultationFactory)
    order = factory.Sequence(lambda n: n)
    heading = factory.Sequence(lambda n: f"Avsnitt {n}")
    text = "Text i avsnittet."


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    consultation = factory.SubFactory(ConsultationFactory)
    organisation = factory.SubFactory("tests.factories.organisations.OrganisationFactory")
    state = Answer.State.SUBMITTED
    submitted_at = factory.LazyFunction(lambda: NOW - dt.timedelta(days=1))


class SectionAnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SectionAnswer

    answer = factory.SubFactory(AnswerFactory)
    section = factory.SubFactory(SectionFactory)
    position = "agree"
    comment = ""


def localnow():
    return timezone.localtime(NOW)
