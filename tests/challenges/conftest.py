import pytest

from tests.factories import OrganisationFactory, RepresentativeFactory, UserFactory


@pytest.fixture
def representative(db):
    """A person who represents one verified organisation."""
    user = UserFactory(email="rut@example.se", full_name="Rut Representant")
    organisation = OrganisationFactory(name="Röda Korsets regionråd", slug="roda-korset")
    RepresentativeFactory(user=user, organisation=organisation)
    user.organisation = organisation
    return user


@pytest.fixture
def other_representative(db):
    user = UserFactory(email="olle@example.se", full_name="Olle Ombud", language="en")
    organisation = OrganisationFactory(name="Möckelnföreningarna", slug="mockeln")
    RepresentativeFactory(user=user, organisation=organisation)
    user.organisation = organisation
    return user
