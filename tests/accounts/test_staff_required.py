"""Every staff-only view, not only the admin, asks staff for the second factor (STAFF_REQUIRE_MFA)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.views import View

from accounts.decorators import StaffRequiredMixin, staff_required
from accounts.middleware import is_staff_only_view
from agreements import services
from tests.accounts.conftest import activate_totp
from tests.factories import UserFactory
from tests.samples import PDF, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def require_mfa(settings):
    settings.STAFF_REQUIRE_MFA = True


@pytest.fixture
def signed(media_root):
    from tests.factories import AgreementFactory, MandatedRepresentativeFactory, OrganisationFactory

    user = UserFactory()
    organisation = OrganisationFactory()
    MandatedRepresentativeFactory(user=user, organisation=organisation)
    return services.signatory_request(
        agreement=AgreementFactory(),
        organisation=organisation,
        user=user,
        signed_by_name="Anna Ordförande",
        signed_by_title="Ordförande",
        confirms_authority=True,
        board_decision=upload("beslut.pdf", PDF),
    )


def test_coordinator_without_totp_is_sent_to_set_it_up_before_a_board_decision(coordinator_client, signed, require_mfa):
    url = reverse("agreements:board_decision", args=[signed.pk])
    response = coordinator_client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
    assert coordinator_client.session["accounts.staff_mfa_next"] == url


def test_coordinator_with_totp_downloads_the_board_decision(coordinator_client, coordinator, signed, require_mfa):
    activate_totp(coordinator)
    response = coordinator_client.get(reverse("agreements:board_decision", args=[signed.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_without_the_setting_totp_is_not_asked_for(coordinator_client, signed):
    assert coordinator_client.get(reverse("agreements:board_decision", args=[signed.pk])).status_code == 200


def test_staff_file_view_is_marked_for_the_middleware():
    from agreements.views import board_decision

    assert is_staff_only_view(board_decision)


def _request(user, path="/samordnare/"):
    request = RequestFactory().get(path)
    request.user = user
    request.session = SessionStore()
    return request


@staff_required(permission="agreements.view_signatory")
def _function_view(request):
    return HttpResponse("ok")


class _ClassView(StaffRequiredMixin, View):
    staff_permission = "agreements.view_signatory"

    def get(self, request):
        return HttpResponse("ok")


VIEWS = [_function_view, _ClassView.as_view()]


@pytest.mark.parametrize("view", VIEWS)
def test_anonymous_visitors_are_sent_to_log_in(view):
    response = view(_request(AnonymousUser()))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("view", VIEWS)
def test_signed_in_non_staff_get_403(view):
    with pytest.raises(PermissionDenied):
        view(_request(UserFactory()))


@pytest.mark.parametrize("view", VIEWS)
def test_staff_without_the_permission_get_403(view):
    with pytest.raises(PermissionDenied):
        view(_request(UserFactory(is_staff=True)))


@pytest.mark.parametrize("view", VIEWS)
def test_staff_without_totp_are_sent_to_set_it_up(view, coordinator, require_mfa):
    response = view(_request(coordinator))
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


@pytest.mark.parametrize("view", VIEWS)
def test_coordinator_with_totp_opens_the_view(view, coordinator, require_mfa):
    activate_totp(coordinator)
    assert view(_request(coordinator)).content == b"ok"


@pytest.mark.parametrize("view", VIEWS)
def test_both_forms_are_recognised_by_the_middleware(view):
    assert is_staff_only_view(view)
