"""Organisation admin actions: the numbers in their messages describe what was selected, whatever the filter."""

import pytest
from django.urls import reverse

from organisations.models import Organisation, Representative
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:organisations_organisation_changelist")


def _messages(response):
    return [str(message) for message in response.context["messages"]]


def test_verify_from_the_submitted_filter_still_reports_the_unlisted(coordinator_client):
    # Counted after verifying, the filtered queryset ("status: submitted") held none of them any more.
    unlisted = OrganisationFactory(status=Organisation.Status.SUBMITTED, public_listing=False)
    listed = OrganisationFactory(status=Organisation.Status.SUBMITTED, public_listing=True)
    response = coordinator_client.post(
        f"{CHANGELIST}?status__exact=submitted",
        {"action": "verify", "_selected_action": [unlisted.pk, listed.pk]},
        follow=True,
    )
    messages = _messages(response)
    assert messages[0] == "2 organisationer verifierades."
    assert messages[1].startswith("1 av dem visas inte i den öppna förteckningen")


def test_representative_is_linked_on_the_organisation_page_without_script(coordinator_client):
    # The organisation's own change page, posted as a browser without JavaScript posts it: the inline
    # takes the e-mail address of the person's account (no autocomplete select that stays empty).
    organisation = OrganisationFactory(name="Timrå Fältbiologer", slug="timra-faltbiologer")
    user = UserFactory(email="kim@example.se")
    url = reverse("admin:organisations_organisation_change", args=[organisation.pk])
    page = coordinator_client.get(url).content.decode()
    assert 'name="representative_links-0-user_email"' in page
    assert "admin-autocomplete" not in page
    data = {
        "name": organisation.name,
        "slug": organisation.slug,
        "organisation_number": organisation.organisation_number,
        "legal_form": organisation.legal_form,
        "website": "",
        "description": "",
        "public_listing": "on",
        "status": organisation.status,
        "contacts-TOTAL_FORMS": 0,
        "contacts-INITIAL_FORMS": 0,
        "representative_links-TOTAL_FORMS": 1,
        "representative_links-INITIAL_FORMS": 0,
        "representative_links-0-user_email": "KIM@example.se",
        "interest_submissions-TOTAL_FORMS": 0,
        "interest_submissions-INITIAL_FORMS": 0,
    }
    response = coordinator_client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    assert Representative.objects.get(organisation=organisation).user == user


def test_export_page_names_the_organisation_fields_in_swedish(coordinator_client):
    html = coordinator_client.get(reverse("admin:organisations_organisation_export")).content.decode()
    label = html.split('for="id_organisationresource_organisation_number"', 1)[1].split("</label>", 1)[0]
    # The file's header stays the importable machine name; the coordinator reads the Swedish name first.
    assert "Organisationsnummer (organisation_number)" in label
    assert "Organisation Number" not in html
