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
        {"action": "verify", "_selected_action": [unlisted.pk, listed.pk], "confirm": "yes"},
        follow=True,
    )
    assert sorted(_messages(response)) == sorted(
        [
            f"{unlisted}: verifierad; visas inte i den offentliga katalogen: den har inte godkänt att listas.",
            f"{listed}: verifierad; dess kontaktpersoner har fått besked.",
        ]
    )


def test_verifying_the_organisations_of_submissions_asks_first_and_confirms_on_the_organisations(
    coordinator_client, run_on_commit
):
    from django.core import mail

    from tests.factories import ContactFactory, InterestSubmissionFactory

    submission = InterestSubmissionFactory(contact__email="ny@example.se", contact__confirmed=True)
    organisation = submission.organisation
    ContactFactory(organisation=organisation, email="okand@example.se", confirmed=False)
    done = InterestSubmissionFactory(organisation=OrganisationFactory(status=Organisation.Status.VERIFIED))
    with run_on_commit():
        page = coordinator_client.post(
            reverse("admin:organisations_interestsubmission_changelist"),
            {"action": "verify_organisations", "_selected_action": [submission.pk, done.pk]},
        )
    html = page.content.decode()
    assert "Organisationen är redan verifierad." in html
    assert "Totalt skickas 1 e-postmeddelande." in html
    # The confirmation carries the organisations to their own list's "verify" action.
    assert f'action="{CHANGELIST}"' in html
    assert 'name="action" value="verify"' in html
    assert f'name="_selected_action" value="{organisation.pk}"' in html
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.SUBMITTED
    assert mail.outbox == []
    with run_on_commit():
        coordinator_client.post(
            CHANGELIST,
            {"action": "verify", "_selected_action": [organisation.pk, done.organisation.pk], "confirm": "yes"},
        )
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.VERIFIED
    assert [m.to for m in mail.outbox] == [["ny@example.se"]]


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
