"""The demo's endpoint: in Region Västernorrland, disabled (the demo sends nothing out), loaded once."""

import pytest

from webhooks.demo import NAME, load
from webhooks.models import Endpoint

pytestmark = pytest.mark.django_db


def test_the_demo_endpoint_is_disabled_and_loaded_once(coordinator):
    load()
    load()
    endpoint = Endpoint.objects.get()
    assert endpoint.name == NAME and not endpoint.is_active and endpoint.secret.startswith("whsec_")
    assert "avstängd i demon" in endpoint.name
