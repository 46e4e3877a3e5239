"""The evidence of a mandate request cannot be stored (the disk, the bucket): no 500, nothing saved, the
form again with what was typed and a message that says to try again (503), the failure logged."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from organisations.models import Mandate
from tests.factories import OrganisationFactory, RepresentativeFactory
from tests.samples import PDF, upload
from tests.storage_faults import (  # noqa: F401 - fixtures
    logged_without,
    media_root_is_a_file,
    refusing_bucket,
    storage_failure_shown,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("storage", ["media_root_is_a_file", "refusing_bucket"])
def test_evidence_that_cannot_be_stored_keeps_the_form_and_saves_nothing(client, request, storage, caplog):
    request.getfixturevalue(storage)
    link = RepresentativeFactory(organisation=OrganisationFactory(name="Föreningen Linden", slug="linden"))
    client.force_login(link.user)
    valid_to = (timezone.localdate() + dt.timedelta(days=365)).isoformat()
    data = {
        "kind": "board",
        "valid_to": valid_to,
        "message": "Vald på årsmötet i mars.",
        "evidence": upload("protokoll-rita.pdf", PDF),
    }
    response = client.post(reverse("organisations:mandate_request", args=["linden"]), data)
    assert storage_failure_shown(response)
    html = response.content.decode()
    assert "Vald på årsmötet i mars." in html and valid_to in html  # what was typed is kept
    assert re.search(r'value="board"[^>]*checked', html)
    assert not Mandate.objects.exists()
    assert logged_without(caplog, "protokoll-rita", link.user.email)
