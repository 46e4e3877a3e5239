import pytest

from agreements import demo, selectors
from agreements.models import Agreement, Signatory
from core.regions import region_scope
from tests.demo_regions import demo_regions

pytestmark = pytest.mark.django_db


def test_demo_tells_the_vgr_story_in_its_region_and_can_run_twice(media_root):
    regions = demo_regions()
    for region in regions.values():
        with region_scope(region):
            demo.load()
    with region_scope(regions["vgr"]):
        agreement = demo.load()
        _assert_the_vgr_story(agreement)
    assert "partner" not in (agreement.title + agreement.summary).lower()
    # The other regions have no agreement in the demo.
    for short_name in ("vasternorrland", "halland"):
        with region_scope(regions[short_name]):
            assert not Agreement.objects.exists()


def _assert_the_vgr_story(agreement):
    growth = {p.year: p.count for p in selectors.signatory_growth(agreement=agreement)}
    assert growth[2014] == 70
    assert growth[2019] == 107
    assert agreement.signatories.listed().count() == 107
    assert agreement.signatories.filter(status=Signatory.Status.PENDING).count() >= 3
    assert agreement.signatories.filter(status=Signatory.Status.WITHDRAWN).count() == 1
    assert agreement.working_group.filter(side="politician").count() == 5
    assert agreement.working_group.filter(side="civil_society").count() == 5
    assert agreement.working_group.get(role="ordförande").name == "Charlotte Nordström"
    plan = agreement.action_plans.get()
    assert (plan.period_start, plan.period_end, plan.decided_by) == (2019, 2022, "Regionstyrelsen")
    assert plan.actions.count() >= 5


def test_demo_documents_are_downloadable_pdfs_on_the_vgr_host(client, media_root):
    with region_scope(demo_regions()["vgr"]):
        agreement = demo.load()
        plan = agreement.action_plans.get()
    for url in (
        f"/overenskommelser/{agreement.slug}/versioner/1/dokument/",
        f"/overenskommelser/{agreement.slug}/handlingsplaner/{plan.pk}/dokument/",
    ):
        response = client.get(url, HTTP_HOST="vgr.localhost")
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
