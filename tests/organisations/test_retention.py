from datetime import timedelta

import pytest
from django.utils import timezone

from organisations import retention
from organisations.models import Contact, InterestSubmission, Organisation
from tests.factories import InterestSubmissionFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _age(submission, days):
    then = timezone.now() - timedelta(days=days)
    Organisation.objects.filter(pk=submission.organisation_id).update(created_at=then)
    InterestSubmission.objects.filter(pk=submission.pk).update(created_at=then)


def test_unverified_submission_older_than_a_year_is_purged_with_its_contact():
    old = InterestSubmissionFactory()
    _age(old, 400)
    result = retention.purge(now=timezone.now())
    assert result["unverified_organisations_deleted"] == 1
    assert not Organisation.objects.exists()
    assert not Contact.objects.exists()


def test_recent_or_verified_organisations_are_kept():
    recent = InterestSubmissionFactory()
    verified = InterestSubmissionFactory(organisation=OrganisationFactory(status=Organisation.Status.VERIFIED))
    _age(verified, 400)
    retention.purge(now=timezone.now())
    assert set(InterestSubmission.objects.values_list("pk", flat=True)) == {recent.pk, verified.pk}


def test_organisation_with_a_new_submission_is_kept_even_if_created_long_ago():
    old = InterestSubmissionFactory()
    _age(old, 400)
    InterestSubmissionFactory(organisation=old.organisation)
    retention.purge(now=timezone.now())
    assert Organisation.objects.filter(pk=old.organisation_id).exists()


def test_purge_twice_finds_nothing_the_second_time():
    _age(InterestSubmissionFactory(), 400)
    retention.purge(now=timezone.now())
    assert retention.purge(now=timezone.now()) == {"unverified_organisations_deleted": 0, "contacts_deleted": 0}


def test_protected_organisation_loses_only_its_personal_data():
    from tests.factories import SignatoryFactory

    old = InterestSubmissionFactory()
    _age(old, 400)
    SignatoryFactory(organisation=old.organisation)
    result = retention.purge(now=timezone.now())
    assert Organisation.objects.filter(pk=old.organisation_id).exists()
    assert not Contact.objects.filter(organisation_id=old.organisation_id).exists()
    assert result["contacts_deleted"] == 1
