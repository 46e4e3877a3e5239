"""The public pages' layout, forms and wording (issue 20): English labels, error summaries, page titles,
pagination, favicon, the header's menu and the tables' scroll regions."""

import re

import pytest
from django.core.cache import cache
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def _english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})


def title(response) -> str:
    match = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)
    return re.sub(r"\s+", " ", match.group(1)).strip()


def test_english_sign_up_page_says_sign_up(client):
    _english(client)
    response = client.get("/konto/signup/")
    assert title(response).startswith("Sign up –")
    assert "Signup" not in response.content.decode()


def test_english_my_pages_say_two_factor_in_sentence_case(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    _english(client)
    page = client.get("/mina-sidor/").content.decode()
    assert "Two-factor authentication" in page
    assert "Two-Factor" not in page


def test_admin_index_title_follows_the_language():
    from django.contrib import admin

    with translation.override("en"):
        assert str(admin.site.index_title) == "Coordination"
    with translation.override("sv"):
        assert str(admin.site.index_title) == "Samordning"
