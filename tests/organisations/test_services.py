import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from organisations import services
from organisations.models import Contact, InterestSubmission, Organisation
from outbox.models import OutgoingEmail
from tests.factories import (
    AreaOfActivityFactory,
    ContactFactory,
    MunicipalityFactory,
    OrganisationFactory,
    RepresentativeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def submit(**overrides):
    data = {
        "organisation_name": "Röda Korsets regionråd Västernorrland",
        "organisation_number": "802002-4280",
        "contact_name": "Ingrid Flodin",
        "contact_email": "ingrid@example.se",
        "wants_dialogue_meetings": True,
        "consent": True,
        "language": "sv",
    }
    data.update(overrides)
    return services.interest_submit(**data)


def test_interest_creates_submitted_organisation_with_contact_and_submission(settings):
    area = AreaOfActivityFactory()
    municipality = MunicipalityFactory(name="Sundsvall")
    submission = submit(municipality=municipality, areas=[area], wants_public_listing=True)
    organisation = submission.organisation
    assert organisation.status == Organisation.Status.SUBMITTED
    assert organisation.organisation_number == "802002-4280"
    assert organisation.municipality == municipality
    assert list(organisation.areas.all()) == [area]
    assert organisation.public_listing is True
    assert submission.contact.email == "ingrid@example.se"
    assert submission.consent_policy_version == settings.PRIVACY_POLICY_VERSION


def test_same_number_twice_leaves_one_organisation_with_two_submissions():
    submit()
    submit(organisation_number="16802002 4280", contact_email="annan@example.se", organisation_name="RK regionrådet")
    assert Organisation.objects.count() == 1
    assert InterestSubmission.objects.count() == 2
    assert Organisation.objects.get().contacts.count() == 2


def test_known_number_does_not_change_the_registered_organisation():
    organisation = OrganisationFactory(name="Registrerat namn", organisation_number="802002-4280", public_listing=False)
    submission = submit(organisation_name="Annat namn", wants_public_listing=True)
    organisation.refresh_from_db()
    assert submission.organisation == organisation
    assert organisation.name == "Registrerat namn"
    assert organisation.public_listing is False
    assert submission.submitted_organisation_name == "Annat namn"


def test_without_number_an_organisation_with_the_same_name_is_linked_case_insensitively():
    network = OrganisationFactory(name="Nätverket Ukrainahjälpen", organisation_number="")
    submission = submit(organisation_name="nätverket ukrainahjälpen", organisation_number="")
    assert submission.organisation == network
    assert Organisation.objects.count() == 1


def test_same_contact_email_reuses_the_contact():
    submit()
    submit(contact_name="Ingrid F.")
    assert Contact.objects.count() == 1


def test_interest_without_consent_is_refused():
    with pytest.raises(ValidationError):
        submit(consent=False)
    assert Organisation.objects.count() == 0


def test_interest_with_wrong_check_digit_is_refused_and_nothing_is_stored():
    with pytest.raises(ValidationError):
        submit(organisation_number="802002-4281")
    assert Organisation.objects.count() == 0


def test_interest_mails_sender_in_their_language_and_coordinators_with_admin_link(
    coordinator, run_on_commit, mailoutbox
):
    with run_on_commit():
        submission = submit(language="en")
    to_sender = OutgoingEmail.objects.get(to="ingrid@example.se")
    to_coordinator = OutgoingEmail.objects.get(to=coordinator.email)
    assert to_sender.language == "en"
    assert "We have received the interest" in to_sender.subject
    assert f"/admin/organisations/organisation/{submission.organisation.pk}/change/" in to_coordinator.body_text
    assert to_coordinator.reply_to == "ingrid@example.se"
    assert sorted(m.to[0] for m in mailoutbox) == sorted([coordinator.email, "ingrid@example.se"])


def test_swedish_sender_gets_swedish_confirmation(run_on_commit):
    submit(language="sv")
    assert "Vi har tagit emot" in OutgoingEmail.objects.get(to="ingrid@example.se").subject


def test_verify_records_who_and_when(coordinator):
    organisation = OrganisationFactory(status=Organisation.Status.SUBMITTED)
    services.organisation_verify(organisation=organisation, by=coordinator)
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.VERIFIED
    assert organisation.verified_by == coordinator
    assert organisation.verified_at is not None


def test_mark_inactive_takes_organisation_out_of_the_directory():
    organisation = OrganisationFactory()
    services.organisation_mark_inactive(organisation=organisation)
    assert not Organisation.objects.public().filter(pk=organisation.pk).exists()


def test_profile_update_by_someone_else_is_denied():
    organisation = OrganisationFactory()
    with pytest.raises(PermissionDenied):
        services.organisation_profile_update(
            organisation=organisation,
            user=UserFactory(),
            description="x",
            website="",
            areas=[],
            municipality=None,
            public_listing=True,
        )


def test_profile_update_by_representative_saves_profile():
    link = RepresentativeFactory()
    area = AreaOfActivityFactory()
    services.organisation_profile_update(
        organisation=link.organisation,
        user=link.user,
        description="Ny beskrivning",
        website="https://example.se",
        areas=[area],
        municipality=None,
        public_listing=False,
    )
    link.organisation.refresh_from_db()
    assert link.organisation.description == "Ny beskrivning"
    assert list(link.organisation.areas.all()) == [area]
    assert link.organisation.public_listing is False


def test_slug_never_takes_a_reserved_path_or_an_existing_slug():
    OrganisationFactory(slug="roda-korset")
    assert services.organisation_slug_unique("Röda Korset") == "roda-korset-2"
    assert services.organisation_slug_unique("Anmäl intresse") == "anmal-intresse-2"


def test_verify_preview_counts_the_confirmed_contacts_verifying_then_mails():
    organisation = OrganisationFactory(status=Organisation.Status.SUBMITTED)
    ContactFactory(organisation=organisation, confirmed=True)
    ContactFactory(organisation=organisation, confirmed=True)
    ContactFactory(organisation=organisation, confirmed=False)
    preview = services.organisation_verify_preview(organisation=organisation)
    assert preview.possible and preview.recipients == 2
    before = OutgoingEmail.objects.count()
    services.organisation_verify(organisation=organisation, by=None)
    assert OutgoingEmail.objects.count() - before == preview.recipients
    organisation.refresh_from_db()
    assert services.organisation_verify_preview(organisation=organisation).problems == [
        "Organisationen är redan verifierad."
    ]
