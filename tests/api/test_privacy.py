"""Nothing personal anywhere in the API: walk every endpoint and every page of results."""

import re

import pytest
from django.conf import settings

from .conftest import ONLINE_LINK
from .helpers import walk

pytestmark = pytest.mark.django_db

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE = re.compile(r"(?<![\w-])(?:\+46|0)\d{1,3}[- ]?\d{2,3}[- ]?\d{2}[- ]?\d{2}(?!\d)")


def _personal_names(world) -> list[str]:
    names = [c.name for c in world.contacts] + [r.name for r in world.registrations]
    names += [s.signed_by_name for s in world.signatures]
    names += [world.representative.full_name, world.meeting.contact_name]
    return names


def _assert_nothing_personal(text: str, world):
    assert not EMAIL.findall(text), EMAIL.findall(text)
    assert not PHONE.findall(text), PHONE.findall(text)
    assert ONLINE_LINK not in text and "meet.example.se" not in text
    for name in _personal_names(world):
        assert name not in text, name
    for hidden in (world.unlisted.name, world.submitted.name, world.draft.title, "Utkast"):
        assert hidden not in text, hidden


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_no_response_of_the_api_carries_personal_data_or_an_online_link(client, world, lang):
    walked = list(walk(client, lang=lang))
    assert len(walked) >= 14  # the walk reached every list, page and object
    for path, response in walked:
        assert response.status_code == 200, path
        _assert_nothing_personal(response.content.decode(), world)


def test_the_catalogue_has_only_the_regions_functional_address(client, world):
    text = client.get("/api/v1/dcat").content.decode()
    assert set(EMAIL.findall(text)) == {settings.REGION_CONTACT_EMAIL}
    _assert_nothing_personal(text.replace(settings.REGION_CONTACT_EMAIL, ""), world)


def test_the_schema_and_the_documentation_page_carry_no_personal_data(client, world):
    for path in ("/api/v1/schema/", "/api/v1/schema/?format=json"):
        _assert_nothing_personal(client.get(path).content.decode(), world)


def test_signatory_downloads_carry_no_signer_names(client, world):
    for name in ("signatories_csv", "signatories_json"):
        from django.urls import reverse

        response = client.get(reverse(f"agreements:{name}", kwargs={"slug": world.agreement.slug}))
        content = b"".join(response.streaming_content) if response.streaming else response.content
        text = content.decode("utf-8-sig")
        assert "Scouterna Sundsvall" in text
        _assert_nothing_personal(text, world)
