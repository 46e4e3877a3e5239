"""A form refused by the rate limit (429) is an error like any other: its page title starts with
"Fel:", though the refused data itself was valid (WCAG 3.3.1)."""

import re

import pytest

from challenges.models import Challenge
from tests.challenges.test_pages import RAISE, _raise_data

pytestmark = pytest.mark.django_db


def _title(response) -> str:
    return re.sub(r"\s+", " ", re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)).strip()


def test_a_rate_limited_valid_submission_is_titled_error(client, representative, settings):
    settings.CHALLENGES_FORM_RATE = "1/m"
    client.force_login(representative)
    client.post(RAISE, _raise_data(representative.organisation))
    response = client.post(RAISE, _raise_data(representative.organisation, title="Andra försöket"))
    assert response.status_code == 429
    assert _title(response).startswith("Fel: Lyft en utmaning")
    assert "Vänta en minut" in response.content.decode()  # the message is still shown on the page
    assert Challenge.objects.count() == 1


def test_a_page_with_only_a_success_message_is_not_titled_error(client, representative):
    client.force_login(representative)
    response = client.post(RAISE, _raise_data(representative.organisation), follow=True)
    assert response.status_code == 200
    assert not _title(response).startswith("Fel:")
