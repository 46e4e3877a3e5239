"""The user admin: who has a verified address and two-factor authentication, and resetting it."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from accounts.services import user_mfa_reset
from tests.accounts.conftest import activate_totp
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client, staff):
    client.force_login(staff)
    return client


def test_user_list_shows_two_factor_and_verified_columns(superuser_client, staff):
    activate_totp(staff)
    html = superuser_client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "column-two_factor" in html
    assert "column-email_verified" in html


def test_user_list_query_count_does_not_grow_with_users(superuser_client, django_assert_max_num_queries):
    for user in UserFactory.create_batch(30):
        activate_totp(user)
    with django_assert_max_num_queries(12):
        response = superuser_client.get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 200


def test_user_list_filters_users_without_two_factor(superuser_client, staff):
    activate_totp(staff)
    without = UserFactory(email="utan@example.se")
    response = superuser_client.get(reverse("admin:accounts_user_changelist"), {"two_factor": "no"})
    assert list(response.context["cl"].queryset) == [without]


def test_reset_two_factor_action_removes_authenticators(superuser_client):
    user = UserFactory(email="tappad.telefon@example.se", is_staff=True)
    activate_totp(user)
    response = superuser_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [user.pk]},
        follow=True,
    )
    assert not Authenticator.objects.filter(user=user).exists()
    assert "1" in response.content.decode()


def test_user_mfa_reset_leaves_other_users_alone():
    one, other = UserFactory.create_batch(2)
    activate_totp(one)
    activate_totp(other)
    assert user_mfa_reset(user=one) == 2  # authenticator app and recovery codes
    assert Authenticator.objects.filter(user=other).count() == 2
