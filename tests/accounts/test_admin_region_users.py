"""A link to an account in the admin offers the people of the host's region (accounts/admin.py
``region_users``): the choice was every account of the installation, and a posted id showed that person's
name and address back on the form, whoever and wherever they were."""

import pytest
from django.urls import reverse

from challenges.models import EmailPreference
from core.regions import region_scope
from tests.factories import MeetingFactory, RegistrationFactory, RepresentativeFactory, UserFactory

pytestmark = pytest.mark.django_db

ADD = "admin:challenges_emailpreference_add"


def test_an_account_outside_the_region_cannot_be_chosen_or_read_back(coordinator_client, other_region):
    outsider = UserFactory(email="utomstaende@example.se", full_name="Ulla Utomstående")
    with region_scope(other_region):
        elsewhere = RepresentativeFactory(user__email="halland@example.se", user__full_name="Hanna Halland").user
    for person in (outsider, elsewhere):
        response = coordinator_client.post(reverse(ADD), {"user": person.pk, "updates": "on"})
        page = response.content.decode()
        assert response.status_code == 200 and response.context["adminform"].form.errors
        assert person.email not in page and person.full_name not in page
    assert not EmailPreference.objects.exists()


def test_the_regions_people_can_be_chosen(coordinator_client):
    representative = RepresentativeFactory(user__email="foretradare@example.se").user
    assert coordinator_client.post(reverse(ADD), {"user": representative.pk, "updates": "on"}).status_code == 302
    assert EmailPreference.objects.get().user == representative


def test_a_registrations_account_is_shown_not_chosen(coordinator_client):
    registration = RegistrationFactory(meeting=MeetingFactory(), user=UserFactory(email="anmald@example.se"))
    page = coordinator_client.get(reverse("admin:meetings_registration_change", args=[registration.pk]))
    assert page.status_code == 200
    assert 'name="user"' not in page.content.decode()
