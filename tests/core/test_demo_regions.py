"""``manage.py load_demo`` (what ``make run`` calls): three regions from the seeds, each on its own loopback
host with its own name, colours, coordinator and stories, and none of the others' (issue 22, "Demo")."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from core.colours import colour_errors
from core.demo import DEMO_PASSWORD, ensure_regions, story_key
from core.models import Region
from core.permissions import COORDINATOR_GROUP
from core.regions import region_scope

pytestmark = pytest.mark.django_db

# short name → (host, region name, titles of its own stories: a meeting, a challenge or agreement, a round …)
REGIONS = {
    "vasternorrland": (
        "127.0.0.1",
        "Region Västernorrland",
        [
            "Samverkan med civilsamhället – flyktingsituationen och folkhälsan",
            "Flyktingsituationen efter kriget i Ukraina och folkhälsan",
            "Röda Korsets regionråd Västernorrland",
        ],
    ),
    "halland": (
        "halland.localhost",
        "Region Halland",
        [
            "Dialogmöte om social hållbarhet – 6 oktober 2016",
            "Social hållbarhet i Halland: bättre samverkan med civilsamhället",
            "Halmstad Teaters vänner",
        ],
    ),
    "vgr": (
        "vgr.localhost",
        "Västra Götalandsregionen",
        [
            "Överenskommelse mellan Västra Götalandsregionen och det civila samhället",
            "Val av civilsamhällets företrädare till arbetsgruppen för handlingsplanen 2019–2022",
            "Utkast till handlingsplan 2019–2022 för överenskommelsen",
            "Träff om det framtida samarbetet med civilsamhället",
        ],
    ),
}
PAGES = ["/", "/moten/", "/utmaningar/", "/organisationer/", "/overenskommelser/", "/val/", "/remisser/"]
COORDINATORS = {
    "vasternorrland": "samordnare@example.se",
    "halland": "samordnare.halland@example.se",
    "vgr": "samordnare.vgr@example.se",
}


def _pages(client, host: str) -> str:
    contents = []
    for path in PAGES:
        response = client.get(path, HTTP_HOST=host)
        assert response.status_code == 200, (host, path, response.status_code)
        contents.append(response.content.decode())
    return "\n".join(contents)


def _load(times=1):
    for _ in range(times):
        call_command("load_demo", stdout=io.StringIO())
    return {region.short_name: region for region in Region.objects.all()}


def test_each_host_shows_its_region_and_only_its_own_stories(client, media_root):
    loaded = _load(times=2)  # safe to run again
    assert set(REGIONS) <= set(loaded)
    for short_name, (host, name, titles) in REGIONS.items():
        content = _pages(client, host)
        assert f"{name}" in content, host
        for title in titles:
            assert title in content, (host, title)
        for other, (_host, _name, other_titles) in REGIONS.items():
            if other != short_name:
                shown = [title for title in other_titles if title in content]
                assert not shown, f"{host} shows {other}'s {shown}"
        assert "Partnerregion" not in content
    _assert_the_meetings_of_halland_are_at_halmstad_teater_on_its_host_only(client, loaded)


def _assert_the_meetings_of_halland_are_at_halmstad_teater_on_its_host_only(client, loaded):
    with region_scope(loaded["halland"]):
        from meetings.models import Meeting

        meetings = list(Meeting.objects.order_by("start"))
    assert [(m.start.date().isoformat(), m.venue_name) for m in meetings] == [
        ("2016-10-06", "Halmstad Teater"),
        ("2016-11-09", "Halmstad Teater"),
    ]
    assert client.get(meetings[0].get_absolute_url(), HTTP_HOST="halland.localhost").status_code == 200
    assert client.get(meetings[0].get_absolute_url(), HTTP_HOST="vgr.localhost").status_code == 404
    assert client.get(meetings[0].get_absolute_url(), HTTP_HOST="127.0.0.1").status_code == 404


def test_each_region_has_its_hosts_colours_contact_sender_and_coordinator(client, media_root):
    loaded = _load()
    for short_name, (host, name, _titles) in REGIONS.items():
        region = loaded[short_name]
        assert (region.name, region.primary_host) == (name, host)
        assert region.is_active and region.contact_email and region.contact_phone and region.sender_email
        assert colour_errors(region.accent_color, region.accent_dark_color) == {}
    assert "localhost" in loaded["vasternorrland"].hosts.values_list("host", flat=True)
    # Västernorrland keeps the portal's colours (static/css/site.css); the three regions look different.
    assert (loaded["vasternorrland"].accent_color, loaded["vasternorrland"].accent_dark_color) == ("#00594f", "#003d36")
    assert len({region.accent_color for region in loaded.values()}) == 3
    # Each host's pages carry its own colours (/region.css), not another region's.
    for short_name, (host, _name, _titles) in REGIONS.items():
        css = client.get("/region.css", HTTP_HOST=host).content.decode().lower()
        assert loaded[short_name].accent_color in css, host
        others = {loaded[other].accent_color for other in REGIONS if other != short_name}
        assert not [colour for colour in others if colour in css], host
    # Each region's coordinator: staff, in the coordinators' group, a coordinator of that region only.
    User = get_user_model()
    for short_name, email in COORDINATORS.items():
        user = User.objects.get(email=email)
        assert user.is_staff and user.check_password(DEMO_PASSWORD)
        assert user.groups.filter(name=COORDINATOR_GROUP).exists()
        assert list(user.coordinated_regions.all()) == [loaded[short_name]]
        assert list(loaded[short_name].coordinators.all()) == [user]
        # The admin opens on their own region's host, and on no other.
        client.force_login(user)
        for other, (host, _name, _titles) in REGIONS.items():
            status = client.get("/admin/", HTTP_HOST=host).status_code
            assert (status == 200) == (other == short_name), (email, host, status)
        client.logout()


def test_a_first_region_with_another_short_name_gets_vasternorrlands_stories(settings, region, media_root):
    from meetings import demo as meetings_demo
    from meetings.models import Meeting

    Region.objects.filter(pk=region.pk).update(short_name="norrland", name="Region Norrland")
    regions = ensure_regions()
    assert [r.short_name for r in regions] == ["norrland", "halland", "vgr"]
    first = regions[0]
    assert first.name == "Region Norrland"  # the operator's name stays
    assert story_key(first) == "vasternorrland"
    with region_scope(first):
        meetings_demo.load()
        assert Meeting.objects.filter(slug="samverkan-civilsamhallet-4-maj-2022").exists()
        assert not Meeting.objects.filter(slug="dialogmote-halland-6-oktober-2016").exists()
    assert not Region.objects.filter(short_name="vasternorrland").exists()
