import pytest
from django.urls import reverse

from agreements import services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(agreement, organisation, representative, pdf_upload, media_root):
    return services.signatory_request(
        agreement=agreement,
        organisation=organisation,
        user=representative,
        signed_by_name="Anna Ordförande",
        signed_by_title="Ordförande",
        confirms_authority=True,
        board_decision=pdf_upload,
    )


def test_coordinator_can_open_the_board_decision(coordinator_client, signed):
    response = coordinator_client.get(reverse("agreements:board_decision", args=[signed.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_anonymous_visitor_cannot_open_the_board_decision(client, signed):
    response = client.get(reverse("agreements:board_decision", args=[signed.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_representative_cannot_open_the_board_decision(client, signed, representative):
    client.force_login(representative)
    assert client.get(reverse("agreements:board_decision", args=[signed.pk])).status_code == 403


def test_staff_without_view_permission_is_refused(client, signed):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("agreements:board_decision", args=[signed.pk])).status_code == 403


def test_no_media_url_serves_the_stored_file(client, signed, settings):
    for url in (settings.MEDIA_URL + signed.board_decision.name, "/" + signed.board_decision.name):
        assert client.get(url).status_code == 404


def test_public_pages_do_not_link_the_board_decision(client, signed, coordinator):
    services.signatory_verify(signatory=signed, by=coordinator)
    for url in (signed.agreement.get_absolute_url(), reverse("agreements:signatories", args=[signed.agreement.slug])):
        content = client.get(url).content.decode()
        assert "styrelsebeslut/" not in content
        assert signed.board_decision.name not in content
