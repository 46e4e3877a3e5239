"""A small world with everything the API must show, and everything it must never show: drafts, unlisted
and unverified organisations, contact persons, registrations, signers, online links."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from agreements.models import Signatory
from meetings.models import Meeting, Registration
from organisations.models import Organisation
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    AgreementFactory,
    AgreementVersionFactory,
    AreaOfActivityFactory,
    ContactFactory,
    MeetingDocumentFactory,
    MeetingFactory,
    MunicipalityFactory,
    OrganisationFactory,
    ProgrammeItemFactory,
    RegistrationFactory,
    RepresentativeFactory,
    SignatoryFactory,
    SpeakerFactory,
    UserFactory,
    WorkingGroupMemberFactory,
)

ONLINE_LINK = "https://meet.example.se/hemligt-rum-4711"


@pytest.fixture
def world(db):
    sundsvall = MunicipalityFactory(name="Sundsvall", code="2281")
    harnosand = MunicipalityFactory(name="Härnösand", code="2280")
    sport, youth = AreaOfActivityFactory(name="Idrott", slug="idrott"), AreaOfActivityFactory(name="Barn", slug="barn")
    scouts = OrganisationFactory(name="Scouterna Sundsvall", municipality=sundsvall, areas=[youth])
    club = OrganisationFactory(name="Idrottsföreningen Härnösand", municipality=harnosand, areas=[sport])
    unlisted = OrganisationFactory(name="Hemliga föreningen", public_listing=False)
    submitted = OrganisationFactory(name="Ny förening", status=Organisation.Status.SUBMITTED)
    contacts = [ContactFactory(organisation=o, name=f"Kontakt Person{i}") for i, o in enumerate([scouts, club])]
    representative = UserFactory(full_name="Rita Representant", email="rita@example.se")
    RepresentativeFactory(organisation=scouts, user=representative)

    meeting = MeetingFactory(
        title="Dialogmöte 4 maj",
        slug="dialogmote-4-maj",
        format=Meeting.Format.DIGITAL,
        venue_name="",
        venue_address="",
        online_link=ONLINE_LINK,
        start=timezone.now() + dt.timedelta(days=10),
        end=timezone.now() + dt.timedelta(days=10, hours=3),
        topics="Ukraina, folkhälsa",
        contact_name="Nina Ulander",
        contact_email="nina.ulander@example.se",
        contact_phone="060-123 45 67",
        organiser="Region Västernorrland",
    )
    talk = ProgrammeItemFactory(meeting=meeting, title="Flyktingsituationen")
    SpeakerFactory(programme_item=talk, name="Anna Talare")
    MeetingDocumentFactory(meeting=meeting, title="Presentation")
    physical = MeetingFactory(title="Möte i Halmstad", slug="mote-halmstad", past=True)
    draft = MeetingFactory(title="Utkast till möte", slug="utkast", status=Meeting.Status.DRAFT)
    registrations = [
        RegistrationFactory(meeting=meeting, name="Rolf Registrerad", email="rolf@example.se", phone="070-111 22 33"),
        RegistrationFactory(meeting=physical, name="Greta Gäst", status=Registration.Status.WAITLISTED),
    ]

    agreement = AgreementFactory(title="Överenskommelsen", slug="overenskommelsen")
    AgreementVersionFactory(agreement=agreement, number=1)
    plan = ActionPlanFactory(agreement=agreement, period_start=2019, period_end=2022)
    ActionFactory(action_plan=plan, title="Gemensam upphandling")
    WorkingGroupMemberFactory(agreement=agreement, name="Politiker Ett")
    AgreementFactory(title="Utkast", slug="utkast-overenskommelse", status="draft")
    signatures = [
        SignatoryFactory(agreement=agreement, organisation=scouts, signed_on=dt.date(2014, 5, 1),
                         signed_by_name="Sigrid Undertecknare"),
        SignatoryFactory(agreement=agreement, organisation=club, signed_on=dt.date(2019, 3, 1),
                         signed_by_name="Sven Undertecknare"),
        SignatoryFactory(agreement=agreement, organisation=unlisted, signed_on=dt.date(2019, 6, 1), public=False,
                         signed_by_name="Hemlig Undertecknare"),
        SignatoryFactory(agreement=agreement, organisation=submitted, status=Signatory.Status.PENDING,
                         verified_at=None, signed_by_name="Väntande Undertecknare"),
    ]  # fmt: skip
    return SimpleNamespace(
        sundsvall=sundsvall,
        harnosand=harnosand,
        sport=sport,
        youth=youth,
        scouts=scouts,
        club=club,
        unlisted=unlisted,
        submitted=submitted,
        contacts=contacts,
        representative=representative,
        meeting=meeting,
        physical=physical,
        draft=draft,
        registrations=registrations,
        agreement=agreement,
        signatures=signatures,
    )
