import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.eid_provider import eid_provider, eid_region  # noqa: F401 - the local e-ID provider (test_eid_stepup_acts.py)
from tests.factories import AgreementFactory, MandatedRepresentativeFactory, OrganisationFactory, UserFactory
from tests.samples import PDF

PDF_BYTES = PDF  # a real PDF: uploads are parsed (core.uploads)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Users are created in most tests here; the real hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def agreement(db):
    return AgreementFactory(title="Överenskommelse om samverkan", slug="samverkan")


@pytest.fixture
def representative(db):
    """A user who represents one verified organisation, with a verified mandate to sign for it."""
    user = UserFactory(email="representant@example.se", full_name="Rita Representant")
    MandatedRepresentativeFactory(user=user, organisation=OrganisationFactory(name="Föreningen Gemenskap"))
    return user


@pytest.fixture
def organisation(representative):
    return representative.organisations.get()


@pytest.fixture
def pdf_upload():
    return SimpleUploadedFile("styrelsebeslut.pdf", PDF_BYTES, content_type="application/pdf")
