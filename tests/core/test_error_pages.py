"""The error pages a visitor can meet in production (DEBUG off): the portal's own layout, in the
visitor's language, with nothing of the request, the reason or the settings on them."""

import json

import pytest
from django.test import Client
from django.utils import translation

pytestmark = pytest.mark.django_db

STYLESHEET = "css/site"


@pytest.fixture(autouse=True)
def _swedish_afterwards():
    # The English requests leave English active in this thread; the next test starts in Swedish.
    yield
    translation.activate("sv")


def _english(client):
    client.cookies["django_language"] = "en"
    return client


def _main(response):
    return response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]


def test_a_host_that_names_no_region_gets_a_plain_not_found_page_in_both_languages(client):
    response = client.get("/moten/", HTTP_HOST="evil.example")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Sidan finns inte" in html and 'lang="en"' in html
    assert "evil.example" not in html
    assert "ALLOWED_HOSTS" not in html
    assert "Region Västernorrland" not in html  # not another region's portal


@pytest.mark.parametrize("language, heading", [("sv", "Felaktig begäran"), ("en", "Bad request")])
def test_a_malformed_host_header_gets_the_portals_400_in_the_visitors_language(client, language, heading):
    if language == "en":
        _english(client)
    response = client.get("/moten/", HTTP_HOST="testserver:notaport")
    html = response.content.decode()
    assert response.status_code == 400
    assert f'<html lang="{language}">' in html
    assert heading in _main(response)
    assert STYLESHEET in html
    assert "notaport" not in html


@pytest.mark.parametrize(
    "language, heading", [("sv", "Formuläret kunde inte skickas"), ("en", "The form could not be sent")]
)
def test_a_form_posted_without_its_token_gets_the_portals_403(language, heading):
    client = Client(enforce_csrf_checks=True)
    if language == "en":
        _english(client)
    response = client.post("/organisationer/anmal-intresse/", {"organisation_name": "Föreningen"})
    html = response.content.decode()
    assert response.status_code == 403
    assert f'<html lang="{language}">' in html
    assert heading in _main(response)
    assert STYLESHEET in html
    # Django's technical page names the reason and the CSRF settings.
    assert "CSRF" not in html
    assert "<style" not in html


def test_a_permission_denied_gets_the_portals_403(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied

    from core.views import permission_denied

    request = rf.get("/mina-sidor/")
    request.user = AnonymousUser()
    with translation.override("sv"):
        response = permission_denied(request, PermissionDenied("secret reason"))
    html = response.content.decode()
    assert response.status_code == 403
    assert "Åtkomst nekad" in html and STYLESHEET in html
    assert "secret reason" not in html


@pytest.mark.parametrize("language, heading", [("sv", "Inte möjligt här"), ("en", "Not possible here")])
def test_a_wrong_method_gets_the_portals_405_with_its_allow_header(client, language, heading):
    if language == "en":
        _english(client)
    response = client.delete("/moten/")
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert f'<html lang="{language}">' in response.content.decode()
    assert heading in _main(response)


def test_a_wrong_method_on_a_form_keeps_both_allowed_methods(client):
    response = client.put("/organisationer/anmal-intresse/")
    assert response.status_code == 405
    assert response["Allow"] == "GET, POST"
    assert "Inte möjligt här" in _main(response)


def test_the_api_still_answers_a_wrong_method_in_json(client):
    response = client.post("/api/v1/meetings/")
    assert response.status_code == 405
    assert json.loads(response.content)["status"] == 405


def test_the_500_page_is_styled_and_asks_nothing_of_the_database(rf, django_assert_num_queries):
    from django.contrib.auth import get_user
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils.functional import SimpleLazyObject

    from core.views import server_error

    request = rf.get("/moten/")
    request.session = SessionStore("a" * 32)  # a visitor with a session: reading it is a query
    request.user = SimpleLazyObject(lambda: get_user(request))
    with django_assert_num_queries(0):
        response = server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert STYLESHEET in html
    assert "Något gick fel" in _main(response)
    assert "{%" not in html and "{{" not in html


def test_a_broken_error_template_still_gives_a_page(rf, monkeypatch):
    from django.template import TemplateSyntaxError

    from core import views

    def broken(name):
        raise TemplateSyntaxError("broken")

    monkeypatch.setattr(views.loader, "get_template", broken)
    response = views.server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Något gick fel" in response.content.decode()
