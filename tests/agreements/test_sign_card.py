"""The agreement page's sign card: a per-visitor part ({% visitor_part %}) of a body shared by everyone."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from agreements.models import Signatory
from tests.factories import OrganisationFactory, RepresentativeFactory, SignatoryFactory, UserFactory

pytestmark = pytest.mark.django_db


def _page(client, agreement) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(agreement.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


def test_each_visitor_gets_their_own_sign_card_inside_the_one_shared_body(agreement, representative):
    signed = representative.organisations.get()
    SignatoryFactory(agreement=agreement, organisation=signed, status=Signatory.Status.VERIFIED)
    other = UserFactory(email="annan@example.se")
    RepresentativeFactory(user=other, organisation=OrganisationFactory(name="Osignerade Föreningen"))

    anonymous, _ = _page(Client(), agreement)
    assert "Underteckna överenskommelsen" in anonymous and "Föreningen Gemenskap har undertecknat" not in anonymous

    caches["default"].clear()
    mine = Client()
    mine.force_login(representative)
    page, cold = _page(mine, agreement)
    assert "Föreningen Gemenskap har undertecknat överenskommelsen." in page
    page, warm = _page(mine, agreement)
    assert "Föreningen Gemenskap har undertecknat överenskommelsen." in page
    assert warm < cold  # the body came from the cache, the card was built for this visitor

    theirs = Client()
    theirs.force_login(other)
    page, _ = _page(theirs, agreement)
    assert "Föreningen Gemenskap har undertecknat" not in page and "Underteckna överenskommelsen" in page
    assert "pagecache:visitor-part" not in page + anonymous  # no marker is ever left in a page
