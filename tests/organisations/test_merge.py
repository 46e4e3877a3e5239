import pytest
from django.core.exceptions import ValidationError

from organisations import services
from organisations.models import Contact, InterestSubmission, Organisation, Representative
from tests.factories import (
    AreaOfActivityFactory,
    ContactFactory,
    InterestSubmissionFactory,
    OrganisationFactory,
    RepresentativeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_merge_moves_contacts_and_submissions_and_deletes_the_duplicate():
    keep = OrganisationFactory()
    duplicate = OrganisationFactory()
    ContactFactory(organisation=duplicate)
    InterestSubmissionFactory(organisation=duplicate)
    services.organisation_merge(keep=keep, duplicates=[duplicate])
    assert not Organisation.objects.filter(pk=duplicate.pk).exists()
    assert Contact.objects.filter(organisation=keep).count() == 2
    assert InterestSubmission.objects.get().organisation == keep
    assert InterestSubmission.objects.get().contact.organisation == keep


def test_merge_keeps_one_representative_link_when_both_have_the_same_user():
    user = UserFactory()
    keep = OrganisationFactory()
    duplicate = OrganisationFactory()
    RepresentativeFactory(organisation=keep, user=user)
    RepresentativeFactory(organisation=duplicate, user=user)
    other = RepresentativeFactory(organisation=duplicate)
    services.organisation_merge(keep=keep, duplicates=[duplicate])
    assert set(Representative.objects.values_list("organisation_id", "user_id")) == {
        (keep.pk, user.pk),
        (keep.pk, other.user_id),
    }


def test_merge_combines_areas_and_fills_empty_fields_from_the_duplicate():
    a, b = AreaOfActivityFactory(), AreaOfActivityFactory()
    keep = OrganisationFactory(organisation_number="", website="", areas=[a])
    duplicate = OrganisationFactory(organisation_number="802002-4280", website="https://example.se", areas=[b])
    services.organisation_merge(keep=keep, duplicates=[duplicate])
    keep.refresh_from_db()
    assert keep.organisation_number == "802002-4280"
    assert keep.website == "https://example.se"
    assert set(keep.areas.all()) == {a, b}


def test_merge_of_several_duplicates_at_once():
    keep = OrganisationFactory()
    duplicates = OrganisationFactory.create_batch(3)
    for d in duplicates:
        ContactFactory(organisation=d)
    services.organisation_merge(keep=keep, duplicates=duplicates)
    assert Organisation.objects.count() == 1
    assert keep.contacts.count() == 3


def test_merge_without_another_organisation_is_refused():
    keep = OrganisationFactory()
    with pytest.raises(ValidationError):
        services.organisation_merge(keep=keep, duplicates=[keep])


def test_merge_moves_rows_of_every_reverse_relation():
    """Every model of every app that points at Organisation is reached (no row is lost by cascade)."""
    keep = OrganisationFactory()
    duplicate = OrganisationFactory()
    ContactFactory(organisation=duplicate)
    InterestSubmissionFactory(organisation=duplicate)
    RepresentativeFactory(organisation=duplicate)
    before = {
        rel.related_model: rel.related_model._base_manager.count()
        for rel in Organisation._meta.related_objects
        if not rel.many_to_many
    }
    services.organisation_merge(keep=keep, duplicates=[duplicate])
    after = {model: model._base_manager.count() for model in before}
    assert before == after


def test_merge_moves_meeting_registrations_and_agreement_signatures():
    from tests.factories import AgreementFactory, RegistrationFactory, SignatoryFactory

    keep, duplicate = OrganisationFactory(), OrganisationFactory()
    registration = RegistrationFactory(organisation=duplicate)
    signature = SignatoryFactory(organisation=duplicate)
    services.organisation_merge(keep=keep, duplicates=[duplicate])
    registration.refresh_from_db()
    signature.refresh_from_db()
    assert registration.organisation == keep
    assert signature.organisation == keep
    assert signature.history.filter(organisation_id=duplicate.pk).count() == 0
    assert AgreementFactory._meta.model.objects.count() == 1


def test_merge_drops_the_duplicates_signature_when_both_signed_the_same_agreement():
    from tests.factories import AgreementFactory, SignatoryFactory

    agreement = AgreementFactory()
    keep, duplicate = OrganisationFactory(), OrganisationFactory()
    kept = SignatoryFactory(agreement=agreement, organisation=keep)
    SignatoryFactory(agreement=agreement, organisation=duplicate)
    services.organisation_merge(keep=keep, duplicates=[duplicate])
    assert list(agreement.signatories.values_list("pk", flat=True)) == [kept.pk]
