"""What the public side gives away: nothing about organisations that are not public, and a
typed organisation number makes nobody a confirmed contact without a coordinator's review."""

import pytest
from django.urls import reverse

from organisations import services
from organisations.models import Contact, Organisation
from tests.factories import ContactFactory, OrganisationFactory, RepresentativeFactory, UserFactory

pytestmark = pytest.mark.django_db

INTEREST = "/organisationer/anmal-intresse/"


def _interest(**overrides):
    data = {
        "organisation_name": "Min egen förening",
        "organisation_number": "802002-4280",
        "legal_form": "ideell_forening",
        "contact_name": "Ulf Utomstående",
        "contact_email": "ulf@example.se",
        "contact_role": "contact",
        "wants_dialogue_meetings": "on",
        "consent": "on",
    }
    data.update(overrides)
    return data


def _hidden_organisation(**kwargs):
    return OrganisationFactory(
        name="Den hemliga stiftelsen",
        organisation_number="802002-4280",
        status=Organisation.Status.SUBMITTED,
        public_listing=False,
        **kwargs,
    )


def test_anonymous_edit_of_hidden_and_unknown_organisations_answer_alike(client):
    hidden = _hidden_organisation()
    hidden_response = client.get(reverse("organisations:edit", args=[hidden.slug]))
    unknown_response = client.get(reverse("organisations:edit", args=["finns-inte"]))
    assert hidden_response.status_code == unknown_response.status_code == 302
    assert reverse("account_login") in unknown_response["Location"]


def test_logged_in_edit_of_hidden_and_unknown_organisations_answer_alike(client):
    hidden = _hidden_organisation()
    client.force_login(UserFactory())
    assert client.get(reverse("organisations:edit", args=[hidden.slug])).status_code == 404
    assert client.get(reverse("organisations:edit", args=["finns-inte"])).status_code == 404


def test_representative_of_a_hidden_organisation_may_still_edit_it(client):
    link = RepresentativeFactory(organisation=_hidden_organisation())
    client.force_login(link.user)
    assert client.get(reverse("organisations:edit", args=[link.organisation.slug])).status_code == 200


def test_thanks_page_never_names_a_non_public_organisation_found_by_number(client, run_on_commit, mailoutbox):
    _hidden_organisation()
    with run_on_commit():
        response = client.post(INTEREST, _interest())
    assert response.status_code == 302
    thanks = client.get(response["Location"]).content.decode()
    assert "Den hemliga stiftelsen" not in thanks
    assert "Min egen förening" in thanks
    # Nor does the confirmation to the address that was typed.
    confirmation = next(m for m in mailoutbox if m.to == ["ulf@example.se"])
    assert "Den hemliga stiftelsen" not in confirmation.body
    assert all("Den hemliga stiftelsen" not in body for body, _type in confirmation.alternatives)


def test_a_new_contact_of_an_existing_organisation_awaits_confirmation(client):
    organisation = _hidden_organisation()
    client.post(INTEREST, _interest())
    contact = organisation.contacts.get(email="ulf@example.se")
    assert contact.confirmed is False


def test_the_contact_who_registers_a_new_organisation_is_confirmed(client):
    client.post(INTEREST, _interest(organisation_number="", organisation_name="Helt ny förening"))
    contact = Contact.objects.get(email="ulf@example.se")
    assert contact.organisation.name == "Helt ny förening"
    assert contact.confirmed is True


def test_a_known_contact_stays_as_it_is(client):
    organisation = _hidden_organisation()
    known = ContactFactory(organisation=organisation, email="ulf@example.se", confirmed=True)
    client.post(INTEREST, _interest(contact_email="ULF@example.se"))
    assert organisation.contacts.get() == known
    known.refresh_from_db()
    assert known.confirmed is True


def test_contact_confirm_service_confirms_and_counts():
    organisation = _hidden_organisation()
    pending = ContactFactory.create_batch(2, organisation=organisation, confirmed=False)
    ContactFactory(organisation=organisation, confirmed=True)
    count = services.contacts_confirm(contacts=Contact.objects.filter(organisation=organisation))
    assert count == 2
    assert all(Contact.objects.get(pk=c.pk).confirmed for c in pending)


def test_coordinator_confirms_contacts_with_the_admin_action(client, coordinator):
    organisation = _hidden_organisation()
    pending = ContactFactory(organisation=organisation, confirmed=False, name="Väntande Person")
    client.force_login(coordinator)
    changelist = reverse("admin:organisations_contact_changelist")
    listed = client.get(changelist, {"confirmed__exact": "0"}).content.decode()
    assert "Väntande Person" in listed
    assert "Bekräfta kontakt" in listed
    response = client.post(changelist, {"action": "confirm_contacts", "_selected_action": [pending.pk]}, follow=True)
    assert response.status_code == 200
    pending.refresh_from_db()
    assert pending.confirmed is True
    assert "1 kontaktperson bekräftades" in response.content.decode()


def test_coordinators_are_told_to_confirm_a_new_contact_of_a_known_organisation(
    client, coordinator, run_on_commit, mailoutbox
):
    organisation = _hidden_organisation()
    with run_on_commit():
        client.post(INTEREST, _interest())
    notification = next(m for m in mailoutbox if m.to == [coordinator.email])
    assert "obekräftad kontaktperson" in notification.body
    assert f"confirmed__exact=0&organisation__id__exact={organisation.pk}" in notification.body
    client.force_login(coordinator)
    listed = client.get(
        reverse("admin:organisations_contact_changelist"),
        {"confirmed__exact": "0", "organisation__id__exact": organisation.pk},
    )
    assert listed.status_code == 200
    assert "Ulf Utomstående" in listed.content.decode()
