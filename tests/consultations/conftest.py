import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from consultations.models import Consultation
from tests.eid_provider import eid_provider, eid_region  # noqa: F401 - the local e-ID provider (test_eid_stepup_acts.py)
from tests.factories import MandatedRepresentativeFactory, OrganisationFactory, UserFactory
from tests.factories.consultations import NOW, ConsultationFactory, SectionFactory
from tests.samples import PDF

PDF_BYTES = PDF  # a real PDF: uploads are parsed (core.uploads)


# In force on the real day and on the ``clock``'s (NOW, in 2030), whichever the fixtures build first.
WIDE_MANDATE = {"mandate__valid_from": dt.date(2020, 1, 1), "mandate__valid_to": dt.date(2099, 12, 31)}


@pytest.fixture
def clock(monkeypatch):
    """Set the time the views and services see (``django.utils.timezone.now``); move it with ``clock.set``."""

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
def other_organisation(db):
    return OrganisationFactory(name="Idrottsalliansen", slug="idrottsalliansen")


@pytest.fixture
def other_representative(other_organisation):
    user = UserFactory(email="annan@example.se", full_name="Olle Annan")
    MandatedRepresentativeFactory(user=user, organisation=other_organisation, **WIDE_MANDATE)
    return user


@pytest.fixture
def consultation(organisation, other_organisation):
    """An open consultation with three sections; both organisations are invited; deadline in 14 days."""
    consultation = ConsultationFactory(
        title="Remiss om handlingsplanen",
        slug="handlingsplanen",
        invited=[organisation, other_organisation],
        status=Consultation.Status.OPEN,
        opens_at=NOW - dt.timedelta(days=7),
        closes_at=NOW + dt.timedelta(days=14),
    )
    for order, heading in enumerate(["Syfte", "Upphandling", "Uppföljning"], start=1):
        SectionFactory(consultation=consultation, order=order, heading=heading, text=f"Utkastet om {heading.lower()}.")
    return consultation


@pytest.fixture
def pdf_upload():
    return SimpleUploadedFile("svar.pdf", PDF_BYTES, content_type="application/pdf")
