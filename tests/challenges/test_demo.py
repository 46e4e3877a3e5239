import pytest

from agreements import demo as agreements_demo
from challenges import demo
from challenges.models import Challenge
from core import demo as core_demo
from core.regions import region_scope
from meetings import demo as meetings_demo
from organisations import demo as organisations_demo
from tests.demo_regions import demo_regions

pytestmark = pytest.mark.django_db


def _load_all(region):
    with region_scope(region):
        core_demo.load()
        organisations_demo.load()
        meetings_demo.load()
        agreements_demo.load()
        demo.load()


def _snapshot():
    return sorted(
        (c.slug, c.status, c.participations.count(), c.updates.count(), c.meetings.count(), c.documents.count())
        for c in Challenge.objects.all()
    )


def test_demo_tells_the_seed_stories_each_in_its_region_and_can_run_twice(client, media_root):
    regions = demo_regions()
    for region in regions.values():
        _load_all(region)
    first = _snapshot()
    demo.load()
    assert _snapshot() == first
    ukraine = Challenge.objects.get(slug="flyktingsituationen-efter-kriget-i-ukraina")
    assert ukraine.raised_by == "region" and ukraine.is_public
    assert ukraine.meetings.get().slug == "samverkan-civilsamhallet-4-maj-2022"
    assert ukraine.programme_items.count() == 5
    examples = Challenge.objects.get(slug="goda-exempel-fran-flyktingsituationen-2015")
    assert examples.raised_by == "civil_society" and examples.raising_organisation.name.startswith("Röda Korset")
    assert Challenge.objects.filter(status=Challenge.Status.PROPOSED).count() == 1
    assert not Challenge.objects.filter(slug="social-hallbarhet-i-halland").exists()
    # The pages of the story work, and the access-checked document is a PDF.
    assert client.get(ukraine.get_absolute_url()).status_code == 200
    response = client.get(ukraine.documents.get().get_absolute_url())
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert (
        "Flyktingsituationen efter kriget" in client.get("/moten/samverkan-civilsamhallet-4-maj-2022/").content.decode()
    )

    with region_scope(regions["halland"]):
        halland = Challenge.objects.get()
        assert halland.slug == "social-hallbarhet-i-halland"
        assert sorted(m.venue_name for m in halland.meetings.all()) == ["Halmstad Teater", "Halmstad Teater"]
        assert halland.status == Challenge.Status.CONCLUDED and halland.outcome
        assert halland.contact_coordinator.email == "samordnare.halland@example.se"
        assert "Unga Musikanter Halland" in {
            p.organisation.name.split("Riksförbundet ")[-1] for p in halland.participations.all()
        }
    page = client.get(halland.get_absolute_url(), HTTP_HOST="halland.localhost").content.decode()
    assert "Social hållbarhet i Halland" in page
    with region_scope(regions["vgr"]):
        assert not Challenge.objects.exists()
