"""Regions in the admin: who may enter a region's admin, the Region admin of the system role (hosts,
colours, logo), each region's look on every page, its own texts, and the draft gate per region."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.test import override_settings

from core.access import may_see
from core.models import Region, RegionHost
from core.permissions import SYSTEM_ADMIN_GROUP, ensure_coordinator_group, ensure_system_admin_group
from core.region_logo import sanitise_svg
from core.region_style import region_css, style_version
from core.regions import region_scope
from tests.factories import UserFactory
from tests.factories.regions import RegionFactory
from tests.samples import image, upload

pytestmark = pytest.mark.django_db

HALLAND = "halland.testserver"
GOOD_SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
    b'<title>Logo</title><rect width="10" height="10" fill="#6b2c91" data-x="1"/><metadata>x</metadata></svg>'
)


def halland_coordinator(other_region):
    user = UserFactory(is_staff=True, email="samordnare@halland.example.se")
    user.groups.add(ensure_coordinator_group())
    other_region.coordinators.add(user)
    return user


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True, email="drift@example.se"))
    return client


# Who enters a region's admin ---------------------------------------------------------------------------


def test_a_coordinator_of_halland_sees_the_admin_on_hallands_host_and_none_on_vasternorrlands(client, other_region):
    client.force_login(halland_coordinator(other_region))
    assert client.get("/admin/", HTTP_HOST=HALLAND).status_code == 200
    response = client.get("/admin/", HTTP_HOST="testserver")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    login = client.get(response["Location"], HTTP_HOST="testserver")
    assert login.status_code == 403
    # Every admin URL of the other region: to the login page, which refuses; no list, no form.
    listing = client.get("/admin/organisations/organisation/", HTTP_HOST="testserver")
    assert listing.status_code == 302 and listing["Location"].startswith("/admin/login/")


def test_a_coordinator_sees_the_administration_link_only_on_the_host_of_their_region(coordinator_client, other_region):
    assert 'href="/admin/"' in coordinator_client.get("/").content.decode()
    assert 'href="/admin/"' not in coordinator_client.get("/", HTTP_HOST=HALLAND).content.decode()


def test_staff_of_another_region_do_not_pass_the_draft_gate(coordinator, other_region):
    assert may_see(coordinator, public=False)
    with region_scope(other_region):
        assert not may_see(coordinator, public=False)
        assert may_see(UserFactory(is_staff=True, is_superuser=True), public=False)


def test_a_coordinator_does_not_see_the_regions(coordinator_client):
    assert coordinator_client.get("/admin/core/region/").status_code == 403
    assert "/admin/core/region/" not in coordinator_client.get("/admin/").content.decode()


def test_a_system_administrator_manages_regions_on_any_host_and_sees_nothing_else(client, other_region):
    user = UserFactory(is_staff=True, email="system@example.se")
    user.groups.add(ensure_system_admin_group())
    client.force_login(user)
    assert client.get("/admin/core/region/", HTTP_HOST=HALLAND).status_code == 200
    assert client.get("/admin/meetings/meeting/", HTTP_HOST=HALLAND).status_code == 403
    assert user.groups.get().name == SYSTEM_ADMIN_GROUP
    assert not user.groups.get().permissions.filter(codename="delete_region").exists()


# The Region admin ----------------------------------------------------------------------------------------


def region_form(**overrides):
    data = {
        "name": "Region Gotland",
        "short_name": "gotland",
        "is_active": "on",
        "contact_email": "kontakt@gotland.example.se",
        "contact_phone": "0498-26 90 00",
        "sender_email": "no-reply@gotland.example.se",
        "accent_color": "#6b2c91",
        "accent_dark_color": "#3d1654",
        "accessibility_statement_sv": "",
        "accessibility_statement_en": "",
        "privacy_text_sv": "",
        "privacy_text_en": "",
        "hosts-TOTAL_FORMS": "2",
        "hosts-INITIAL_FORMS": "0",
        "hosts-MIN_NUM_FORMS": "1",
        "hosts-MAX_NUM_FORMS": "1000",
        "hosts-0-host": "https://Gotland.Testserver:8443/portal/",
        "hosts-0-is_primary": "on",
        "hosts-1-host": "www.gotland.testserver",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_a_superuser_creates_a_region_with_hosts_colours_and_logo_and_its_host_serves_it(superuser_client, media_root):
    coordinator = UserFactory(is_staff=True, email="samordnare@gotland.example.se")
    response = superuser_client.post(
        "/admin/core/region/add/",
        region_form(coordinators=[coordinator.pk], logo=upload("logo.svg", GOOD_SVG, "image/svg+xml")),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    region = Region.objects.get(short_name="gotland")
    assert sorted(region.hosts.values_list("host", "is_primary")) == [
        ("gotland.testserver", True),
        ("www.gotland.testserver", False),
    ]
    assert list(region.coordinators.all()) == [coordinator]
    assert region.logo.name.startswith(f"regions/{region.key}/logo/")
    stored = region.logo.read()
    assert b"<rect" in stored and b"metadata" not in stored and b"data-x" not in stored

    page = superuser_client.get("/", HTTP_HOST="gotland.testserver").content.decode()
    assert "Region Gotland" in page and "Region Västernorrland" not in page
    css_url = re.search(r'href="(/region\.css\?v=[0-9a-f]+)"', page).group(1)
    logo_url = re.search(
        r'<img class="brand-logo" src="(/region/logo\?v=[0-9a-f]+)" alt="Region Gotland">', page
    ).group(1)
    css = superuser_client.get(css_url, HTTP_HOST="gotland.testserver")
    assert "--region-accent: #6b2c91;" in css.content.decode()
    assert css["Cache-Control"] == "public, max-age=31536000, immutable"
    logo = superuser_client.get(logo_url, HTTP_HOST="gotland.testserver")
    assert logo["Content-Type"] == "image/svg+xml" and b"<rect" in logo.content
    assert "sandbox" in logo["Content-Security-Policy"]


def test_a_system_administrator_chooses_any_account_as_a_regions_coordinator(client, media_root):
    user = UserFactory(is_staff=True, email="system@example.se")
    user.groups.add(ensure_system_admin_group())
    client.force_login(user)
    newcomer = UserFactory(is_staff=True, email="samordnare@gotland.example.se")  # of no region yet
    response = client.post("/admin/core/region/add/", region_form(coordinators=[newcomer.pk]))
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    assert list(Region.objects.get(short_name="gotland").coordinators.all()) == [newcomer]


def test_colours_with_too_little_contrast_are_refused_with_a_swedish_message(superuser_client):
    response = superuser_client.post("/admin/core/region/add/", region_form(accent_color="#7fb2d9"))
    assert response.status_code == 200
    assert "Kontrasten mot vitt är 2,2:1; minst 4,5:1 behövs." in response.content.decode()
    assert not Region.objects.filter(short_name="gotland").exists()


@pytest.mark.parametrize(
    "svg",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>x</p></foreignObject></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        b'<use xlink:href="https://evil.example/x.svg#a"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(https://evil.example/p)"/></svg>',
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
    ],
)
def test_a_malicious_svg_is_refused_with_a_message(superuser_client, media_root, svg):
    response = superuser_client.post(
        "/admin/core/region/add/", region_form(logo=upload("logo.svg", svg, "image/svg+xml"))
    )
    assert response.status_code == 200
    assert "SVG-filen innehåller skript, händelsehanterare" in response.content.decode()
    assert not Region.objects.filter(short_name="gotland").exists()


def test_a_png_logo_is_re_encoded_and_one_too_large_is_refused(superuser_client, media_root):
    response = superuser_client.post(
        "/admin/core/region/add/", region_form(logo=upload("logo.png", image("PNG", size=(2100, 2000)), "image/png"))
    )
    assert "Logotypen är för stor" in response.content.decode()
    png = image("PNG", size=(40, 20), pnginfo=None)
    response = superuser_client.post("/admin/core/region/add/", region_form(logo=upload("logo.png", png, "image/png")))
    assert response.status_code == 302
    assert Region.objects.get(short_name="gotland").logo.name.endswith(".png")


def test_a_host_of_another_region_and_anything_but_one_primary_host_are_form_errors(superuser_client, other_region):
    response = superuser_client.post(
        "/admin/core/region/add/", region_form(**{"hosts-1-host": "Halland.testserver:80"})
    )
    assert "Adressen halland.testserver används redan av Region Halland." in response.content.decode()
    response = superuser_client.post("/admin/core/region/add/", region_form(**{"hosts-1-is_primary": "on"}))
    assert "Markera exakt en adress som huvudadress" in response.content.decode()
    assert not Region.objects.filter(short_name="gotland").exists()
    assert RegionHost.objects.get(host=HALLAND).region == other_region


def test_the_short_name_cannot_be_changed_and_a_region_is_disabled_never_deleted(superuser_client, other_region):
    host = other_region.hosts.get()
    change = region_form(
        name="Region Halland",
        short_name="nytt-namn",
        accent_color=other_region.accent_color,
        accent_dark_color=other_region.accent_dark_color,
        **{
            "hosts-TOTAL_FORMS": "1",
            "hosts-INITIAL_FORMS": "1",
            "hosts-0-id": str(host.pk),
            "hosts-0-region": str(other_region.pk),
            "hosts-0-host": HALLAND,
            "hosts-1-host": None,
        },
    )
    response = superuser_client.post(f"/admin/core/region/{other_region.pk}/change/", change)
    assert response.status_code == 302
    other_region.refresh_from_db()
    assert other_region.short_name == "halland"
    assert superuser_client.get(f"/admin/core/region/{other_region.pk}/delete/").status_code == 403
    response = superuser_client.post(
        "/admin/core/region/", {"action": "disable_regions", "_selected_action": [other_region.pk]}
    )
    assert response.status_code == 302
    other_region.refresh_from_db()
    assert not other_region.is_active
    assert superuser_client.get("/", HTTP_HOST=HALLAND).status_code == 404


def test_sanitising_keeps_the_drawing_and_drops_what_is_not_on_the_allow_list():
    cleaned = sanitise_svg(GOOD_SVG)
    assert b'fill="#6b2c91"' in cleaned and b"<title>Logo</title>" in cleaned
    assert b"metadata" not in cleaned and b"data-x" not in cleaned


def test_a_deeply_nested_or_broken_svg_is_refused_as_unreadable_not_a_server_error():
    deep = b'<svg xmlns="http://www.w3.org/2000/svg">' + b"<g>" * 5000 + b"</g>" * 5000 + b"</svg>"
    for svg in (deep, b'<svg xmlns="http://www.w3.org/2000/svg"><g></svg>', b"<html><body/></html>"):
        with pytest.raises(ValidationError) as refused:
            sanitise_svg(svg)
        assert refused.value.code == "svg_unreadable"


# The region's look --------------------------------------------------------------------------------------


def test_vasternorrland_keeps_todays_colours(client, region):
    css = region_css(region)
    assert "--region-accent: #00594f;" in css
    assert "--region-accent-dark: #003d36;" in css
    assert "--region-accent-light: #e6f2f0;" in css
    assert "--bs-primary-rgb: 0, 89, 79;" in css
    site_css = open("static/css/site.css").read()
    assert "--region-accent: #00594f;" in site_css and "--region-accent-light: #e6f2f0;" in site_css
    page = client.get("/").content.decode()
    assert f'href="/region.css?v={style_version(region)}"' in page
    assert 'class="brand-logo"' not in page


def test_region_css_follows_the_colours_with_a_new_version_and_is_short_lived_without_it(client, other_region):
    before = style_version(other_region)
    other_region.accent_color = "#6b2c91"
    other_region.save()
    assert style_version(other_region) != before
    response = client.get("/region.css", HTTP_HOST=HALLAND)
    assert "--region-accent: #6b2c91;" in response.content.decode()
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["Content-Type"].startswith("text/css")
    assert client.get("/region/logo", HTTP_HOST=HALLAND).status_code == 404


def test_the_light_tint_keeps_the_accent_readable_on_it():
    from core.region_style import _contrast, light_tint

    for accent in ("#6b2c91", "#767676", "#005a8c"):
        assert _contrast(accent, light_tint(accent)) >= 4.5


# The region's own texts ------------------------------------------------------------------------------


def test_the_regions_own_statement_is_shown_as_plain_text_in_paragraphs(client, other_region):
    other_region.accessibility_statement_sv = "Region Halland står bakom portalen.\n\n<script>alert(1)</script>"
    other_region.save()
    page = client.get("/tillganglighet/", HTTP_HOST=HALLAND).content.decode()
    assert "<p>Region Halland står bakom portalen.</p>" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    # Without the region's own text: the portal's, with the region's name and contact.
    page = client.get("/personuppgifter/", HTTP_HOST=HALLAND).content.decode()
    assert "Region Halland är personuppgiftsansvarig" in page
    assert "kontakt@halland.example.se" in page


def test_the_english_page_shows_the_english_text_or_the_swedish_one_marked_as_swedish(client, other_region):
    other_region.privacy_text_sv = "Vi sparar så lite som möjligt."
    other_region.save()
    client.cookies["django_language"] = "en"
    page = client.get("/personuppgifter/", HTTP_HOST=HALLAND).content.decode()
    assert '<div lang="sv"><p>Vi sparar så lite som möjligt.</p></div>' in page
    other_region.privacy_text_en = "We keep as little as we can."
    other_region.save()
    page = client.get("/personuppgifter/", HTTP_HOST=HALLAND).content.decode()
    assert "<p>We keep as little as we can.</p>" in page and "Vi sparar" not in page


@override_settings(STAFF_REQUIRE_MFA=True)
def test_staff_of_another_region_are_not_sent_to_set_up_two_factor_there(client, coordinator, other_region):
    client.force_login(coordinator)
    assert client.get("/admin/", HTTP_HOST="testserver")["Location"].startswith("/konto/")
    response = client.get("/admin/", HTTP_HOST=HALLAND)
    assert response["Location"].startswith("/admin/login/")


def test_the_system_role_holds_no_permission_on_other_apps():
    group = ensure_system_admin_group()
    assert set(group.permissions.values_list("content_type__app_label", flat=True)) == {"core"}
    assert Permission.objects.filter(codename="change_region").exists()


def test_a_new_region_starts_with_todays_colours():
    region = RegionFactory(short_name="ny-region")
    assert (region.accent_color, region.accent_dark_color) == ("#00594f", "#003d36")


@override_settings(STAFF_REQUIRE_MFA=True)
def test_a_system_administrator_is_asked_for_the_second_factor_on_any_host(client, other_region):
    user = UserFactory(is_staff=True, email="system@example.se")
    user.groups.add(ensure_system_admin_group())
    client.force_login(user)
    assert client.get("/admin/core/region/", HTTP_HOST=HALLAND)["Location"].startswith("/konto/")
