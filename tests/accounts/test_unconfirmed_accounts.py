"""Accounts whose e-mail address was never confirmed are deleted ACCOUNTS_UNCONFIRMED_DAYS after they were
opened (``accounts.tasks.purge_unconfirmed_accounts``, daily, once for the installation): such an account was
never used (the login needs a confirmed address), and the address may be someone else's."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User
from accounts.tasks import purge_unconfirmed_accounts
from core.regions import no_region
from tests.factories import RepresentativeFactory, UserFactory

pytestmark = pytest.mark.django_db


def _account(email, *, days_ago, confirmed=False, **fields):
    user = UserFactory(
        email=email, date_joined=timezone.now() - timedelta(days=days_ago), verified_email=False, **fields
    )
    EmailAddress.objects.create(user=user, email=email, verified=confirmed, primary=True)
    return user


def test_only_old_accounts_never_confirmed_nor_used_nor_linked_are_deleted(settings):
    settings.ACCOUNTS_UNCONFIRMED_DAYS = 30
    gone = _account("aldrig.bekraftad@example.se", days_ago=31)
    kept = [
        _account("bekraftad@example.se", days_ago=400, confirmed=True),
        _account("ny@example.se", days_ago=29),
        _account("inloggad@example.se", days_ago=90, last_login=timezone.now() - timedelta(days=60)),
        _account("personal@example.se", days_ago=90, is_staff=True),
        _account("kopplad@example.se", days_ago=90),
    ]
    RepresentativeFactory(user=kept[-1])  # a coordinator linked the address to an organisation

    with no_region():  # the beat runs it once for the installation, outside any region
        purge_unconfirmed_accounts.apply()

    assert not User.objects.filter(pk=gone.pk).exists()
    assert not EmailAddress.objects.filter(email=gone.email).exists()
    assert set(User.objects.values_list("email", flat=True)) >= {user.email for user in kept}
    with no_region():
        assert purge_unconfirmed_accounts.apply().result == 0  # nothing left to do
