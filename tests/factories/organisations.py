import datetime as dt

import factory
from django.utils import timezone
from stdnum import luhn

from organisations.models import (
    AreaOfActivity,
    Contact,
    InterestSubmission,
    Mandate,
    Municipality,
    Organisation,
    Representative,
)

__all__ = [
    "AreaOfActivityFactory",
    "ContactFactory",
    "InterestSubmissionFactory",
    "MandateFactory",
    "MandatedRepresentativeFactory",
    "give_mandate",
    "MunicipalityFactory",
    "OrganisationFactory",
    "RepresentativeFactory",
    "valid_orgnr",
]


def valid_orgnr(n: int) -> str:
    """A valid association number (group 8) with a correct check digit, unique per n."""
    base = f"80{2000 + n % 8000:04d}{n // 8000 % 1000:03d}"
    return f"{base[:6]}-{base[6:]}{luhn.calc_check_digit(base)}"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ["name"]  # looked up in the region in force (the manager is scoped)

    name = factory.Sequence(lambda n: f"Kommun {n}")
    county = "Västernorrland"


class AreaOfActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AreaOfActivity
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Område {n}")
    slug = factory.Sequence(lambda n: f"omrade-{n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Föreningen {n}")
    slug = factory.Sequence(lambda n: f"foreningen-{n}")
    organisation_number = factory.Sequence(valid_orgnr)
    legal_form = Organisation.LegalForm.NON_PROFIT_ASSOCIATION
    municipality = factory.SubFactory(MunicipalityFactory)
    description = "En förening i regionen."
    public_listing = True
    status = Organisation.Status.VERIFIED

    @factory.post_generation
    def areas(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.areas.set(extracted)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Faker("name", locale="sv_SE")
    email = factory.Sequence(lambda n: f"kontakt{n}@example.se")
    phone = "070-123 45 67"


class RepresentativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Representative

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory("tests.factories.accounts.UserFactory")


class InterestSubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InterestSubmission

    organisation = factory.SubFactory(OrganisationFactory, status=Organisation.Status.SUBMITTED, public_listing=False)
    contact = factory.SubFactory(ContactFactory, organisation=factory.SelfAttribute("..organisation"))
    submitted_organisation_name = factory.SelfAttribute("organisation.name")
    wants_dialogue_meetings = True
    consent = True
    consent_policy_version = "2026-11"
    language = "sv"


class MandateFactory(factory.django.DjangoModelFactory):
    """A verified board-appointed mandate in force for a year; pass ``status``/``kind``/dates to vary it."""

    class Meta:
        model = Mandate

    representative = factory.SubFactory(RepresentativeFactory)
    kind = Mandate.Kind.BOARD
    status = Mandate.Status.VERIFIED
    valid_from = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
    valid_to = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=365))
    verification_note = "Protokoll från styrelsemöte granskat."
    verified_at = factory.LazyFunction(timezone.now)


class MandatedRepresentativeFactory(RepresentativeFactory):
    """A representative who holds a verified mandate in force (``MandateFactory``): who may sign, cast the
    organisation's ballot and submit its answer (``organisations.representation.ACTS``)."""

    mandate = factory.RelatedFactory(MandateFactory, factory_related_name="representative")

    class Meta:
        skip_postgeneration_save = True


def give_mandate(user, organisation, **fields) -> Mandate:
    """A verified mandate in force for ``user`` of ``organisation`` (linking them first when they are not)."""
    link, _created = Representative.objects.get_or_create(user=user, organisation=organisation)
    return MandateFactory(representative=link, **fields)
