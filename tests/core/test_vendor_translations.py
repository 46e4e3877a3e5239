"""The coordinators' import and history pages are Swedish (locale_vendor/: texts makemessages never extracts)."""

import pytest
from django.urls import reverse

from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_import_page_is_swedish(coordinator_client):
    body = coordinator_client.get(reverse("admin:organisations_organisation_import")).content.decode()
    assert "This importer will import" not in body
    assert "Följande fält importeras" in body


def test_history_page_is_swedish(coordinator_client):
    organisation = OrganisationFactory()
    body = coordinator_client.get(
        reverse("admin:organisations_organisation_history", args=[organisation.pk])
    ).content.decode()
    assert "Change history" not in body
