from datetime import timedelta

import factory
from django.utils import timezone

from meetings.models import Meeting, MeetingDocument, ProgrammeItem, Registration, Speaker

__all__ = [
    "MeetingDocumentFactory",
    "MeetingFactory",
    "ProgrammeItemFactory",
    "RegistrationFactory",
    "SpeakerFactory",
]


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Dialogmöte {n}")
    slug = factory.Sequence(lambda n: f"dialogmote-{n}")
    summary = "Dialog mellan regionen och civilsamhället."
    description = "Vi pratar om samverkan."
    start = factory.LazyFunction(lambda: (timezone.now() + timedelta(days=14)).replace(microsecond=0))
    end = factory.LazyAttribute(lambda o: o.start + timedelta(hours=3))
    format = Meeting.Format.PHYSICAL
    venue_name = "Halmstad Teater"
    venue_address = "Stora Torg, Halmstad"
    capacity = 30
    status = Meeting.Status.PUBLISHED
    contact_name = "Nina Ulander"
    contact_email = "samordnare@example.se"

    @factory.post_generation
    def topics(obj, create, extracted, **kwargs):
        """``topics="Ukraina, folkhälsa"`` (or a list of names or Topics): the coordinator-kept topics."""
        if not create or not extracted:
            return
        from django.utils.text import slugify

        from meetings.models import Topic

        items = [t.strip() for t in extracted.split(",")] if isinstance(extracted, str) else list(extracted)
        for item in items:
            if isinstance(item, str):
                item, _ = Topic.objects.get_or_create(name=item, defaults={"slug": slugify(item)})
            obj.topics.add(item)

    class Params:
        digital = factory.Trait(
            format=Meeting.Format.DIGITAL,
            venue_name="",
            venue_address="",
            online_link="https://meet.example.se/hemlig-rum-4711",
        )
        past = factory.Trait(
            start=factory.LazyFunction(lambda: (timezone.now() - timedelta(days=30)).replace(microsecond=0))
        )


class ProgrammeItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeItem

    meeting = factory.SubFactory(MeetingFactory)
    order = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"Programpunkt {n}")


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    programme_item = factory.SubFactory(ProgrammeItemFactory)
    name = factory.Faker("name", locale="sv_SE")
    title = "verksamhetschef"
    organisation = "Region Västernorrland"


class MeetingDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingDocument

    meeting = factory.SubFactory(MeetingFactory)
    title = "Minnesanteckningar"
    url = "https://example.se/minnesanteckningar.pdf"


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A row as the service would store it; use meetings.services.registration_create to test rules."""

    class Meta:
        model = Registration

    meeting = factory.SubFactory(MeetingFactory)
    name = factory.Faker("name", locale="sv_SE")
    email = factory.Sequence(lambda n: f"deltagare{n}@example.se")
    organisation_name = "Föreningen Exempel"
    consent_at = factory.LazyFunction(timezone.now)
    privacy_policy_version = "2026-11"
    status = Registration.Status.CONFIRMED
