import factory
from django.utils import timezone

from challenges.models import Challenge, Participation, Update

from .organisations import OrganisationFactory

__all__ = ["ChallengeFactory", "ParticipationFactory", "UpdateFactory"]


class ChallengeFactory(factory.django.DjangoModelFactory):
    """A public (accepted, published) challenge raised by the region unless told otherwise."""

    class Meta:
        model = Challenge
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Utmaning {n}")
    slug = factory.Sequence(lambda n: f"utmaning-{n}")
    summary = "En utmaning som regionen och civilsamhället arbetar med tillsammans."
    description = "Beskrivning av utmaningen."
    raised_by = Challenge.RaisedBy.REGION
    status = Challenge.Status.ACCEPTED
    published = True
    proposed_at = factory.LazyFunction(timezone.now)
    accepted_at = factory.LazyFunction(timezone.now)

    class Params:
        proposed = factory.Trait(
            status=Challenge.Status.PROPOSED,
            published=False,
            accepted_at=None,
            raised_by=Challenge.RaisedBy.CIVIL_SOCIETY,
            raising_organisation=factory.SubFactory(OrganisationFactory),
        )

    @factory.post_generation
    def areas(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.areas.set(extracted)

    @factory.post_generation
    def municipalities(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.municipalities.set(extracted)


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    challenge = factory.SubFactory(ChallengeFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Participation.Role.TAKES_PART


class UpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Update

    challenge = factory.SubFactory(ChallengeFactory)
    date = factory.LazyFunction(timezone.localdate)
    title = factory.Sequence(lambda n: f"Lägesrapport {n}")
    text = "Arbetet går framåt."
