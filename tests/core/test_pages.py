import pytest

pytestmark = pytest.mark.django_db


def test_home_is_swedish_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="sv">' in html
    assert "Till innehållet" in html
    assert "Tillgänglighetsredogörelse" in html


def test_language_switch_to_english_changes_layout_and_pages(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/tillganglighet/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Accessibility statement</h1>" in html
    assert "Skip to content" in html


@pytest.mark.parametrize(
    ("url", "heading"),
    [("/tillganglighet/", "Tillgänglighetsredogörelse"), ("/personuppgifter/", "Så behandlar vi dina personuppgifter")],
)
def test_statement_pages_have_real_content(client, url, heading, settings):
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert f"<h1>{heading}</h1>" in html
    assert settings.REGION_CONTACT_EMAIL in html


def test_privacy_page_names_the_policy_version_consent_is_recorded_against(client, settings):
    settings.PRIVACY_POLICY_VERSION = "2031-01"
    assert "2031-01" in client.get("/personuppgifter/").content.decode()


def test_footer_shows_region_contact(client, settings):
    html = client.get("/").content.decode()
    assert f"mailto:{settings.REGION_CONTACT_EMAIL}" in html


def test_bootstrap_is_served_from_our_own_static_files(client):
    html = client.get("/").content.decode()
    assert "/static/vendor/bootstrap/bootstrap.min.css" in html
    # Every stylesheet and script from this site: none from another host (a CDN). (Not a search for "cdn" in
    # the page: a random nonce or form token holds those three letters now and then.)
    import re

    assets = re.findall(r'<(?:link|script)\b[^>]*\b(?:href|src)="([^"]+)"', html)
    assert any("bootstrap" in url for url in assets)
    assert not [url for url in assets if url.startswith(("http:", "https:", "//"))], assets


def test_responses_carry_a_content_security_policy_without_unsafe_inline(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_unknown_page_is_a_swedish_404(client):
    response = client.get("/finns-inte/")
    assert response.status_code == 404


def test_the_benchmark_floor_is_not_served_by_the_portal(client):
    assert client.get("/bench/floor").status_code == 404


def test_unknown_page_on_the_dev_settings_is_the_portals_swedish_404(client, settings):
    """`make run` serves with DEBUG on: still the portal's page, not Django's list of URL patterns."""
    settings.DEBUG = True

    response = client.get("/finns-inte/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "Sidan finns inte" in html
    assert "URLconf" not in html
    assert "healthz" not in html  # a URL pattern the technical page would list


def test_missing_object_on_the_dev_settings_is_the_portals_404(client, settings):
    settings.DEBUG = True

    response = client.get("/moten/finns-inte-heller/")

    assert response.status_code == 404
    assert "Sidan finns inte" in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_developers_can_turn_the_technical_404_back_on(client, settings):
    settings.DEBUG = True
    settings.DEBUG_TECHNICAL_PAGES = True

    response = client.get("/finns-inte/")

    assert response.status_code == 404
    assert "URLconf" in response.content.decode()


def test_an_error_on_the_dev_settings_is_the_portals_500(client, settings, monkeypatch):
    settings.DEBUG = True

    def broken(request):
        raise RuntimeError("boom")

    monkeypatch.setattr("core.views._retention_context", lambda: broken(None))

    response = client.get("/personuppgifter/")

    assert response.status_code == 500
    assert "Traceback" not in response.content.decode()
    assert "boom" not in response.content.decode()


def test_an_english_browser_still_gets_swedish_until_the_switcher_is_used(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="sv">' in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert '<html lang="en">' in client.get("/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
