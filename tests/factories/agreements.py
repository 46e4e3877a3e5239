import datetime as dt

import factory

from agreements.models import Action, ActionPlan, Agreement, AgreementVersion, Signatory, WorkingGroupMember

__all__ = [
    "ActionFactory",
    "ActionPlanFactory",
    "AgreementFactory",
    "AgreementVersionFactory",
    "SignatoryFactory",
    "WorkingGroupMemberFactory",
]


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement
        django_get_or_create = ["slug"]

    title = factory.Sequence(lambda n: f"Överenskommelse {n}")
    slug = factory.Sequence(lambda n: f"overenskommelse-{n}")
    parties = "Regionen\nDet civila samhällets organisationer"
    summary = "En överenskommelse om samverkan mellan regionen och det civila samhället."
    text = "Parterna ska samverka."
    adopted_on = dt.date(2014, 3, 1)
    status = Agreement.Status.IN_FORCE


class AgreementVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreementVersion

    agreement = factory.SubFactory(AgreementFactory)
    number = factory.Sequence(lambda n: n + 1)
    date = dt.date(2014, 3, 1)


class SignatoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signatory

    agreement = factory.SubFactory(AgreementFactory)
    organisation = factory.SubFactory("tests.factories.organisations.OrganisationFactory")
    signed_on = dt.date(2014, 5, 1)
    signed_by_name = factory.Faker("name", locale="sv_SE")
    signed_by_title = "Ordförande"
    method = Signatory.Method.PAPER
    status = Signatory.Status.VERIFIED
    verified_at = factory.LazyFunction(lambda: dt.datetime(2014, 5, 2, 10, tzinfo=dt.UTC))


class ActionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionPlan

    agreement = factory.SubFactory(AgreementFactory)
    title = "Handlingsplan"
    period_start = 2019
    period_end = 2022
    status = ActionPlan.Status.DECIDED
    decided_by = "Regionstyrelsen"


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    action_plan = factory.SubFactory(ActionPlanFactory)
    title = factory.Sequence(lambda n: f"Åtgärd {n}")
    area = "Regional utveckling"


class WorkingGroupMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroupMember

    agreement = factory.SubFactory(AgreementFactory)
    name = factory.Faker("name", locale="sv_SE")
    side = WorkingGroupMember.Side.POLITICIAN
    affiliation = "(M)"
