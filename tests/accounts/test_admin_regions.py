"""The User admin per region: users are global, but a region's coordinator sees only the people who have
something in that region (its coordinators, the representatives of its organisations); superusers see all."""

import pytest

from core.models import RegionalModel
from core.permissions import ensure_coordinator_group
from core.regions import region_scope
from organisations.models import Representative
from tests.factories import RepresentativeFactory, UserFactory

pytestmark = pytest.mark.django_db

HALLAND = "halland.testserver"
USERS = "/admin/accounts/user/"


@pytest.fixture
def halland_coordinator(other_region):
    user = UserFactory(is_staff=True, email="samordnare@halland.example.se")
    user.groups.add(ensure_coordinator_group())
    other_region.coordinators.add(user)
    return user


def listed(client, host="testserver") -> str:
    response = client.get(USERS, HTTP_HOST=host)
    assert response.status_code == 200
    return response.content.decode()


def test_a_coordinator_sees_the_coordinators_and_representatives_of_the_hosts_region_only(
    client, coordinator, halland_coordinator
):
    representative = RepresentativeFactory(user__email="ordforande@forening.example.se").user
    nobody = UserFactory(email="bara-konto@example.se")
    client.force_login(coordinator)
    page = listed(client)
    assert coordinator.email in page and representative.email in page
    assert halland_coordinator.email not in page and nobody.email not in page

    client.force_login(halland_coordinator)
    page = listed(client, HALLAND)
    assert halland_coordinator.email in page
    assert coordinator.email not in page and nobody.email not in page


def test_a_coordinator_cannot_open_a_user_of_another_region_by_its_id(client, coordinator, halland_coordinator):
    client.force_login(halland_coordinator)
    response = client.get(f"{USERS}{coordinator.pk}/change/", HTTP_HOST=HALLAND)
    assert response.status_code == 404  # as for any id that names nothing here (core/admin_input.py)
    assert coordinator.email not in response.content.decode()
    assert client.get(f"{USERS}{halland_coordinator.pk}/change/", HTTP_HOST=HALLAND).status_code == 200


def test_a_superuser_sees_every_user(client, coordinator, halland_coordinator):
    nobody = UserFactory(email="bara-konto@example.se")
    client.force_login(UserFactory(is_staff=True, is_superuser=True, email="drift@example.se"))
    page = listed(client, HALLAND)
    assert all(user.email in page for user in (coordinator, halland_coordinator, nobody))


@pytest.mark.skipif(
    not issubclass(Representative, RegionalModel), reason="organisations.Representative is not regional yet"
)
def test_a_representative_in_another_region_is_not_listed(client, coordinator, other_region):
    with region_scope(other_region):
        elsewhere = RepresentativeFactory(user__email="halland@forening.example.se").user
    client.force_login(coordinator)
    assert elsewhere.email not in listed(client)


def test_a_staff_only_view_refuses_staff_of_another_region(rf, coordinator, halland_coordinator, other_region):
    from django.core.exceptions import PermissionDenied
    from django.http import HttpResponse

    from accounts.decorators import staff_required

    view = staff_required(lambda request: HttpResponse("signatories"))
    request = rf.get("/overenskommelser/undertecknare/")
    request.user = coordinator
    assert view(request).content == b"signatories"
    request.user = halland_coordinator
    with pytest.raises(PermissionDenied):
        view(request)
    with region_scope(other_region):
        assert view(request).content == b"signatories"


def test_coordinators_are_notified_only_of_their_own_regions_matters(coordinator, halland_coordinator, other_region):
    from core.permissions import coordinator_emails

    assert coordinator_emails() == [coordinator.email]
    with region_scope(other_region):
        assert coordinator_emails() == [halland_coordinator.email]
