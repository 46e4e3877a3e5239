"""Coordinators and organisations: the verification e-mail, the duplicate warning, representatives without script."""

import pytest
from django.core import mail
from django.urls import reverse

from organisations import services
from organisations.models import Organisation, Representative
from tests.factories import (
    AreaOfActivityFactory,
    ContactFactory,
    InterestSubmissionFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_verifying_tells_the_confirmed_contact_with_the_link_to_the_page(coordinator_client, run_on_commit):
    organisation = OrganisationFactory(name="Röda Korset Sundsvall", status=Organisation.Status.SUBMITTED)
    ContactFactory(organisation=organisation, email="kontakt@rodakorset.example", confirmed=True)
    ContactFactory(organisation=organisation, email="okand@example.se", confirmed=False)
    with run_on_commit():
        coordinator_client.post(
            reverse("admin:organisations_organisation_changelist"),
            {"action": "verify", "_selected_action": [organisation.pk], "confirm": "yes"},
        )
    assert [m.to for m in mail.outbox] == [["kontakt@rodakorset.example"]]
    message = mail.outbox[0]
    assert "Röda Korset Sundsvall är nu verifierad" in message.subject
    assert f"/organisationer/{organisation.slug}/" in message.body
    # Verified again: no second e-mail.
    with run_on_commit():
        services.organisation_verify(organisation=organisation, by=None)
    assert len(mail.outbox) == 1


def test_verification_e_mail_in_the_contacts_language_and_says_when_unlisted(run_on_commit):
    organisation = OrganisationFactory(status=Organisation.Status.SUBMITTED, public_listing=False)
    contact = ContactFactory(organisation=organisation, confirmed=True)
    InterestSubmissionFactory(organisation=organisation, contact=contact, language="en")
    with run_on_commit():
        services.organisation_verify(organisation=organisation, by=None)
    message = mail.outbox[-1]
    assert "is now verified" in message.subject
    assert "not shown in the public directory" in message.body


def _add(client, **data):
    base = {
        "slug": "",
        "organisation_number": "",
        "legal_form": "ideell_forening",
        "status": "submitted",
        "contacts-TOTAL_FORMS": 0,
        "contacts-INITIAL_FORMS": 0,
        "representative_links-TOTAL_FORMS": 0,
        "representative_links-INITIAL_FORMS": 0,
        "interest_submissions-TOTAL_FORMS": 0,
        "interest_submissions-INITIAL_FORMS": 0,
    }
    return client.post(reverse("admin:organisations_organisation_add"), {**base, **data})


def test_adding_an_organisation_like_a_known_one_warns_until_confirmed(coordinator_client):
    known = OrganisationFactory(name="Röda Korset, Sundsvall", organisation_number="802002-4280")
    response = _add(coordinator_client, name="Roda korset Sundsvall", slug="rk")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Det finns redan en organisation med liknande namn eller nummer" in html
    assert reverse("admin:organisations_organisation_change", args=[known.pk]) in html
    assert 'value="Roda korset Sundsvall"' in html  # what was typed is kept
    # A number one digit off is caught too.
    assert (
        _add(coordinator_client, name="Helt annat namn", slug="ha", organisation_number="802002-4281").status_code
        == 200
    )
    # Ticked: created.
    response = _add(coordinator_client, name="Roda korset Sundsvall", slug="rk", not_a_duplicate="on")
    assert response.status_code == 302
    assert Organisation.objects.count() == 2


def test_an_unrelated_name_is_added_without_a_warning(coordinator_client):
    OrganisationFactory(name="Sundsvalls Schackklubb")
    assert _add(coordinator_client, name="Timrå Fältbiologer", slug="tf").status_code == 302


def test_representative_is_added_by_the_e_mail_of_their_account(coordinator_client):
    organisation = OrganisationFactory()
    user = UserFactory(email="Anna@Example.se")
    url = reverse("admin:organisations_representative_add")
    missing = coordinator_client.post(url, {"organisation": organisation.pk, "user_email": "nobody@example.se"})
    assert missing.status_code == 200
    assert "Inget användarkonto har adressen nobody@example.se" in missing.content.decode()
    response = coordinator_client.post(url, {"organisation": organisation.pk, "user_email": "anna@example.se"})
    assert response.status_code == 302
    assert Representative.objects.get().user == user
    again = coordinator_client.post(url, {"organisation": organisation.pk, "user_email": "anna@example.se"})
    assert "företräder redan organisationen" in again.content.decode()


def test_organisation_form_has_areas_as_checkboxes_and_no_script_only_fields(coordinator_client):
    AreaOfActivityFactory(name="Kultur", slug="kultur")
    html = coordinator_client.get(reverse("admin:organisations_organisation_add")).content.decode()
    assert 'type="checkbox" name="areas"' in html
    assert "selectfilter" not in html.lower()
    assert 'name="representative_links-0-user_email"' in html
